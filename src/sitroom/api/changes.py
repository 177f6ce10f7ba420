"""GET /api/changes: what changed in the record while the reports of a window of arrival time came in.

The UI's home view: a top line of three to five cited sentences, then new events, events whose
figures, place or date changed, new contradictions (each value once, with who claims it:
sources.claim_positions), ceasefire changes and grown stories (whats_new.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Literal

from fastapi import APIRouter, Depends, Query

from sitroom.api.articles import article_meta
from sitroom.api.cache import cache_of
from sitroom.api.deps import get_store, json_response
from sitroom.api.errors import bad_request
from sitroom.api.schemas import ChangesOut
from sitroom.sources import corroboration, with_positions
from sitroom.store.base import Store
from sitroom.whats_new import (
    RecordDelta,
    ceasefire_status,
    headline,
    parse_window,
    what_changed,
)

router = APIRouter(prefix="/api/changes", tags=["changes"])


# What the home page reads of an event (a table row, a change line, a contradiction with who claims each value).
_COMPACT_EVENT = ("id", "story_id", "date", "date_precision", "event_type", "sub_event_type", "location", "fatalities", "injured",
                  "claims", "contradictions", "independent_sources", "article_ids", "corroboration")
_COMPACT_CLAIM = ("field", "value", "low", "high", "qualifier", "text", "attributed_to")


def _compact_event(record: dict) -> dict:
    """An event cut to what a page shows: no summary, source sentences or evidence; claims keep their span, not its sentence."""
    out = {k: record[k] for k in _COMPACT_EVENT if k in record}
    out["actors"] = [{"name": a.get("name"), "role": a.get("role")} for a in record.get("actors") or ()]
    out["claims"] = [{**{k: c[k] for k in _COMPACT_CLAIM if k in c},
                      "source": {k: (c.get("source") or {}).get(k) for k in ("article_id", "start", "end")}}
                     for c in record.get("claims") or ()]
    return out


def _delta(d: RecordDelta, compact: bool = False) -> dict:
    moved = {name: list(pair) for name, pair in d.detail.items() if pair[0] != pair[1]}
    record = d.record
    if record is not None and d.kind == "event":
        # Each contradiction with its positions: every distinct value once, with who claims it.
        record = {**with_positions(record), "corroboration": corroboration(record)}
        if compact:
            record = _compact_event(record)
    if record is not None and d.kind == "ceasefire":
        record = {**record, "status": ceasefire_status(record.get("ended"), record.get("in_force_from"))}
    return {"kind": d.kind, "id": d.record_id, "change": d.first_change, "at": d.last_at, "moved": moved, "record": record}


@router.get("", response_model=ChangesOut)
def changes(
    since: str = Query("24h", description="how far back, by when reports arrived: 90m, 24h, 7d, 2w"),
    story: str | None = Query(None, description="only this story's events"),
    limit: int = Query(100, ge=1, le=1000, description="records listed per kind of change (the newest); `counts` has them all"),
    view: Literal["full", "compact"] = Query("full", description="compact: events cut to what the home page shows (no summary, "
                                             "source sentences or evidence; each claim keeps its article and span)"),
    store: Store = Depends(get_store),
):
    """What the record gained or changed in the window, keyed by arrival time, with a cited top line."""
    try:
        window = parse_window(since)
    except ValueError as exc:
        raise bad_request(str(exc)) from None
    # The home page's every visit asks for this: kept until the store changes or the minute turns (the page shows
    # the window to the minute); a kept answer is the one made for its own `end`, so what it lists matches its window.
    minute = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M")
    return cache_of(store).response(store, ("changes", since, story, limit, view, minute),
                                    lambda: _changes_answer(store, window, story, limit, view == "compact"))


def _changes_answer(store: Store, window: timedelta, story: str | None, limit: int, compact: bool):
    """The /api/changes answer for a window of arrival time ending now."""
    found = what_changed(store, window, story_id=story, detail=limit)
    cited: list[str] = []

    def cite(article_id: str) -> int:
        if article_id not in cited:
            cited.append(article_id)
        return cited.index(article_id) + 1

    top = [{"sentence": text, "sources": [cited[n - 1] for n in refs]} for text, refs in headline(found, cite)]
    return json_response({
        "start": found.start, "end": found.end, "n_changes": found.n_changes, "headline": top,
        # The top line's sources as a reader sees them (outlet, title, date, link), in citation order.
        "articles": article_meta(store, cited),
        "counts": {"new_events": len(found.new_events), "changed_events": len(found.changed_events),
                   "new_contradictions": len(found.new_contradictions), "ceasefires": len(found.ceasefires),
                   "stories": len(found.stories), "removed": len(found.removed)},
        "new_events": [_delta(d, compact) for d in found.new_events[-limit:]],
        "changed_events": [_delta(d, compact) for d in found.changed_events[-limit:]],
        "new_contradictions": [_delta(d, compact) for d in found.new_contradictions[-limit:]],
        "ceasefires": [_delta(d) for d in found.ceasefires],
        "stories": [_delta(d) for d in found.stories[-limit:]],
        "removed": [{"kind": d.kind, "id": d.record_id, "change": d.first_change, "at": d.last_at} for d in found.removed],
    })
