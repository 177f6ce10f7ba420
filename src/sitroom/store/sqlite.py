"""The SQLite backend: WAL and its pragmas, its write lock, FTS5's queries and checks, and a planner for filtered listings.

Place, actor and bounding-box filters are narrowed by SQLite's own indexes on `event_terms`
(FTS5 with trigrams, an R*Tree of the points) before the exact filters are checked; the other
filters, and filters those indexes cannot narrow, read the listing index (`store/listing.py`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import ColumnElement, and_, case, create_engine, event, func, literal, literal_column, select, text, tuple_
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select

from sitroom.store import schema
from sitroom.store.base import EventQuery
from sitroom.store.listing import listing_page, newest_first_scan
from sitroom.store.search import Clause, Hit
from sitroom.store.sql import SqlStore

MMAP_SIZE = 268_435_456  # 256 MB of the file mapped per connection, for the API's reads
CACHE_SIZE = -65_536  # KiB: a 64 MB page cache per connection, for the API's reads
SCAN_CACHE_SIZE = -4_096  # KiB: 4 MB while the corpus stage reads every article once
# A filter the trigram or R*Tree index narrows to at most this many candidates is counted on them
# (a few ms); past it, counting scans a narrow index (~10 ms at 100,000 events), which costs less.
_FEW_MATCHES = 10_000


class SqliteStore(SqlStore):
    """A store in one SQLite file: one writer at a time, readers never blocked (WAL)."""

    def _create_engine(self, url: str) -> Engine:
        """An engine whose connections get the pragmas below and open transactions as `_begin` says."""
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _pragmas)
        event.listen(engine, "begin", _begin)
        return engine

    def _database_problems(self, conn: Connection) -> list[str]:
        """`PRAGMA integrity_check`, FTS5's check of both full-text indexes, and one event_terms row per event."""
        rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
        problems = [] if rows == ["ok"] else rows
        problems += self._fts_problems()
        tt, t = schema.event_terms, schema.events  # the place/actor/bbox indexes point into event_terms
        unlisted = conn.execute(select(func.count()).select_from(t).where(~t.c.id.in_(select(tt.c.event_id)))).scalar_one()
        stray = conn.execute(select(func.count()).select_from(tt).where(~tt.c.event_id.in_(select(t.c.id)))).scalar_one()
        if unlisted:
            problems.append(f"{unlisted} events have no event_terms row")
        if stray:
            problems.append(f"{stray} event_terms rows point at missing events")
        return problems

    def _fts_problems(self) -> list[str]:
        """FTS5's own check that its indexes match search_docs and event_terms.

        The check is written as an INSERT, so it runs as a writer: queued behind other writers
        rather than failing as "locked" when one commits during the check.
        """
        problems = []
        for index, rows in (("search_fts", "search_docs"), ("event_terms_fts", "event_terms")):
            try:
                with self._writing() as conn:
                    conn.execute(text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"))
            except SQLAlchemyError as exc:
                problems.append(f"the full-text index {index} does not match {rows}: {getattr(exc, 'orig', exc)}")
        return problems

    def _one_pass_reads(self, conn: Connection) -> contextlib.AbstractContextManager[None]:
        """No mapping and a small page cache while every article is read once (`one_pass_reads`)."""
        return one_pass_reads(conn)

    def _indexed_page(self, conn: Connection, query: EventQuery, where: ColumnElement | None, newest_first: bool = False) -> tuple[list[str], int] | None:
        """The page from the trigram and R*Tree indexes when they narrow the query (`indexed_page`).

        Newest first, a place, actor or bbox filter leaves at most a few thousand candidates: sorting
        their matches costs one query and reads only the page's payloads, where reading the
        oldest-first listing from its end takes one query per step back past the undated events and
        reads every payload it passes. When the index leaves more
        candidates than it is worth counting on (a province's name: every place in it), the matches
        come from one scan of a covering index instead (`listing.newest_first_scan`).
        """
        found = indexed_page(conn, query, where, newest_first)
        if found is None and newest_first and where is not None and _narrowed_by_terms(query):
            return newest_first_scan(conn, query, where)
        return found

    def _ranked_hits(self, conn: Connection, clauses: list[Clause], limit: int) -> list[Hit]:
        """The best `limit` matches of FTS5 (its `rank` is bm25), snippets cut for those only."""
        rows = conn.execute(
            text(
                "SELECT d.kind, d.ref_id, d.title, m.snip, m.score FROM ("
                "SELECT rowid, snippet(search_fts, 1, '[', ']', ' … ', 12) AS snip, rank AS score "
                "FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT :n"
                ") m JOIN search_docs d ON d.rowid = m.rowid ORDER BY m.score"
            ),
            {"q": fts5_query(clauses), "n": limit},
        ).all()
        return [(r.kind, r.ref_id, r.title, r.snip, -float(r.score)) for r in rows]

    def _documents_holding(self, conn: Connection, word: str, cap: int) -> int:
        sql = text("SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :q LIMIT :n)")
        return int(conn.execute(sql, {"q": f'"{word}"', "n": cap}).scalar_one())

    def _articles_ranked_for_any(self, conn: Connection, words: Sequence[str], limit: int) -> list[str]:
        """Ids of the articles FTS5 ranks best for any of these plain words."""
        sql = text(
            "SELECT d.ref_id FROM (SELECT rowid, rank FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT :n) m "
            "JOIN search_docs d ON d.rowid = m.rowid WHERE d.kind = 'article' ORDER BY m.rank"
        )
        return [r[0] for r in conn.execute(sql, {"q": " OR ".join(f'"{w}"' for w in words), "n": limit})]

def _pragmas(dbapi_conn, _record) -> None:
    """WAL so readers never block the writer; NORMAL sync is durable across crashes in WAL mode.

    The driver's own transaction handling is switched off: `_begin` opens every transaction.
    """
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # Reads of a 100k-event store touch the same index pages again and again: keep them in memory
    # (64 MB page cache and a memory-mapped file per connection) rather than re-reading them.
    cur.execute(f"PRAGMA cache_size={CACHE_SIZE}")
    cur.execute(f"PRAGMA mmap_size={MMAP_SIZE}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for write transactions: take the write lock first, so that what a writer
    reads before writing cannot change underneath it; plain BEGIN (a snapshot) for reads."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sitroom_write") else "BEGIN")


