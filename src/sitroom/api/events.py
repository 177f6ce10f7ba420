"""GET /api/events, /api/events/{id}, /api/events/{id}/claims and /api/contradictions."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import (
    MAX_LIMIT, MAX_OFFSET, event_filters, get_store, iter_events, json_response, list_body, stored_page_response,
)
from sitroom.api.errors import bad_request, not_found
from sitroom.store.base import EventQuery, Store

router = APIRouter(tags=["events"])


@router.get("/api/events")
def list_events(
    query: EventQuery = Depends(event_filters),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    after: str | None = Query(
        None, description="an event id: the page starts after it (keyset paging; pass the last id of the previous page, offset=0)"
    ),
    store: Store = Depends(get_store),
) -> dict:
    """Event records matching every filter given, by date then id (undated last)."""
    try:
        return stored_page_response(store.query_event_json(replace(query, limit=limit, offset=offset, after=after)))
    except LookupError:
        raise bad_request(f"after={after!r}: no event has this id; pass the id of the last event of the previous page") from None


@router.get("/api/events/{event_id}")
def get_event(event_id: str, store: Store = Depends(get_store)) -> dict:
    """One event record with its claims, contradictions and sources."""
    event = store.get_event(event_id)
    if event is None:
        raise not_found("event", event_id)
    return json_response(event)


@router.get("/api/events/{event_id}/claims")
def event_claims(event_id: str, store: Store = Depends(get_store)) -> dict:
    """Every figure reported for one event, each with its index, who claims it and its source span."""
    event = store.get_event(event_id)
    if event is None:
        raise not_found("event", event_id)
    items = [{"index": i, "event_id": event_id, **claim} for i, claim in enumerate(event.get("claims") or ())]
    return list_body(items, max(len(items), 1), 0)


def flatten_contradictions(event: dict) -> list[dict]:
    """An event's contradictions with the event's id, date and place, and each disagreeing claim spelled out."""
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
                "claim_details": [claims[i] | {"index": i} for i in contra.get("claims") or () if 0 <= i < len(claims)],
            }
        )
    return out


@router.get("/api/contradictions")
def list_contradictions(
    story: str | None = Query(None, description="only the contradictions of this story's events"),
    field: str | None = Query(None, description="fatalities, injured or responsibility"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    store: Store = Depends(get_store),
) -> dict:
    """Every event's contradictions, flattened, with the event id and the claims that disagree."""
    items = [
        c
        for event in iter_events(store, EventQuery(story_id=story))
        for c in flatten_contradictions(event)
        if field is None or c["field"] == field
    ]
    return list_body(items, limit, offset)
