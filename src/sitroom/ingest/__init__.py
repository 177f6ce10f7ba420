"""Ingest: read articles from files, folders, JSONL, stdin, web pages and RSS/Atom feeds.

`files.read_sources` is the entry point; bad input comes out as `Rejection`s, never as exceptions.
The id and content-hash policy is described in `sitroom.ingest.sources`.
"""

from sitroom.config import IngestLimits
from sitroom.ingest.sources import content_hash, normalise_url, url_article_id

__all__ = ["IngestLimits", "content_hash", "normalise_url", "url_article_id"]