@contextlib.contextmanager
def one_pass_reads(conn: Connection) -> Iterator[None]:
    """No memory-mapped reads and a small page cache on this connection while the block runs.

    A scan that reads every article once gains nothing from the mapping and the cache that the
    API's repeated index reads want, and what they hold (up to `mmap_size`, 256 MB, of mapped
    pages and 64 MB of cached ones) counts in the process's RSS for the whole corpus stage; the
    operating system's file cache still serves the re-reads. The pooled connection gets both back.
    """
    raw = conn.connection.driver_connection
    assert raw is not None  # a checked-out connection has its driver's
    raw.execute("PRAGMA mmap_size=0")
    raw.execute(f"PRAGMA cache_size={SCAN_CACHE_SIZE}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size={CACHE_SIZE}")
        raw.execute(f"PRAGMA mmap_size={MMAP_SIZE}")


def fts5_query(clauses: Iterable[Clause]) -> str:
    """An FTS5 MATCH expression; every term is quoted, so user input never becomes FTS syntax."""
    def term(t) -> str:
        phrase = '"' + " ".join(w.replace('"', '""') for w in t.words) + '"'
        return f"folded : {phrase}" if t.folded else "{title body} : " + phrase

    return " AND ".join("(" + " OR ".join(term(a) for a in c.alternatives) + ")" for c in clauses)


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


