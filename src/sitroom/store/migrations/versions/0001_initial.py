"""Initial schema: articles, rejections, fused records and the full-text index.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("origin", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("analysis", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("story_id", sa.String(64)),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(64), nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("country", sa.String(2)),
        sa.Column("place", sa.Text),
        sa.Column("actors", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("fatalities_best", sa.Integer),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_type", "events", ["event_type"])
    op.create_index("ix_events_story", "events", ["story_id"])
    op.create_index("ix_events_country", "events", ["country"])
    op.create_table(
        "event_articles",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("article_id", sa.String(200), primary_key=True),
    )
    op.create_index("ix_event_articles_article", "event_articles", ["article_id"])
    op.create_table(
        "stories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("last_date", sa.String(10)),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.String(64), primary_key=True),
        sa.Column("article_id", sa.String(200), primary_key=True),
    )
    op.create_index("ix_story_articles_article", "story_articles", ["article_id"])
    op.create_table(
        "duplicates",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "ceasefires",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "search_docs",
        sa.Column("rowid", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.String(200), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_search_docs_ref", "search_docs", ["kind", "ref_id"], unique=True)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # External-content FTS5 index over search_docs, kept in sync by triggers.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_docs', "
            "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
            "INSERT INTO search_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body); END"
        )
        op.execute(
            "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES('delete', old.rowid, old.title, old.body); END"
        )
        op.execute(
            "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES('delete', old.rowid, old.title, old.body); "
            "INSERT INTO search_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || body)) STORED"
        )
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING GIN (tsv)")


def downgrade() -> None:
    for name in ("search_docs", "ceasefires", "duplicates", "story_articles", "stories",
                 "event_articles", "events", "rejections", "articles"):
        op.drop_table(name)
    op.execute("DROP TABLE IF EXISTS search_fts")
