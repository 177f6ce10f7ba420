"""GET /api/duplicates: passages copied or reworded across articles."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Response

from sitroom.api.deps import MAX_LIMIT, MAX_OFFSET, get_store, json_response, page_body
from sitroom.api.schemas import DuplicatePage
from sitroom.store.base import Store

router = APIRouter(prefix="/api/duplicates", tags=["duplicates"])


@router.get("", response_model=DuplicatePage)
def list_duplicates(
    kind: Literal["exact", "near", "paraphrase"] | None = Query(None),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    store: Store = Depends(get_store),
) -> Response:
    """Duplicate groups, optionally of one kind."""
    return json_response(page_body(store.list_duplicates(limit=limit, offset=offset, kind=kind)))
