"""Fetch a web page safely and turn it into an Article.

Safety, because a URL in a feed or a JSONL file is untrusted input:
- only http and https;
- every hop's host is resolved and refused when it is private, loopback, link-local,
  multicast, reserved or unspecified (SSRF: e.g. 169.254.169.254, the cloud metadata
  address), unless `IngestLimits.allow_private_addresses`;
- redirects are followed by hand, at most `max_redirects`, each one checked again;
- the body is streamed raw and decompressed here with a cap on the *decompressed* size
  (gzip bombs), and the whole fetch has a wall-clock deadline (endless or trickling bodies).

Known gap: the address is checked before httpx connects and httpx resolves the name again,
so a DNS server that answers differently the second time (DNS rebinding) is not stopped.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from sitroom.clean import clean_html, clean_text
from sitroom.config import IngestLimits
from sitroom.errors import (
    BlockedAddress,
    FetchError,
    InputError,
    InputTooLarge,
    MalformedInput,
    UnsupportedInput,
)
from sitroom.ingest.sources import (
    decode_bytes,
    make_article,
    rejection,
    site_of,
    url_article_id,
)
from sitroom.model import Article, Rejection

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], Sequence[str]]
"""Maps (host, port) to the IP addresses it resolves to; injectable so tests never touch DNS."""

USER_AGENT = "sitroom/0.1 (news ingest; +https://github.com/sitroom)"
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")
_XML_TYPES = ("application/xml", "text/xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system resolves a host to."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def is_blocked_address(address: str) -> bool:
    """Whether an IP address is not a public internet address (private, loopback, link-local, ...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True  # not an address we can judge: refuse rather than guess
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 reaches 127.0.0.1
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global  # shared address space (100.64/10) and the like
    )


def check_url(url: str, *, limits: IngestLimits, resolver: Resolver | None = None) -> httpx.URL:
    """The parsed URL if it is http(s) and its host is allowed; raises an InputError otherwise."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise MalformedInput(f"{url!r} is not a valid URL; check it for typos", origin=url) from exc
    if parsed.scheme not in ("http", "https"):
        raise UnsupportedInput(
            f"unsupported URL scheme {parsed.scheme or '(none)'!r} in {url}; only http:// and https:// pages "
            "can be fetched",
            origin=url,
        )
    host = parsed.host
    if not host:
        raise MalformedInput(f"{url} has no host name; check the address", origin=url)
    if limits.allow_private_addresses:
        return parsed
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = list((resolver or system_resolver)(host, parsed.port or (443 if parsed.scheme == "https" else 80)))
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"could not resolve {host} ({exc}); check the address and your connection", origin=url) from exc
    if not addresses:
        raise FetchError(f"{host} resolves to no address; check the address", origin=url)
    blocked = [a for a in addresses if is_blocked_address(a)]
    if blocked:
        raise BlockedAddress(
            f"refused to fetch {url}: {host} resolves to the non-public address {blocked[0]}; "
            "set allow_private_addresses if you really mean to read from your own network",
            origin=url,
        )
    return parsed


@dataclass(frozen=True, slots=True)
class FetchedResponse:
    """A fetched body (already decompressed) with what is needed to interpret and re-request it."""

    requested_url: str
    url: str  # after redirects
    status: int
    content_type: str  # media type, lower case, without parameters
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304 to a conditional request."""
        return self.status == 304


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """A fetched URL that turned out to be an RSS/Atom feed: hand it to `feeds`."""

    response: FetchedResponse


def _decoder(encoding: str, url: str):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()  # zlib-wrapped; raw deflate is retried below
    raise UnsupportedInput(
        f"{url} was sent with content-encoding {encoding!r}, which sitroom does not decode; save the page and "
        "ingest the file",
        origin=url,
    )


def _read_body(response: httpx.Response, *, url: str, limits: IngestLimits, deadline: float) -> bytes:
    """The body, decompressed here so that the decompressed size can be capped (gzip bombs)."""
    cap = limits.max_fetch_bytes
    too_large = InputTooLarge(
        f"too large: {url} is larger than the {cap} byte limit; raise max_fetch_bytes or save the article as a file",
        origin=url,
    )
    length = response.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        raise too_large
    if response.is_stream_consumed:
        # An in-memory response (e.g. from httpx.MockTransport) was read and decoded by httpx already.
        if len(response.content) > cap:
            raise too_large
        return response.content
    decoder = _decoder(response.headers.get("content-encoding", ""), url)
    out = bytearray()
    raw_seen = 0
    try:
        for chunk in response.iter_raw():
            if time.monotonic() > deadline:
                raise FetchError(
                    f"timed out: {url} took longer than {limits.fetch_timeout:g} s to send its page; try again later",
                    origin=url,
                )
            raw_seen += len(chunk)
            if raw_seen > cap:
                raise too_large
            if decoder is None:
                out += chunk
            else:
                try:
                    out += decoder.decompress(chunk, cap + 1 - len(out))
                except zlib.error:
                    if raw_seen == len(chunk) and response.headers.get("content-encoding", "").lower() == "deflate":
                        decoder = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                        out += decoder.decompress(chunk, cap + 1 - len(out))
                    else:
                        raise
                if decoder.unconsumed_tail:
                    raise InputTooLarge(
                        f"too large: {url} decompresses to more than the {cap} byte limit (a compression bomb?); "
                        "it was not read",
                        origin=url,
                    )
            if len(out) > cap:
                raise too_large
    except zlib.error as exc:
        raise MalformedInput(f"{url} sent a corrupt compressed body ({exc}); try again later", origin=url) from exc
    return bytes(out)


