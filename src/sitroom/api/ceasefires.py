"""GET /api/ceasefires: each truce's lifecycle and the violations alleged under it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import MAX_LIMIT, MAX_OFFSET, get_store, list_body
from sitroom.store.base import Store

router = APIRouter(prefix="/api/ceasefires", tags=["ceasefires"])


def status_of(ceasefire: dict) -> str:
    """`collapsed`, `in force` or `announced`, from the lifecycle dates."""
    if ceasefire.get("ended"):
        return "collapsed"
    if ceasefire.get("in_force_from"):
        return "in force"
    return "announced"


@router.get("")
def list_ceasefires(
    limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET), store: Store = Depends(get_store)
) -> dict:
    """Ceasefires with their status and alleged violations (each with its source span)."""
    items = [{**c, "status": status_of(c)} for c in store.list_ceasefires()]
    return list_body(items, limit, offset)
