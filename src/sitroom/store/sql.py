"""The SQL store's shared half: everything SQLite and PostgreSQL do alike, on SQLAlchemy 2 Core.

`SqlStore` holds the reads and writes; a backend (`store/sqlite.py`, `store/postgres.py`) adds
its engine, how its writers queue, its own integrity checks and, for SQLite, a planner for
filtered event listings. `open_store` (`sitroom.store`) picks the backend from the URL.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import ColumnElement, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from sitroom import codec
from sitroom.errors import StaleResultsError, StoreError
from sitroom.model import ArticleAnalysis, Ceasefire, DuplicateGroup, Event, Rejection, Story
from sitroom.store import schema, schema_version
from sitroom.store.base import EventQuery, Page, RecordChange, ResultsDiff, SearchHit, Store, StoredRecord, StoreSnapshot
from sitroom.store.chunked import CHUNK, mapping_in, rows_in
from sitroom.store.corpus import CorpusSession
from sitroom.store.listing import event_filter, listing_page, newest_first_ids, records_page
from sitroom.store.records import ceasefire_row, delete_records, drop_aliases_of, duplicate_rows, event_row, record_alias, story_row, sync_links, sync_records
from sitroom.store.search import Clause, Hit, search, search_doc
from sitroom.store.story_reads import StoryReads

# A word this many search documents hold is too common to find a story's neighbours by: ranking
# every document that holds any of a new article's words grows with the store; counting to this
# cap per word bounds it. No word of a store under about a thousand articles reaches it, so there
# every word of the article is searched.
COMMON_WORD_DOCS = 1000

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SqlStore(StoryReads, Store):
    """A store on a SQLAlchemy engine; subclasses supply the engine and what their dialect does its own way."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._write_lock = threading.Lock()  # one writer at a time, reads run in parallel
        try:
            self.engine: Engine = self._create_engine(url)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store at {url}: {exc}. Check the --db URL.") from exc

    # -- what each backend does its own way ---------------------------------------------------
    @abstractmethod
    def _create_engine(self, url: str) -> Engine:
        """The engine for `url`, with the backend's connection settings."""

    def _lock_writers(self, conn: Connection) -> None:
        """Called first in every write transaction: wait until no other process writes (see `_writing`)."""

    @abstractmethod
    def _database_problems(self, conn: Connection) -> list[str]:
        """The database's own checks and those of the backend's own tables (see `integrity_check`)."""

    def _one_pass_reads(self, conn: Connection) -> contextlib.AbstractContextManager[None]:
        """Connection settings for a read of every article once (see `iter_analyses`); none by default."""
        return contextlib.nullcontext()

    def _indexed_page(self, conn: Connection, query: EventQuery, where: ColumnElement | None, newest_first: bool = False) -> tuple[list[str], int] | None:
        """A page of event ids and the total from the backend's own indexes, or None to read the listing index."""
        return None

    @abstractmethod
    def _ranked_hits(self, conn: Connection, clauses: list[Clause], limit: int) -> list[Hit]:
        """The best `limit` full-text matches of every clause, best first (see store/search.py)."""

    def _articles_matching_any(self, conn: Connection, words: Sequence[str], limit: int) -> list[str]:
        """Ids of the articles whose text holds the most of these plain words (any of them), best first.

        Words held by `COMMON_WORD_DOCS` documents or more are left out (`_uncommon_words`).
        """
        uncommon = self._uncommon_words(conn, words)
        return self._articles_ranked_for_any(conn, uncommon, limit) if uncommon else []

    @abstractmethod
    def _articles_ranked_for_any(self, conn: Connection, words: Sequence[str], limit: int) -> list[str]:
        """The backend's full-text ranking of articles for any of these (non-empty) plain words, best first."""

    @abstractmethod
    def _documents_holding(self, conn: Connection, word: str, cap: int) -> int:
        """How many search documents hold this plain word, counted up to `cap` (a cost bounded by it)."""

    def _uncommon_words(self, conn: Connection, words: Sequence[str]) -> list[str]:
        """The words fewer than `COMMON_WORD_DOCS` search documents hold, in their order."""
        return [w for w in words if self._documents_holding(conn, w, COMMON_WORD_DOCS) < COMMON_WORD_DOCS]

    # -- life cycle ---------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring this store's schema to the newest migration (Alembic runs only when it is not there)."""
        if not schema_version.is_current(self.engine):
            schema_version.upgrade(self)

    def close(self) -> None:
        """Dispose of the connection pool."""
        self.engine.dispose()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction that no other writer, thread or process, overlaps.

        Writes read before they write (which ids exist, which payloads changed), so two writers
        interleaving would insert the same rows twice. Threads queue on `_write_lock`; processes
        on the backend's lock (`_lock_writers`, or SQLite's `BEGIN IMMEDIATE`).
        """
        with self._write_lock, self.engine.connect() as conn:
            conn.execution_options(sitroom_write=True)
            with conn.begin():
                self._lock_writers(conn)
                yield conn

    @contextlib.contextmanager
    def _writing_from(self, computed_from: StoreSnapshot | None) -> Iterator[tuple[Connection, StoreSnapshot]]:
        """A write transaction (`_writing`) and the store's snapshot at its start.

        Raises StaleResultsError before anything is written when another writer stored articles
        after the `computed_from` snapshot.
        """
        with self._writing() as conn:
            current = _snapshot(conn)
            if computed_from is not None and computed_from != current:
                raise StaleResultsError(computed_from, current)
            yield conn, current

    def integrity_check(self) -> list[str]:
        """The backend's own checks, then sitroom's consistency rules: links, search entries, versions."""
        with self.engine.connect() as conn:
            problems = self._database_problems(conn)
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
            articles_version, results_version = _state(conn, "articles_version"), _state(conn, "results_version")
            if results_version > articles_version:
                problems.append(f"fused records claim articles version {results_version}, newer than {articles_version}")
        return problems

    # -- articles -----------------------------------------------------------------------------
    def known_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Stored content hash per article id."""
        a = schema.articles
        with self.engine.connect() as conn:
            return mapping_in(conn, a.c.id, a.c.content_hash, article_ids)

    def save_analyses(self, analyses: Sequence[ArticleAnalysis], rejections: Sequence[Rejection] = ()) -> StoreSnapshot:
        """Insert or replace these articles and record these rejections, all in one transaction.

        Returns the snapshot as this transaction left it (articles version bumped if it stored any).
        """
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
        ids = [a.article.id for a in analyses]
        try:
            with self._writing() as conn:
                delete_records(conn, schema.articles, "article", ids)
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
                return _snapshot(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not write {len(ids)} articles to {self.url}: {exc}") from exc

    def snapshot(self) -> StoreSnapshot:
        """The store's articles version now."""
        with self.engine.connect() as conn:
            return _snapshot(conn)

    def iter_analyses(self) -> Iterator[ArticleAnalysis]:
        """Stored analyses with their article text restored, by article id (one statement, one read snapshot)."""
        with self.engine.connect() as conn, self._one_pass_reads(conn):
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
        computed_from: StoreSnapshot | None = None,
    ) -> ResultsDiff:
        """Write only the events and stories whose record changed; drop those that no longer exist.

        Raises StaleResultsError, writing nothing, when another writer stored articles after the
        `computed_from` snapshot: the records would miss them. Every record written or removed gets
        a `record_changes` row; `aliases` (kind -> {old id: id that absorbed it}) records merges,
        so old ids keep resolving.
        """
        event_rows = (event_row(e) for e in events)  # made one at a time as `sync_records` compares them
        event_dates = {e.id: e.date.isoformat() for e in events if e.date}  # one pass, not one per story
        story_rows = (story_row(s, event_dates) for s in stories)
        ceasefire_rows = (ceasefire_row(c) for c in ceasefires)
        aliases = aliases or {}
        now = _now()
        try:
            with self._writing_from(computed_from) as (conn, current):
                for kind, mapping in aliases.items():
                    for old, new in mapping.items():
                        if old != new:
                            record_alias(conn, kind, old, new, now)
                    drop_aliases_of(conn, kind, mapping.values())  # a record that exists again under its own id
                ev_written, ev_removed = sync_records(conn, schema.events, event_rows, "event", now, aliases.get("event", {}))
                st_written, st_removed = sync_records(conn, schema.stories, story_rows, "story", now, aliases.get("story", {}))
                sync_records(conn, schema.ceasefires, ceasefire_rows, "ceasefire", now, aliases.get("ceasefire", {}))
                sync_links(conn, schema.event_articles, "event_id", {e.id: e.article_ids for e in events})
                sync_links(conn, schema.story_articles, "story_id", {s.id: s.article_ids for s in stories})
                conn.execute(delete(schema.duplicates))
                rows = duplicate_rows(duplicates)
                # A chunk of rows at a time: the JSON of every group at once is the save's largest part.
                while chunk := list(itertools.islice(rows, CHUNK)):
                    conn.execute(insert(schema.duplicates), chunk)
                conn.execute(
                    update(schema.store_state)
                    .where(schema.store_state.c.key == "results_version")
                    .values(value=current.articles_version)
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"could not write fused records to {self.url}: {exc}") from exc
        return ResultsDiff(ev_written, ev_removed, st_written, st_removed)

    @contextlib.contextmanager
    def corpus_session(self, computed_from: StoreSnapshot | None = None) -> Iterator[CorpusSession]:
        """One write transaction for a corpus update (sitroom.corpus): every read and write of it, or none.

        Raises StaleResultsError before anything is read or written when another writer stored
        articles after the `computed_from` snapshot.
        """
        try:
            with self._writing_from(computed_from) as (conn, _):
                yield CorpusSession(conn, _now(), self._articles_matching_any)
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
        # By (at, id), not id alone: the log is appended in time order, so it is the same order, and the
        # planner then reads the window's range of ix_record_changes_at instead of the whole log by id.
        sel = select(t).where(t.c.at >= since).order_by(t.c.at, t.c.id).limit(limit)
        if kinds:
            sel = sel.where(t.c.kind.in_(list(kinds)))
        with self.engine.connect() as conn:
            rows = conn.execute(sel).all()
        return [
            RecordChange(r.at, r.kind, r.record_id, r.change, tuple(json.loads(r.fields)), json.loads(r.detail) if r.detail else {})
            for r in rows
        ]

    def records_version(self) -> int | None:
        """The id of the newest `record_changes` entry: every write of the fused records logs one (0: none yet)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(schema.record_changes.c.id))).scalar() or 0

    def results_outdated(self) -> bool:
        """Whether articles were stored after the fused records were last computed."""
        with self.engine.connect() as conn:
            return _state(conn, "articles_version") != _state(conn, "results_version")

    def query_events(self, query: EventQuery) -> Page:
        """Events matching every given filter, by date then id."""
        page = self.query_event_json(query)
        return replace(page, items=[json.loads(record.json) for record in page.items])

    def query_event_json(self, query: EventQuery) -> Page:
        """`query_events` with each item a StoredRecord: the stored JSON text, not decoded."""
        where = event_filter(query)
        with self.engine.connect() as conn:
            # Ids first, from an index; then only this page's payloads: no sort or skip carries JSON.
            found = self._indexed_page(conn, query, where)
            return records_page(conn, query, *(found if found is not None else listing_page(conn, query, where)))

    def newest_first_json(self, query: EventQuery) -> Page | None:
        """A filtered listing newest first, sorted by the database: from the backend's indexes, else when few enough match."""
        where = None if query.after else event_filter(query)  # keyset pages read oldest first; the whole store: None
        with self.engine.connect() as conn:
            found = None if where is None else self._indexed_page(conn, query, where, True) or newest_first_ids(conn, query, where)
            return records_page(conn, query, *found) if found is not None else None

    def get_event(self, event_id: str) -> dict | None:
        """One event record."""
        return self._payload(schema.events, event_id)

    def get_events(self, event_ids: Sequence[str]) -> dict[str, dict]:
        """`{id: event record}` of these ids, read in one query per chunk of ids."""
        with self.engine.connect() as conn:
            return {i: json.loads(p) for i, p in mapping_in(conn, schema.events.c.id, schema.events.c.payload, dict.fromkeys(event_ids)).items()}

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
        with self.engine.connect() as conn:
            return [*search(conn, self._ranked_hits, text_query, limit)]

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


def _snapshot(conn: Connection) -> StoreSnapshot:
    """The store's snapshot as this connection sees it."""
    return StoreSnapshot(_state(conn, "articles_version"))


def _unrecorded(conn: Connection, rejections: Sequence[Rejection]) -> list[Rejection]:
    """The rejections not already recorded: a rerun over the same bad input records it once."""
    t = schema.rejections
    wanted = list(dict.fromkeys((r.origin, r.reason, r.detail) for r in rejections))
    if not wanted:
        return []
    rows = rows_in(conn, select(t.c.origin, t.c.reason, t.c.detail), t.c.origin, {origin for origin, _, _ in wanted})
    known = {(r.origin, r.reason, r.detail) for r in rows}
    return [Rejection(origin, reason, detail) for origin, reason, detail in wanted if (origin, reason, detail) not in known]


def _article_columns() -> tuple[ColumnElement, ...]:
    a = schema.articles.c
    return (a.id, a.title, a.url, a.source, a.published, a.origin, a.content_hash, a.ingested_at)
