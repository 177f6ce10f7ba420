"""POST /api/geoparse: every place an article names, with its character span (as `sitroom geoparse` prints).

The body is one article, `{"id"?, "text"}` or `{"id"?, "html"}`; the answer is
`{"id", "places": [{"text", "start", "end", "geonames_id", "name", "country", "admin1", "lat",
"lon", "feature", "precision"}]}`. Nothing is stored, so no token is needed.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool

from sitroom.geoparse import geoparse_record

router = APIRouter(prefix="/api/geoparse", tags=["geoparse"])

# A long feature article is 50k characters; the tagger's time grows with the text.
MAX_CHARS = 200_000


class GeoparseArticle(BaseModel):
    """One article to geoparse: its text, or an HTML page to take the main text from."""

    id: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=MAX_CHARS)
    html: str | None = Field(None, max_length=5 * MAX_CHARS)
    url: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _has_text(self) -> GeoparseArticle:
        if self.text is None and not (self.html and self.html.strip()):
            raise ValueError('give the article as "text" (or "html")')
        return self


class Place(BaseModel):
    """One place mention: its span in the text and the place it means."""

    text: str
    start: int
    end: int
    geonames_id: int | None
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str | None
    precision: str


class GeoparseResult(BaseModel):
    """The places of one article, in text order (`text` only for an HTML article: the spans index it)."""

    id: str | None
    places: list[Place]
    text: str | None = None


@router.post("", response_model=GeoparseResult, response_model_exclude_unset=True)
async def geoparse(article: GeoparseArticle) -> dict:
    """Find and resolve every place the article names (offline gazetteer, the article's own context)."""
    return await run_in_threadpool(geoparse_record, article.model_dump(exclude_none=True))
