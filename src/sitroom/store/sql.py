"""The SQL store (SQLite by default, PostgreSQL by URL) on SQLAlchemy 2 Core with Alembic migrations."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import (
    and_, case, create_engine, delete, event, func, insert, literal, literal_column, or_, select, text, tuple_, update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select

from sitroom import codec
from sitroom.errors import StoreError
from sitroom.model import Article, ArticleAnalysis, Ceasefire, DuplicateGroup, Event, Rejection, Story
from sitroom.store import schema
from sitroom.store.base import EventQuery, Page, RecordChange, ResultsDiff, SearchHit, Store, StoredRecord
from sitroom.store.changes import change_row
from sitroom.store.corpus import CorpusSession
from sitroom.store.search import run_search, search_doc

_MIGRATIONS = Path(__file__).parent / "migrations"
_CHUNK = 500  # ids per IN (...) clause: well under SQLite's variable limit
_WRITE_LOCK_KEY = 712001  # PostgreSQL advisory lock held by every sitroom write transaction
# A filter the trigram or R*Tree index narrows to at most this many candidates is counted on them
# (a few ms); past it, counting scans a narrow index (~10 ms at 100,000 events), which costs less.
_FEW_MATCHES = 10_000
_LISTING_ORDER = (schema.events.c.date.is_(None), schema.events.c.date, schema.events.c.id)  # = ix_events_listing's lead


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _digest(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class SqlStore(Store):
    """A store on any SQLAlchemy engine; dialect differences are confined to full-text search."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._write_lock = threading.Lock()  # one writer at a time, reads run in parallel
        self._loaded = threading.local()  # per thread: the articles version its last iter_analyses read
        try:
            if url.startswith("sqlite"):
                self.engine: Engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            self.dialect = self.engine.dialect.name
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store at {url}: {exc}. Check the --db URL.") from exc

    # -- life cycle ---------------------------------------------------------------------------
    def migrate(self) -> None:
        """Run Alembic's upgrade to head on this store."""
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        try:
            with self._writing() as conn:  # concurrent first runs would race to create tables
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot migrate the store at {self.url}: {exc}. "
                "Is it a sitroom store and writable? Point --db at a new file to start afresh."
            ) from exc

    def close(self) -> None:
        """Dispose of the connection pool."""
        self.engine.dispose()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction that no other writer, thread or process, overlaps.

        Writes read before they write (which ids exist, which payloads changed), so two writers
        interleaving would insert the same rows twice. Threads queue on `_write_lock`; processes
        on SQLite's write lock (`BEGIN IMMEDIATE`) or a PostgreSQL transaction advisory lock.
        """
        with self._write_lock, self.engine.connect() as conn:
            conn.execution_options(sitroom_write=True)
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})
                yield conn

    def integrity_check(self) -> list[str]:
        """The database's own check, then sitroom's consistency rules: links, search entries, versions.

        SQLite: `PRAGMA integrity_check` and FTS5's check that the index matches its rows.
        PostgreSQL (crash-safe by its write-ahead log) has no cheap whole-database check without
        extensions; there, every index must at least be valid.
        """
        problems: list[str] = []
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
                if rows != ["ok"]:
                    problems.extend(rows)
                problems.extend(self._fts_problems())
            else:
                invalid = conn.execute(
                    text("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                         "WHERE c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid")
                ).scalar_one()
                if invalid:
                    problems.append(f"{invalid} invalid indexes")
            for links, owners, key in (
                (schema.event_articles, schema.events, "event_id"),
                (schema.story_articles, schema.stories, "story_id"),
            ):
                orphans = conn.execute(
                    select(func.count()).select_from(links).where(~links.c[key].in_(select(owners.c.id)))
                ).scalar_one()
                if orphans:
                    problems.append(f"{orphans} {links.name} rows point at missing {owners.name}")
            docs = schema.search_docs
            for kind, table in (("article", schema.articles), ("event", schema.events), ("story", schema.stories)):
                of_kind = select(docs.c.ref_id).where(docs.c.kind == kind)
                unindexed = conn.execute(select(func.count()).select_from(table).where(~table.c.id.in_(of_kind))).scalar_one()
                stray = conn.execute(
                    select(func.count()).select_from(docs).where(docs.c.kind == kind, ~docs.c.ref_id.in_(select(table.c.id)))
                ).scalar_one()
                if unindexed:
                    problems.append(f"{unindexed} {table.name} have no search entry")
                if stray:
                    problems.append(f"{stray} search entries point at missing {table.name}")
            if self.dialect == "sqlite":  # each event has one row in event_terms, which the place/actor/bbox indexes point into
                tt, t = schema.event_terms, schema.events
                unlisted = conn.execute(select(func.count()).select_from(t).where(~t.c.id.in_(select(tt.c.event_id)))).scalar_one()
                stray = conn.execute(select(func.count()).select_from(tt).where(~tt.c.event_id.in_(select(t.c.id)))).scalar_one()
                if unlisted:
                    problems.append(f"{unlisted} events have no event_terms row")
                if stray:
                    problems.append(f"{stray} event_terms rows point at missing events")
            articles_version, results_version = _state(conn, "articles_version"), _state(conn, "results_version")
            if results_version > articles_version:
                problems.append(f"fused records claim articles version {results_version}, newer than {articles_version}")
        return problems

    def _fts_problems(self) -> list[str]:
        """FTS5's own check that its indexes match search_docs and event_terms (SQLite only).

        The check is written as an INSERT, so it runs as a writer: queued behind other writers
        rather than failing as "locked" when one commits during the check.
        """
        problems = []
        for index, rows in (("search_fts", "search_docs"), ("event_terms_fts", "event_terms")):
            try:
                with self._writing() as conn:
                    conn.execute(text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"))
            except SQLAlchemyError as exc:
                problems.append(f"the full-text index {index} does not match {rows}: {exc.orig}")
        return problems

    # -- articles -----------------------------------------------------------------------------
    def known_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Stored content hash per article id."""
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                rows = conn.execute(
                    select(schema.articles.c.id, schema.articles.c.content_hash).where(schema.articles.c.id.in_(chunk))
                )
                out.update({r.id: r.content_hash for r in rows})
        return out

    def save_analyses(self, analyses: Sequence[ArticleAnalysis], rejections: Sequence[Rejection] = ()) -> None:
        """Insert or replace these articles and record these rejections, all in one transaction."""
        now = _now()
        article_rows, search_rows = [], []
        for analysis in analyses:
            art = analysis.article
            payload = codec.to_jsonable(analysis)
            payload["article"]["text"] = None  # the text has its own column; don't store it twice
            article_rows.append(
                {
                    "id": art.id,
                    "content_hash": art.content_hash,
                    "title": art.title,
                    "url": art.url,
                    "source": art.source,
                    "published": art.published.isoformat() if art.published else None,
                    "origin": art.origin,
                    "text": art.text,
                    "analysis": json.dumps(payload, ensure_ascii=False),
                    "ingested_at": now,
                }
            )
            search_rows.append(search_doc("article", art.id, art.title, art.text))
        ids = [r["id"] for r in article_rows]
        try:
            with self._writing() as conn:
                for chunk in _chunks(ids):
                    conn.execute(delete(schema.articles).where(schema.articles.c.id.in_(chunk)))
                    conn.execute(
                        delete(schema.search_docs).where(
                            and_(schema.search_docs.c.kind == "article", schema.search_docs.c.ref_id.in_(chunk))
                        )
                    )
                if article_rows:
                    conn.execute(insert(schema.articles), article_rows)
                    conn.execute(insert(schema.search_docs), search_rows)
                    conn.execute(
                        update(schema.store_state)
                        .where(schema.store_state.c.key == "articles_version")
                        .values(value=schema.store_state.c.value + 1)
                    )
                new_rejections = _unrecorded(conn, rejections)
                if new_rejections:
                    conn.execute(
                        insert(schema.rejections),
                        [{"origin": r.origin, "reason": r.reason, "detail": r.detail, "at": now} for r in new_rejections],
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"could not write {len(ids)} articles to {self.url}: {exc}") from exc

    def iter_analyses(self) -> Iterator[ArticleAnalysis]:
        """Stored analyses with their article text restored, by article id.

        Remembers (per thread) which articles version it read, so that `save_results` can tell
        whether the records computed from them are already out of date.
        """
        with self.engine.connect() as conn, _one_pass_reads(conn):
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")  # the version and the rows: one snapshot
            self._loaded.version = _state(conn, "articles_version")
            # 100 rows (text and analysis JSON, ~40 KB each) in the driver's buffer at a time, not 500.
            rows = conn.execution_options(stream_results=True, yield_per=100).execute(
                select(schema.articles.c.text, schema.articles.c.analysis).order_by(schema.articles.c.id)
            )
            for row in rows:
                data = json.loads(row.analysis)
                data["article"]["text"] = row.text
                yield codec.from_jsonable(ArticleAnalysis, data)

    def get_article(self, article_id: str) -> dict | None:
        """One article with its text."""
        with self.engine.connect() as conn:
            row = conn.execute(select(*_article_columns(), schema.articles.c.text).where(schema.articles.c.id == article_id)).first()
        return dict(row._mapping) if row else None

    def list_articles(self, limit: int = 100, offset: int = 0, story_id: str | None = None) -> Page:
        """Articles without text, newest published first."""
        query = select(*_article_columns())
        count = select(func.count()).select_from(schema.articles)
        if story_id:
            members = select(schema.story_articles.c.article_id).where(schema.story_articles.c.story_id == story_id)
            query = query.where(schema.articles.c.id.in_(members))
            count = count.where(schema.articles.c.id.in_(members))
        # nulls_last: PostgreSQL would otherwise list undated records first, SQLite last.
        query = query.order_by(schema.articles.c.published.desc().nulls_last(), schema.articles.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            items = [dict(r._mapping) for r in conn.execute(query)]
            total = conn.execute(count).scalar_one()
        return Page(items, total, limit, offset)

    def list_rejections(self, limit: int = 100, offset: int = 0) -> Page:
        """Skipped inputs, newest first."""
        t = schema.rejections
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.origin, t.c.reason, t.c.detail, t.c.at).order_by(t.c.id.desc()).limit(limit).offset(offset))
            items = [dict(r._mapping) for r in rows]
            total = conn.execute(select(func.count()).select_from(t)).scalar_one()
        return Page(items, total, limit, offset)

    # -- fused results ------------------------------------------------------------------------
    def save_results(
        self,
        events: Sequence[Event],
        stories: Sequence[Story],
        duplicates: Sequence[DuplicateGroup],
        ceasefires: Sequence[Ceasefire] = (),
        *,
        aliases: Mapping[str, Mapping[str, str]] | None = None,
    ) -> ResultsDiff:
        """Write only the events and stories whose record changed; drop those that no longer exist.

        Records computed from analyses that this thread read (`iter_analyses`) are not written when
        another writer has stored articles since: they are already out of date, and that writer's
        own results (which include its articles) will replace them. `results_outdated` says so
        if that writer died first. Every record written or removed gets a `record_changes` row;
        `aliases` (kind -> {old id: id that absorbed it}) records merges, so old ids keep resolving.
        """
        event_rows = (_event_row(e) for e in events)  # made one at a time as `_sync` compares them
        event_dates = {e.id: e.date.isoformat() for e in events if e.date}  # one pass, not one per story
        story_rows = (_story_row(s, event_dates) for s in stories)
        ceasefire_rows = (_ceasefire_row(c) for c in ceasefires)
        computed_from = getattr(self._loaded, "version", None)
        self._loaded.version = None
        aliases = aliases or {}
        now = _now()
        try:
            with self._writing() as conn:
                current = _state(conn, "articles_version")
                if computed_from is not None and computed_from != current:
                    return ResultsDiff(0, 0, 0, 0)
                self._save_aliases(conn, aliases, now)
                ev_written, ev_removed = self._sync(conn, schema.events, event_rows, "event", now, aliases.get("event", {}))
                st_written, st_removed = self._sync(conn, schema.stories, story_rows, "story", now, aliases.get("story", {}))
                self._sync(conn, schema.ceasefires, ceasefire_rows, "ceasefire", now, aliases.get("ceasefire", {}))
                self._sync_links(conn, schema.event_articles, "event_id", {e.id: e.article_ids for e in events})
                self._sync_links(conn, schema.story_articles, "story_id", {s.id: s.article_ids for s in stories})
                conn.execute(delete(schema.duplicates))
                rows = _duplicate_rows(duplicates)
                # A chunk of rows at a time: the JSON of every group at once is the save's largest part.
                while chunk := list(itertools.islice(rows, _CHUNK)):
                    conn.execute(insert(schema.duplicates), chunk)
                conn.execute(
                    update(schema.store_state).where(schema.store_state.c.key == "results_version").values(value=current)
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"could not write fused records to {self.url}: {exc}") from exc
        return ResultsDiff(ev_written, ev_removed, st_written, st_removed)

    def _save_aliases(self, conn, aliases: Mapping[str, Mapping[str, str]], now: str) -> None:
        """Record merged ids; an alias of an alias is pointed at the final record, so lookups take one step."""
        t = schema.record_aliases
        for kind, mapping in aliases.items():
            for old, new in mapping.items():
                if old == new:
                    continue
                conn.execute(update(t).where(and_(t.c.kind == kind, t.c.record_id == old)).values(record_id=new))
                conn.execute(delete(t).where(t.c.alias == old))
                conn.execute(insert(t).values(alias=old, kind=kind, record_id=new, at=now))
            # A record that exists again under its own id is no longer an alias.
            for chunk in _chunks(sorted(set(mapping.values()))):
                conn.execute(delete(t).where(and_(t.c.kind == kind, t.c.alias.in_(chunk))))

    @contextlib.contextmanager
    def corpus_session(self) -> Iterator[CorpusSession]:
        """One write transaction for a corpus update (sitroom.corpus): every read and write of it, or none."""
        try:
            with self._writing() as conn:
                yield CorpusSession(conn, _now())
        except SQLAlchemyError as exc:
            raise StoreError(f"could not update the fused records in {self.url}: {exc}") from exc

    def resolve_alias(self, kind: str, record_id: str) -> str | None:
        """The id of the record that absorbed `record_id` when it was merged, if it was."""
        t = schema.record_aliases
        with self.engine.connect() as conn:
            return conn.execute(select(t.c.record_id).where(and_(t.c.kind == kind, t.c.alias == record_id))).scalar()

    def changes_since(self, since: str, kinds: Sequence[str] = (), limit: int = 10_000) -> list[RecordChange]:
        """Changes saved at or after `since` (ISO 8601, UTC), oldest first."""
        t = schema.record_changes
        sel = select(t).where(t.c.at >= since).order_by(t.c.id).limit(limit)
        if kinds:
            sel = sel.where(t.c.kind.in_(list(kinds)))
        with self.engine.connect() as conn:
            rows = conn.execute(sel).all()
        return [
            RecordChange(r.at, r.kind, r.record_id, r.change, tuple(json.loads(r.fields)), json.loads(r.detail) if r.detail else {})
            for r in rows
        ]

    def results_outdated(self) -> bool:
        """Whether articles were stored after the fused records were last computed."""
        with self.engine.connect() as conn:
            return _state(conn, "articles_version") != _state(conn, "results_version")

    def _sync(self, conn, table, rows: Iterable[dict], kind: str, now: str, merged: Mapping[str, str] = {}) -> tuple[int, int]:
        """Make `table` hold exactly `rows`, writing only rows whose payload hash changed, and log each change.

        `rows` may be a generator: each row is made, compared and, if changed, written with a
        chunk of others, so only one chunk's JSON is held at a time (every event's JSON at once
        was the save's largest part at 100,000 articles). A rewritten row keeps its `first_seen`.
        """
        existing = {r.id: (r.payload_hash, r.first_seen) for r in conn.execute(select(table.c.id, table.c.payload_hash, table.c.first_seen))}
        wanted: set[str] = set()
        changed: list[dict] = []
        written = 0
        searchable = kind != "ceasefire"

        def write() -> None:
            replaced = [row["id"] for row in changed if row["id"] in existing]
            before = self._payloads(conn, table, replaced)
            self._delete_rows(conn, table, kind, replaced)
            log = [change_row(now, kind, row["id"], before.get(row["id"]), row["payload"]) for row in changed]
            docs = [_search_doc(kind, row) for row in changed]  # pops the non-column keys
            conn.execute(insert(table), changed)
            if searchable:
                conn.execute(insert(schema.search_docs), docs)
            conn.execute(insert(schema.record_changes), log)
            changed.clear()

        for row in rows:
            if row["id"] in wanted:
                continue  # ids are unique by construction; should one repeat, the first is kept, not the save failed
            wanted.add(row["id"])
            old_hash, first_seen = existing.get(row["id"], (None, None))
            if old_hash != row["payload_hash"]:
                row["first_seen"], row["changed_at"] = first_seen or now, now
                changed.append(row)
                written += 1
                if len(changed) >= _CHUNK:
                    write()
        if changed:
            write()
        stale = [i for i in existing if i not in wanted]
        if stale:
            before = self._payloads(conn, table, stale)
            log = [change_row(now, kind, i, before.get(i), None, "merged" if i in merged else "removed") for i in stale]
            conn.execute(insert(schema.record_changes), log)
        self._delete_rows(conn, table, kind, stale)
        return written, len(stale)

    @staticmethod
    def _payloads(conn, table, ids: Sequence[str]) -> dict[str, str]:
        """The stored JSON of these records."""
        out: dict[str, str] = {}
        for chunk in _chunks(ids):
            out.update((r.id, r.payload) for r in conn.execute(select(table.c.id, table.c.payload).where(table.c.id.in_(chunk))))
        return out

    @staticmethod
    def _delete_rows(conn, table, kind: str, ids: Sequence[str]) -> None:
        """Delete the rows `ids` of `table` and their search documents."""
        for chunk in _chunks(ids):
            conn.execute(delete(table).where(table.c.id.in_(chunk)))
            conn.execute(
                delete(schema.search_docs).where(and_(schema.search_docs.c.kind == kind, schema.search_docs.c.ref_id.in_(chunk)))
            )

    def _sync_links(self, conn, table, key: str, links: dict[str, Sequence[str]]) -> None:
        """Replace the link rows of `table` with `links` (owner id -> article ids)."""
        wanted = {(owner, art) for owner, arts in links.items() for art in arts}
        existing = {(r[0], r[1]) for r in conn.execute(select(table.c[key], table.c.article_id))}
        for owner, art in existing - wanted:
            conn.execute(delete(table).where(and_(table.c[key] == owner, table.c.article_id == art)))
        new = sorted(wanted - existing)
        if new:
            conn.execute(insert(table), [{key: o, "article_id": a} for o, a in new])

    def query_events(self, query: EventQuery) -> Page:
        """Events matching every given filter, by date then id."""
        page = self.query_event_json(query)
        return replace(page, items=[json.loads(record.json) for record in page.items])

    def query_event_json(self, query: EventQuery) -> Page:
        """`query_events` with each item a StoredRecord: the stored JSON text, not decoded."""
        t = schema.events
        where = _event_filter(query)
        with self.engine.connect() as conn:
            # Ids first, from an index; then only this page's payloads: no sort or skip carries JSON.
            found = _indexed_page(conn, query, where) if self.dialect == "sqlite" else None
            ids, total = found if found is not None else _listing_page(conn, query, where)
            payloads: dict[str, str] = {}
            for chunk in _chunks(ids):
                payloads.update((r.id, r.payload) for r in conn.execute(select(t.c.id, t.c.payload).where(t.c.id.in_(chunk))))
        return Page([StoredRecord(i, payloads[i]) for i in ids if i in payloads], total, query.limit, query.offset)

    def get_event(self, event_id: str) -> dict | None:
        """One event record."""
        return self._payload(schema.events, event_id)

    def list_stories(self, limit: int = 100, offset: int = 0) -> Page:
        """Stories, most recent last event first, then by size."""
        page = self.list_story_json(limit, offset)
        return replace(page, items=[json.loads(record.json) for record in page.items])

    def list_story_json(self, limit: int = 100, offset: int = 0) -> Page:
        """`list_stories` with each item a StoredRecord: the stored JSON text, not decoded."""
        t = schema.stories
        rows = self._story_page(select(t.c.id, t.c.payload, t.c.n_articles), limit, offset)
        return replace(rows, items=[StoredRecord(r.id, r.payload, r.n_articles) for r in rows.items])

    def list_story_summaries(self, limit: int = 100, offset: int = 0) -> Page:
        """The story list's order with only `id`, `title` and `n_articles`, from columns (no payload read)."""
        t = schema.stories
        rows = self._story_page(select(t.c.id, t.c.title, t.c.n_articles), limit, offset)
        return replace(rows, items=[dict(r._mapping) for r in rows.items])

    def _story_page(self, columns: Select, limit: int, offset: int) -> Page:
        """Rows of `columns` over stories in list order (ix_stories_order), and the number of stories."""
        t = schema.stories
        sel = columns.order_by(t.c.last_date.desc().nulls_last(), t.c.n_articles.desc(), t.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(sel).all()
            total = conn.execute(select(func.count()).select_from(t)).scalar_one()
        return Page(rows, total, limit, offset)

    def story_stats(self, story_ids: Sequence[str]) -> dict[str, dict]:
        """Per story: its events' count, date span, summed best fatality figure and contradictions.

        One aggregate query for a whole page of stories, answered from ix_events_story_stats alone.
        """
        t = schema.events
        out: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(story_ids))):
                rows = conn.execute(
                    select(
                        t.c.story_id, func.count().label("n"), func.min(t.c.date).label("first"), func.max(t.c.date).label("last"),
                        func.sum(t.c.fatalities_best).label("killed"), func.coalesce(func.sum(t.c.n_contradictions), 0).label("contra"),
                    ).where(t.c.story_id.in_(chunk)).group_by(t.c.story_id)
                )
                for r in rows:
                    out[r.story_id] = {"n_events": r.n, "first_date": r.first, "last_date": r.last,
                                       "fatalities_best_total": r.killed, "n_contradictions": int(r.contra)}
        return out

    def get_story(self, story_id: str) -> dict | None:
        """One story record."""
        return self._payload(schema.stories, story_id)

    def list_duplicates(self, limit: int = 1000, offset: int = 0, kind: str | None = None) -> Page:
        """Duplicate groups, optionally of one kind."""
        t = schema.duplicates
        sel, count = select(t.c.payload).order_by(t.c.kind, t.c.id), select(func.count()).select_from(t)
        if kind:
            sel, count = sel.where(t.c.kind == kind), count.where(t.c.kind == kind)
        with self.engine.connect() as conn:
            items = [json.loads(r.payload) for r in conn.execute(sel.limit(limit).offset(offset))]
            total = conn.execute(count).scalar_one()
        return Page(items, total, limit, offset)

    def list_ceasefires(self) -> list[dict]:
        """Every ceasefire record."""
        with self.engine.connect() as conn:
            return [json.loads(r.payload) for r in conn.execute(select(schema.ceasefires.c.payload).order_by(schema.ceasefires.c.id))]

    def search(self, text_query: str, limit: int = 20) -> list[SearchHit]:
        """Ranked full-text matches over articles, events and stories, forgiving spelling (see store/search.py)."""
        return run_search(self.engine, self.dialect, text_query, limit)

    def counts(self) -> dict[str, int]:
        """Row counts of the main record kinds."""
        tables = {
            "articles": schema.articles,
            "rejections": schema.rejections,
            "events": schema.events,
            "stories": schema.stories,
            "duplicates": schema.duplicates,
            "ceasefires": schema.ceasefires,
        }
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(t)).scalar_one() for name, t in tables.items()}

    def _payload(self, table, record_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(table.c.payload).where(table.c.id == record_id)).first()
        return json.loads(row.payload) if row else None


