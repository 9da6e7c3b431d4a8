"""``quotes serve``: the newsroom web app and JSON API over the same library.

The pages and the ``/api/v1/`` JSON API call the library through one adapter
(:mod:`quotes.serve.service`), one transaction per request, exactly as the CLI
does; nothing here re-implements a rule the library owns. FastAPI, Jinja2 and
uvicorn are imported only by this subpackage, so every other command stays
fast: import :func:`quotes.serve.app.create_app` to build the app.
"""
