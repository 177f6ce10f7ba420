"""Fusion: reports of the same real-world event, from any number of articles, become one Event.

Two reports are linked when their kind, place, date, targets, actors and figures agree well
enough (`score`) and nothing rules it out (`conflict`: different places, different targets,
dates far apart). Clusters grow by best link first and never absorb a report that conflicts
with any member, so look-alike incidents (two air strikes on Aleppo two days apart, one on a
convoy) stay apart. Every report's figures stay as separate claims; `best` follows ACLED's
conservative rule.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from sitroom.fusion.cluster import cluster_reports, explain
from sitroom.fusion.dates import anchor_undated, basis_of, reconcile_date
from sitroom.fusion.evidence import Profile, compare, veto
from sitroom.fusion.weights import Weights
from sitroom.taxonomy import SUB_EVENT_LABELS
from sitroom.tolls import contradictions as _contradictions, figure_from_claims
from sitroom.model import (
    Actor,
    ActorKind,
    ActorRole,
    Claim,
    DuplicateKeys,
    Event,
    Location,
    Report,
    SourceSpan,
)

LINK_THRESHOLD = Weights.default().threshold
_VAGUE = {"dozens", "scores", "hundreds", "thousands", "a dozen", "tens"}
_PRECISION_RANK = {"exact": 0, "city": 1, "admin1": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2}


def conflict(a: Report, b: Report) -> bool:
    """True when two reports cannot be one event (one article's two reports, or a veto)."""
    return a.article_id == b.article_id or veto(Profile.of(a), Profile.of(b)) is not None


def score(a: Report, b: Report) -> float:
    """The most two reports can score as one event, whatever sentences they share (log2 odds; links at `LINK_THRESHOLD`).

    Fusion adds the evidence of sentences the two share (dedupe's groups), which two reports
    alone cannot show, so this is the score with a shared sentence: a pair under the threshold
    here never links, and link components gathered with it hold every real link (`may_link`).
    """
    return Weights.default().score({**compare(Profile.of(a), Profile.of(b)), "sentence": "shared"})


def fuse(reports: Sequence[Report], duplicates: DuplicateKeys | None = None) -> list[Event]:
    """One Event per cluster of reports, ordered by date then id; `duplicates` says which cited sentences are copies."""
    duplicates = duplicates or DuplicateKeys()
    groups = cluster_reports(reports, duplicates)
    anchors = anchor_undated(groups)
    events = [build_event(group, duplicates, anchors=anchors) for group in groups]
    events.sort(key=lambda e: (e.date or date.max, e.id))
    return events


def _evidence(span: SourceSpan, duplicates: DuplicateKeys) -> str:
    """The piece of evidence a span is: its sentence's duplicate group, or the span itself."""
    return duplicates.group_of(span) or f"{span.article_id}:{span.start}"


def build_event(group: Sequence[Report], duplicates: DuplicateKeys, event_id: str | None = None,
                anchors: Mapping[str, date] | None = None) -> Event:
    """Fuse one cluster of reports into an event record, with the evidence that made it one.

    `event_id` is the id to give it (the incremental layer keeps ids stable); by default the hash
    of its earliest member (article id, then first sentence). `anchors` date the weekdays of
    undated articles (`fusion.dates.anchor_undated` over every cluster those articles report in).
    """
    event_id = event_id or default_event_id(group)
    event_type, sub_event_type = _vote_type(group)
    when, precision = reconcile_date(group, anchors)
    location = _pick_location(group)
    actors = _merge_actors(group)
    sources = list(dict.fromkeys(s for r in group for s in r.sources))

    # A copied sentence counts once as evidence: keep one claim per (evidence, field, value).
    claims: list[Claim] = []
    seen: set[tuple] = set()
    for r in sorted(group, key=lambda r: (r.article_id, r.id)):
        for c in r.claims:
            key = (_evidence(c.source, duplicates), c.field, c.value, c.high)
            if key in seen:
                continue
            seen.add(key)
            claims.append(c)
    fatalities = figure_from_claims([c for c in claims if c.field == "fatalities"])
    injured = figure_from_claims([c for c in claims if c.field == "injured"])
    statements = tuple(dict.fromkeys(s for r in group for s in r.statements))
    contradictions = _contradictions(claims, statements)
    independent = _independent_sources(sources, duplicates)
    event = Event(
        id=event_id,
        story_id=None,
        event_type=event_type,
        sub_event_type=sub_event_type,
        date=when,
        date_precision=precision,
        location=location,
        actors=actors,
        fatalities=fatalities,
        injured=injured,
        claims=tuple(claims),
        contradictions=contradictions,
        sources=tuple(sources),
        summary=None,
        report_ids=tuple(r.id for r in group),
        independent_sources=independent,
        single_source=independent <= 1,
        statements=statements,
        evidence=explain(group, duplicates),
        date_basis=basis_of(group, anchors),
    )
    return _with_summary(event)


def default_event_id(group: Sequence[Report]) -> str:
    """The hash of the group's earliest member: stable across runs while that member stays."""
    anchor = min(group, key=lambda r: (r.article_id, r.sources[0].start if r.sources else 0))
    return "evt_" + hashlib.sha1(f"{anchor.article_id}:{anchor.sources[0].start if anchor.sources else 0}".encode()).hexdigest()[:16]


def _independent_sources(sources: Sequence[SourceSpan], duplicates: DuplicateKeys) -> int:
    """Articles that add evidence of their own; an outlet repeating another's sentence adds none."""
    by_article: dict[str, set[str]] = defaultdict(set)
    for s in sources:
        by_article[s.article_id].add(_evidence(s, duplicates))
    counted: set[str] = set()
    independent = 0
    for art in sorted(by_article, key=lambda a: (-len(by_article[a]), a)):
        keys = by_article[art]
        if keys - counted:
            independent += 1
        counted |= keys
    return independent


def _vote_type(group: Sequence[Report]) -> tuple[str, str]:
    votes: Counter[tuple[str, str]] = Counter()
    for r in group:
        votes[(r.event_type, r.sub_event_type)] += 1 + len(r.claims)
    # Generic "attack" loses to a specific weapon when one report names it.
    specific = {k: v for k, v in votes.items() if k[1] != "attack"}
    pool = specific or votes
    return max(sorted(pool), key=lambda k: pool[k])


def _pick_location(group: Sequence[Report]) -> Location | None:
    """The place most reports support; ties go to the most precise reading.

    A coarser reading supports the places inside it: "a strike in Syria's north" and "near Aleppo"
    both back Aleppo, so a record is not pinned to the country because two reports were vaguer.
    """
    located = [r.location for r in group if r.location]
    if not located:
        return None
    counts: Counter[tuple[int | None, str]] = Counter((l.geonames_id, l.name) for l in located)
    first: dict[tuple[int | None, str], Location] = {}
    for l in located:
        first.setdefault((l.geonames_id, l.name), l)

    def support(k: tuple[int | None, str]) -> int:
        place = first[k]
        return sum(n for other, n in counts.items() if other == k or _contains(first[other], place))

    key = min(counts, key=lambda k: (-support(k), _PRECISION_RANK.get(first[k].precision, 4), str(k)))
    return first[key]


def _contains(outer: Location, inner: Location) -> bool:
    """Whether a country or province reading holds a finer one."""
    if outer.country is None or outer.country != inner.country:
        return False
    rank_outer, rank_inner = _PRECISION_RANK.get(outer.precision, 4), _PRECISION_RANK.get(inner.precision, 4)
    if rank_outer <= rank_inner:
        return False
    if outer.precision == "country":
        return True
    return outer.precision == "admin1" and bool(outer.admin1) and outer.admin1 in (inner.admin1, inner.name)


def _merge_actors(group: Sequence[Report]) -> tuple[Actor, ...]:
    side: dict[str, Counter[str]] = {"1": Counter(), "2": Counter()}
    forms: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, ActorKind | None] = {}
    for r in group:
        for a in r.actors:
            side["1" if a.role.endswith("1") else "2"][a.name] += 2 if a.role.startswith("actor") else 1
            forms[a.name] += [f for f in a.mentions if f not in forms[a.name]]
            kinds[a.name] = kinds.get(a.name) or a.kind
    out: list[Actor] = []
    used: set[str] = set()
    for s in ("1", "2"):
        ranked = [n for n, _ in sorted(side[s].items(), key=lambda kv: (-kv[1], kv[0])) if n not in used]
        for i, name in enumerate(ranked[:2]):
            role: ActorRole = ("actor1" if i == 0 else "assoc_actor_1") if s == "1" else ("actor2" if i == 0 else "assoc_actor_2")
            out.append(Actor(name, role, tuple(forms[name]), kinds[name]))
            used.add(name)
    return tuple(out)