def _state(conn: Connection, key: str) -> int:
    """One value of the store_state table."""
    return conn.execute(select(schema.store_state.c.value).where(schema.store_state.c.key == key)).scalar_one()


def _unrecorded(conn: Connection, rejections: Sequence[Rejection]) -> list[Rejection]:
    """The rejections not already recorded: a rerun over the same bad input records it once."""
    t = schema.rejections
    wanted = list(dict.fromkeys((r.origin, r.reason, r.detail) for r in rejections))
    if not wanted:
        return []
    origins = list({origin for origin, _, _ in wanted})
    known = set()
    for chunk in _chunks(origins):
        known.update((r.origin, r.reason, r.detail) for r in conn.execute(select(t.c.origin, t.c.reason, t.c.detail).where(t.c.origin.in_(chunk))))
    return [Rejection(origin, reason, detail) for origin, reason, detail in wanted if (origin, reason, detail) not in known]


def _event_filter(query: EventQuery):
    """The WHERE clause over `events` for every filter of `query` (None when it has none).

    Place and actor filters match a substring of the folded terms (see `schema.fold_term`); the
    user's text is matched literally (`%` and `_` are not wildcards).
    """
    t = schema.events
    conds = []
    if query.since or query.until:
        # Implied by a date range, but said outright so the planner can seek the listing index,
        # which leads with (date IS NULL), to the range and read it in order (no sort).
        conds.append(t.c.date.is_(None) == literal(False))
    if query.since:
        conds.append(t.c.date >= query.since.isoformat())
    if query.until:
        conds.append(t.c.date <= query.until.isoformat())
    if query.event_type:
        conds.append(t.c.event_type == query.event_type)
    if query.sub_event_type:
        conds.append(t.c.sub_event_type == query.sub_event_type)
    if query.country:
        conds.append(t.c.country == query.country.upper())
    if query.place:
        # Country codes are stored upper-case: comparing the column itself keeps the scan index-only.
        by_code = [t.c.country == query.place.upper()] if len(query.place) == 2 else []
        conds.append(or_(t.c.place.contains(schema.fold_term(query.place), autoescape=True), *by_code))
    if query.actor:
        conds.append(t.c.actors.contains(schema.fold_term(query.actor), autoescape=True))
    if query.story_id:
        conds.append(t.c.story_id == query.story_id)
    if query.bbox:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        conds.append(and_(t.c.lon >= min_lon, t.c.lon <= max_lon, t.c.lat >= min_lat, t.c.lat <= max_lat))
    if query.article_id:
        conds.append(t.c.id.in_(select(schema.event_articles.c.event_id).where(schema.event_articles.c.article_id == query.article_id)))
    if query.contested is not None:
        conds.append(t.c.n_contradictions > 0 if query.contested else func.coalesce(t.c.n_contradictions, 0) == 0)
    if query.min_fatalities is not None:
        conds.append(t.c.fatalities_best >= query.min_fatalities)
    return and_(*conds) if conds else None


