"""GET /api/stories and /api/stories/{id} (with its events embedded in date order)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse

from sitroom.api.articles import public_article
from sitroom.api.deps import (
    MAX_LIMIT,
    MAX_OFFSET,
    get_store,
    iter_events,
    json_response,
    stored_page_response,
)
from sitroom.api.errors import not_found
from sitroom.api.schemas import StoryDetail, StoryPage
from sitroom.sources import corroboration
from sitroom.store.base import EventQuery, Store

router = APIRouter(prefix="/api/stories", tags=["stories"])


def story_overview(story: dict, events: list[dict]) -> dict:
    """A story record plus counts and the date span of its events."""
    dates = [e["date"] for e in events if e.get("date")]
    best = [e["fatalities"]["best"] for e in events if (e.get("fatalities") or {}).get("best") is not None]
    return {
        **story,
        "n_events": len(events),
        "n_articles": len(story.get("article_ids") or ()),
        "n_contradictions": sum(len(e.get("contradictions") or ()) for e in events),
        "first_date": min(dates) if dates else None,
        "last_date": max(dates) if dates else None,
        "fatalities_best_total": sum(best) if best else None,
    }


@router.get("", response_model=StoryPage)
def list_stories(
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    view: Literal["full", "summary"] = Query(
        "full", description="full: each story record plus its counts; summary: only id, title and the counts (what a list shows)"
    ),
    store: Store = Depends(get_store),
):
    """Stories, most recently active first, each with event/article counts and its date span."""
    empty = {"n_events": 0, "n_contradictions": 0, "first_date": None, "last_date": None, "fatalities_best_total": None}
    if view == "summary":  # read from columns: no story record is loaded
        page = store.list_story_summaries(limit=limit, offset=offset)
        stats = store.story_stats([s["id"] for s in page.items])  # one query for the page, not one per story
        items = [{"id": s["id"], "title": s["title"], **empty, **stats.get(s["id"], {}), "n_articles": s["n_articles"]} for s in page.items]
        return json_response({"items": items, "total": page.total, "limit": page.limit, "offset": page.offset})
    page = store.list_story_json(limit=limit, offset=offset)
    stats = store.story_stats([s.id for s in page.items])
    # The stored records as they are, with the counts appended (no story record has these keys).
    return stored_page_response(page, lambda s: {**empty, **stats.get(s.id, {}), "n_articles": s.n_articles})


@router.get("/{story_id}", response_model=StoryDetail)
def get_story(story_id: str, store: Store = Depends(get_store)):
    """One story with its cited summary, its event records in date order (`events`) and its articles (outlet, title, date, link)."""
    story = store.get_story(story_id)
    if story is None:
        merged_into = store.resolve_alias("story", story_id)
        if merged_into:  # merged into another story: the old id leads to it
            return RedirectResponse(f"/api/stories/{merged_into}", status_code=301)
        raise not_found("story", story_id)
    events = list(iter_events(store, EventQuery(story_id=story_id)))
    ordered = [e["id"] for e in events]
    # Events fused into the story but filed under no story_id still belong to it.
    filed = set(ordered)
    missing = [i for i in story.get("event_ids") or () if i not in filed]
    extra = [e for e in (store.get_event(i) for i in missing) if e]
    events = sorted(events + extra, key=lambda e: (e.get("date") is None, e.get("date") or "", e["id"]))
    overview = story_overview(story, events)
    overview["event_ids"] = [e["id"] for e in events]
    overview["events"] = [{**e, "corroboration": corroboration(e)} for e in events]
    articles = list(store.iter_articles(story_id))
    overview["articles"] = sorted((public_article(a) for a in articles), key=lambda a: (a.get("published") or "", a["id"]))
    return json_response(overview)
