"""The store interface: what every backend (SQLite, PostgreSQL) offers the rest of sitroom.

Nothing outside `store/` writes SQL. Reads that feed the API and exports return plain dicts in
the contract's shapes (see spec/interfaces.md); analyses come back as model objects so that
fusion can be re-run from the store alone.
"""

from __future__ import annotations

import contextlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sitroom.model import ArticleAnalysis, Ceasefire, DuplicateGroup, Event, Rejection, Story

if TYPE_CHECKING:
    from sitroom.store.corpus import CorpusSession


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Filters for listing events; every field is optional and they combine with AND."""

    since: date | None = None
    until: date | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    place: str | None = None  # matches location name, admin1 or country code, case-insensitive
    country: str | None = None
    actor: str | None = None  # matches a canonical actor name or one of its mentions
    story_id: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    article_id: str | None = None
    contested: bool | None = None  # True: only events whose sources disagree; False: only those where they agree
    min_fatalities: int | None = None  # only events whose best fatality figure is at least this
    after: str | None = None  # an event id: continue after it in listing order (keyset paging)
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results and the total number that matched."""

    items: list  # dicts in the contract's shapes; StoredRecords from the *_json listings
    total: int
    limit: int
    offset: int


PAGE_SIZE = 500  # items per store read when a caller walks a whole listing


