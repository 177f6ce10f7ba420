"""A change log of the fused records, their first-seen and changed times, and id aliases.

A monitor asks "what changed since yesterday?" by when reports arrived, not by event date. Every
save now stamps each event, story and ceasefire with when it was first seen and last changed, and
appends one `record_changes` row per record it creates, updates or removes (with the top-level fields
that changed). `record_aliases` keeps the ids of records that were merged into another, so a link
someone bookmarked or cited still leads to the record that absorbed it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_RECORDS = ("events", "stories", "ceasefires")


def upgrade() -> None:
    bind = op.get_bind()
    for table in _RECORDS:
        op.add_column(table, sa.Column("first_seen", sa.String(32)))
        op.add_column(table, sa.Column("changed_at", sa.String(32)))
    op.add_column("ceasefires", sa.Column("payload_hash", sa.String(64)))
    # Records saved before this migration: the best we know is when their newest article arrived.
    stamp = "(SELECT MAX(ingested_at) FROM articles)"
    for table in _RECORDS:
        bind.exec_driver_sql(f"UPDATE {table} SET first_seen = {stamp}, changed_at = {stamp}")
    op.create_table(
        "record_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_record_changes_at", "record_changes", ["at", "kind"])
    op.create_index("ix_record_changes_record", "record_changes", ["kind", "record_id"])
    op.create_table(
        "record_aliases",
        sa.Column("alias", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_record_aliases_record", "record_aliases", ["kind", "record_id"])


def downgrade() -> None:
    op.drop_table("record_aliases")
    op.drop_table("record_changes")
    op.drop_column("ceasefires", "payload_hash")
    for table in _RECORDS:
        op.drop_column(table, "changed_at")
        op.drop_column(table, "first_seen")
