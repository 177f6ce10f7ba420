"""GET /api/events, /api/events/map, /api/events/{id}, /api/events/{id}/claims and /api/contradictions."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import replace
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse

from sitroom.api.articles import article_meta
from sitroom.api.cache import cache_of
from sitroom.api.deps import (
    MAX_LIMIT,
    MAX_OFFSET,
    event_filters,
    get_store,
    iter_records,
    json_response,
    list_body,
    newest_first_page,
    stored_page_response,
)
from sitroom.api.errors import bad_request, not_found
from sitroom.api.schemas import ClaimPage, ContradictionPage, EventOut, EventPage, MapOut
from sitroom.export import country_numeric
from sitroom.sources import SOURCE_CLASSES, annotate_event, claim_positions, corroboration
from sitroom.store.base import EventQuery, Store, StoredRecord

router = APIRouter(tags=["events"])
MAX_MAP_EVENTS = 5000


def _corroboration(record: StoredRecord) -> dict:
    """The keys a listing adds to each stored event: its Airwars-style corroboration label."""
    return {"corroboration": corroboration(json.loads(record.json))}


@router.get("/api/events", response_model=EventPage)
def list_events(
    query: EventQuery = Depends(event_filters),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    after: str | None = Query(
        None, description="an event id: the page starts after it (keyset paging; pass the last id of the previous page, offset=0)"
    ),
    sort: Literal["date", "-date"] = Query("date", description="date: oldest first; -date: newest first (undated last either way)"),
    store: Store = Depends(get_store),
):
    """Event records matching every filter given, by date then id (undated last), each with its corroboration."""
    query = replace(query, limit=limit, offset=offset, after=after)
    if sort == "-date":
        if after:
            raise bad_request("after= pages oldest first only; with sort=-date page with offset=")
        # The events page's own request: kept until the store changes (api/cache.py).
        return cache_of(store).response(store, ("events", query, sort),
                                        lambda: stored_page_response(newest_first_page(store, query), _corroboration))
    try:
        return stored_page_response(store.query_event_json(query), _corroboration)
    except LookupError:
        raise bad_request(f"after={after!r}: no event has this id; pass the id of the last event of the previous page") from None


@router.get("/api/events/map", response_model=MapOut)
def events_map(
    query: EventQuery = Depends(event_filters),
    limit: int = Query(2000, ge=1, le=MAX_MAP_EVENTS, description="at most this many events, the newest"),
    store: Store = Depends(get_store),
):
    """The places of the newest `limit` matching events, one point per place, for the UI's maps."""
    query = replace(query, limit=limit, offset=0, after=None)
    return cache_of(store).response(store, ("map", query), lambda: _map_points(store, query))


def _map_points(store: Store, query: EventQuery):
    """The /api/events/map answer for `query` (its limit: the newest that many)."""
    page = newest_first_page(store, query)
    points: dict[tuple, dict] = {}
    missing = 0
    for record in page.items:
        event = _map_fields(record)
        loc = event.get("location") or {}
        if loc.get("lat") is None or loc.get("lon") is None:
            missing += 1
            continue
        # One point per place; a country-level event's point is its country, wherever the gazetteer put its centre
        # (two country-level events of Syria with different centroids are one shape on the map, not two stacked).
        key = ("country", loc.get("country")) if loc.get("precision") == "country" and loc.get("country") else \
            (round(loc["lat"], 4), round(loc["lon"], 4), loc.get("precision"))
        point = points.setdefault(key, {
            "lat": loc["lat"], "lon": loc["lon"], "place": loc.get("name"), "country": loc.get("country"),
            "country_numeric": _numeric(loc.get("country")), "admin1": loc.get("admin1"),
            "precision": loc.get("precision"), "n": 0, "killed": None, "contested": 0, "latest": None, "event_ids": [],
        })
        point["n"] += 1
        best = (event.get("fatalities") or {}).get("best")
        if best is not None:
            point["killed"] = (point["killed"] or 0) + best
        point["contested"] += bool(event.get("contradictions"))
        if event.get("date") and (point["latest"] is None or event["date"] > point["latest"]):
            point["latest"] = event["date"]
        if len(point["event_ids"]) < 50:
            point["event_ids"].append(event["id"])
    return json_response({"points": list(points.values()), "total": page.total, "shown": len(page.items), "without_coordinates": missing})


_MAP_KEYS = ("contradictions", "date", "fatalities", "location")


def _map_fields(record: StoredRecord) -> dict:
    """The keys a map point reads of a stored event, decoded on their own (a quarter of the time of the whole record).

    As `_contradictions_of`: records are stored with sorted keys and no object before these keys
    has a key of their names, so each first `"key":` is the top-level one; anything else is decoded whole.
    """
    out: dict = {"id": record.id}
    for key in _MAP_KEYS:
        at = record.json.find(f'"{key}":')
        if at == -1:
            return json.loads(record.json)
        try:
            out[key], _ = _DECODER.raw_decode(record.json, at + len(key) + 3)
        except ValueError:
            return json.loads(record.json)
    return out


def _numeric(code: str | None) -> str | None:
    """The ISO 3166-1 numeric code, zero-padded as the vendored world atlas names its countries ("760")."""
    number = country_numeric(code)
    return f"{number:03d}" if number is not None else None


def served_event(store: Store, event: dict) -> dict:
    """An event as the API serves it: claims with their source class, its corroboration, its articles described."""
    meta = article_meta(store, event.get("article_ids") or [s["article_id"] for s in event.get("sources") or ()])
    served = annotate_event(event, {a["id"]: a.get("source") for a in meta})
    served["articles"] = meta
    return served