def _with_summary(e: Event) -> Event:
    return replace(e, summary=describe(e))


def describe(e: Event) -> str:
    """A one-line factual description generated from the record's own fields."""
    what = SUB_EVENT_LABELS.get(e.sub_event_type, e.sub_event_type.replace("_", " ").capitalize())
    where = f" in {e.location.name}" + (f" ({e.location.country})" if e.location.country else "") if e.location else ""
    when = f" on {e.date.isoformat()}" if e.date and e.date_precision == "day" else (f" in the {e.date_precision} of {e.date.isoformat()}" if e.date else "")
    a1 = [a.name for a in e.actors if a.role == "actor1"]
    a2 = [a.name for a in e.actors if a.role == "actor2"]
    who = ""
    if a1 and a2:
        who = f" by {a1[0]} against {a2[0]}"
    elif a1:
        who = f" by {a1[0]}"
    elif a2:
        who = f" against {a2[0]}"
    parts = [f"{what}{where}{when}{who}."]
    f = e.fatalities
    if f.best is not None:
        disputed = any(c.field == "fatalities" for c in e.contradictions)
        span = f" (reports range {f.low}–{f.high}, disputed)" if disputed else (f" (up to {f.high} reported)" if f.high and f.high != f.best else "")
        parts.append(f"Fatalities: {f.best}{span}.")
    if e.injured.best is not None:
        parts.append(f"Injured: {e.injured.best}" + (f" (up to {e.injured.high})" if e.injured.high and e.injured.high != e.injured.best else "") + ".")
    if any(c.field == "responsibility" for c in e.contradictions):
        parts.append("Responsibility is disputed.")
    n = e.independent_sources
    parts.append(f"{n} independent source{'s' if n != 1 else ''}.")
    return " ".join(parts)

