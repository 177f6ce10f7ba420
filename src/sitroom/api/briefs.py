"""GET /api/brief: the situation brief as Markdown or a standalone HTML page."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, PlainTextResponse

from sitroom.api.deps import get_store
from sitroom.api.errors import bad_request, not_found
from sitroom.brief import make_brief
from sitroom.store.base import Store
from sitroom.whats_new import parse_window

router = APIRouter(prefix="/api/brief", tags=["brief"])

# The HTML brief carries its own <style> so it can be mailed as is; it has no script.
BRIEF_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'"


@router.get("")
def brief(
    # Bounded: a window of a million days overflows date arithmetic (a 500 found by schemathesis).
    days: float | None = Query(None, gt=0, le=36_500, description="only events within this many days of the newest event (by event date)"),
    since: str | None = Query(None, description="what changed while the reports of this window arrived: 90m, 24h, 7d, 2w"),
    story: str | None = Query(None, description="brief one story only"),
    format: Literal["md", "html"] = Query("md"),
    store: Store = Depends(get_store),
):
    """A situation report: a cited top line of what changed (with `since`), events by date with figures and who claims them, contradictions, ceasefires."""
    if story and store.get_story(story) is None:
        raise not_found("story", story)
    try:
        window = parse_window(since) if since else None
    except ValueError as exc:
        raise bad_request(str(exc)) from None
    text = make_brief(store, since=window, story_id=story, fmt=format, days=timedelta(days=days) if days else None)
    if format == "html":
        return HTMLResponse(text, headers={"Content-Security-Policy": BRIEF_CSP})
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")
