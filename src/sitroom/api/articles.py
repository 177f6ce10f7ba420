"""GET /api/articles, /api/articles/{id}: the reports as read, their text untouched.

What a reader needs to judge a source comes with every article: outlet, title, date, and `link`, its
URL when that is http(s) (a `javascript:` or `file:` URL is never offered as a link). Where the
article was read from (`origin`) is given as a file name only: a server's folders are not the
reader's business.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import MAX_LIMIT, MAX_OFFSET, get_store, json_response, page_body
from sitroom.api.errors import bad_request, not_found
from sitroom.api.schemas import ArticleOut, ArticlePage
from sitroom.sources import safe_url
from sitroom.store.base import Store

router = APIRouter(prefix="/api/articles", tags=["articles"])
MAX_IDS = 500


def public_article(article: dict) -> dict:
    """An article as served: `link` added, a local `origin` cut to its file name."""
    out = dict(article)
    origin = out.get("origin")
    if origin and not safe_url(origin):
        out["origin"] = posixpath.basename(origin.replace("\\", "/")) or None
    out["link"] = safe_url(out.get("url"))
    return out


def article_meta(store: Store, ids: Iterable[str]) -> list[dict]:
    """Outlet, title, date and link of each article id found, in the order given, without the text."""
    out = []
    for article_id in dict.fromkeys(ids):
        article = store.get_article(article_id)
        if article is None:
            continue
        article.pop("text", None)
        out.append(public_article(article))
    return out


@router.get("", response_model=ArticlePage)
def list_articles(
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    story: str | None = Query(None, description="only the articles of this story id"),
    ids: str | None = Query(None, description=f"only these article ids, comma-separated (at most {MAX_IDS})"),
    store: Store = Depends(get_store),
):
    """Articles without their text, newest first (or in the order of `ids`)."""
    if ids is not None:
        wanted = [i for i in ids.split(",") if i]
        if len(wanted) > MAX_IDS:
            raise bad_request(f"ids= holds {len(wanted)} ids; ask for at most {MAX_IDS} at a time")
        items = article_meta(store, wanted)
        return json_response({"items": items, "total": len(items), "limit": max(len(items), 1), "offset": 0})
    page = store.list_articles(limit=limit, offset=offset, story_id=story)
    body = page_body(page)
    body["items"] = [public_article(a) for a in body["items"]]
    return json_response(body)


@router.get("/{article_id}", response_model=ArticleOut)
def get_article(article_id: str, store: Store = Depends(get_store)):
    """One article with its full text (offsets in claims index into `text`)."""
    article = store.get_article(article_id)
    if article is None:
        raise not_found("article", article_id)
    return json_response(public_article(article))