def _listing_page(conn: Connection, query: EventQuery, where, total: int | None = None) -> tuple[list[str], int]:
    """A page of matching ids read in listing order from the listing index, and the number of matches (unless given)."""
    t = schema.events
    if query.after:
        matching = select(t.c.id) if where is None else select(t.c.id).where(where)
        ids = _ids_after(conn, matching, query.after, query.limit)
    else:
        page = select(t.c.id).order_by(*_LISTING_ORDER).limit(query.limit).offset(query.offset)
        ids = list(conn.execute(page if where is None else page.where(where)).scalars())
        if total is None and len(ids) < query.limit and (ids or not query.offset):
            return ids, query.offset + len(ids)  # a short page is the last one: no count needed
    if total is not None:
        return ids, total
    count = select(func.count()).select_from(t)
    return ids, conn.execute(count if where is None else count.where(where)).scalar_one()


def _indexable(text: str | None) -> str | None:
    """The folded filter text when the trigram index can find it (3+ characters), else None."""
    folded = schema.fold_term(text) if text else ""
    return folded if len(folded) >= 3 else None


def _trigram_match(column: str, folded: str) -> str:
    """An FTS5 query for rows whose `column` may contain `folded`: every third trigram of it, and its last.

    Those trigrams cover every character of the text; asking for all of them, anywhere, selects
    about as well as the exact phrase at half its cost, and the caller checks the text itself on
    the rows they leave.
    """
    trigrams = [folded[i : i + 3] for i in range(len(folded) - 2)]
    cover = dict.fromkeys(trigrams[::3] + trigrams[-1:])
    return f"{column} : (" + " AND ".join('"' + tri.replace('"', '""') + '"' for tri in cover) + ")"


