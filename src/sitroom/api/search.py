"""GET /api/search: full-text search over articles, events and stories that forgives spelling (store/search.py)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import get_store, json_response
from sitroom.api.schemas import SearchPage
from sitroom.store.base import Store

router = APIRouter(prefix="/api/search", tags=["search"])


@router.get("", response_model=SearchPage)
def search(
    q: str = Query(
        ..., min_length=1, max_length=500,
        description='words to find, all of them; "quoted words" as a phrase. Place names match their other spellings '
        "(Deir ez-Zor, Dayr az Zawr), and ceasefire, cease-fire and truce one another",
    ),
    limit: int = Query(20, ge=1, le=200),
    store: Store = Depends(get_store),
):
    """Ranked matches, each with its date and place (events) or date, outlet and link (articles); snippets mark matches with [ ]."""
    hits = [asdict(h) for h in store.search(q, limit=limit)]
    return json_response({"items": hits, "total": len(hits), "limit": limit, "offset": 0})
