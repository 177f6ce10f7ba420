"""The event listing on every backend: the WHERE clause of an `EventQuery` and its pages of ids.

Listings are ordered undated-last, then by date and id (the lead of `ix_events_listing`), so a
page is read from that index in order and only its own payloads are fetched. SQLite can narrow
place, actor and bbox filters further with its own indexes first (`store/sqlite.py`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from sitroom.store import schema
from sitroom.store.base import EventQuery, Page, StoredRecord
from sitroom.store.chunked import mapping_in

# Newest first: a filter leaving at most this many events is sorted by the database in one query (a few ms
# from an index that holds the filter's columns); past it the API reads recent windows (api/deps.py).
SORT_MATCHES = 20_000

def event_filter(query: EventQuery) -> ColumnElement | None:
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


def listing_page(conn: Connection, query: EventQuery, where: ColumnElement | None, total: int | None = None) -> tuple[list[str], int]:
    """A page of matching ids read in listing order from the listing index, and the number of matches (unless given)."""
    t = schema.events
    if query.after:
        matching = select(t.c.id) if where is None else select(t.c.id).where(where)
        ids = ids_after(conn, matching, query.after, query.limit)
    else:
        page = select(t.c.id).order_by(*schema.LISTING_ORDER).limit(query.limit).offset(query.offset)
        ids = list(conn.execute(page if where is None else page.where(where)).scalars())
        if total is None and len(ids) < query.limit and (ids or not query.offset):
            return ids, query.offset + len(ids)  # a short page is the last one: no count needed
    if total is not None:
        return ids, total
    count = select(func.count()).select_from(t)
    return ids, conn.execute(count if where is None else count.where(where)).scalar_one()


def ids_after(conn: Connection, matching: Select, event_id: str, limit: int) -> list[str]:
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


def records_page(conn: Connection, query: EventQuery, ids: list[str], total: int) -> Page:
    """The page of these event ids, in this order, with their stored JSON."""
    payloads = mapping_in(conn, schema.events.c.id, schema.events.c.payload, ids)
    return Page([StoredRecord(i, payloads[i]) for i in ids if i in payloads], total, query.limit, query.offset)


def _newest_first(page: Select) -> Select:
    """Dated events newest first, then the undated by id, as every listing has them."""
    t = schema.events
    return page.order_by(t.c.date.is_(None), t.c.date.desc(), case((t.c.date.is_(None), t.c.id)), t.c.id.desc())


def newest_first_ids(conn: Connection, query: EventQuery, where: ColumnElement) -> tuple[list[str], int] | None:
    """A newest-first page of ids and the total, sorted by the database when at most `SORT_MATCHES` match, else None.

    The count reads an index; the sort then costs a few ms (country=SY and contested at 100,000
    events: 2,956 matches). Reading the oldest-first listing backwards instead read the tail's
    payloads to tell the dated from the undated: 2,000 of them for the map's 500.
    """
    t = schema.events
    total = conn.execute(select(func.count()).select_from(t).where(where)).scalar_one()
    if total > SORT_MATCHES:
        return None
    page = _newest_first(select(t.c.id).where(where)).limit(query.limit).offset(query.offset)
    return list(conn.execute(page).scalars()), total


def newest_first_scan(conn: Connection, query: EventQuery, where: ColumnElement) -> tuple[list[str], int]:
    """A newest-first page and the number of matches from one pass over a covering index, the matches sorted.

    For a filter whose count costs as much as the scan (a substring of the place or actors that
    SQLite's trigram index narrows too little, such as place=aleppo with killed >= 1): one pass
    where the generic newest-first reading takes a query per step back through the listing.
    """
    t = schema.events
    rows = conn.execute(_newest_first(select(t.c.id, func.count().over().label("total")).where(where))
                        .limit(query.limit).offset(query.offset)).all()
    if rows:
        return [r.id for r in rows], rows[0].total
    # a page past the end carries no count: count alone
    return [], conn.execute(select(func.count()).select_from(t).where(where)).scalar_one()
