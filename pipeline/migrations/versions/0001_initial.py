"""Initial customer store: runs, companies, sources, keys, evidence, exports.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("flow", sa.String(64), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stats", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("legal_form", sa.String(64)),
        sa.Column("contact_name", sa.Text),
        sa.Column("contact_title", sa.Text),
        sa.Column("phone", sa.String(32)),
        sa.Column("mobile", sa.String(32)),
        sa.Column("fax", sa.String(32)),
        sa.Column("email", sa.Text),
        sa.Column("website", sa.Text),
        sa.Column("domain", sa.String(255)),
        sa.Column("street", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("region", sa.Text),
        sa.Column("postcode", sa.String(32)),
        sa.Column("country", sa.String(2)),
        sa.Column("business_type", sa.Text),
        sa.Column("main_products", sa.JSON, nullable=False),
        sa.Column("year_founded", sa.Integer),
        sa.Column("employees", sa.String(32)),
        sa.Column("phones", sa.JSON, nullable=False),
        sa.Column("emails", sa.JSON, nullable=False),
        sa.Column("keyword_sets", sa.JSON, nullable=False),
        sa.Column("sites", sa.JSON, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("grade", sa.String(1)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("created_run_id", sa.Integer),
        sa.Column("updated_run_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_companies"),
        sa.ForeignKeyConstraint(["created_run_id"], ["runs.id"], name="fk_companies_created_run_id_runs"),
        sa.ForeignKeyConstraint(["updated_run_id"], ["runs.id"], name="fk_companies_updated_run_id_runs"),
    )
    op.create_index("ix_companies_name_key", "companies", ["name_key"])
    op.create_index("ix_companies_domain", "companies", ["domain"])
    op.create_index("ix_companies_country", "companies", ["country"])
    op.create_index("ix_companies_grade", "companies", ["grade"])

    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("company_id", sa.Integer, nullable=False),
        sa.Column("site", sa.String(64), nullable=False),
        sa.Column("listing", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("keyword_set", sa.String(128)),
        sa.Column("keyword", sa.Text),
        sa.Column("language", sa.String(16)),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("seen_at", TS, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("lead", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE",
                                name="fk_sources_company_id_companies"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_sources_run_id_runs"),
        sa.UniqueConstraint("site", "listing", name="uq_sources_site_listing"),
    )
    op.create_index("ix_sources_company_id", "sources", ["company_id"])

    op.create_table(
        "company_keys",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("company_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "company_id", name="pk_company_keys"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE",
                                name="fk_company_keys_company_id_companies"),
    )
    op.create_index("ix_company_keys_company_id", "company_keys", ["company_id"])

    op.create_table(
        "match_evidence",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("company_id", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("left_ref", sa.Text, nullable=False),
        sa.Column("right_ref", sa.Text, nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_match_evidence"),
        sa.UniqueConstraint("company_id", "left_ref", "right_ref", "rule",
                            name="uq_match_evidence_company_id_left_ref_right_ref_rule"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE",
                                name="fk_match_evidence_company_id_companies"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_match_evidence_run_id_runs"),
    )
    op.create_index("ix_match_evidence_company_id", "match_evidence", ["company_id"])

    op.create_table(
        "exports",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("recipient", sa.String(128), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_exports"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_exports_run_id_runs"),
    )
    op.create_table(
        "exported_companies",
        sa.Column("recipient", sa.String(128), nullable=False),
        sa.Column("company_id", sa.Integer, nullable=False),
        sa.Column("export_id", sa.Integer, nullable=False),
        sa.Column("exported_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("recipient", "company_id", name="pk_exported_companies"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE",
                                name="fk_exported_companies_company_id_companies"),
        sa.ForeignKeyConstraint(["export_id"], ["exports.id"], name="fk_exported_companies_export_id_exports"),
    )


def downgrade() -> None:
    for table in ("exported_companies", "exports", "match_evidence", "company_keys", "sources",
                  "companies", "runs"):
        op.drop_table(table)
