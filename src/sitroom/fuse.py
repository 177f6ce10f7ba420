"""Fusion: reports of the same real-world event, from any number of articles, become one Event.

Two reports are linked when their kind, place, date, targets, actors and figures agree well
enough (`score`) and nothing rules it out (`conflict`: different places, different targets,
dates far apart). Clusters grow by best link first and never absorb a report that conflicts
with any member, so look-alike incidents (two air strikes on Aleppo two days apart, one on a
convoy) stay apart. Every report's figures stay as separate claims; `best` follows ACLED's
conservative rule.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sitroom.extract.geo import compatible, same_place
from sitroom.tolls import consistent as _consistent, contradictions as _contradictions, figure_from_claims  # noqa: F401  (tolls by group and scope)
from sitroom.model import (
    Actor,
    Claim,
    Contradiction,
    Event,
    Figure,
    Location,
    Report,
    SourceSpan,
    Statement,
)

LINK_THRESHOLD = 5
_VAGUE = {"dozens", "scores", "hundreds", "thousands", "a dozen", "tens"}
_PRECISION_RANK = {"exact": 0, "city": 1, "admin1": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2}
_SUB_LABEL = {
    "air_drone_strike": "Air/drone strike",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "suicide_bomb": "Suicide bomb",
    "chemical_weapon": "Chemical weapon",
    "grenade": "Grenade",
    "armed_clash": "Armed clash",
    "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "attack": "Attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "sexual_violence": "Sexual violence",
    "peaceful_protest": "Peaceful protest",
    "protest_with_intervention": "Protest with intervention",
    "excessive_force_against_protesters": "Excessive force against protesters",
    "violent_demonstration": "Violent demonstration",
    "mob_violence": "Mob violence",
    "agreement": "Agreement",
    "arrests": "Arrests",
    "change_to_group_activity": "Change to group/activity",
    "disrupted_weapons_use": "Disrupted weapons use",
    "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
    "non_violent_transfer_of_territory": "Non-violent transfer of territory",
    "other": "Other",
}


def family(event_type: str) -> str:
    """Event types that one incident can be reported as (a strike on a convoy is also an 'attack')."""
    return "violence" if event_type in ("battles", "explosions_remote_violence", "violence_against_civilians") else event_type


def _specific(keywords: Iterable[str]) -> set[str]:
    from sitroom.extract.reports import target_classes

    return target_classes(keywords)


# Sub-event types that name a weapon or a specific act; two different ones are two incidents.
_SPECIFIC = {
    "chemical_weapon", "suicide_bomb", "shelling_artillery_missile_attack", "remote_explosive_landmine_ied",
    "grenade", "abduction_forced_disappearance", "sexual_violence", "government_regains_territory",
    "non_state_actor_overtakes_territory",
}


@dataclass(frozen=True, slots=True)
class _Traits:
    """What linking reads of a report, computed once: fusion compares each report with many others."""

    article_id: str
    family: str
    event_type: str
    sub_event_type: str
    date: date | None
    date_precision: str | None
    location: Location | None
    targets: frozenset[str]
    actor_names: frozenset[str]
    parties: frozenset[str]  # actors other than civilians: a shared one corroborates
    figures: frozenset[int]  # precise claimed values, any field
    tolls: tuple[Claim, ...]  # precise fatality claims
    place_names: frozenset[str]
    profile: tuple  # every trait but the article: reports with one profile link alike to all others

    @classmethod
    def of(cls, r: Report) -> _Traits:
        """The traits of one report."""
        claims = tuple(sorted((c.field, c.value, c.qualifier or "") for c in r.claims))
        actors = frozenset((x.name, x.kind) for x in r.actors)
        targets = frozenset(_specific(r.keywords))
        places = frozenset(r.place_names)
        return cls(
            article_id=r.article_id,
            family=family(r.event_type),
            event_type=r.event_type,
            sub_event_type=r.sub_event_type,
            date=r.date,
            date_precision=r.date_precision,
            location=r.location,
            targets=targets,
            actor_names=frozenset(x.name for x in r.actors),
            parties=frozenset(x.name for x in r.actors if x.kind != "civilians" and not x.name.startswith("Civilians")),
            figures=frozenset(c.value for c in r.claims if c.qualifier not in _VAGUE),
            tolls=tuple(c for c in r.claims if c.field == "fatalities" and c.qualifier not in _VAGUE),
            place_names=places,
            profile=(r.event_type, r.sub_event_type, r.date, r.date_precision, r.location, targets, actors, claims, places),
        )


def conflict(a: Report, b: Report) -> bool:
    """True when two reports cannot be one event."""
    # An article's sentences were already merged per incident: its separate reports are
    # separate incidents (other days, other places), and no third report may join them.
    return a.article_id == b.article_id or _incompatible(_Traits.of(a), _Traits.of(b))


def _incompatible(a: _Traits, b: _Traits) -> bool:
    """True when two reports of different articles cannot be one event."""
    if a.sub_event_type != b.sub_event_type and a.sub_event_type in _SPECIFIC and b.sub_event_type in _SPECIFIC:
        return True
    if a.family != b.family:
        return True
    if a.location and b.location and not compatible(a.location, b.location):
        return True
    if a.date and b.date:
        gap = abs((a.date - b.date).days)
        if gap > (21 if a.date_precision == b.date_precision == "day" else 45):
            return True
    if a.targets and b.targets and not (a.targets & b.targets):
        return True
    if _tolls_disagree(a, b) and not _corroborated(a, b):
        # Two tolls that cannot describe one incident, linked by nothing but town and kind
        # ("at least 50 killed" on Wednesday, "another four" in a late-night bombing): two
        # incidents, not one incident with a disputed toll.
        return True
    return False


# Target classes that fit most bombings of a town: sharing one says nothing about identity.
_GENERIC_SITES = {"residential"}


def _tolls_disagree(a: _Traits, b: _Traits) -> bool:
    """Both reports give a precise death toll and the tolls cannot be reconciled."""
    if not a.tolls or not b.tolls:
        return False
    claims = (*a.tolls, *b.tolls)
    return len({c.value for c in claims}) > 1 and not _consistent(claims, list(range(len(claims))))


def _corroborated(a: _Traits, b: _Traits) -> bool:
    """Evidence of identity beyond place and kind: the same day, a shared party, site or place phrase."""
    if (a.targets & b.targets) - _GENERIC_SITES:
        return True
    if a.date and b.date and a.date_precision == b.date_precision == "day" and abs((a.date - b.date).days) <= 1:
        return True
    if a.parties & b.actor_names:
        return True
    return bool(a.place_names & b.place_names)


def score(a: Report, b: Report) -> int:
    """How strongly two reports look like one event (higher is stronger)."""
    return _score(_Traits.of(a), _Traits.of(b))


def _score(a: _Traits, b: _Traits) -> int:
    s = 0
    if a.location and b.location:
        s += 4 if same_place(a.location, b.location) else 3
    if a.sub_event_type == b.sub_event_type:
        s += 2
    elif a.event_type == b.event_type:
        s += 1
    if a.date and b.date:
        gap = abs((a.date - b.date).days)
        s += 2 if gap <= 1 else 1 if gap <= 3 else 0 if gap <= 7 else -1
    s += min(4, 2 * len(a.targets & b.targets))
    s += min(2, len(a.actor_names & b.actor_names))
    if a.figures & b.figures:
        s += 2
    if a.place_names & b.place_names:
        s += 3  # the same place phrase, even one the gazetteer does not know ("Bustan al-Qasr")
    return s


def _alike(ordered: Sequence[Report]) -> tuple[list[list[int]], list[_Traits], list[set[str]]]:
    """Reports that only their article tells apart, as classes of indices into `ordered`, with each
    class's traits and articles.

    Copies of one wire story give hundreds of such reports. They link to every other report
    alike and to each other best of all, so fusion compares classes, not reports: the pairs it
    weighs fall with the square of the copies. A class never holds two reports of one article.
    """
    classes: list[list[int]] = []
    traits: list[_Traits] = []
    by_profile: dict[tuple, list[int]] = defaultdict(list)
    articles: list[set[str]] = []
    for i, r in enumerate(ordered):
        t = _Traits.of(r)
        # A report too vague to link to its own copy, or in conflict with it (two tolls that
        # cannot both hold, and nothing to corroborate them), stays a class of one.
        linkable = _score(t, t) >= LINK_THRESHOLD and not _incompatible(t, t)
        alike = by_profile[t.profile] if linkable else []
        for c in alike:
            if r.article_id not in articles[c]:
                classes[c].append(i)
                articles[c].add(r.article_id)
                break
        else:
            if linkable:
                by_profile[t.profile].append(len(classes))
            classes.append([i])
            traits.append(t)
            articles.append({r.article_id})
    return classes, traits, articles


def cluster_reports(reports: Sequence[Report]) -> list[list[Report]]:
    """Group reports into events: best links first, never joining conflicting reports."""
    ordered = sorted(reports, key=lambda r: r.id)
    classes, traits, articles = _alike(ordered)
    # Candidate pairs are sought within a kind and a country only: reports placed in two
    # countries always conflict. A report with no country is compared with its whole kind.
    blocks: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for c, t in enumerate(traits):
        blocks[(t.family, t.location.country if t.location else None)].append(c)
    pairs: list[tuple[int, int, int]] = []
    for (kind, country), members in blocks.items():
        _pairs_within(traits, members, pairs)
        if country is not None and (kind, None) in blocks:
            _pairs_across(traits, members, blocks[(kind, None)], pairs)
    parent = list(range(len(classes)))
    members_of: dict[int, list[int]] = {c: [c] for c in range(len(classes))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Groups found to conflict stay in conflict: a merge only adds members, and one conflicting
    # pair is enough. Remembering it spares the member-by-member check for every later link
    # between the same two groups.
    conflicting: dict[int, set[int]] = defaultdict(set)
    for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ri, rj = find(i), find(j)
        if ri == rj or rj in conflicting[ri]:
            continue
        if not articles[ri].isdisjoint(articles[rj]) or any(
            _incompatible(traits[x], traits[y]) for x in members_of[ri] for y in members_of[rj]
        ):
            conflicting[ri].add(rj)
            conflicting[rj].add(ri)
            continue
        parent[rj] = ri
        members_of[ri] += members_of.pop(rj)
        articles[ri] |= articles[rj]
        articles[rj] = set()
        for other in conflicting.pop(rj, set()):
            conflicting[other].discard(rj)
            conflicting[other].add(ri)
            conflicting[ri].add(other)
    return [[ordered[i] for i in sorted(i for c in m for i in classes[c])] for m in members_of.values()]


# Dated reports further apart than this always conflict (`_incompatible`), so they are never paired.
_MAX_GAP_DAYS = 45


def _by_date(traits: Sequence[_Traits], members: Iterable[int]) -> tuple[list[int], list[int]]:
    """The dated members in date order (then index), and the undated ones."""
    dated = sorted((i for i in members if traits[i].date), key=lambda i: (traits[i].date, i))
    return dated, [i for i in members if not traits[i].date]


def _pairs_within(traits: Sequence[_Traits], members: list[int], pairs: list[tuple[int, int, int]]) -> None:
    """Consider every pair of one block whose dates are close enough to link."""
    dated, undated = _by_date(traits, members)
    for x, i in enumerate(dated):
        for j in dated[x + 1 :]:
            if (traits[j].date - traits[i].date).days > _MAX_GAP_DAYS:  # type: ignore[operator]
                break
            _consider(traits, i, j, pairs)
        for j in undated:
            _consider(traits, i, j, pairs)
    for x, i in enumerate(undated):
        for j in undated[x + 1 :]:
            _consider(traits, i, j, pairs)


def _pairs_across(traits: Sequence[_Traits], members: list[int], placeless: list[int], pairs: list[tuple[int, int, int]]) -> None:
    """Consider every pair of a country's block and its kind's placeless reports whose dates are close enough."""
    dated, undated = _by_date(traits, placeless)
    days = [traits[j].date.toordinal() for j in dated]  # type: ignore[union-attr]
    for i in members:
        when = traits[i].date
        if when is None:
            near = dated
        else:
            lo = bisect.bisect_left(days, when.toordinal() - _MAX_GAP_DAYS)
            near = dated[lo : bisect.bisect_right(days, when.toordinal() + _MAX_GAP_DAYS)]
        for j in (*near, *undated):
            _consider(traits, min(i, j), max(i, j), pairs)


def _consider(traits: Sequence[_Traits], i: int, j: int, pairs: list[tuple[int, int, int]]) -> None:
    a, b = traits[i], traits[j]
    # One article's reports were already merged per incident: they only meet through other articles.
    if a.article_id == b.article_id or _incompatible(a, b):
        return
    s = _score(a, b)
    if s >= LINK_THRESHOLD:
        pairs.append((s, i, j))


def fuse(reports: Sequence[Report], evidence_key: dict[tuple[str, int], str] | None = None,
         sentence_index: dict[tuple[str, int], int] | None = None) -> list[Event]:
    """One Event per cluster of reports, ordered by date then id."""
    evidence_key = evidence_key or {}
    sentence_index = sentence_index or {}
    events = [build_event(group, evidence_key, sentence_index) for group in cluster_reports(reports)]
    events.sort(key=lambda e: (e.date or date.max, e.id))
    return events


def _evidence(span: SourceSpan, evidence_key: dict, sentence_index: dict) -> str:
    idx = sentence_index.get((span.article_id, span.start))
    if idx is not None and (span.article_id, idx) in evidence_key:
        return evidence_key[(span.article_id, idx)]
    return f"{span.article_id}:{span.start}"


def build_event(group: Sequence[Report], evidence_key: dict, sentence_index: dict) -> Event:
    """Fuse one cluster of reports into an event record."""
    anchor = min(group, key=lambda r: (r.article_id, r.sources[0].start if r.sources else 0))
    event_id = "evt_" + hashlib.sha1(f"{anchor.article_id}:{anchor.sources[0].start if anchor.sources else 0}".encode()).hexdigest()[:16]
    event_type, sub_event_type = _vote_type(group)
    when, precision = _pick_date(group)
    location = _pick_location(group)
    actors = _merge_actors(group)
    sources = list(dict.fromkeys(s for r in group for s in r.sources))

    # A copied sentence counts once as evidence: keep one claim per (evidence, field, value).
    claims: list[Claim] = []
    seen: set[tuple] = set()
    for r in sorted(group, key=lambda r: (r.article_id, r.id)):
        for c in r.claims:
            key = (_evidence(c.source, evidence_key, sentence_index), c.field, c.value, c.high)
            if key in seen:
                continue
            seen.add(key)
            claims.append(c)
    fatalities = figure_from_claims([c for c in claims if c.field == "fatalities"])
    injured = figure_from_claims([c for c in claims if c.field == "injured"])
    statements = tuple(dict.fromkeys(s for r in group for s in r.statements))
    contradictions = _contradictions(claims, statements)
    independent = _independent_sources(sources, evidence_key, sentence_index)
    event = Event(
        id=event_id,
        story_id=None,
        event_type=event_type,
        sub_event_type=sub_event_type,
        date=when,
        date_precision=precision,  # type: ignore[arg-type]
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
    )
    return _with_summary(event)


def _independent_sources(sources: Sequence[SourceSpan], evidence_key: dict, sentence_index: dict) -> int:
    """Articles that add evidence of their own; an outlet repeating another's sentence adds none."""
    by_article: dict[str, set[str]] = defaultdict(set)
    for s in sources:
        by_article[s.article_id].add(_evidence(s, evidence_key, sentence_index))
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


