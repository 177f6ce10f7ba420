"""Alembic migrations for the sitroom store, run programmatically by `SqlStore.migrate`."""