_REDIRECTS = (301, 302, 303, 307, 308)


def fetch_bytes(
    url: str,
    *,
    limits: IngestLimits,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchedResponse:
    """GET a URL safely (checked hops, byte and time caps); raises an InputError when it cannot."""
    deadline = time.monotonic() + limits.fetch_timeout
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    # trust_env=False: a proxy from the environment would hide where requests really go.
    with httpx.Client(
        transport=transport, follow_redirects=False, timeout=httpx.Timeout(limits.fetch_timeout), trust_env=False
    ) as client:
        for _hop in range(limits.max_redirects + 1):
            try:
                target = check_url(current, limits=limits, resolver=resolver)
            except InputError as exc:
                exc.origin = url  # a refused redirect hop is recorded against the URL that was asked for
                raise
            if time.monotonic() > deadline:
                raise FetchError(f"timed out: {url} took longer than {limits.fetch_timeout:g} s; try again later", origin=url)
            try:
                with client.stream("GET", target, headers=headers) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        current = str(target.join(response.headers["location"]))
                        continue
                    if response.status_code == 304:
                        body = b""
                    elif response.status_code >= 400:
                        raise FetchError(
                            f"{current} answered HTTP {response.status_code} {response.reason_phrase}; "
                            "check the address or try again later",
                            origin=url,
                        )
                    else:
                        body = _read_body(response, url=current, limits=limits, deadline=deadline)
                    media, _, params = response.headers.get("content-type", "").partition(";")
                    charset = re.search(r"charset=\"?([\w.:-]+)", params, re.I)
                    return FetchedResponse(
                        requested_url=url,
                        url=str(target),
                        status=response.status_code,
                        content_type=media.strip().lower(),
                        charset=charset.group(1) if charset else None,
                        body=body,
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                    )
            except httpx.TimeoutException as exc:
                raise FetchError(
                    f"timed out: {current} did not answer within {limits.fetch_timeout:g} s; try again later",
                    origin=url,
                ) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch {current}: {exc or type(exc).__name__}; check the address and your connection", origin=url) from exc
    raise FetchError(
        f"{url} redirected more than {limits.max_redirects} times; open it in a browser to find the final address",
        origin=url,
    )


_ROOT = re.compile(rb"<(?![?!])([A-Za-z_][\w.:-]*)")
_COMMENTS = re.compile(rb"<!--.*?-->", re.S)


def xml_root_name(data: bytes) -> str | None:
    """The local name of an XML document's root element, sniffed from its first bytes."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    m = _ROOT.search(_COMMENTS.sub(b"", head))
    if not m:
        return None
    return m.group(1).decode("ascii", "ignore").rsplit(":", 1)[-1].lower()


def is_feed(content_type: str, body: bytes) -> bool:
    """Whether a response is an RSS 2.0, RSS 1.0/RDF or Atom feed (by content type or by its root element)."""
    if content_type in _FEED_TYPES:
        return True
    if content_type in _HTML_TYPES or content_type == "text/plain":
        return False
    return xml_root_name(body) in ("rss", "feed", "rdf")


_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", re.I)


def html_charset(body: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag near its start."""
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def article_from_response(response: FetchedResponse) -> Article | FeedDocument:
    """Interpret a fetched body: HTML page, plain text or a feed; raises an InputError for anything else."""
    if is_feed(response.content_type, response.body):
        return FeedDocument(response)
    origin = response.requested_url
    kind = response.content_type
    looks_html = response.body[:1024].lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    if kind in _HTML_TYPES or (kind in ("", "application/octet-stream") and looks_html):
        text = decode_bytes(response.body, origin=origin, declared=response.charset or html_charset(response.body))
        cleaned = clean_html(text, url=response.url)
    elif kind == "text/plain":
        cleaned = clean_text(decode_bytes(response.body, origin=origin, declared=response.charset))
    else:
        raise UnsupportedInput(
            f"{origin} is {kind or 'of unknown type'}, not an HTML page, text or feed; save its text as .txt and "
            "ingest that",
            origin=origin,
        )
    return make_article(
        url_article_id(response.requested_url),
        cleaned,
        origin=origin,
        url=response.url,
        source=site_of(response.url),
    )


def fetch(
    url: str,
    *,
    limits: IngestLimits,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver | None = None,
) -> Article | Rejection | FeedDocument:
    """Fetch one page as an Article, a Rejection saying why not, or a FeedDocument when the URL is a feed."""
    try:
        return article_from_response(fetch_bytes(url, limits=limits, transport=transport, resolver=resolver))
    except InputError as exc:
        log.info("skipped %s: %s", url, exc)
        return rejection(exc, url)


@dataclass(frozen=True, slots=True)
class Fetcher:
    """How the readers fetch: the caps and address policy of `IngestLimits`, and the two seams that
    tests replace (httpx's transport; the resolver, so that no test touches DNS). The feed and URL
    readers pass one of these down instead of the three apart."""

    limits: IngestLimits = field(default_factory=IngestLimits)
    transport: httpx.BaseTransport | None = None
    resolver: Resolver | None = None

    def fetch_bytes(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchedResponse:
        """`fetch_bytes` under this fetcher's caps and seams."""
        return fetch_bytes(url, limits=self.limits, transport=self.transport, resolver=self.resolver, etag=etag,
                           last_modified=last_modified)  # fmt: skip

    def fetch(self, url: str) -> Article | Rejection | FeedDocument:
        """`fetch` under this fetcher's caps and seams."""
        return fetch(url, limits=self.limits, transport=self.transport, resolver=self.resolver)