def _indexed_page(conn: Connection, query: EventQuery, where) -> tuple[list[str], int] | None:
    """SQLite: a page and the total of a query that the trigram or R*Tree index can narrow.

    The index gives candidates (a superset); those are checked against the exact filters and
    counted in one query. The page then comes from the listing index in order when matches are
    dense enough that it finds them quickly, else from the matches themselves, sorted. None when
    no filter can use those indexes, or when they leave over `_FEW_MATCHES` candidates (counting
    them would cost more than a scan).
    """
    place = _indexable(query.place) if query.place and len(query.place) != 2 else None  # 2 letters: a country code too
    actor = _indexable(query.actor)
    if not (place or actor or query.bbox):
        return None
    fts_query = " AND ".join(_trigram_match(col, text) for col, text in (("place", place), ("actors", actor)) if text)
    params: dict = {"fts": fts_query} if fts_query else {}
    hits = None
    if fts_query:
        hits = select(literal_column("rowid").label("hit")).select_from(text("event_terms_fts")).where(text("event_terms_fts MATCH :fts"))
    if query.bbox:
        params.update(zip(("min_lon", "min_lat", "max_lon", "max_lat"), query.bbox))
        # The R*Tree stores 32-bit floats rounded outwards: an overlap test finds every point inside.
        in_box = select(literal_column("id").label("hit")).select_from(text("event_geo")).where(
            text("max_lon >= :min_lon AND min_lon <= :max_lon AND max_lat >= :min_lat AND min_lat <= :max_lat")
        )
        hits = in_box if hits is None else hits.where(literal_column("rowid").in_(in_box))
    other_filters = any((query.event_type, query.sub_event_type, query.country, query.story_id, query.article_id,
                         query.place and not place, query.actor and not actor,
                         query.contested is not None, query.min_fatalities is not None))

    def matching(candidates) -> Select:
        """(id, date) of the candidates that pass every filter."""
        tt, t = schema.event_terms, schema.events
        if other_filters:  # checked on the events themselves, one primary-key lookup per candidate
            return select(t.c.id, t.c.date).select_from(tt.join(t, t.c.id == tt.c.event_id)).where(tt.c.rowid.in_(candidates), where)
        # every filter is a column of event_terms: checked there, on its small rows
        return select(tt.c.event_id.label("id"), tt.c.date).where(tt.c.rowid.in_(candidates), *_term_checks(tt, query, place, actor))

    # One statement, one pass over the index: how many candidates (capped), how many of them match
    # and, when the listing scan would not find the page sooner, the page itself from the matches.
    capped = hits.limit(_FEW_MATCHES + 1).cte("candidates").prefix_with("MATERIALIZED")
    matches = matching(select(capped.c.hit)).cte("matches").prefix_with("MATERIALIZED")
    n_candidates = select(func.count()).select_from(capped).scalar_subquery()
    n_matching = select(func.count()).select_from(matches).scalar_subquery()
    page = select(matches.c.date, matches.c.id).order_by(matches.c.date.is_(None), matches.c.date, matches.c.id).limit(query.limit)
    if query.after:
        anchor = conn.execute(select(schema.events.c.date, schema.events.c.id).where(schema.events.c.id == query.after)).first()
        if anchor is None:
            raise LookupError(query.after)
        key = (literal(anchor.date is None), literal(anchor.date or ""), literal(anchor.id))
        page = page.where(tuple_(matches.c.date.is_(None), func.coalesce(matches.c.date, ""), matches.c.id) > tuple_(*key))
        sort_them = literal(True)
    else:
        page = page.offset(query.offset)
        # The listing scan reads about (offset + limit) * events / matches index entries to fill a
        # page; sorting the matches costs about as much as reading a few entries per match.
        n_events = select(func.max(schema.event_terms.c.rowid)).scalar_subquery()
        sort_them = literal(query.offset + query.limit) * n_events > 4 * n_matching * n_matching
    rows = page.subquery()
    page_json = select(func.json_group_array(func.json_array(rows.c.date, rows.c.id))).scalar_subquery()
    candidates, total, sorted_page = conn.execute(
        select(n_candidates, n_matching, case((and_(n_candidates <= _FEW_MATCHES, sort_them), page_json))), params
    ).one()
    if candidates > _FEW_MATCHES:
        return None
    if sorted_page is None:  # dense matches: the listing index in order finds the page sooner
        return (_listing_page(conn, query, where, total) if total else ([], 0))
    # Sorted again here: an aggregate's input order is not promised by SQL.
    page_rows = sorted(json.loads(sorted_page), key=lambda r: (r[0] is None, r[0] or "", r[1]))
    return [event_id for _, event_id in page_rows], total


