"""Tables of the customer store (SQLAlchemy Core).

The Alembic migrations in ``pipeline/migrations`` create these tables; this
module is what the code reads and writes through. A migration test checks the
two agree.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

TS = sa.DateTime(timezone=True)

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("flow", sa.String(64), nullable=False),
    sa.Column("started_at", TS, nullable=False),
    sa.Column("finished_at", TS),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("stats", sa.JSON, nullable=False, default=dict),
)

companies = sa.Table(
    "companies", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False, index=True),
    sa.Column("legal_form", sa.String(64)),
    sa.Column("contact_name", sa.Text),
    sa.Column("contact_title", sa.Text),
    sa.Column("phone", sa.String(32)),
    sa.Column("mobile", sa.String(32)),
    sa.Column("fax", sa.String(32)),
    sa.Column("email", sa.Text),
    sa.Column("website", sa.Text),
    sa.Column("domain", sa.String(255), index=True),
    sa.Column("street", sa.Text),
    sa.Column("city", sa.Text),
    sa.Column("region", sa.Text),
    sa.Column("postcode", sa.String(32)),
    sa.Column("country", sa.String(2), index=True),
    sa.Column("business_type", sa.Text),
    sa.Column("main_products", sa.JSON, nullable=False, default=list),
    sa.Column("year_founded", sa.Integer),
    sa.Column("employees", sa.String(32)),
    sa.Column("phones", sa.JSON, nullable=False, default=list),
    sa.Column("emails", sa.JSON, nullable=False, default=list),
    sa.Column("keyword_sets", sa.JSON, nullable=False, default=list),
    sa.Column("sites", sa.JSON, nullable=False, default=list),
    sa.Column("score", sa.Float),
    sa.Column("grade", sa.String(1), index=True),
    sa.Column("status", sa.String(16), nullable=False, default="potential"),
    sa.Column("first_seen", TS, nullable=False),
    sa.Column("last_seen", TS, nullable=False),
    sa.Column("created_run_id", sa.Integer, sa.ForeignKey("runs.id")),
    sa.Column("updated_run_id", sa.Integer, sa.ForeignKey("runs.id")),
    # since 0002: standing and contact history
    sa.Column("badges", sa.JSON),
    sa.Column("certifications", sa.JSON),
    sa.Column("last_contact_at", TS),
    sa.Column("last_visit_at", TS),
    # since 0003: a night's name-and-place lookups read names from this index, not from the table
    sa.Index("ix_companies_id_name_key", "id", "name_key"),
)

# One row per listing (site + its path there): the leads behind each company, as normalised.
sources = sa.Table(
    "sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("site", sa.String(64), nullable=False),
    sa.Column("listing", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("keyword_set", sa.String(128)),
    sa.Column("keyword", sa.Text),
    sa.Column("language", sa.String(16)),
    sa.Column("first_seen", TS, nullable=False),
    sa.Column("seen_at", TS, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
    sa.Column("lead", sa.JSON, nullable=False),
    sa.UniqueConstraint("site", "listing"),
)

# Matching keys of each company (domain:, phone:, email:, nc:/np: name word and place), so a
# night's batch finds its candidates through an index instead of a full scan. A lookup index
# written with its company in one transaction: no foreign key since 0003 (see there).
company_keys = sa.Table(
    "company_keys", metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("company_id", sa.Integer, primary_key=True, index=True),
)

match_evidence = sa.Table(
    "match_evidence", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
    sa.Column("left_ref", sa.Text, nullable=False),
    sa.Column("right_ref", sa.Text, nullable=False),
    sa.Column("rule", sa.String(64), nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.UniqueConstraint("company_id", "left_ref", "right_ref", "rule"),
)

exports = sa.Table(
    "exports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("recipient", sa.String(128), nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
)

# Which company went to which recipient: "new" means not in here for that recipient.
exported_companies = sa.Table(
    "exported_companies", metadata,
    sa.Column("recipient", sa.String(128), primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("export_id", sa.Integer, sa.ForeignKey("exports.id"), nullable=False),
    sa.Column("exported_at", TS, nullable=False),
    sa.Column("fingerprint", sa.String(40)),  # since 0002: what was sent, to find changes
)

# Every grade a company was given, when it changed (and the first one).
grade_history = sa.Table(
    "grade_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
    sa.Column("grade", sa.String(1), nullable=False),
    sa.Column("previous_grade", sa.String(1)),
    sa.Column("score", sa.Float),
    sa.Column("at", TS, nullable=False),
)

# The development record: every contact sales reported, successful or not.
contact_log = sa.Table(
    "contact_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("contacted_at", TS, nullable=False),
    sa.Column("way", sa.String(16)),
    sa.Column("status_before", sa.String(16), nullable=False),
    sa.Column("status_after", sa.String(16), nullable=False),
    sa.Column("reason_category", sa.String(32)),
    sa.Column("reason", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("recorded_at", TS, nullable=False),
    sa.UniqueConstraint("company_id", "contacted_at", "status_after", "source"),
)

# Never contact these again: leads matching any entry are invalid and never exported.
do_not_contact = sa.Table(
    "do_not_contact", metadata,
    sa.Column("key", sa.String(300), primary_key=True),  # domain:x, email:x, phone:+x
    sa.Column("reason", sa.Text),
    sa.Column("added_at", TS, nullable=False),
)
