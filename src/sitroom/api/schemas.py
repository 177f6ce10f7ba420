"""Response schemas of the HTTP API, for its OpenAPI document (the core data model stays in model.py).

The routes send stored JSON as it is (see deps.json_response), so these models describe the
responses rather than build them; they allow extra keys, because records are extended over time,
never renamed (spec/interfaces.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class SourceSpanOut(_Open):
    """Where a claim, actor or summary sentence comes from: an article and a character span of its text."""

    article_id: str
    start: int
    end: int
    sentence: str


class ClaimOut(_Open):
    """One report's figure, with its qualifier, who states it and its source."""

    field: Literal["fatalities", "injured"] | str
    value: int
    source: SourceSpanOut
    qualifier: str | None = None
    low: int | None = None
    high: int | None = None
    attributed_to: str | None = None
    text: str | None = None
    source_class: Literal["party", "government", "monitor", "media", "other"] | None = Field(
        None, description="who the claim comes from: party to the conflict, government, independent monitor or UN/NGO, media, other"
    )


class IndexedClaimOut(ClaimOut):
    """A claim with its index in the event's `claims` and the event's id."""

    index: int
    event_id: str


class FigureOut(_Open):
    """A fused figure: the conservative best, and the span of every claim."""

    best: int | None = None
    low: int | None = None
    high: int | None = None


class LocationOut(_Open):
    """A geocoded place."""

    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: Literal["exact", "city", "admin1", "country"] | str = "city"


class ActorOut(_Open):
    """An ACLED-style actor and the names the reports used for it."""

    name: str
    role: str
    mentions: list[str] = []


class PositionOut(_Open):
    """One value sources claim in a contradiction, and who claims it."""

    value: int | str
    claimed_by: list[str]
    claims: list[int]


class ContradictionOut(_Open):
    """Sources that disagree on a field; `claims` index the event's claims; `positions` is each distinct value once, with who claims it."""

    field: str
    values: list
    claims: list[int] = []
    positions: list[PositionOut] = []


class EventOut(_Open):
    """An event record (spec/interfaces.md), one per real-world event."""

    id: str
    story_id: str | None = None
    event_type: str
    sub_event_type: str
    date: str | None = None
    date_precision: str | None = None
    location: LocationOut | None = None
    actors: list[ActorOut] = []
    fatalities: FigureOut
    injured: FigureOut
    claims: list[ClaimOut] = []
    contradictions: list[ContradictionOut] = []
    sources: list[SourceSpanOut] = []
    summary: str | None = None
    independent_sources: int | None = None
    single_source: bool | None = None
    article_ids: list[str] = []
    corroboration: Literal["single", "several", "contested"] | None = Field(
        None, description="Airwars-style: contested when sources disagree, several when 2+ independent sources, else single"
    )
    story_title: str | None = Field(None, description="the title of the event's story (GET /api/events/{id} only)")


class _Paged(_Open):
    total: int
    limit: int
    offset: int


class EventPage(_Paged):
    """A page of event records."""

    items: list[EventOut]


class ClaimPage(_Paged):
    """Every claim of one event."""

    items: list[IndexedClaimOut]


class ArticleOut(_Open):
    """An article as read: its text is what claims' offsets index into (absent in listings)."""

    id: str
    title: str | None = None
    url: str | None = None
    link: str | None = Field(None, description="`url` when it is http(s), else null: safe to show as a link")
    source: str | None = None
    published: str | None = None
    ingested_at: str | None = None
    text: str | None = None


class ArticlePage(_Paged):
    """A page of articles, without their text."""

    items: list[ArticleOut]


class SummarySentenceOut(_Open):
    """One sentence of a story's summary and the spans it rests on."""

    sentence: str
    sources: list[SourceSpanOut] = []


class StoryOut(_Open):
    """A story record with its counts and date span."""

    id: str
    title: str
    summary: list[SummarySentenceOut] = []
    article_ids: list[str] = []
    event_ids: list[str] = []
    n_events: int | None = None
    n_articles: int | None = None
    n_contradictions: int | None = None
    first_date: str | None = None
    last_date: str | None = None
    fatalities_best_total: int | None = None


class StoryDetail(StoryOut):
    """A story with its events in date order and its articles."""

    events: list[EventOut] = []
    articles: list[ArticleOut] = []


class StoryPage(_Paged):
    """A page of stories, most recently active first."""

    items: list[StoryOut]


class ViolationOut(_Open):
    """A ceasefire violation alleged by one party against another."""

    alleged_by: str | None = None
    against: str | None = None
    count: int | None = None
    date: str | None = None
    source: SourceSpanOut
    count_kind: Literal["period", "cumulative"] | None = Field(
        None, description="cumulative: a running total ('199 times since it began'); period: the count of one report's day or span"
    )


