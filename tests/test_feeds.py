"""Tests for sitroom.ingest.feeds: RSS 2.0, RSS 1.0/RDF, Atom, unsafe XML and link fetching."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from sitroom.errors import MalformedInput
from sitroom.ingest import IngestLimits
from sitroom.ingest.feeds import FeedItem, parse_feed, parse_feed_document, poll_feed, read_feed
from sitroom.ingest.sources import url_article_id
from sitroom.ingest.web import Fetcher
from sitroom.model import Article, Rejection

from fake_web import Server

FIXTURES = Path(__file__).parent / "fixtures"
RSS2 = (FIXTURES / "feed_rss2.xml").read_bytes()
ATOM = (FIXTURES / "feed_atom.xml").read_bytes()
RDF = (FIXTURES / "feed_rdf.xml").read_bytes()
FEED_URL = "https://herald.example.org/rss"
ARTICLE_PAGE = b"""<html><head><title>Ostrin accuses Karvel militias</title><script>var s='SCRIPT-LEAK-PAGE';</script></head>
<body><article><p>The Ostrin defence ministry accused Karvel militias on Saturday of breaking the truce by firing mortars at
its positions near Velmar, the third such accusation this week.</p><p>Karvel officials denied the charge and said Ostrin
forces had shelled the eastern districts of the town overnight, wounding two civilians.</p><p>Monitors said they were
unable to confirm either account and called on both sides to allow them access to the front line.</p></article></body></html>"""


def resolver(host: str, port: int) -> list[str]:
    """A fake DNS: every test host is public except intranet.example.org."""
    return ["10.0.0.7"] if host == "intranet.example.org" else ["93.184.216.34"]


def feed_response(body: bytes, content_type: str = "application/rss+xml") -> httpx.Response:
    return httpx.Response(200, content=body, headers={"content-type": content_type, "etag": '"v1"',
                                                      "last-modified": "Sat, 08 Mar 2031 08:00:00 GMT"})  # fmt: skip


def read(server: Server, url: str = FEED_URL) -> list[Article | Rejection]:
    return list(read_feed(url, Fetcher(IngestLimits(), httpx.MockTransport(server), resolver)))


def test_parse_rss2():
    title, items = parse_feed_document(RSS2, base_url=FEED_URL)
    assert title == "Example Herald: Karvel"
    first, second = items
    assert first == FeedItem(
        id="herald-1001",
        title="Karvel council reports overnight shelling",
        link="https://herald.example.org/karvel/shelling",
        published=date(2031, 3, 7),
        summary="Short teaser about Karvel.",
        content=first.content,
    )
    assert first.content.startswith("<p>Artillery shells struck")
    assert second.link == "https://herald.example.org/ostrin/accusation"  # relative link resolved
    assert second.published == date(2031, 3, 8) and second.content is None


def test_parse_atom():
    title, items = parse_feed_document(ATOM, base_url="https://wire.example.net/atom")
    assert title == "Example Wire"
    first, second = items
    assert first.id == "urn:example:wire:501"
    assert first.link == "https://wire.example.net/stories/501"  # alternate link, xml:base applied; enclosure ignored
    assert first.published == date(2031, 3, 9)
    assert first.summary == "<p>Monitors counted 31 violations.</p>"
    assert first.content.startswith("<p>Observers from the Velmar mission")
    assert second.published == date(2031, 3, 10)  # no <published>: <updated> is used
    assert "Negotiators from Karvel and Ostrin" in second.content and "<p" in second.content


def test_parse_rss1_rdf():
    (item,) = parse_feed(RDF, base_url="https://old.example.com/rss")
    assert item.id == "https://old.example.com/karvel-curfew"
    assert item.title == "Curfew declared in Karvel"
    assert item.published == date(2031, 3, 11)
    assert item.summary.startswith("The Karvel council declared a night curfew")


@pytest.mark.parametrize("fixture", ["billion_laughs.xml", "xxe.xml"])
def test_unsafe_xml_is_refused_not_expanded(fixture):
    data = (FIXTURES / fixture).read_bytes()
    started = time.monotonic()
    with pytest.raises(MalformedInput, match="refused a feed that declares a DTD"):
        parse_feed(data, base_url=None)
    server = Server({FEED_URL: feed_response(data)})
    (rejection,) = read(server)
    assert isinstance(rejection, Rejection)
    assert rejection.origin == FEED_URL and "never expanded" in rejection.reason
    assert "root:" not in rejection.reason and "lollol" not in rejection.reason
    assert server.seen == [FEED_URL]
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("data, message", [(b"<rss><channel><item>", "not well-formed"),
                                           (b"<html><body>hi</body></html>", "not an RSS or Atom feed"),
                                           (b"<rss version='2.0'></rss>", "no <channel>")])  # fmt: skip
def test_broken_or_non_feed_xml(data, message):
    with pytest.raises(MalformedInput, match=message):
        parse_feed(data, base_url=None)


def test_read_feed_uses_item_content_and_fetches_pages_for_teasers():
    link = "https://herald.example.org/ostrin/accusation"
    server = Server({FEED_URL: feed_response(RSS2), link: httpx.Response(200, content=ARTICLE_PAGE, headers={"content-type": "text/html"})})
    first, second = read(server)
    assert server.seen == [FEED_URL, link]  # the first item's full content needs no fetch
    assert first.id == url_article_id("https://herald.example.org/karvel/shelling")
    assert first.title == "Karvel council reports overnight shelling"
    assert first.published == date(2031, 3, 7)
    assert first.text.startswith("Artillery shells struck three streets")
    assert "SCRIPT-LEAK" not in first.text
    assert second.id == url_article_id(link)
    assert second.title == "Ostrin accuses Karvel militias of truce breach"
    assert second.published == date(2031, 3, 8)
    assert "third such accusation" in second.text and "SCRIPT-LEAK" not in second.text
    assert second.source == "herald.example.org"
    assert read(Server(server.routes)) == [first, second]  # re-reading: same ids and hashes


def test_unreachable_item_page_falls_back_to_the_summary():
    server = Server({FEED_URL: feed_response(RSS2)})  # the linked page answers 404
    _, second = read(server)
    assert isinstance(second, Article)
    assert second.text == "Ostrin says militias fired first."


def test_item_link_to_private_address_is_never_fetched():
    feed = RSS2.replace(b"<link>/ostrin/accusation</link>", b"<link>http://intranet.example.org/secret</link>")
    server = Server({FEED_URL: feed_response(feed)})
    _, second = read(server)
    assert "http://intranet.example.org/secret" not in server.seen
    assert second.text == "Ostrin says militias fired first."


def test_atom_feed_read_end_to_end():
    url = "https://wire.example.net/atom"
    server = Server({url: feed_response(ATOM, "application/atom+xml")})
    first, second = read(server, url)
    assert first.title == "Velmar monitors count 31 violations"
    assert "31 ceasefire violations" in first.text
    assert second.text.startswith("Negotiators from Karvel and Ostrin")
    assert server.seen == [url]


def test_unreachable_feed_is_one_rejection():
    (rejection,) = read(Server({}))
    assert "HTTP 404" in rejection.reason


def test_poll_feed_conditional_requests():
    def conditional(request):
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return feed_response(RSS2)

    transport = httpx.MockTransport(Server({FEED_URL: conditional}))
    first = poll_feed(FEED_URL, Fetcher(IngestLimits(), transport, resolver))
    assert not first.not_modified and len(first.items) == 2
    assert first.etag == '"v1"' and first.last_modified == "Sat, 08 Mar 2031 08:00:00 GMT"
    again = poll_feed(FEED_URL, Fetcher(IngestLimits(), transport, resolver), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.items == ()
    assert again.etag == '"v1"' and again.last_modified == first.last_modified
