"""Storage behind one interface, chosen by URL: SQLite by default, PostgreSQL for shared stores."""

from __future__ import annotations

import os
from pathlib import Path

from sitroom.errors import MissingExtra, StoreError
from sitroom.store.base import EventQuery, Page, SearchHit, Store

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
    """Open (and by default migrate) the store at `db`; raises StoreError with what to do."""
    url = resolve_url(db)
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise MissingExtra("A PostgreSQL store", "postgres") from exc
    elif url.startswith("sqlite:///"):
        parent = Path(url.removeprefix("sqlite:///")).parent
        if not parent.is_dir():
            raise StoreError(f"cannot open the store at {url}: folder {parent} does not exist. Create it or change --db.")
    from sitroom.store.sql import SqlStore

    store = SqlStore(url)
    if migrate:
        store.migrate()
    return store


__all__ = ["EventQuery", "Page", "SearchHit", "Store", "open_store", "resolve_url"]
