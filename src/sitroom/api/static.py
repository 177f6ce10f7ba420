"""The UI's static files served like a real web app: compressed once, cached by the browser, revalidated cheaply.

- **Compression.** Text files (JS, CSS, JSON, SVG, HTML) go out brotli- or gzip-compressed when the
  browser accepts it; each file is compressed once per version and kept in memory (the light world
  atlas: 327 kB raw, 113 kB in brotli).
- **Caching.** Every response has an ETag (per encoding) and answers `If-None-Match` with 304. The
  page's own links carry `?v=<content hash>` (`versioned_index`), and a request with the current hash
  is cached for a year (`immutable`); vendored files fetched by script (the world map, province
  outlines) are cached for a day; anything else is revalidated each time (`no-cache`).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import threading
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

try:  # brotli is a dependency; without it (a trimmed install) gzip alone is served
    import brotli
except ImportError:  # pragma: no cover - exercised only where brotli is missing
    brotli = None

COMPRESSIBLE = (".js", ".css", ".json", ".svg", ".html", ".txt", ".map")
YEAR = "public, max-age=31536000, immutable"
DAY = "public, max-age=86400"
REVALIDATE = "no-cache"
_MIN_SIZE = 512  # below this, compression saves less than its headers cost


def content_hash(path: Path) -> str:
    """A short hash of a file's bytes: the `v` that versions its URL."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def versioned_index(html: bytes, static_dir: Path) -> bytes:
    """The page with every `/static/...` link given `?v=<hash of the file>`, so browsers may cache them for a year."""
    def stamp(m: re.Match) -> bytes:
        rel = m.group(2).decode()
        file = static_dir / rel
        if not file.is_file():
            return m.group(0)
        return m.group(1) + b"/static/" + m.group(2) + b"?v=" + content_hash(file).encode() + m.group(3)

    return re.sub(rb'((?:src|href)=")/static/([^"?#]+)(")', stamp, html)


class CompressedStatic(StaticFiles):
    """StaticFiles with brotli/gzip bodies kept in memory, per-encoding ETags and Cache-Control."""

    def __init__(self, *, directory: Path) -> None:
        super().__init__(directory=directory)
        self._root = Path(directory)
        self._cache: dict[tuple[str, float, int, str], tuple[bytes, str]] = {}
        self._hashes: dict[tuple[str, float], str] = {}
        self._lock = threading.Lock()

    def _cache_control(self, path: str, scope: Scope, full: str, mtime: float) -> str:
        query = scope.get("query_string", b"").decode()
        given = re.search(r"(?:^|&)v=([0-9a-f]+)", query)
        if given:
            key = (full, mtime)
            if key not in self._hashes:
                self._hashes[key] = content_hash(Path(full))
            return YEAR if given.group(1) == self._hashes[key] else REVALIDATE
        return DAY if path.startswith("vendor/") else REVALIDATE

    def _encoded(self, full: str, stat: os.stat_result, encoding: str) -> tuple[bytes, str]:
        """The file's bytes in `encoding` and their ETag, compressed on first use only."""
        key = (full, stat.st_mtime, stat.st_size, encoding)
        with self._lock:
            hit = self._cache.get(key)
        if hit:
            return hit
        raw = Path(full).read_bytes()
        if encoding == "br":
            body = brotli.compress(raw, quality=9 if len(raw) < 2_000_000 else 5)
        elif encoding == "gzip":
            body = gzip.compress(raw, compresslevel=6, mtime=0)
        else:
            body = raw
        etag = '"' + hashlib.sha256(raw).hexdigest()[:16] + ("" if encoding == "identity" else f"-{encoding}") + '"'
        with self._lock:
            self._cache[key] = (body, etag)
        return body, etag

    def file_response(self, full_path, stat_result: os.stat_result, scope: Scope, status_code: int = 200) -> Response:
        """The file, compressed when the browser accepts it, with ETag and Cache-Control; 304 when unchanged."""
        request_headers = Headers(scope=scope)
        rel = os.path.relpath(str(full_path), str(self._root)).replace(os.sep, "/")
        cache_control = self._cache_control(rel, scope, str(full_path), stat_result.st_mtime)
        accepted = {p.split(";")[0].strip().lower() for p in request_headers.get("accept-encoding", "").split(",")}
        encoding = "identity"
        if str(full_path).endswith(COMPRESSIBLE) and stat_result.st_size >= _MIN_SIZE:
            if "br" in accepted and brotli is not None:
                encoding = "br"
            elif "gzip" in accepted:
                encoding = "gzip"
        if encoding == "identity" and not str(full_path).endswith(COMPRESSIBLE):
            response = FileResponse(full_path, status_code=status_code, stat_result=stat_result)
            response.headers["Cache-Control"] = cache_control
            if self.is_not_modified(response.headers, request_headers):
                return Response(status_code=304, headers={"ETag": response.headers["etag"], "Cache-Control": cache_control})
            return response
        body, etag = self._encoded(str(full_path), stat_result, encoding)
        headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
        given = [t.strip().removeprefix("W/") for t in request_headers.get("if-none-match", "").split(",") if t.strip()]
        if etag in given or "*" in given:
            return Response(status_code=304, headers=headers)
        if encoding != "identity":
            headers["Content-Encoding"] = encoding
        media = FileResponse(full_path, stat_result=stat_result).media_type
        return Response(body, status_code=status_code, headers=headers, media_type=media)
