"""For the night at a million companies: names in a small index, company keys without a foreign key.

Company ids with their name keys in one small index, for the night's name-and-place lookups.

A night looks up the names of some hundred thousand stored companies found
by a name word and a place. Read from the companies table, each is a random
page of a table of gigabytes; read from an index of (id, name_key) they are
a few leaf pages in id order (PostgreSQL answers from the index alone).
Index entries have a size limit (about 2,700 bytes on PostgreSQL), so
name keys are capped at 255 characters, as :func:`pipeline.names.parse_name`
now makes them.

``company_keys`` loses its foreign key to ``companies``. It is a lookup
index of the companies, written only by ``Store.load`` in the transaction
that writes the company; nothing deletes companies; and a key whose company
were gone would find nothing, since every lookup reads the company row
next. The check cost about 6 microseconds for each of the night's 700,000
key rows, a third of writing them on PostgreSQL.

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
    with op.batch_alter_table("company_keys") as batch:
        batch.drop_constraint("fk_company_keys_company_id_companies", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("company_keys") as batch:
        batch.create_foreign_key("fk_company_keys_company_id_companies", "companies", ["company_id"], ["id"],
                                 ondelete="CASCADE")
    op.drop_index("ix_companies_id_name_key", table_name="companies")