@router.get("/api/events/{event_id}", response_model=EventOut)
def get_event(event_id: str, store: Store = Depends(get_store)):
    """One event record with its claims (each with its source class), contradictions (each value once, with who
    claims it), sources, articles and its story's title."""
    event = store.get_event(event_id)
    if event is None:
        merged_into = store.resolve_alias("event", event_id)
        if merged_into:  # merged into another event: a bookmarked or cited id still leads somewhere
            return RedirectResponse(f"/api/events/{merged_into}", status_code=301)
        raise not_found("event", event_id)
    served = served_event(store, event)
    story = store.get_story(event["story_id"]) if event.get("story_id") else None
    served["story_title"] = story.get("title") if story else None
    return json_response(served)


@router.get("/api/events/{event_id}/claims", response_model=ClaimPage)
def event_claims(
    event_id: str,
    source_class: Literal["party", "government", "monitor", "media", "other"] | None = Query(
        None, description="only claims from this kind of source: " + "; ".join(f"{k}: {v}" for k, v in SOURCE_CLASSES.items())
    ),
    store: Store = Depends(get_store),
):
    """Every figure reported for one event, each with its index, who claims it, their source class and the source span."""
    event = store.get_event(event_id)
    if event is None:
        raise not_found("event", event_id)
    served = served_event(store, event)
    items = [{"index": i, "event_id": event_id, **claim} for i, claim in enumerate(served["claims"])]
    if source_class:
        items = [c for c in items if c["source_class"] == source_class]
    return json_response(list_body(items, max(len(items), 1), 0))


def flatten_contradictions(event: dict) -> list[dict]:
    """An event's contradictions with the event's id, date and place, its distinct values and who claims each."""
    claims = event.get("claims") or []
    loc = event.get("location") or {}
    out = []
    for n, contra in enumerate(event.get("contradictions") or ()):
        out.append(
            {
                "event_id": event["id"],
                "index": n,
                "story_id": event.get("story_id"),
                "date": event.get("date"),
                "place": loc.get("name"),
                "event_type": event.get("event_type"),
                "sub_event_type": event.get("sub_event_type"),
                **contra,
                "positions": claim_positions(contra, claims),
                "claim_details": [claims[i] | {"index": i} for i in contra.get("claims") or () if 0 <= i < len(claims)],
            }
        )
    return out


@router.get("/api/contradictions", response_model=ContradictionPage)
def list_contradictions(
    story: str | None = Query(None, description="only the contradictions of this story's events"),
    field: str | None = Query(None, description="fatalities, injured or responsibility"),
    sort: Literal["date", "-date"] = Query("date", description="by their event's date: date oldest first, -date newest first"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    count: bool = Query(True, description="false: with sort=-date, read only the newest events the page needs; `total` is then null"),
    store: Store = Depends(get_store),
):
    """Every event's contradictions, flattened, with the event id, the distinct values and who claims each.

    Walks the contested events only (a partial index holds them) and spells out just the page's
    contradictions; `total` counts them all (a walk over every contested event: `count=false` skips it).
    """
    if not count and sort == "-date":
        # The contradictions page's own request: kept until the store changes (api/cache.py).
        return cache_of(store).response(store, ("contradictions", story, field, limit, offset), lambda: json_response(
            {"items": _newest_contradictions(store, story, field, limit, offset), "total": None, "limit": limit, "offset": offset}))
    total = 0
    picked: list[tuple[StoredRecord, int]] = []
    newest_window: deque = deque(maxlen=offset + limit)  # the last offset + limit seen, for sort=-date
    for record in iter_records(store, EventQuery(story_id=story, contested=True)):
        for n, contra in enumerate(_contradictions_of(record.json)):
            if field is not None and contra.get("field") != field:
                continue
            if sort == "-date":
                newest_window.append((record, n))
            elif offset <= total < offset + limit:
                picked.append((record, n))
            total += 1
    if sort == "-date":
        picked = list(reversed(newest_window))[offset : offset + limit]
    decoded: dict[str, dict] = {}
    items = [flatten_contradictions(decoded.setdefault(r.id, json.loads(r.json)))[n] for r, n in picked]
    return json_response({"items": items, "total": total, "limit": limit, "offset": offset})


def _newest_contradictions(store: Store, story: str | None, field: str | None, limit: int, offset: int) -> list[dict]:
    """The page of contradictions, newest event first, reading contested events newest first until it is full."""
    wanted, seen, items, events_offset = offset + limit, 0, [], 0
    query = EventQuery(story_id=story, contested=True)
    while seen < wanted:
        page = newest_first_page(store, replace(query, limit=200, offset=events_offset))
        for record in page.items:
            for n, contra in enumerate(_contradictions_of(record.json)):
                if field is not None and contra.get("field") != field:
                    continue
                if offset <= seen < wanted:
                    items.append(flatten_contradictions(json.loads(record.json))[n])
                seen += 1
        events_offset += len(page.items)
        if not page.items or events_offset >= page.total:
            break
    return items


_DECODER = json.JSONDecoder()
_CONTRADICTIONS_KEY = '"contradictions":'


def _contradictions_of(stored_json: str) -> list:
    """An event's contradictions read from its stored JSON without decoding the rest (its claims are most of it).

    Records are stored with sorted keys and no key before `contradictions` holds one of that name, so
    its first occurrence is the top-level key; anything unexpected falls back to decoding it all.
    """
    at = stored_json.find(_CONTRADICTIONS_KEY)
    if at != -1:
        try:
            value, _ = _DECODER.raw_decode(stored_json, at + len(_CONTRADICTIONS_KEY))
            if isinstance(value, list):
                return value
        except ValueError:
            pass
    return json.loads(stored_json).get("contradictions") or []
