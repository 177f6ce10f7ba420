"""What every reader shares: the id and content-hash policy, byte decoding, rejections (limits: `sitroom.config`).

Id policy (stable, so re-reading an input yields equal `Article` objects):

- `.txt` / `.md` / `.html` file: the file name without its extension (the contract);
- JSONL / JSON record: its `id` field;
- a web page: ``url_`` + 16 hex digits of sha256 of the normalised URL that was asked for;
- a feed item: ``url_`` + hash of its normalised link (so the same page read directly or
  through a feed gets the same id), else ``feed_`` + hash of its guid, else of title + date.

`content_hash` is the full sha256 hex digest of the cleaned text: same text, same hash.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sitroom.clean import CleanedText
from sitroom.errors import EmptyInput, InputError, UndecodableInput
from sitroom.model import Article, Rejection

def content_hash(text: str) -> str:
    """The sha256 hex digest of an article's cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_hash(value: str) -> str:
    """16 hex digits of sha256: enough to keep ids of different inputs apart."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


# Tracking parameters change nothing about the page, so they must not change its id.
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.I)


def normalise_url(url: str) -> str:
    """The URL with scheme and host lower-cased, default port, fragment and tracking parameters removed."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def url_article_id(url: str) -> str:
    """The id of an article read from a URL."""
    return "url_" + short_hash(normalise_url(url))


def feed_item_article_id(link: str | None, guid: str | None, title: str | None, published: date | None) -> str:
    """The id of an article read from a feed item: its link if it has one, else its guid."""
    if link:
        return url_article_id(link)
    key = guid or f"{title or ''}|{published.isoformat() if published else ''}"
    return "feed_" + short_hash(key)


def site_of(url: str | None) -> str | None:
    """The host that published a URL, without a leading `www.` (used as `Article.source`)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def make_article(
    article_id: str,
    cleaned: CleanedText,
    *,
    origin: str,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: date | None = None,
) -> Article:
    """An Article from cleaned text; raises EmptyInput when no text is left."""
    if not cleaned.text.strip():
        raise EmptyInput(
            f"empty: no article text is left in {origin} after cleaning; check that it holds an article",
            origin=origin,
        )
    return Article(
        id=article_id,
        text=cleaned.text,
        title=title or cleaned.title,
        url=url,
        source=source,
        published=published or cleaned.published,
        origin=origin,
        content_hash=content_hash(cleaned.text),
    )


def rejection(exc: InputError, origin: str) -> Rejection:
    """The rejection recorded for an input error."""
    return Rejection(origin=exc.origin or origin, reason=str(exc), detail=exc.detail)


def parse_iso_date(value: object) -> date | None:
    """A date from an ISO 8601 date or datetime string; None when it is not one."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1b")


def _control_ratio(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if (b < 32 and b not in _ALLOWED_CONTROLS) or b == 0x7F)
    return controls / len(sample)


def _high_ratio(data: bytes) -> float:
    sample = data[:65536]
    return sum(1 for b in sample if b >= 0x80) / len(sample) if sample else 0.0


def _decode_legacy_line(line: bytes) -> str:
    """One line of a file that is not UTF-8 as a whole: UTF-8 if this line is, else cp1252 (latin-1 for its gaps)."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            pass
    return line.decode("latin-1")


def decode_bytes(data: bytes, *, origin: str, declared: str | None = None) -> str:
    """Text from bytes: a BOM, a declared charset, UTF-8, else per line UTF-8 or cp1252/latin-1 if it looks like text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableInput(
                    f"could not decode {origin}: it starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding}; re-save it as UTF-8",
                    origin=origin,
                    detail=str(exc),
                ) from None
    if b"\x00" in data or _control_ratio(data) > 0.05:
        raise UndecodableInput(
            f"binary file: {origin} holds binary data, not text; export it as .txt, .html or .jsonl and ingest that",
            origin=origin,
        )
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = str(exc)
    # A legacy Western encoding is only plausible when most bytes are ASCII. Line by line, so a file
    # pasted together from UTF-8 and cp1252 parts keeps its UTF-8 lines instead of turning them to mojibake.
    if _high_ratio(data) <= 0.3:
        return "".join(_decode_legacy_line(line) for line in data.splitlines(keepends=True))
    raise UndecodableInput(
        f"could not decode {origin}: it is not UTF-8 and does not look like text in a Western encoding; "
        "re-save it as UTF-8",
        origin=origin,
        detail=utf8_error,
    )
