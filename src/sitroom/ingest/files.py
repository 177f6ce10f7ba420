"""Read articles from files, folders, JSONL, stdin and URLs: one entry point, `read_sources`.

Bad input never stops the run: each unreadable source, file or JSONL line becomes a
`Rejection` with a reason a person can act on, and reading goes on with the next one.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import httpx

from sitroom.clean import clean_html, clean_text
from sitroom.config import IngestLimits
from sitroom.errors import EmptyInput, InputError, InputTooLarge, MalformedInput, UnsupportedInput
from sitroom.ingest import feeds, web
from sitroom.ingest.sources import (
    decode_bytes,
    make_article,
    parse_iso_date,
    rejection,
    site_of,
)
from sitroom.model import Article, Rejection

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def read_sources(
    sources: Sequence[str],
    *,
    config: IngestLimits | None = None,
    stdin: BinaryIO | None = None,
    transport: httpx.BaseTransport | None = None,
    resolver: web.Resolver | None = None,
) -> Iterator[Article | Rejection]:
    """Articles from files, folders (recursively), `-` (JSONL on stdin) and http(s) URLs, with rejections."""
    limits = config or IngestLimits()
    for source in sources:
        if source == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from read_jsonl_stream(stream, origin="<stdin>", limits=limits)
        elif _URL.match(source):
            yield from read_url(source, web.Fetcher(limits, transport, resolver))
        else:
            yield from read_path(Path(source), limits=limits)


def read_url(url: str, fetcher: web.Fetcher) -> Iterator[Article | Rejection]:
    """A web page as one Article, or every item of a feed URL."""
    if not url.lower().startswith(("http://", "https://")):
        yield Rejection(
            origin=url,
            reason=f"unsupported URL scheme in {url}; only http:// and https:// addresses (or local paths) can be read",
        )
        return
    result = fetcher.fetch(url)
    if isinstance(result, web.FeedDocument):
        yield from feeds.read_feed_bytes(result.response.body, feed_url=result.response.url, fetcher=fetcher)
    else:
        yield result


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$")  # dotfiles and Office lock files


def iter_folder(folder: Path) -> Iterator[Path]:
    """Files under a folder, recursively, in a stable order, skipping hidden files and folders."""
    entries: list[Path] = []
    # followlinks=False: a symlinked folder could loop back on itself.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not _is_hidden(d)]
        entries.extend(Path(root) / f for f in files if not _is_hidden(f))
    # Sorting by the relative path as text makes the order the same on every OS and file system.
    return iter(sorted(entries, key=lambda p: p.relative_to(folder).as_posix()))


def read_path(path: Path, *, limits: IngestLimits) -> Iterator[Article | Rejection]:
    """A file by its extension, or every file of a folder."""
    origin = str(path)
    try:
        if path.is_dir():
            for file in iter_folder(path):
                yield from read_file(file, limits=limits)
            return
        if not path.exists():
            yield Rejection(origin=origin, reason=f"no such file or folder: {origin}; check the path")
            return
    except OSError as exc:
        yield Rejection(origin=origin, reason=f"could not read {origin} ({exc.strerror or exc}); check its permissions")
        return
    yield from read_file(path, limits=limits)


def _read_bytes(path: Path, limit: int) -> bytes:
    origin = str(path)
    if path.stat().st_size > limit:
        raise InputTooLarge(
            f"too large: {origin} is over the {limit} byte limit; split it or raise max_bytes", origin=origin
        )
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # the file may grow between stat and read
    if len(data) > limit:
        raise InputTooLarge(f"too large: {origin} is over the {limit} byte limit; split it or raise max_bytes", origin=origin)
    return data


def read_file(path: Path, *, limits: IngestLimits) -> Iterator[Article | Rejection]:
    """One file: .txt/.md and .html are one article each, .jsonl/.json many, .rss/.atom/.xml a feed."""
    origin = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise UnsupportedInput(
                f"unsupported file type {suffix or '(no extension)'!r}: {origin} was skipped; sitroom reads "
                ".txt, .md, .html, .jsonl, .json and .rss/.atom files",
                origin=origin,
            )
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as handle:
                yield from read_jsonl_stream(handle, origin=origin, limits=limits)
            return
        data = _read_bytes(path, limits.max_bytes)
        if suffix in JSON_SUFFIXES:
            yield from _read_json(data, origin=origin, limits=limits)
        elif suffix in FEED_SUFFIXES:
            # A saved feed is read as it is: its links are not fetched, so a local file never reaches the network.
            yield from feeds.read_feed_bytes(data, feed_url=origin, fetcher=web.Fetcher(limits), fetch_links=False)
        else:
            yield _file_article(path, data, suffix)
    except InputError as exc:
        yield rejection(exc, origin)
    except FileNotFoundError:
        yield Rejection(
            origin=origin, reason=f"{origin} disappeared while it was being read; check it and ingest it again"
        )
    except OSError as exc:
        yield Rejection(origin=origin, reason=f"could not read {origin} ({exc.strerror or exc}); check its permissions")


def _file_article(path: Path, data: bytes, suffix: str) -> Article:
    origin = str(path)
    if suffix in HTML_SUFFIXES:
        text = decode_bytes(data, origin=origin, declared=web.html_charset(data))
        cleaned = clean_html(text, url=None)
    else:
        text = decode_bytes(data, origin=origin)
        cleaned = clean_text(text)
    return make_article(path.stem, cleaned, origin=origin)


# ----------------------------------------------------------------------------- JSON lines


def _optional_str(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def article_from_record(record: object, *, origin: str) -> Article:
    """An Article from one JSONL/JSON record `{"id", "title", "text"|"html", "url", "published", "source"}`."""
    if not isinstance(record, dict):
        raise MalformedInput(f"{origin} is not a JSON object; each line must be one article object", origin=origin)
    raw_id = record.get("id")
    article_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if not article_id:
        raise MalformedInput(f"{origin} has no \"id\"; give every article a unique id", origin=origin)
    title = _optional_str(record, "title")
    url = _optional_str(record, "url")
    text, markup = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        cleaned = clean_text(text, title=title)
    elif isinstance(markup, str) and markup.strip():
        cleaned = clean_html(markup, url=url, title=title)
    elif text is None and markup is None:
        raise MalformedInput(f"{origin} (id {article_id!r}) has neither \"text\" nor \"html\"; add one of them", origin=origin)
    else:
        raise EmptyInput(f"empty: {origin} (id {article_id!r}) has an empty \"text\"/\"html\"; nothing to read", origin=origin)
    published = None
    if record.get("published") not in (None, ""):
        published = parse_iso_date(record.get("published"))
        if published is None:
            # Nothing invented: an unreadable date stays unknown, the article is kept.
            log.warning("%s: \"published\" %r is not an ISO 8601 date; ignored", origin, record.get("published"))
    return make_article(
        article_id,
        cleaned,
        origin=origin,
        title=title,
        url=url,
        source=_optional_str(record, "source") or site_of(url),
        published=published,
    )


def _too_deep(what: str, origin: str) -> MalformedInput:
    """The error for JSON nested deeper than Python's parser can follow (a hostile or broken record)."""
    return MalformedInput(
        f"{what} nests JSON arrays or objects too deeply to read (thousands of levels); an article record "
        "needs only flat fields, so fix or remove it",
        origin=origin,
    )


