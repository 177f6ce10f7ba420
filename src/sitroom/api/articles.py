"""GET /api/articles, /api/articles/{id}: the reports as read, their text untouched."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import MAX_LIMIT, MAX_OFFSET, get_store, page_body
from sitroom.api.errors import not_found
from sitroom.store.base import Store

router = APIRouter(prefix="/api/articles", tags=["articles"])


@router.get("")
def list_articles(
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    story: str | None = Query(None, description="only the articles of this story id"),
    store: Store = Depends(get_store),
) -> dict:
    """Articles without their text, newest first."""
    return page_body(store.list_articles(limit=limit, offset=offset, story_id=story))


@router.get("/{article_id}")
def get_article(article_id: str, store: Store = Depends(get_store)) -> dict:
    """One article with its full text (offsets in claims index into `text`)."""
    article = store.get_article(article_id)
    if article is None:
        raise not_found("article", article_id)
    return article
