"""Ingest: read articles from files, folders, JSONL, stdin, web pages and RSS/Atom feeds.

`read_sources` is the entry point; bad input comes out as `Rejection`s, never as exceptions.
The id and content-hash policy is described in `sitroom.ingest.sources`.
"""

from sitroom.config import IngestLimits
from sitroom.ingest.sources import content_hash, normalise_url, url_article_id

__all__ = ["IngestLimits", "content_hash", "normalise_url", "read_sources", "url_article_id"]


def __getattr__(name: str):
    # Lazy, so importing the limits does not import httpx, trafilatura and lxml.
    if name == "read_sources":
        from sitroom.ingest.files import read_sources

        return read_sources
    raise AttributeError(name)
