"""Alembic environment: runs migrations on the connection `SqlStore.migrate` passes in."""

from alembic import context

from sitroom.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
