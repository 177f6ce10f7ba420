"""The typed, frozen data model that flows through every stage.

Every piece of evidence is a view into an article: an article id plus character offsets
(`SourceSpan`, in `sitroom.spans` with the other spans and re-exported here), never a
free-floating copy, so any figure can be traced to the sentence that states it. Missing values
are `None`, never `''`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
import datetime as dt
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

# Re-exported: the spans live in their own module, the taxonomy in one module.
from sitroom.spans import DuplicateKeys, Mention, Sentence, SentenceRef, SourceSpan  # noqa: F401
from sitroom.taxonomy import EVENT_TYPES  # noqa: F401

DatePrecision = Literal["day", "week", "month"]
DateBasis = Literal["stated", "relative", "published"]
PlacePrecision = Literal["exact", "city", "admin1", "country"]
FigureField = Literal["fatalities", "injured"]
DuplicateKind = Literal["exact", "near", "paraphrase"]
ActorRole = Literal["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"]
CeasefireStatus = Literal["announced", "in force", "collapsed"]
StatementKind = Literal["blame", "denial", "claim_of_responsibility"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news report as read from its source, before any analysis."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    origin: str | None = None  # the file, URL or feed it was read from
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("Article.id must not be empty")


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that was skipped, with a reason a person can act on."""

    origin: str
    reason: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """A geocoded place."""

    name: str
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: PlacePrecision = "city"
    feature: str | None = None  # GeoNames feature code: "PPL", "PPLA", "ADM1", "ADM2", "PCLI"...

    def to_dict(self) -> dict:
        """The contract's location object: every field but `feature`, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "feature"}


class ActorKind(StrEnum):
    """What sort of party an actor is, as extraction names it (the ACLED-style name follows from it)."""

    STATE = "state"
    GOVERNMENT = "government"
    MILITARY = "military"
    POLICE = "police"
    COALITION = "coalition"
    ARMED_GROUP = "group"  # rebels, insurgents, jihadist groups, an unidentified armed group
    MILITIA = "militia"  # a communal militia: civilians who attack
    CIVILIANS = "civilians"
    SETTLERS = "settlers"
    PROTESTERS = "protesters"
    RIOTERS = "rioters"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor (ACLED-style name) with the surface forms that named it."""

    name: str
    role: ActorRole = "actor1"
    mentions: tuple[str, ...] = ()
    kind: ActorKind | None = None

    def to_dict(self) -> dict:
        """The contract's actor object."""
        return {"name": self.name, "role": self.role, "mentions": list(self.mentions)}


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's figure for one field of one event: a number, its qualifier and who said it."""

    field: FigureField
    value: int
    source: SourceSpan
    qualifier: str | None = None  # "at least", "more than", "about", "dozens", "between" ...
    low: int | None = None
    high: int | None = None  # a range's upper bound ("between 250 and 300")
    attributed_to: str | None = None
    text: str | None = None  # the figure as written ("at least 62")
    group: str = "unspecified"  # who it counts: civilians | passengers | security_forces | militants | unspecified
    scope: Literal["incident", "period"] = "incident"  # "period": a total over weeks or years, not this incident's

    def to_dict(self) -> dict:
        """The contract's claim object."""
        data = {
            "field": self.field,
            "value": self.value,
            "qualifier": self.qualifier,
            "attributed_to": self.attributed_to,
            "source": self.source.to_dict(),
            "group": self.group,
            "scope": self.scope,
        }
        if self.high is not None and self.high != self.value:
            data["low"] = self.low if self.low is not None else self.value
            data["high"] = self.high
        if self.text:
            data["text"] = self.text
        return data


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to a speaker, with the span of the quoted text."""

    speaker: str | None
    text: str
    source: SourceSpan


@dataclass(frozen=True, slots=True)
class Statement:
    """A blame or a denial of responsibility: who accuses or denies, and about whom."""

    kind: StatementKind
    by: str | None
    against: tuple[str, ...]
    source: SourceSpan


@dataclass(frozen=True, slots=True)
class Report:
    """One article's account of one incident, as extracted from that article alone."""

    id: str
    article_id: str
    event_type: str
    sub_event_type: str
    trigger: str
    date: date | None
    date_precision: DatePrecision | None
    location: Location | None
    actors: tuple[Actor, ...]
    claims: tuple[Claim, ...]
    sources: tuple[SourceSpan, ...]
    statements: tuple[Statement, ...] = ()
    keywords: tuple[str, ...] = ()  # salient nouns ("convoy", "hospital") that help fusion
    published: dt.date | None = None  # `dt.`: the field `date` above shadows the type
    place_names: tuple[str, ...] = ()  # every place phrase in its sentences, folded, resolved or not
    # How `date` was found: "stated" (the text names the day), "relative" ("on Saturday", resolved
    # against the publication date), "published" (a fresh incident the text does not date).
    date_basis: DateBasis | None = None
    # A day the text states without a year ("on September 17") when nothing in the article fixes
    # the year: ISO 8601's "--MM-DD", for fusion to complete from the event's other reports.
    date_partial: str | None = None
    # "incident", or "context": background the story states (a period total, a plan, a threat, an
    # old attack on trial) kept as `ArticleAnalysis.context`, never made an event.
    kind: Literal["incident", "context"] = "incident"
    context: str | None = None  # for kind "context": period_total | anniversary | trial | hypothetical | forecast | denial | threat | plan | history


