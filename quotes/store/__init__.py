"""Where statements live.

Settings, the engine and its sessions, migrations, the schema, and the text and
date rules applied before anything is stored.
"""
