"""The corpus layer's own tables: reports by blocking keys, the duplicate index, truce notes.

The corpus stage used to be recomputed from every stored analysis on each ingest (22 s for one new
article on a store of 1,200 notes). Now what it decides is kept in the store and updated for the
articles a batch touches: each report is a row indexed by its fusion blocking keys (family, country,
date window) with the event it belongs to; each sentence points at its exact-copy unit, units carry
their MinHash band keys and their duplicate group, cited sentences keep their embedding; each
article's truce notes are computed at analysis time and stored.

Stores made before this migration fill these tables on their next `sitroom rebuild` (or ingest:
the corpus layer notices that no report was indexed and rebuilds once).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("events", sa.Column("ceasefire_id", sa.String(64)))
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("UPDATE events SET ceasefire_id = json_extract(payload, '$.ceasefire_id')")
    else:
        bind.exec_driver_sql("UPDATE events SET ceasefire_id = payload::json ->> 'ceasefire_id'")
    op.create_index("ix_events_ceasefire", "events", ["ceasefire_id"])
    op.create_table(
        "reports",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("article_id", sa.String(200), nullable=False),
        sa.Column("family", sa.String(64), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("date_lo", sa.String(10)),
        sa.Column("date_hi", sa.String(10)),
        sa.Column("event_id", sa.String(64)),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_index("ix_reports_block", "reports", ["family", "country", "date_lo", "date_hi"])
    op.create_index("ix_reports_article", "reports", ["article_id"])
    op.create_index("ix_reports_event", "reports", ["event_id"])
    op.create_table(
        "dup_units",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("digest", sa.String(32), nullable=False, unique=True),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("first_article", sa.String(200), nullable=False),
        sa.Column("spans", sa.Integer, nullable=False),
        sa.Column("near_group", sa.Integer, nullable=False),
        sa.Column("all_group", sa.Integer, nullable=False),
    )
    op.create_index("ix_dup_units_near", "dup_units", ["near_group"])
    op.create_index("ix_dup_units_all", "dup_units", ["all_group"])
    op.create_table(
        "dup_sentences",
        sa.Column("article_id", sa.String(200), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("stop", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.Column("cited", sa.Integer, nullable=False),
    )
    op.create_index("ix_dup_sentences_unit", "dup_sentences", ["unit_id"])
    op.create_table(
        "dup_bands",
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("unit_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "unit_id"),
    )
    op.create_table(
        "dup_vectors",
        sa.Column("unit_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "dup_pending",
        sa.Column("unit_a", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("unit_b", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_table(
        "dup_group_rows",
        sa.Column("all_group", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("row_id", sa.String(64), primary_key=True),
    )
    op.create_table(
        "story_digests",
        sa.Column("article_id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("heading", sa.Text),
        sa.Column("packed", sa.LargeBinary, nullable=False),
        sa.Column("published", sa.String(10)),
    )
    op.create_table(
        "truce_notes",
        sa.Column("article_id", sa.String(200), primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_index("ix_events_ceasefire", table_name="events")
    op.drop_column("events", "ceasefire_id")
    for table in ("truce_notes", "story_digests", "dup_group_rows", "dup_pending", "dup_vectors", "dup_bands", "dup_sentences", "dup_units", "reports"):
        op.drop_table(table)
