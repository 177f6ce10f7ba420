"""GET /api/export/events|stories|duplicates: streamed files in the CLI's formats."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from sitroom import export
from sitroom.api.deps import article_sources, event_filters, get_store, iter_events
from sitroom.store.base import EventQuery, Store

router = APIRouter(prefix="/api/export", tags=["exports"])

MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}


def _download(chunks, name: str, fmt: str) -> StreamingResponse:
    return StreamingResponse(
        (c.encode() for c in chunks),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@router.get("/events")
def export_events(
    format: Literal["jsonl", "csv", "geojson"] = Query("jsonl"),
    excel: bool = Query(False, description="CSV only: start with a UTF-8 byte order mark, for spreadsheet programs"),
    query: EventQuery = Depends(event_filters),
    store: Store = Depends(get_store),
) -> StreamingResponse:
    """All matching events as JSONL, ACLED-style CSV or GeoJSON (takes the /api/events filters)."""
    sources = article_sources(store) if format == "csv" else None
    return _download(export.iter_events(iter_events(store, query), format, sources, excel=excel), "sitroom-events", format)


@router.get("/stories")
def export_stories(store: Store = Depends(get_store)) -> StreamingResponse:
    """Every story record as JSONL, its event ids in date order."""
    dates = {e["id"]: e.get("date") for e in iter_events(store)}
    return _download(export.iter_jsonl(export.stories_in_event_order(store.iter_stories(), dates)), "sitroom-stories", "jsonl")


@router.get("/duplicates")
def export_duplicates(
    kind: Literal["exact", "near", "paraphrase"] | None = Query(None), store: Store = Depends(get_store)
) -> StreamingResponse:
    """Every duplicate group as JSONL."""
    return _download(export.iter_jsonl(store.iter_duplicates(kind)), "sitroom-duplicates", "jsonl")
