"""GET /api/stats and /api/rejections: what the store holds and what was skipped, and why."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import MAX_LIMIT, MAX_OFFSET, get_store, page_body
from sitroom.store.base import Store

router = APIRouter(tags=["status"])


@router.get("/api/stats")
def stats(store: Store = Depends(get_store)) -> dict:
    """Numbers of articles, rejections, events, stories, duplicate groups and ceasefires."""
    return store.counts()


@router.get("/api/rejections")
def rejections(
    limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET), store: Store = Depends(get_store)
) -> dict:
    """Inputs that were skipped, newest first, with the reason and what to do."""
    return page_body(store.list_rejections(limit=limit, offset=offset))