def _term_checks(tt, query: EventQuery, place: str | None, actor: str | None) -> list:
    """The exact place, actor, bbox and date filters, on event_terms' columns (the indexes only narrow)."""
    checks = []
    if place:
        checks.append(tt.c.place.contains(place, autoescape=True))
    if actor:
        checks.append(tt.c.actors.contains(actor, autoescape=True))
    if query.bbox:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        checks += [tt.c.lon >= min_lon, tt.c.lon <= max_lon, tt.c.lat >= min_lat, tt.c.lat <= max_lat]
    if query.since:
        checks.append(tt.c.date >= query.since.isoformat())
    if query.until:
        checks.append(tt.c.date <= query.until.isoformat())
    return checks


def _ids_after(conn: Connection, matching: Select, event_id: str, limit: int) -> list[str]:
    """A keyset page: ids of `matching` events after `event_id` in listing order, found by index seeks.

    The order is (undated last, date, id). The dated rest is one seek on (date, id) past the given
    event; the undated events follow, by id. Each part fixes `date IS NULL`, so its ORDER BY is the
    index's own and the database stops after `limit` rows, however deep the page.
    """
    t = schema.events
    row = conn.execute(select(t.c.date, t.c.id).where(t.c.id == event_id)).first()
    if row is None:
        raise LookupError(event_id)
    ids: list[str] = []
    if row.date is not None:
        dated = matching.where(t.c.date.is_(None) == literal(False), tuple_(t.c.date, t.c.id) > tuple_(literal(row.date), literal(row.id)))
        ids = list(conn.execute(dated.order_by(t.c.date, t.c.id).limit(limit)).scalars())
    if len(ids) < limit:
        undated = matching.where(t.c.date.is_(None) == literal(True), t.c.date.is_(None))
        if row.date is None:
            undated = undated.where(t.c.id > row.id)
        ids += conn.execute(undated.order_by(t.c.id).limit(limit - len(ids))).scalars()
    return ids


