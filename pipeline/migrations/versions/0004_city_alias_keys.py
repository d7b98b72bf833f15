"""Stored companies get their place keys under their city's GeoNames name too.

Matching now compares a city under its GeoNames name (``pipeline.cities``:
München, Muenchen and Munich are one city), and ``Store.load`` writes a
company's name-and-city keys under both the city as written and that name.
Companies loaded before have only the first, so a lead writing "Munich"
would not find a stored "München" company by its name and city. This adds
the missing keys for companies whose city has another name, from the
company's own name, city, postcode and country; nothing else changes. The
downgrade leaves them: an extra key only brings a candidate that matching
then judges.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CHUNK = 5_000
KEY_MAX = 300  # the key column's length (pipeline.schema.company_keys)


def upgrade() -> None:
    from pipeline.normalize import city_fold, city_key
    from pipeline.store import place_name_keys

    conn = op.get_bind()
    companies = sa.table("companies", sa.column("id", sa.Integer), sa.column("name_key", sa.Text),
                         sa.column("city", sa.Text), sa.column("postcode", sa.Text), sa.column("country", sa.Text))
    keys = sa.table("company_keys", sa.column("key", sa.String), sa.column("company_id", sa.Integer))
    places = conn.execute(sa.select(companies.c.city, companies.c.country).where(companies.c.city.isnot(None))
                          .distinct()).all()
    aliased = {(city, country) for city, country in places if city_key(city, country) != city_fold(city)}
    if not aliased:
        return
    # one pass over the table (city has no index: a query per city would read it again each time)
    wanted: dict[int, set[str]] = {}
    read = conn.execute(
        sa.select(companies.c.id, companies.c.name_key, companies.c.city, companies.c.postcode, companies.c.country)
        .where(companies.c.city.isnot(None)).execution_options(yield_per=CHUNK))
    for rows in read.partitions():
        for company_id, name_key, city, postcode, country in rows:
            if (city, country) in aliased:
                found = {k for k in place_name_keys(name_key, country, city, postcode) if len(k) <= KEY_MAX}
                if found:
                    wanted[company_id] = found
    ids = sorted(wanted)
    for at in range(0, len(ids), CHUNK):
        part = ids[at:at + CHUNK]
        have = set(conn.execute(sa.select(keys.c.company_id, keys.c.key).where(keys.c.company_id.in_(part))).all())
        new = [{"company_id": cid, "key": key} for cid in part for key in sorted(wanted[cid]) if (cid, key) not in have]
        if new:
            conn.execute(keys.insert(), new)


def downgrade() -> None:
    pass