class CeasefireOut(_Open):
    """A truce's lifecycle and the violations alleged under it."""

    id: str
    name: str
    parties: list[str] = []
    announced: str | None = None
    in_force_from: str | None = None
    ended: str | None = None
    ended_by: str | None = None
    violations: list[ViolationOut] = []
    sources: list[SourceSpanOut] = []
    event_ids: list[str] = []
    status: Literal["announced", "in force", "collapsed"]


class CeasefirePage(_Paged):
    """Ceasefires with their status."""

    items: list[CeasefireOut]


class ContradictionItem(_Open):
    """A contradiction with its event, its distinct values and who claims each."""

    event_id: str
    index: int
    field: str
    values: list
    positions: list[PositionOut] = []
    claim_details: list[IndexedClaimOut | ClaimOut | dict] = []


class ContradictionPage(_Open):
    """Every disagreement between sources."""

    items: list[ContradictionItem]
    total: int | None = Field(description="how many in all; null when asked not to count (count=false)")
    limit: int
    offset: int


class SearchHitOut(_Open):
    """A full-text match with what tells it apart in a list."""

    kind: Literal["article", "event", "story"] | str
    id: str
    title: str | None = None
    snippet: str
    score: float
    date: str | None = None
    place: str | None = None
    outlet: str | None = None
    url: str | None = None


class SearchPage(_Paged):
    """Ranked search hits."""

    items: list[SearchHitOut]


class MapPoint(_Open):
    """Events at one place, for the map: how many, how many killed, whether any is contested."""

    lat: float
    lon: float
    place: str | None = None
    country: str | None = None
    country_numeric: str | None = Field(None, description="ISO 3166-1 numeric, as the world atlas ids its countries")
    admin1: str | None = None
    precision: str | None = None
    n: int
    killed: int | None = None
    contested: int
    latest: str | None = None
    event_ids: list[str]


class MapOut(_Open):
    """The matching events' places (the newest `limit` events), and how many matched in all."""

    points: list[MapPoint]
    total: int
    shown: int
    without_coordinates: int


class ChangeOut(_Open):
    """One change of a record, from the change log, keyed by when the reports arrived."""

    at: str
    kind: str
    record_id: str
    change: str
    fields: list[str]
    detail: dict


class HeadlineOut(_Open):
    """One sentence of the top line and the article ids it rests on."""

    sentence: str
    sources: list[str]


class DeltaOut(_Open):
    """A record's change in the window: new or updated, the stated fields that moved ([before, after]) and the record now."""

    kind: str
    id: str
    change: str
    at: str
    moved: dict
    record: dict | None = None


class ChangesOut(_Open):
    """What changed while the reports of the window [start, end] arrived."""

    start: str
    end: str
    n_changes: int
    counts: dict[str, int] = Field(description="how many of each kind of change the window holds (the lists hold the newest `limit`)")
    headline: list[HeadlineOut]
    articles: list[ArticleOut] = Field(default_factory=list, description="the articles the headline cites, in citation order: outlet, title, date, link")
    new_events: list[DeltaOut]
    changed_events: list[DeltaOut]
    new_contradictions: list[DeltaOut]
    ceasefires: list[DeltaOut]
    stories: list[DeltaOut]
    removed: list[dict]


class PassageOut(_Open):
    """One passage of a duplicate group: an article and the span of its sentence."""

    article_id: str
    sentence: str
    start: int
    end: int


class DuplicateOut(_Open):
    """Passages across articles that say the same thing."""

    kind: Literal["exact", "near", "paraphrase"] | str
    passages: list[PassageOut]


class DuplicatePage(_Paged):
    """A page of duplicate groups."""

    items: list[DuplicateOut]


class RejectionOut(_Open):
    """An input that was skipped, with a reason a person can act on."""

    origin: str
    reason: str
    detail: str | None = None
    at: str | None = Field(None, description="when it was skipped (ISO 8601, UTC)")


class RejectionPage(_Paged):
    """A page of skipped inputs, newest first."""

    items: list[RejectionOut]


class StatsOut(_Open):
    """What the store holds."""

    articles: int
    rejections: int
    events: int
    stories: int
    duplicates: int
    ceasefires: int


class SkippedOut(_Open):
    """An input one ingest skipped, and why."""

    origin: str
    reason: str
    detail: str | None = None


class IngestSummaryOut(_Open):
    """What one ingest did: articles read, new and unchanged, inputs skipped, and the record's totals after it."""

    read: int
    new: int
    unchanged: int
    skipped: list[SkippedOut]
    events: int
    stories: int
    started: str | None = Field(None, description="when the run started (ISO 8601)")
    seconds: float