def indexed_page(
    conn: Connection, query: EventQuery, where: ColumnElement | None, newest_first: bool = False
) -> tuple[list[str], int] | None:
    """A page and the total of a query that the trigram or R*Tree index can narrow.

    The index gives candidates (a superset); those are checked against the exact filters and
    counted in one query. The page then comes from the listing index in order when matches are
    dense enough that it finds them quickly, else from the matches themselves, sorted. None when
    no filter can use those indexes, or when they leave over `_FEW_MATCHES` candidates (counting
    them would cost more than a scan). `newest_first`: the page newest first (undated last), always
    from the matches sorted that way (the listing index reads oldest first); not with `after`.
    """
    place = _indexable(query.place) if query.place and len(query.place) != 2 else None  # 2 letters: a country code too
    actor = _indexable(query.actor)
    if not (place or actor or query.bbox):
        return None
    fts_query = " AND ".join(_trigram_match(col, text) for col, text in (("place", place), ("actors", actor)) if text)
    params: dict = {"fts": fts_query} if fts_query else {}
    hits: Select | None = None
    if fts_query:
        hits = select(literal_column("rowid").label("hit")).select_from(text("event_terms_fts")).where(text("event_terms_fts MATCH :fts"))
    if query.bbox:
        params.update(zip(("min_lon", "min_lat", "max_lon", "max_lat"), query.bbox))
        # The R*Tree stores 32-bit floats rounded outwards: an overlap test finds every point inside.
        in_box: Select = select(literal_column("id").label("hit")).select_from(text("event_geo")).where(
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
            return select(t.c.id, t.c.date).select_from(tt.join(t, t.c.id == tt.c.event_id)).where(tt.c.rowid.in_(candidates), *([] if where is None else [where]))
        # every filter is a column of event_terms: checked there, on its small rows
        return select(tt.c.event_id.label("id"), tt.c.date).where(tt.c.rowid.in_(candidates), *_term_checks(tt, query, place, actor))

    # One statement, one pass over the index: how many candidates (capped), how many of them match
    # and, when the listing scan would not find the page sooner, the page itself from the matches.
    assert hits is not None  # a place, an actor or a bbox gave one
    capped = hits.limit(_FEW_MATCHES + 1).cte("candidates").prefix_with("MATERIALIZED")
    matches = matching(select(capped.c.hit)).cte("matches").prefix_with("MATERIALIZED")
    n_candidates = select(func.count()).select_from(capped).scalar_subquery()
    n_matching = select(func.count()).select_from(matches).scalar_subquery()
    order: tuple[ColumnElement, ...]
    if newest_first:
        # dated newest first; the undated after them by id, as every other listing has them
        undated_id = case((matches.c.date.is_(None), matches.c.id))
        order = (matches.c.date.is_(None), matches.c.date.desc(), undated_id, matches.c.id.desc())
    else:
        order = (matches.c.date.is_(None), matches.c.date, matches.c.id)
    page = select(matches.c.date, matches.c.id).order_by(*order).limit(query.limit)
    if query.after:
        if newest_first:
            raise ValueError("after= pages oldest first only")
        anchor = conn.execute(select(schema.events.c.date, schema.events.c.id).where(schema.events.c.id == query.after)).first()
        if anchor is None:
            raise LookupError(query.after)
        key = (literal(anchor.date is None), literal(anchor.date or ""), literal(anchor.id))
        page = page.where(tuple_(matches.c.date.is_(None), func.coalesce(matches.c.date, ""), matches.c.id) > tuple_(*key))
        sort_them: ColumnElement[bool] = literal(True)
    else:
        page = page.offset(query.offset)
        # The listing scan reads about (offset + limit) * events / matches index entries to fill a
        # page; sorting the matches costs about as much as reading a few entries per match.
        n_events = select(func.max(schema.event_terms.c.rowid)).scalar_subquery()
        sort_them = literal(True) if newest_first else literal(query.offset + query.limit) * n_events > 4 * n_matching * n_matching
    rows = page.subquery()
    page_json = select(func.json_group_array(func.json_array(rows.c.date, rows.c.id))).scalar_subquery()
    # Past the cap the matches are never worked out: a CASE evaluates only the branch it takes, so a filter
    # the index narrows too little costs the candidates' count (2 ms) rather than their checks (65 ms+).
    few = n_candidates <= _FEW_MATCHES
    candidates, total, sorted_page = conn.execute(
        select(n_candidates, case((few, n_matching)), case((and_(few, sort_them), page_json))), params
    ).one()
    if candidates > _FEW_MATCHES:
        return None
    if sorted_page is None:  # dense matches: the listing index in order finds the page sooner
        return (listing_page(conn, query, where, total) if total else ([], 0))
    # Sorted again here: an aggregate's input order is not promised by SQL.
    rows = json.loads(sorted_page)
    dated = sorted((r for r in rows if r[0] is not None), key=lambda r: (r[0], r[1]), reverse=newest_first)
    page_rows = dated + sorted((r for r in rows if r[0] is None), key=lambda r: r[1])  # undated last, by id
    return [event_id for _, event_id in page_rows], total


def _narrowed_by_terms(query: EventQuery) -> bool:
    """Whether `indexed_page` tries the trigram or R*Tree index for this query (a place, an actor or a bbox)."""
    place = _indexable(query.place) if query.place and len(query.place) != 2 else None
    return bool(place or _indexable(query.actor) or query.bbox)


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
