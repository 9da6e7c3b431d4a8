"""Alembic migrations (installed as ``quotes.migrations``)."""