def _pick_date(group: Sequence[Report]) -> tuple[date | None, str | None]:
    dated = [r for r in group if r.date]
    if not dated:
        return None, None
    best_rank = min(_DATE_RANK.get(r.date_precision or "month", 3) for r in dated)
    pool = [r for r in dated if _DATE_RANK.get(r.date_precision or "month", 3) == best_rank]
    counts = Counter(r.date for r in pool)
    when = max(sorted(counts), key=lambda d: counts[d])
    return when, next(r.date_precision for r in pool if r.date == when)


def _pick_location(group: Sequence[Report]) -> Location | None:
    """The place most reports give; ties go to the most precise reading."""
    located = [r.location for r in group if r.location]
    if not located:
        return None
    counts = Counter((l.geonames_id, l.name) for l in located)
    key = min(counts, key=lambda k: (-counts[k], min(_PRECISION_RANK.get(l.precision, 4) for l in located if (l.geonames_id, l.name) == k), str(k)))
    return next(l for l in located if (l.geonames_id, l.name) == key)


def _merge_actors(group: Sequence[Report]) -> tuple[Actor, ...]:
    side: dict[str, Counter[str]] = {"1": Counter(), "2": Counter()}
    forms: dict[str, list[str]] = defaultdict(list)
    for r in group:
        for a in r.actors:
            side["1" if a.role.endswith("1") else "2"][a.name] += 2 if a.role.startswith("actor") else 1
            forms[a.name] += [f for f in a.mentions if f not in forms[a.name]]
    out: list[Actor] = []
    used: set[str] = set()
    for s, primary, assoc in (("1", "actor1", "assoc_actor_1"), ("2", "actor2", "assoc_actor_2")):
        ranked = [n for n, _ in sorted(side[s].items(), key=lambda kv: (-kv[1], kv[0])) if n not in used]
        for i, name in enumerate(ranked[:2]):
            out.append(Actor(name, primary if i == 0 else assoc, tuple(forms[name])))  # type: ignore[arg-type]
            used.add(name)
    return tuple(out)


def _with_summary(e: Event) -> Event:
    from dataclasses import replace

    return replace(e, summary=describe(e))


def describe(e: Event) -> str:
    """A one-line factual description generated from the record's own fields."""
    what = _SUB_LABEL.get(e.sub_event_type, e.sub_event_type.replace("_", " ").capitalize())
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