def read_jsonl_stream(stream: BinaryIO, *, origin: str, limits: IngestLimits) -> Iterator[Article | Rejection]:
    """One Article per JSONL line; a broken, oversized or incomplete line is a Rejection and reading goes on."""
    number = 0
    while True:
        try:
            line = stream.readline(limits.max_jsonl_line + 1)
        except OSError as exc:
            yield Rejection(origin=f"{origin}:{number + 1}", reason=f"could not read {origin} after line {number} ({exc}); check it and ingest it again")
            return
        if not line:
            return
        number += 1
        where = f"{origin}:{number}"
        if len(line) > limits.max_jsonl_line and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the oversized line
                line = stream.readline(1024 * 1024)
            yield Rejection(
                origin=where,
                reason=f"too large: line {number} of {origin} is over the {limits.max_jsonl_line} byte limit; "
                "split that article or raise max_jsonl_line",
            )
            continue
        if not line.strip():
            continue
        try:
            text = decode_bytes(line, origin=where)
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise MalformedInput(
                    f"line {number} is not valid JSON: {exc.msg} at column {exc.colno}; fix or remove that line",
                    origin=where,
                    detail=str(exc),
                ) from None
            except RecursionError:
                raise _too_deep(f"line {number}", where) from None
            yield article_from_record(record, origin=where)
        except InputError as exc:
            yield rejection(exc, where)


def _read_json(data: bytes, *, origin: str, limits: IngestLimits) -> Iterator[Article | Rejection]:
    """A .json file holding one article object or a list of them."""
    try:
        parsed = json.loads(decode_bytes(data, origin=origin))
    except json.JSONDecodeError as exc:
        yield Rejection(
            origin=origin,
            reason=f"{origin} is not valid JSON: {exc.msg} at line {exc.lineno}; fix it, or use .jsonl for one article per line",
            detail=str(exc),
        )
        return
    except RecursionError:
        yield rejection(_too_deep(origin, origin), origin)
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    for index, record in enumerate(records):
        where = f"{origin}[{index}]" if isinstance(parsed, list) else origin
        try:
            yield article_from_record(record, origin=where)
        except InputError as exc:
            yield rejection(exc, where)
