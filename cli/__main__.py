"""``python -m quotes.cli``: the same as the ``quotes`` console script."""

from quotes.cli.main import run

if __name__ == "__main__":
    run()
