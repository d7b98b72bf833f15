"""Alembic environment: runs migrations on the connection the store hands over.

There is no alembic.ini: :func:`pipeline.store.migrate` builds the config in
code so an installed copy migrates its database without a working directory.
"""

from __future__ import annotations

from alembic import context

from pipeline.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs bare `alembic`
    raise RuntimeError("run migrations through `leads db upgrade`")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
