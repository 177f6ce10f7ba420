"""The PostgreSQL backend (`sitroom[postgres]`): a pooled engine, an advisory lock for writers, its index check."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine

from sitroom.errors import MissingExtra
from sitroom.store.sql import SqlStore

_WRITE_LOCK_KEY = 712001  # PostgreSQL advisory lock held by every sitroom write transaction


class PostgresStore(SqlStore):
    """A store in a PostgreSQL database, shared by many processes and hosts."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: F401  (the driver SQLAlchemy loads for postgresql+psycopg://)
        except ImportError as exc:
            raise MissingExtra("A PostgreSQL store", "postgres") from exc
        super().__init__(url)

    def _create_engine(self, url: str) -> Engine:
        """A pooled engine that checks a connection before handing it out (servers drop idle ones)."""
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)

    def _lock_writers(self, conn: Connection) -> None:
        """A transaction advisory lock: writers from every process queue on it, released at commit."""
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})

    def _database_problems(self, conn: Connection) -> list[str]:
        """Every index valid.

        PostgreSQL is crash-safe by its write-ahead log and has no cheap whole-database check
        without extensions; an index a failed concurrent build left behind is what can be found.
        """
        invalid = conn.execute(
            text("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                 "WHERE c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid")
        ).scalar_one()
        return [f"{invalid} invalid indexes"] if invalid else []