def iter_pages(fetch: Callable[[int, int], Page], size: int = PAGE_SIZE) -> Iterator[Any]:
    """Every item of a paged listing, page by page: `fetch(limit, offset)` reads one page."""
    offset = 0
    while True:
        page = fetch(size, offset)
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record as the store holds it: its id and its JSON text (the contract's shape), not decoded.

    `n_articles`: for a story, how many articles it has (a column beside the JSON, so the story list
    needs no decoding); None for events.
    """

    id: str
    json: str
    n_articles: int | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match: an article or an event, with a snippet around the match."""

    kind: str  # "article" | "event"
    id: str
    title: str | None
    snippet: str
    score: float


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One entry of the change log: a record a save created, updated, removed or merged into another.

    `at` is when that save ran (UTC, ISO 8601): when the reports that caused it arrived, not when the
    event happened. `fields` are the record's top-level fields that changed; `detail` holds
    `[before, after]` for those a brief states (fatalities best, contradictions count, ceasefire dates).
    """

    at: str
    kind: str  # "event" | "story" | "ceasefire"
    record_id: str
    change: str  # "new" | "updated" | "removed" | "merged"
    fields: tuple[str, ...]
    detail: dict


@dataclass(frozen=True, slots=True)
class StoreSnapshot:
    """What fused records are computed from: the store's articles as of one moment.

    `articles_version` grows with every write of articles. Results computed from a snapshot are
    saved with it (`save_results(..., computed_from=snap)`); if another writer stored articles
    since, the save raises `StaleResultsError` instead of writing records that miss them.
    """

    articles_version: int

    def __str__(self) -> str:
        return f"articles version {self.articles_version}"


@dataclass(frozen=True, slots=True)
class ResultsDiff:
    """How many fused records a `save_results` call wrote or removed."""

    events_written: int
    events_removed: int
    stories_written: int
    stories_removed: int


class Store(ABC):
    """A sitroom store, opened by URL (`sqlite:///path`, `postgresql://...`)."""

    url: str

    # -- life cycle -------------------------------------------------------------------------
    @abstractmethod
    def migrate(self) -> None:
        """Bring the schema to the latest version (idempotent)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def integrity_check(self) -> list[str]:
        """Problems found in the store; an empty list means it is sound."""

    # -- articles and analyses ----------------------------------------------------------------
    @abstractmethod
    def known_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Content hash already stored for each of these article ids (absent ids are omitted)."""

    @abstractmethod
    def save_analyses(self, analyses: Sequence[ArticleAnalysis], rejections: Sequence[Rejection] = ()) -> StoreSnapshot:
        """Store a batch of analysed articles and rejected inputs in one transaction.

        Returns the snapshot this write left: what records computed from these analyses (and what
        was stored before) are computed from, with no other writer's articles in between.
        """

    @abstractmethod
    def snapshot(self) -> StoreSnapshot:
        """The store's state now: take it before reading what results are computed from."""

    @abstractmethod
    def iter_analyses(self) -> Iterator[ArticleAnalysis]:
        """Every stored analysis, in article id order (the input to re-fusion)."""

    @abstractmethod
    def get_article(self, article_id: str) -> dict | None:
        """One article: id, title, url, source, published, text, origin, ingested_at."""

    @abstractmethod
    def list_articles(self, limit: int = 100, offset: int = 0, story_id: str | None = None) -> Page:
        """Articles without their text, newest first."""

    @abstractmethod
    def list_rejections(self, limit: int = 100, offset: int = 0) -> Page:
        """Skipped inputs with their reasons, newest first."""

    # -- fused results ------------------------------------------------------------------------
    @abstractmethod
    def save_results(
        self,
        events: Sequence[Event],
        stories: Sequence[Story],
        duplicates: Sequence[DuplicateGroup],
        ceasefires: Sequence[Ceasefire] = (),
        *,
        aliases: Mapping[str, Mapping[str, str]] | None = None,
        computed_from: StoreSnapshot | None = None,
    ) -> ResultsDiff:
        """Replace the fused records with these, in one transaction, touching only what changed.

        `computed_from`: the snapshot the records were computed from; if another writer stored
        articles since, nothing is written and `StaleResultsError` is raised (the records would
        miss those articles). None writes them whatever was stored since. Each record created,
        updated or removed is logged (`changes_since`); `aliases` (kind -> {old id: new id}) says
        which removed records were merged into which, so that `resolve_alias` can follow them.
        """

    @abstractmethod
    def changes_since(self, since: str, kinds: Sequence[str] = (), limit: int = 10_000) -> list[RecordChange]:
        """The change log from `since` (ISO 8601 UTC, compared as text) on, oldest first."""

    @abstractmethod
    def corpus_session(self, computed_from: StoreSnapshot | None = None) -> contextlib.AbstractContextManager[CorpusSession]:
        """A write transaction for one corpus update (`sitroom.corpus`): all of it is stored, or none.

        `computed_from`: the snapshot the update's analyses were stored in; raises
        `StaleResultsError` before the transaction does anything if another writer stored articles since.
        """

    @abstractmethod
    def resolve_alias(self, kind: str, record_id: str) -> str | None:
        """The id of the record that absorbed `record_id` (kind "event", "story" or "ceasefire"), if any."""

    @abstractmethod
    def results_outdated(self) -> bool:
        """Whether articles were stored after the fused records were last saved (a run died in between)."""

    @abstractmethod
    def query_events(self, query: EventQuery) -> Page:
        """Event records (contract shape) matching the query, by date then id."""

    def query_event_json(self, query: EventQuery) -> Page:
        """`query_events` with each item a StoredRecord: written out as it is, never decoded.

        Backends answer from the stored JSON; this fallback encodes the decoded records again.
        """
        page = self.query_events(query)
        return Page([StoredRecord(e["id"], json.dumps(e, ensure_ascii=False)) for e in page.items], page.total, page.limit, page.offset)

    def iter_events(self, query: EventQuery | None = None) -> Iterator[dict]:
        """Every event record matching `query` (its limit and offset aside), page by page, by date then id."""
        query = query or EventQuery()
        return iter_pages(lambda n, o: self.query_events(replace(query, limit=n, offset=o)))

    def iter_event_json(self, query: EventQuery | None = None) -> Iterator[StoredRecord]:
        """`iter_events` as stored JSON (not decoded)."""
        query = query or EventQuery()
        return iter_pages(lambda n, o: self.query_event_json(replace(query, limit=n, offset=o, after=None)))

    def iter_articles(self, story_id: str | None = None) -> Iterator[dict]:
        """Every article of `list_articles` (of one story with `story_id`), page by page, newest first."""
        return iter_pages(lambda n, o: self.list_articles(limit=n, offset=o, story_id=story_id))

    def iter_stories(self) -> Iterator[dict]:
        """Every story record, page by page, in `list_stories` order."""
        return iter_pages(lambda n, o: self.list_stories(limit=n, offset=o))

    def iter_duplicates(self, kind: str | None = None) -> Iterator[dict]:
        """Every duplicate group (of one `kind` when given), page by page, in `list_duplicates` order."""
        return iter_pages(lambda n, o: self.list_duplicates(limit=n, offset=o, kind=kind))

    def newest_first_json(self, query: EventQuery) -> Page | None:
        """`query_event_json` newest first (undated last), when the backend can answer it directly; None otherwise.

        The API then reads the oldest-first listing backwards (api/deps.newest_first_page). This
        fallback never can.
        """
        return None

    def story_stats(self, story_ids: Sequence[str]) -> dict[str, dict]:
        """Per story id: `n_events`, `first_date`, `last_date`, `fatalities_best_total`, `n_contradictions`.

        Over the events filed under each story. Backends answer it in one query; this fallback pages
        through each story's events.
        """
        out = {}
        for story_id in story_ids:
            events = list(self.iter_events(EventQuery(story_id=story_id)))
            if events:
                dates = [e["date"] for e in events if e.get("date")]
                best = [e["fatalities"]["best"] for e in events if (e.get("fatalities") or {}).get("best") is not None]
                out[story_id] = {
                    "n_events": len(events), "first_date": min(dates, default=None), "last_date": max(dates, default=None),
                    "fatalities_best_total": sum(best) if best else None,
                    "n_contradictions": sum(len(e.get("contradictions") or ()) for e in events),
                }
        return out

    @abstractmethod
    def get_event(self, event_id: str) -> dict | None:
        """One event record in the contract's shape."""

    def records_version(self) -> int | None:
        """A number that moves whenever an event, story or ceasefire is written, changed or removed (None: unknown).

        Answers may be cached under it (api/cache.py). This fallback knows none, so nothing is cached.
        """
        return None

    def get_events(self, event_ids: Sequence[str]) -> dict[str, dict]:
        """`{id: event record}` of these ids (absent ones left out). Backends read them in one query; this fallback one by one."""
        found = {i: self.get_event(i) for i in dict.fromkeys(event_ids)}
        return {i: e for i, e in found.items() if e is not None}

    @abstractmethod
    def list_stories(self, limit: int = 100, offset: int = 0) -> Page:
        """Story records, most recently active first."""

    def list_story_json(self, limit: int = 100, offset: int = 0) -> Page:
        """`list_stories` with each item a StoredRecord (see `query_event_json`)."""
        page = self.list_stories(limit=limit, offset=offset)
        items = [StoredRecord(s["id"], json.dumps(s, ensure_ascii=False), len(s.get("article_ids") or ())) for s in page.items]
        return Page(items, page.total, page.limit, page.offset)

    def list_story_summaries(self, limit: int = 100, offset: int = 0) -> Page:
        """The story list's order with only `id`, `title` and `n_articles` per story (no summary or id lists)."""
        page = self.list_stories(limit=limit, offset=offset)
        items = [{"id": s["id"], "title": s["title"], "n_articles": len(s.get("article_ids") or ())} for s in page.items]
        return Page(items, page.total, page.limit, page.offset)

    @abstractmethod
    def get_story(self, story_id: str) -> dict | None:
        """One story record in the contract's shape."""

    @abstractmethod
    def list_duplicates(self, limit: int = 1000, offset: int = 0, kind: str | None = None) -> Page:
        """Duplicate groups in the contract's shape."""

    @abstractmethod
    def list_ceasefires(self) -> list[dict]:
        """Ceasefire records with their alleged violations."""

    @abstractmethod
    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article text and event summaries."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Numbers of articles, rejections, events, stories and duplicate groups."""
