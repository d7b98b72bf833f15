"""Company ids with their name keys in one small index, for the night's name-and-place lookups.

A night looks up the names of some hundred thousand stored companies found
by a name word and a place. Read from the companies table, each is a random
page of a table of gigabytes; read from an index of (id, name_key) they are
a few leaf pages in id order (PostgreSQL answers from the index alone).
Index entries have a size limit (about 2,700 bytes on PostgreSQL), so
name keys are capped at 255 characters, as :func:`pipeline.names.parse_name`
now makes them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NAME_KEY_MAX = 255  # pipeline.names.NAME_KEY_MAX when this revision was written


def upgrade() -> None:
    companies = sa.table("companies", sa.column("name_key", sa.Text))
    op.execute(companies.update().where(sa.func.length(companies.c.name_key) > NAME_KEY_MAX)
               .values(name_key=sa.func.substr(companies.c.name_key, 1, NAME_KEY_MAX)))
    op.create_index("ix_companies_id_name_key", "companies", ["id", "name_key"])


def downgrade() -> None:
    op.drop_index("ix_companies_id_name_key", table_name="companies")
