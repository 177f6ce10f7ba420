"""Storage behind one interface, chosen by URL: SQLite by default, PostgreSQL for shared stores."""

from __future__ import annotations

import os
from pathlib import Path

from sitroom.errors import StoreError
from sitroom.store.base import EventQuery, Page, SearchHit, Store, StoreSnapshot
from sitroom.store.postgres import PostgresStore
from sitroom.store.sql import SqlStore
from sitroom.store.sqlite import SqliteStore

DEFAULT_DB = "sitroom.db"


def resolve_url(db: str | None) -> str:
    """The SQLAlchemy URL for `--db`: a URL, a file path, or `$SITROOM_DB`, else ./sitroom.db."""
    db = db or os.environ.get("SITROOM_DB") or DEFAULT_DB
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def open_store(db: str | None = None, *, migrate: bool = True) -> Store:
    """Open (and by default migrate) the store at `db`, on the backend its URL names; raises StoreError with what to do."""
    url = resolve_url(db)
    store: SqlStore
    if url.startswith("postgresql"):
        store = PostgresStore(url)
    elif url.startswith("sqlite"):
        if url.startswith("sqlite:///"):
            parent = Path(url.removeprefix("sqlite:///")).parent
            if not parent.is_dir():
                raise StoreError(f"cannot open the store at {url}: folder {parent} does not exist. Create it or change --db.")
        store = SqliteStore(url)
    else:
        raise StoreError(f"cannot open the store at {url}: sitroom stores are SQLite files or postgresql:// URLs. Change --db.")
    if migrate:
        store.migrate()
    return store


__all__ = ["EventQuery", "Page", "SearchHit", "Store", "StoreSnapshot", "open_store", "resolve_url"]
