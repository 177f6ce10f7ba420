"""GET /api/ceasefires: each truce's lifecycle and the violations alleged under it."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import MAX_LIMIT, MAX_OFFSET, get_store, json_response, list_body
from sitroom.api.schemas import CeasefirePage
from sitroom.model import ceasefire_status
from sitroom.store.base import Store

# A count that runs from the truce's start ("199 times since it began", "in total", "so far") is a
# running total: it is never drawn on one axis with the counts of one day.
_CUMULATIVE = re.compile(
    r"\b(?:since (?:it|the (?:truce|ceasefire|cease-fire|agreement)) (?:began|started|took effect|came into (?:force|effect))|"
    r"since the start|since \w+ \d{1,2}|in total|a total of|so far|to date|altogether|overall|cumulative)\b",
    re.IGNORECASE,
)


def count_kind(violation: dict) -> str:
    """`cumulative` when the violation's count is a running total since the truce began, else `period`."""
    sentence = (violation.get("source") or {}).get("sentence") or ""
    return "cumulative" if _CUMULATIVE.search(sentence) else "period"

router = APIRouter(prefix="/api/ceasefires", tags=["ceasefires"])


@router.get("", response_model=CeasefirePage)
def list_ceasefires(
    limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET), store: Store = Depends(get_store)
):
    """Ceasefires with their status and alleged violations (each with its source span and whether its count is a running total)."""
    items = [
        {**c, "status": ceasefire_status(c.get("ended"), c.get("in_force_from")), "violations": [{**v, "count_kind": count_kind(v)} for v in c.get("violations") or ()]}
        for c in store.list_ceasefires()
    ]
    return json_response(list_body(items, limit, offset))
