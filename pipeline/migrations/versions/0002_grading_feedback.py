"""Grading history, contact log, do-not-contact list, export fingerprints, badges.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("badges", sa.JSON))
        batch.add_column(sa.Column("certifications", sa.JSON))
        batch.add_column(sa.Column("last_contact_at", TS))
        batch.add_column(sa.Column("last_visit_at", TS))
    with op.batch_alter_table("exported_companies") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(40)))
    op.create_table(
        "grade_history",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("company_id", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("grade", sa.String(1), nullable=False),
        sa.Column("previous_grade", sa.String(1)),
        sa.Column("score", sa.Float),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_grade_history"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE",
                                name="fk_grade_history_company_id_companies"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_grade_history_run_id_runs"),
    )
    op.create_index("ix_grade_history_company_id", "grade_history", ["company_id"])
    op.create_table(
        "contact_log",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("company_id", sa.Integer, nullable=False),
        sa.Column("contacted_at", TS, nullable=False),
        sa.Column("way", sa.String(16)),
        sa.Column("status_before", sa.String(16), nullable=False),
        sa.Column("status_after", sa.String(16), nullable=False),
        sa.Column("reason_category", sa.String(32)),
        sa.Column("reason", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("recorded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contact_log"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE",
                                name="fk_contact_log_company_id_companies"),
        sa.UniqueConstraint("company_id", "contacted_at", "status_after", "source",
                            name="uq_contact_log_company_id_contacted_at_status_after_source"),
    )
    op.create_index("ix_contact_log_company_id", "contact_log", ["company_id"])
    op.create_table(
        "do_not_contact",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("added_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_do_not_contact"),
    )


def downgrade() -> None:
    op.drop_table("do_not_contact")
    op.drop_table("contact_log")
    op.drop_table("grade_history")
    with op.batch_alter_table("exported_companies") as batch:
        batch.drop_column("fingerprint")
    with op.batch_alter_table("companies") as batch:
        for column in ("last_visit_at", "last_contact_at", "certifications", "badges"):
            batch.drop_column(column)
