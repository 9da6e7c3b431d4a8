"""Revision files; each one is a step Alembic can apply and undo."""
