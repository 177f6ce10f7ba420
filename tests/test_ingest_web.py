"""Tests for sitroom.ingest.web: safe fetching (SSRF, redirects, caps, timeouts) with a mock transport."""

from __future__ import annotations

import gzip
import socket
import time
import zlib
from pathlib import Path

import httpx
import pytest

from sitroom.errors import BlockedAddress, UnsupportedInput
from sitroom.ingest import IngestLimits
from sitroom.ingest.sources import normalise_url, url_article_id
from sitroom.ingest.web import FeedDocument, check_url, fetch, fetch_bytes, is_blocked_address, xml_root_name
from sitroom.model import Article, Rejection

from fake_web import Server

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = (FIXTURES / "page.html").read_bytes()
PUBLIC = "93.184.216.34"
HOSTS = {
    "herald.example.org": [PUBLIC],
    "wire.example.net": ["2606:2800:220:1:248:1893:25c8:1946"],
    "intranet.example.org": ["192.168.1.10"],
    "mixed.example.org": [PUBLIC, "10.1.2.3"],
    "localhost": ["127.0.0.1", "::1"],
}


def resolver(host: str, port: int) -> list[str]:
    """A fake DNS: tests never touch the network."""
    if host not in HOSTS:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return HOSTS[host]


def get(url: str, server: Server, **limits) -> Article | Rejection | FeedDocument:
    return fetch(url, limits=IngestLimits(**limits), transport=httpx.MockTransport(server), resolver=resolver)


def html(body: bytes = PAGE, **headers) -> httpx.Response:
    return httpx.Response(200, content=body, headers={"content-type": "text/html; charset=utf-8", **headers})


def redirect(to: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"location": to})


def test_fetch_normal_page():
    url = "https://herald.example.org/karvel/flee"
    article = get(url, Server({url: html()}))
    assert isinstance(article, Article)
    assert article.id == url_article_id(url)
    assert article.title == "Karvel residents flee as shelling intensifies"
    assert article.url == url and article.origin == url
    assert article.source == "herald.example.org"
    assert "SCRIPT-LEAK" not in article.text
    assert get(url, Server({url: html()})) == article  # same input, same article


def test_url_ids_ignore_tracking_parameters_and_fragments():
    assert normalise_url("HTTPS://Herald.Example.org:443/a?utm_source=x&id=3#top") == "https://herald.example.org/a?id=3"
    assert url_article_id("https://herald.example.org/a?id=3&utm_medium=rss") == url_article_id("https://herald.example.org/a?id=3")


def test_fetch_plain_text_page():
    url = "http://herald.example.org/wire.txt"
    body = "Karvel talks resume\n\nTalks resumed in Velmar on Monday.".encode()
    article = get(url, Server({url: httpx.Response(200, content=body, headers={"content-type": "text/plain"})}))
    assert article.title == "Karvel talks resume"
    assert article.text == "Talks resumed in Velmar on Monday."


def test_fetch_follows_redirects_to_public_hosts():
    start, end = "http://herald.example.org/old", "https://wire.example.net/new"
    article = get(start, Server({start: redirect("https://wire.example.net/new", 301), end: html()}))
    assert isinstance(article, Article)
    assert article.id == url_article_id(start) and article.url == end


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/admin",
        "http://10.0.0.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost/",
        "http://intranet.example.org/",
        "http://mixed.example.org/",
    ],
)
def test_redirect_to_private_address_is_refused_before_any_request(target):
    start = "https://herald.example.org/story"
    server = Server({start: redirect(target)})
    rejection = get(start, server)
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("refused to fetch")
    assert "allow_private_addresses" in rejection.reason
    assert server.seen == [start]  # the private target was never requested


def test_direct_private_address_is_refused():
    server = Server({})
    rejection = get("http://169.254.169.254/latest/meta-data/", server)
    assert isinstance(rejection, Rejection) and "non-public address 169.254.169.254" in rejection.reason
    assert server.seen == []
    with pytest.raises(BlockedAddress):
        check_url("http://10.0.0.1/", limits=IngestLimits(), resolver=resolver)


def test_private_addresses_allowed_when_configured():
    url = "http://10.0.0.5/report"
    assert isinstance(get(url, Server({url: html()}), allow_private_addresses=True), Article)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.1.1", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
                                     "224.0.0.1", "240.0.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "bogus"])  # fmt: skip
def test_is_blocked_address(address):
    assert is_blocked_address(address)


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_not_blocked(address):
    assert not is_blocked_address(address)


def test_too_many_redirects():
    routes = {f"http://herald.example.org/{i}": redirect(f"/{i + 1}") for i in range(10)}
    rejection = get("http://herald.example.org/0", Server(routes), max_redirects=3)
    assert "redirected more than 3 times" in rejection.reason


def test_body_larger_than_the_cap_by_content_length():
    url = "http://herald.example.org/big"
    rejection = get(url, Server({url: html(b"x" * 5000)}), max_fetch_bytes=1000)
    assert rejection.reason.startswith("too large")


