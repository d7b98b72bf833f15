"""Alembic migrations of the customer store."""
