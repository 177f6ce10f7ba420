"""GET /api/stats and /api/rejections: what the store holds and what was skipped, and why."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from sitroom.api.deps import MAX_LIMIT, MAX_OFFSET, get_store, json_response, page_body
from sitroom.api.schemas import RejectionPage, StatsOut
from sitroom.store.base import Store

router = APIRouter(tags=["status"])


@router.get("/api/stats", response_model=StatsOut)
def stats(store: Store = Depends(get_store)) -> Response:
    """Numbers of articles, rejections, events, stories, duplicate groups and ceasefires."""
    return json_response(store.counts())


@router.get("/api/rejections", response_model=RejectionPage)
def rejections(
    limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET), store: Store = Depends(get_store)
) -> Response:
    """Inputs that were skipped, newest first, with the reason and what to do."""
    return json_response(page_body(store.list_rejections(limit=limit, offset=offset)))
