"""GET /api/search: full-text search over article text and event summaries."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import get_store
from sitroom.store.base import Store

router = APIRouter(prefix="/api/search", tags=["search"])


@router.get("")
def search(
    q: str = Query(..., min_length=1, max_length=500, description="words to find; quoted phrases are not needed"),
    limit: int = Query(20, ge=1, le=200),
    store: Store = Depends(get_store),
) -> dict:
    """Ranked matches; each snippet marks the matched words with [ and ]."""
    hits = [asdict(h) for h in store.search(q, limit=limit)]
    return {"items": hits, "total": len(hits), "limit": limit, "offset": 0}
