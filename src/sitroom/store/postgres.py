"""The PostgreSQL backend (`sitroom[postgres]`): a pooled engine, an advisory lock for writers, tsquery search, its index check."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine

from sitroom.errors import MissingExtra
from sitroom.store.search import Clause, Hit
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

    def _ranked_hits(self, conn: Connection, clauses: list[Clause], limit: int) -> list[Hit]:
        """The best `limit` matches by ts_rank, each with its headline."""
        tsquery, params = pg_query(clauses)
        rows = conn.execute(
            text(
                "SELECT kind, ref_id, title, ts_headline('english', body, q, 'StartSel=[,StopSel=],MaxWords=24') AS snip, "
                f"ts_rank(tsv, q) AS score FROM search_docs, ({'SELECT ' + tsquery + ' AS q'}) query "
                "WHERE tsv @@ q ORDER BY score DESC, kind, ref_id LIMIT :n"
            ),
            {**params, "n": limit},
        ).all()
        return [(r.kind, r.ref_id, r.title, r.snip, float(r.score)) for r in rows]

    def _documents_holding(self, conn: Connection, word: str, cap: int) -> int:
        sql = text("SELECT count(*) FROM (SELECT 1 FROM search_docs WHERE tsv @@ to_tsquery('english', :w) LIMIT :n) s")
        return int(conn.execute(sql, {"w": word, "n": cap}).scalar_one())

    def _articles_ranked_for_any(self, conn: Connection, words: Sequence[str], limit: int) -> list[str]:
        """Ids of the articles ts_rank ranks best for any of these plain words."""
        sql = text(
            "SELECT ref_id FROM search_docs, to_tsquery('english', :q) q WHERE kind = 'article' AND tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC LIMIT :n"
        )
        return [r[0] for r in conn.execute(sql, {"q": " | ".join(words), "n": limit})]


def pg_query(clauses: list[Clause]) -> tuple[str, dict]:
    """A tsquery expression over bound parameters: English for text, 'simple' for folded keys."""
    parts, params = [], {}
    for i, clause in enumerate(clauses):
        options = []
        for j, t in enumerate(clause.alternatives):
            name = f"t{i}_{j}"
            params[name] = " ".join(t.words)
            options.append(f"plainto_tsquery('simple', :{name})" if t.folded else f"phraseto_tsquery('english', sitroom_fold(:{name}))")
        parts.append("(" + " || ".join(options) + ")")
    return " && ".join(parts), params