_SQLITE_MMAP_SIZE = 268_435_456  # 256 MB of the file mapped per connection, for the API's reads
_SQLITE_CACHE_SIZE = -65_536  # KiB: a 64 MB page cache per connection, for the API's reads
_SQLITE_SCAN_CACHE_SIZE = -4_096  # KiB: 4 MB while the corpus stage reads every article once


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """WAL so readers never block the writer; NORMAL sync is durable across crashes in WAL mode.

    The driver's own transaction handling is switched off: `_sqlite_begin` opens every transaction.
    """
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # Reads of a 100k-event store touch the same index pages again and again: keep them in memory
    # (64 MB page cache and a memory-mapped file per connection) rather than re-reading them.
    cur.execute(f"PRAGMA cache_size={_SQLITE_CACHE_SIZE}")
    cur.execute(f"PRAGMA mmap_size={_SQLITE_MMAP_SIZE}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


@contextlib.contextmanager
def _one_pass_reads(conn: Connection) -> Iterator[None]:
    """No memory-mapped reads and a small page cache on this SQLite connection while the block runs
    (other dialects: no-op).

    A scan that reads every article once gains nothing from the mapping and the cache that the
    API's repeated index reads want, and what they hold (up to `mmap_size`, 256 MB, of mapped
    pages and 64 MB of cached ones) counts in the process's RSS for the whole corpus stage; the
    operating system's file cache still serves the re-reads. The pooled connection gets both back.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA mmap_size=0")
    raw.execute(f"PRAGMA cache_size={_SQLITE_SCAN_CACHE_SIZE}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size={_SQLITE_CACHE_SIZE}")
        raw.execute(f"PRAGMA mmap_size={_SQLITE_MMAP_SIZE}")


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for write transactions: take the write lock first, so that what a writer
    reads before writing cannot change underneath it; plain BEGIN (a snapshot) for reads."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sitroom_write") else "BEGIN")


def _article_columns():
    a = schema.articles.c
    return (a.id, a.title, a.url, a.source, a.published, a.origin, a.content_hash, a.ingested_at)


def _event_row(e: Event) -> dict:
    record = e.to_dict()
    payload = schema.record_json(record)
    loc = e.location
    actor_terms = [a.name for a in e.actors] + [m for a in e.actors for m in a.mentions]
    place, actors = schema.event_filter_terms(record)
    return {
        "id": e.id,
        "story_id": e.story_id,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "date": e.date.isoformat() if e.date else None,
        "country": loc.country if loc else None,
        "place": place,
        "actors": actors,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "fatalities_best": e.fatalities.best,
        "n_contradictions": len(e.contradictions),
        "ceasefire_id": e.ceasefire_id,
        "payload": payload,
        "payload_hash": schema.record_digest(payload),
        "_search": " ".join(filter(None, [e.summary, loc.name if loc else None, " ".join(actor_terms)])),
        "_title": f"{e.sub_event_type.replace('_', ' ')} — {loc.name if loc else 'unknown place'}",
    }


def _story_row(s: Story, event_dates: dict[str, str]) -> dict:
    record = s.to_dict()
    payload = schema.record_json(record)
    dates = [event_dates[i] for i in s.event_ids if i in event_dates]
    return {
        "id": s.id,
        "title": s.title,
        "last_date": max(dates) if dates else None,
        "n_articles": len(s.article_ids),
        "payload": payload,
        "payload_hash": schema.record_digest(payload),
        "_search": " ".join(x.sentence for x in s.summary),
        "_title": s.title,
    }


def _ceasefire_row(c: Ceasefire) -> dict:
    payload = schema.record_json(codec.to_jsonable(c))
    return {"id": c.id, "payload": payload, "payload_hash": schema.record_digest(payload)}


def _search_doc(kind: str, row: dict) -> dict:
    """The search_docs row for a record row, taking the record's search-only keys out of it."""
    return search_doc(kind, row["id"], row.pop("_title", None), row.pop("_search", "") or "")


def _duplicate_rows(groups: Iterable[DuplicateGroup]) -> Iterator[dict]:
    """The `duplicates` row of each distinct group, made as it is written.

    A group is known by the digest of its canonical JSON (its row id), so only digests are kept
    to drop repeats, not the JSON itself.
    """
    seen: set[str] = set()
    for g in groups:
        data = g.to_dict()
        row_id = _digest(json.dumps(data, sort_keys=True))
        if row_id not in seen:
            seen.add(row_id)
            yield {"id": row_id, "kind": g.kind, "payload": json.dumps(data, ensure_ascii=False)}
