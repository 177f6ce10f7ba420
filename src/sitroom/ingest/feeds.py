"""Read RSS 2.0, RSS 1.0/RDF and Atom feeds into Articles.

Feeds are untrusted XML: they are parsed with defusedxml with DTDs, entity declarations and
external references all forbidden, so a billion-laughs or external-entity payload is refused
(recorded as a Rejection), never expanded. A feed with a DOCTYPE is refused too; that only
affects very old RSS 0.91 feeds.
"""

from __future__ import annotations

import copy
import html
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError, tostring

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sitroom.clean import clean_html
from sitroom.errors import InputError, MalformedInput
from sitroom.ingest import web
from sitroom.ingest.sources import (
    feed_item_article_id,
    make_article,
    parse_iso_date,
    rejection,
    site_of,
)
from sitroom.model import Article, Rejection

log = logging.getLogger(__name__)

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# An item whose own text is shorter than this is a teaser: its link is fetched for the full report.
SHORT_SUMMARY_CHARS = 400


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One feed entry: where it links, when it was published and whatever text the feed carries."""

    id: str  # the guid / atom:id, else the link
    title: str | None
    link: str | None
    published: date | None
    summary: str | None = None  # HTML (description / atom:summary)
    content: str | None = None  # HTML (content:encoded / atom:content)


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """The outcome of one conditional request for a feed (for `watch`)."""

    url: str
    not_modified: bool
    etag: str | None
    last_modified: str | None
    title: str | None = None
    items: tuple[FeedItem, ...] = ()


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    value = "".join(element.itertext()).strip()
    return value or None


def _date(value: str | None) -> date | None:
    if not value:
        return None
    value = value.strip()
    try:
        return parsedate_to_datetime(value).date()  # RFC 822, as RSS 2.0 pubDate
    except (TypeError, ValueError, IndexError):
        return parse_iso_date(value)  # ISO 8601, as Atom and dc:date


def _join(base: str | None, link: str | None) -> str | None:
    if not link:
        return None
    link = link.strip()
    if not base:
        return link
    try:
        return str(httpx.URL(base).join(link))
    except (httpx.InvalidURL, ValueError):
        return link


def _atom_content(element: Element | None) -> str | None:
    """Atom text constructs as HTML: type html is HTML already, xhtml is serialised, text is escaped."""
    if element is None:
        return None
    kind = (element.get("type") or "text").lower()
    if kind == "xhtml":
        parts = []
        for child in element:
            child = copy.deepcopy(child)
            for node in child.iter():  # plain tag names: HTML parsers do not read "html:p"
                if isinstance(node.tag, str) and "}" in node.tag:
                    node.tag = node.tag.split("}", 1)[1]
            parts.append(tostring(child, encoding="unicode"))
        return "".join(parts) or None
    value = (element.text or "").strip()
    if not value:
        return None
    if kind in ("html", "text/html"):
        return value
    return "<p>" + html.escape(value) + "</p>"


def _parse_root(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedInput(
            f"refused a feed that declares a DTD, entities or external references ({type(exc).__name__}); "
            "such XML can exhaust memory or read local files, so it is never expanded",
            detail=str(exc),
        ) from None
    except (ParseError, ValueError) as exc:
        raise MalformedInput(f"the feed is not well-formed XML ({exc}); check the feed address", detail=str(exc)) from None


def parse_feed_document(data: bytes, *, base_url: str | None = None) -> tuple[str | None, list[FeedItem]]:
    """The feed's title and items; raises MalformedInput for unsafe, broken or non-feed XML."""
    root = _parse_root(data)
    tag = root.tag
    items: list[FeedItem] = []
    if tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise MalformedInput("the RSS feed has no <channel>; check the feed address")
        title = _text(channel.find("title"))
        for item in channel.findall("item"):
            link = _join(base_url, _text(item.find("link")))
            guid = _text(item.find("guid"))
            items.append(
                FeedItem(
                    id=guid or link or "",
                    title=_text(item.find("title")),
                    link=link,
                    published=_date(_text(item.find("pubDate")) or _text(item.find(f"{DC}date"))),
                    summary=_text(item.find("description")),
                    content=_text(item.find(f"{CONTENT}encoded")),
                )
            )
    elif tag == f"{RDF}RDF":
        channel = root.find(f"{RSS1}channel")
        title = _text(channel.find(f"{RSS1}title")) if channel is not None else None
        for item in root.findall(f"{RSS1}item"):
            link = _join(base_url, _text(item.find(f"{RSS1}link")))
            items.append(
                FeedItem(
                    id=item.get(f"{RDF}about") or link or "",
                    title=_text(item.find(f"{RSS1}title")),
                    link=link,
                    published=_date(_text(item.find(f"{DC}date"))),
                    summary=_text(item.find(f"{RSS1}description")),
                    content=_text(item.find(f"{CONTENT}encoded")),
                )
            )
    elif tag == f"{ATOM}feed":
        title = _text(root.find(f"{ATOM}title"))
        feed_base = _join(base_url, root.get(XML_BASE)) or base_url
        for entry in root.findall(f"{ATOM}entry"):
            base = _join(feed_base, entry.get(XML_BASE)) or feed_base
            link = None
            for candidate in entry.findall(f"{ATOM}link"):
                if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                    link = _join(base, candidate.get("href"))
                    break
            items.append(
                FeedItem(
                    id=_text(entry.find(f"{ATOM}id")) or link or "",
                    title=_text(entry.find(f"{ATOM}title")),
                    link=link,
                    published=_date(_text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated"))),
                    summary=_atom_content(entry.find(f"{ATOM}summary")),
                    content=_atom_content(entry.find(f"{ATOM}content")),
                )
            )
    else:
        raise MalformedInput(f"the XML root <{tag}> is not an RSS or Atom feed; check the feed address")
    return title, items


def parse_feed(data: bytes, *, base_url: str | None = None) -> list[FeedItem]:
    """The items of an RSS 2.0, RSS 1.0/RDF or Atom feed; raises MalformedInput for unsafe or broken XML."""
    return parse_feed_document(data, base_url=base_url)[1]


def poll_feed(url: str, fetcher: web.Fetcher, *, etag: str | None = None, last_modified: str | None = None) -> FeedPoll:
    """Fetch a feed conditionally (ETag / Last-Modified); `not_modified` is True when nothing changed."""
    response = fetcher.fetch_bytes(url, etag=etag, last_modified=last_modified)
    if response.not_modified:
        return FeedPoll(url, True, etag=response.etag or etag, last_modified=response.last_modified or last_modified)
    try:
        title, items = parse_feed_document(response.body, base_url=response.url)
    except MalformedInput as exc:
        exc.origin = url
        raise
    return FeedPoll(url, False, response.etag, response.last_modified, title=title, items=tuple(items))


def _item_article(item: FeedItem, *, feed_url: str, fetcher: web.Fetcher, fetch_links: bool) -> Article | Rejection:
    article_id = feed_item_article_id(item.link, item.id or None, item.title, item.published)
    origin = item.link or f"{feed_url}#{item.id or item.title}"
    own_html = item.content or item.summary or ""
    cleaned = clean_html(own_html, url=item.link, title=item.title) if own_html.strip() else None
    own_text = cleaned.text if cleaned else ""
    if fetch_links and item.link and len(own_text) < SHORT_SUMMARY_CHARS:
        page = fetcher.fetch(item.link)
        if isinstance(page, Article):
            return Article(
                id=article_id,
                text=page.text,
                title=item.title or page.title,
                url=page.url,
                source=page.source,
                published=item.published or page.published,
                origin=origin,
                content_hash=page.content_hash,
            )
        # Keep the teaser rather than lose the item; the page may be readable next time.
        log.warning("could not read %s (%s); using the feed's summary", item.link, getattr(page, "reason", "a feed"))
        if not own_text:
            if isinstance(page, Rejection):
                return page
            return Rejection(origin=item.link, reason=f"{item.link} is itself a feed, not an article; ingest it as a feed")
    if cleaned is None:
        return Rejection(
            origin=origin,
            reason=f"empty: the feed item {item.title or item.id!r} has no text and no link to fetch; nothing to read",
        )
    try:
        return make_article(
            article_id,
            cleaned,
            origin=origin,
            title=item.title,
            url=item.link,
            source=site_of(item.link or feed_url),
            published=item.published,
        )
    except InputError as exc:
        return rejection(exc, origin)


def articles_from_items(
    items: Iterable[FeedItem], *, feed_url: str, fetcher: web.Fetcher, fetch_links: bool = True
) -> Iterator[Article | Rejection]:
    """An Article (or Rejection) per item; teaser-only items have their linked page fetched (unless not `fetch_links`)."""
    for item in items:
        yield _item_article(item, feed_url=feed_url, fetcher=fetcher, fetch_links=fetch_links)


def read_feed_bytes(data: bytes, *, feed_url: str, fetcher: web.Fetcher, fetch_links: bool = True) -> Iterator[Article | Rejection]:
    """Articles from an already fetched (or local) feed document; an unreadable feed is one Rejection."""
    try:
        items = parse_feed(data, base_url=feed_url if "://" in feed_url else None)
    except InputError as exc:
        yield rejection(exc, feed_url)
        return
    yield from articles_from_items(items, feed_url=feed_url, fetcher=fetcher, fetch_links=fetch_links)


def read_feed(url: str, fetcher: web.Fetcher) -> Iterator[Article | Rejection]:
    """Fetch a feed and yield an Article or Rejection per item (one Rejection if the feed is unreadable)."""
    try:
        poll = poll_feed(url, fetcher)
    except InputError as exc:
        yield rejection(exc, url)
        return
    yield from articles_from_items(poll.items, feed_url=url, fetcher=fetcher)