@dataclass(frozen=True, slots=True)
class Figure:
    """A fused casualty figure: ACLED's conservative best and the span of all claims."""

    best: int | None = None
    low: int | None = None
    high: int | None = None

    def to_dict(self) -> dict:
        """The contract's `{"best", "low", "high"}` object."""
        return {"best": self.best, "low": self.low, "high": self.high}


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Sources that disagree: different figures, or blame against denial."""

    field: str  # "fatalities" | "injured" | "responsibility"
    values: tuple
    claims: tuple[int, ...] = ()  # indices into Event.claims
    statements: tuple[Statement, ...] = ()
    group: str | None = None  # the victim group both figures count (figures only disagree within one)

    def to_dict(self) -> dict:
        """The contract's contradiction object."""
        data: dict = {"field": self.field, "values": list(self.values), "claims": list(self.claims)}
        if self.group:
            data["group"] = self.group
        if self.statements:
            data["statements"] = [
                {"kind": s.kind, "by": s.by, "against": list(s.against), "source": s.source.to_dict()}
                for s in self.statements
            ]
        return data


@dataclass(frozen=True, slots=True)
class Agreement:
    """One comparison of two reports and what its level weighed (log2 odds) for their being one event."""

    comparison: str  # date | place | age | name | street | time | toll | ... (fusion.weights.LEVELS)
    level: str  # same_day, same_city, shared, different, ...
    weight: float

    def to_dict(self) -> dict:
        """`{"comparison", "level", "weight"}`."""
        return {"comparison": self.comparison, "level": self.level, "weight": self.weight}


