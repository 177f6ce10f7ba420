"""Search forgives spelling: each search document keeps the folded keys of its capitalised words.

`search_docs.folded` holds them (see store/search.py: "Deir ez-Zor", "Deir el-Zour" and "Dayr az
Zawr" all give `zqder zqzur`), filled here for the documents already stored. SQLite: the FTS5 index
`search_fts` is rebuilt with a third column, `folded`, and its triggers with it. PostgreSQL: the
generated `tsv` also takes the folded keys, with the 'simple' configuration (no stemming of keys).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import bindparam, select, update

from sitroom.store.schema import search_docs
from sitroom.store.search import folded_names

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_BATCH = 500
_FTS_COLUMNS = {"old": "title, body", "new": "title, body, folded"}
_TSV = {
    "old": "to_tsvector('english', sitroom_fold(coalesce(title, '') || ' ' || body))",
    "new": "to_tsvector('english', sitroom_fold(coalesce(title, '') || ' ' || body)) || to_tsvector('simple', coalesce(folded, ''))",
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _drop_fts()
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
        op.execute("ALTER TABLE search_docs DROP COLUMN tsv")
    op.add_column("search_docs", sa.Column("folded", sa.Text))
    _fill_folded()
    if bind.dialect.name == "sqlite":
        _create_fts("new")
    else:
        _create_tsv("new")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _drop_fts()
        with op.batch_alter_table("search_docs") as batch:
            batch.drop_column("folded")
        _create_fts("old")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
        op.execute("ALTER TABLE search_docs DROP COLUMN tsv")
        op.drop_column("search_docs", "folded")
        _create_tsv("old")


def _fill_folded() -> None:
    """The folded keys of every stored search document, in batches by rowid."""
    bind = op.get_bind()
    t = search_docs
    fill = update(t).where(t.c.rowid == bindparam("b_rowid")).values(folded=bindparam("b_folded"))
    last = 0
    while rows := bind.execute(select(t.c.rowid, t.c.title, t.c.body).where(t.c.rowid > last).order_by(t.c.rowid).limit(_BATCH)).all():
        bind.execute(fill, [{"b_rowid": r.rowid, "b_folded": folded_names(r.title, r.body)} for r in rows])
        last = rows[-1].rowid


def _drop_fts() -> None:
    for name in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_fts")


def _create_fts(which: str) -> None:
    """SQLite's external-content FTS5 index over search_docs, its sync triggers, and its contents."""
    cols = _FTS_COLUMNS[which]
    new = ", ".join(f"new.{c.strip()}" for c in cols.split(","))
    old = ", ".join(f"old.{c.strip()}" for c in cols.split(","))
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({cols}, content='search_docs', content_rowid='rowid', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN INSERT INTO search_fts(rowid, {cols}) VALUES (new.rowid, {new}); END")
    op.execute(
        f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {cols}) VALUES('delete', old.rowid, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {cols}) VALUES('delete', old.rowid, {old}); "
        f"INSERT INTO search_fts(rowid, {cols}) VALUES (new.rowid, {new}); END"
    )
    op.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")


def _create_tsv(which: str) -> None:
    """PostgreSQL's generated tsvector over search_docs and its GIN index."""
    op.execute(f"ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({_TSV[which]}) STORED")
    op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING GIN (tsv)")