def test_endless_streamed_body_is_cut_at_the_cap():
    url = "http://herald.example.org/endless"

    def endless():
        while True:
            yield b"<p>Karvel</p>" * 1000

    response = httpx.Response(200, content=endless(), headers={"content-type": "text/html"})
    rejection = get(url, Server({url: response}), max_fetch_bytes=100_000)
    assert isinstance(rejection, Rejection) and rejection.reason.startswith("too large")


def test_gzip_bomb_is_refused_by_decompressed_size():
    url = "http://herald.example.org/bomb"
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < 100_000
    response = httpx.Response(200, content=iter([bomb]), headers={"content-type": "text/html", "content-encoding": "gzip"})
    started = time.monotonic()
    rejection = get(url, Server({url: response}), max_fetch_bytes=1_000_000)
    assert isinstance(rejection, Rejection)
    assert "decompresses to more than" in rejection.reason
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("encoding, compress", [("gzip", gzip.compress), ("deflate", zlib.compress),
                                                ("deflate", lambda b: zlib.compress(b)[2:-4])])  # fmt: skip
def test_compressed_page_is_decoded(encoding, compress):
    url = "http://herald.example.org/zipped"
    body = compress(PAGE)
    response = httpx.Response(200, content=iter([body[:100], body[100:]]), headers={"content-type": "text/html", "content-encoding": encoding})
    article = get(url, Server({url: response}))
    assert isinstance(article, Article) and "Karvel" in article.text


def test_unknown_content_encoding_is_rejected():
    url = "http://herald.example.org/br"
    response = httpx.Response(200, content=iter([b"??"]), headers={"content-type": "text/html", "content-encoding": "br"})
    assert "content-encoding 'br'" in get(url, Server({url: response})).reason


def test_timeout_from_the_transport():
    def slow(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    url = "http://herald.example.org/slow"
    rejection = get(url, Server({url: slow}), fetch_timeout=0.5)
    assert rejection.reason.startswith("timed out")


def test_trickling_body_hits_the_overall_deadline():
    url = "http://herald.example.org/trickle"

    def trickle():
        for _ in range(100):
            time.sleep(0.05)
            yield b"<p>Karvel</p>"

    response = httpx.Response(200, content=trickle(), headers={"content-type": "text/html"})
    started = time.monotonic()
    rejection = get(url, Server({url: response}), fetch_timeout=0.3)
    assert rejection.reason.startswith("timed out")
    assert time.monotonic() - started < 2


def test_http_error_status():
    rejection = get("http://herald.example.org/missing", Server({}))
    assert isinstance(rejection, Rejection)
    assert "HTTP 404" in rejection.reason and "check the address" in rejection.reason


def test_connection_error():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    url = "http://herald.example.org/down"
    assert "could not fetch" in get(url, Server({url: refuse})).reason


@pytest.mark.parametrize("url", ["ftp://herald.example.org/file.txt", "file:///etc/passwd", "gopher://x/"])
def test_non_http_scheme_is_refused(url):
    server = Server({})
    rejection = get(url, server)
    assert isinstance(rejection, Rejection) and "unsupported URL scheme" in rejection.reason
    assert server.seen == []
    with pytest.raises(UnsupportedInput):
        check_url(url, limits=IngestLimits(), resolver=resolver)


def test_unresolvable_host():
    rejection = get("http://no-such-host.example.org/", Server({}))
    assert "could not resolve no-such-host.example.org" in rejection.reason


def test_unsupported_content_type():
    url = "http://herald.example.org/report.pdf"
    response = httpx.Response(200, content=b"%PDF-1.4", headers={"content-type": "application/pdf"})
    assert "application/pdf" in get(url, Server({url: response})).reason


@pytest.mark.parametrize("content_type", ["application/rss+xml", "application/xml", "text/xml", ""])
def test_feed_is_signalled_not_cleaned(content_type):
    url = "http://herald.example.org/rss"
    body = (FIXTURES / "feed_rss2.xml").read_bytes()
    result = get(url, Server({url: httpx.Response(200, content=body, headers={"content-type": content_type})}))
    assert isinstance(result, FeedDocument)
    assert result.response.body == body


def test_xml_root_name_sniffing():
    assert xml_root_name(b'<?xml version="1.0"?>\n<!-- <html> --><rss version="2.0">') == "rss"
    assert xml_root_name(b"<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert xml_root_name(b"<rdf:RDF xmlns:rdf='x'>") == "rdf"
    assert xml_root_name(b"<!DOCTYPE html><html>") == "html"


def test_conditional_request_headers_and_304():
    url = "http://herald.example.org/rss"
    seen = {}

    def conditional(request):
        seen.update(request.headers)
        return httpx.Response(304, headers={"etag": '"v2"'})

    response = fetch_bytes(url, limits=IngestLimits(), transport=httpx.MockTransport(Server({url: conditional})),
                           resolver=resolver, etag='"v1"', last_modified="Sat, 08 Mar 2031 07:30:00 GMT")  # fmt: skip
    assert response.not_modified and response.etag == '"v2"'
    assert seen["if-none-match"] == '"v1"'
    assert seen["if-modified-since"] == "Sat, 08 Mar 2031 07:30:00 GMT"