@dataclass(frozen=True, slots=True)
class Link:
    """Why fusion joined two reports into one event: their score and the comparisons behind it."""

    reports: tuple[str, str]
    articles: tuple[str, str]
    score: float  # log2 odds of one event (Fellegi–Sunter)
    agreements: tuple[Agreement, ...] = ()

    def to_dict(self) -> dict:
        """The event record's evidence item."""
        return {"reports": list(self.reports), "articles": list(self.articles), "score": self.score,
                "agreements": [a.to_dict() for a in self.agreements]}


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event: the fusion of every report of it, each report's claims kept."""

    id: str
    story_id: str | None
    event_type: str
    sub_event_type: str
    date: date | None
    date_precision: DatePrecision | None
    location: Location | None
    actors: tuple[Actor, ...]
    fatalities: Figure
    injured: Figure
    claims: tuple[Claim, ...]
    contradictions: tuple[Contradiction, ...]
    sources: tuple[SourceSpan, ...]
    summary: str | None
    report_ids: tuple[str, ...] = ()
    independent_sources: int = 1
    single_source: bool = True
    statements: tuple[Statement, ...] = ()
    ceasefire_id: str | None = None
    date_basis: DateBasis | None = None  # stated | relative | published: how the chosen date was found
    evidence: tuple[Link, ...] = ()  # the links that made its reports one event ("why is this one event?")

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The articles that report this event, in first-seen order."""
        return tuple(dict.fromkeys(s.article_id for s in self.sources))

    def to_dict(self) -> dict:
        """The contract's event record."""
        return {
            "id": self.id,
            "story_id": self.story_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "location": self.location.to_dict() if self.location else None,
            "actors": [a.to_dict() for a in self.actors],
            "fatalities": self.fatalities.to_dict(),
            "injured": self.injured.to_dict(),
            "claims": [c.to_dict() for c in self.claims],
            "contradictions": [c.to_dict() for c in self.contradictions],
            "sources": [s.to_dict() for s in self.sources],
            "summary": self.summary,
            "independent_sources": self.independent_sources,
            "single_source": self.single_source,
            "article_ids": list(self.article_ids),
            "ceasefire_id": self.ceasefire_id,
            "date_basis": self.date_basis,
            "evidence": [link.to_dict() for link in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Passages across articles that say the same thing: exact, near copies or paraphrases."""

    kind: DuplicateKind
    passages: tuple[SourceSpan, ...]  # each a sentence of one article that also appears in another

    def to_dict(self) -> dict:
        """The contract's duplicate-group object."""
        return {"kind": self.kind, "passages": [p.to_dict() for p in self.passages]}


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a story summary with the spans that support it."""

    sentence: str
    sources: tuple[SourceSpan, ...]

    def to_dict(self) -> dict:
        """The contract's summary item."""
        return {"sentence": self.sentence, "sources": [s.to_dict() for s in self.sources]}


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one unfolding situation, with a timeline of events and a cited summary."""

    id: str
    title: str
    summary: tuple[SummarySentence, ...]
    article_ids: tuple[str, ...]
    event_ids: tuple[str, ...]

    def to_dict(self) -> dict:
        """The contract's story record."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": [s.to_dict() for s in self.summary],
            "article_ids": list(self.article_ids),
            "event_ids": list(self.event_ids),
        }


@dataclass(frozen=True, slots=True)
class Violation:
    """A ceasefire violation alleged by one party against another, with the count as reported."""

    alleged_by: str | None
    against: str | None
    count: int | None
    date: date | None
    source: SourceSpan


def ceasefire_status(ended: object, in_force_from: object) -> CeasefireStatus:
    """A truce's status from its lifecycle dates (as objects or as a stored record's ISO strings):
    `Ceasefire.status`, for a record read back as a dict or a change log's before and after."""
    return "collapsed" if ended else "in force" if in_force_from else "announced"


@dataclass(frozen=True, slots=True)
class Ceasefire:
    """A truce as a first-class record: its lifecycle and the violations alleged under it."""

    id: str
    name: str
    parties: tuple[str, ...]
    announced: date | None
    in_force_from: date | None
    ended: date | None
    ended_by: str | None
    violations: tuple[Violation, ...]
    sources: tuple[SourceSpan, ...]
    event_ids: tuple[str, ...] = ()
    country: str | None = None  # ISO2: the truce's country (one record per truce, several may share a country)
    stages: tuple[str, ...] = ()  # what the sources state of it, in order: proposed, agreed, in force, ended

    @property
    def status(self) -> CeasefireStatus:
        """What a reader is told: "collapsed" once ended, "in force" once in force, else "announced"."""
        return ceasefire_status(self.ended, self.in_force_from)

    @property
    def stage(self) -> str:
        """The latest stage the sources state: "proposed", "agreed", "in force" or "ended"."""
        if self.ended or "ended" in self.stages:
            return "ended"
        if self.in_force_from or "in force" in self.stages:
            return "in force"
        if self.announced or "agreed" in self.stages:
            return "agreed"
        return "proposed"


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """Everything extracted from one article on its own: the input to fusion."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    reports: tuple[Report, ...]
    quotes: tuple[Quote, ...] = ()
    context: tuple[Report, ...] = ()  # background the article states (kind "context"): never fused into events
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingest run did, for the CLI's closing line and the API."""

    read: int
    new: int
    unchanged: int
    skipped: tuple[Rejection, ...]
    events: int
    stories: int
    started: datetime | None = None
    seconds: float = 0.0
