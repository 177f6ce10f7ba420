"""Sentence-level reports being assembled (`Draft`), and how the drafts of one incident merge within an article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sitroom.extract import dates
from sitroom.extract.actors import ActorMatch
from sitroom.extract.events import Trigger
from sitroom.extract.figures import FigureMention
from sitroom.extract.frame import PRECISION_RANK
from sitroom.extract.geo import compatible as places_compatible, same_place
from sitroom.extract.incident_dates import DATE_RANK
from sitroom.extract.targets import target_classes
from sitroom.model import ActorKind, Claim, DateBasis, DatePrecision, Location, Sentence, Statement


@dataclass
class Draft:
    """A sentence-level report being assembled (mutable until frozen into a Report)."""

    trigger: Trigger
    sentence: Sentence
    location: Location | None
    place_text: str | None
    date: date | None
    date_precision: DatePrecision | None
    figures: list[FigureMention]
    date_basis: DateBasis | None = field(default=None, kw_only=True)  # stated | relative | published
    date_partial: str | None = field(default=None, kw_only=True)  # "--09-17": a stated day whose year nothing fixes
    weekdays: set[str] = field(default_factory=set, kw_only=True)  # weekdays its sentences name, resolved or not
    before_weekday: str | None = field(default=None, kw_only=True)  # "on Thursday resumed ... after the strike": it came before
    attributed_to: str | None
    actors: list[ActorMatch]
    victims: dict[str, ActorKind]  # the ACLED-style names of the victims its figures count, and their kind
    statements: list[Statement]
    keywords: set[str]
    place_names: set[str] = field(default_factory=set)
    country: str | None = None  # the scene's country, or the article's main one
    sources: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # Its act is told inside someone's quoted words with no toll of its own ("Then he went upstairs and
    # started shooting," said a neighbour): a witness retelling an incident, never one of its own.
    retold: bool = field(default=False, kw_only=True)


def worth_keeping(d: Draft) -> bool:
    """A report needs an anchor in the world: a place, a date, a figure, or a named target."""
    return bool(d.location or d.figures or d.date or d.keywords or d.trigger.priority >= 40)


def family(event_type: str) -> str:
    """An event type's family: battles, explosions and attacks on civilians are all "violence"."""
    return "violence" if event_type in ("battles", "explosions_remote_violence", "violence_against_civilians") else event_type


_DEMONSTRATION = ("protests", "riots")
# The crowd a violent act hits or comes from: "shot dead two protesters", "the marchers set fire to ...".
_CROWD = re.compile(r"\b(?:protesters?|demonstrators?|marchers|rioters|crowds?|the\s+(?:march|rally|protest|demonstration))\b", re.I)


def _kin(a: Draft, b: Draft) -> bool:
    """Whether two drafts' kinds allow one incident: one family, or a demonstration and the violence that met it
    ("teachers marched ... police fired tear gas at the marchers", "security forces shot dead two protesters")."""
    fa, fb = family(a.trigger.event_type), family(b.trigger.event_type)
    if fa == fb or (fa in _DEMONSTRATION and fb in _DEMONSTRATION):
        return True
    if _arrests_at(a, b) or _arrests_at(b, a):
        return True  # "police said 24 people were detained": ACLED codes the arrests as part of the demonstration
    demo, other = (a, b) if fa in _DEMONSTRATION else (b, a)
    return family(demo.trigger.event_type) in _DEMONSTRATION and family(other.trigger.event_type) == "violence" \
        and bool(_CROWD.search(other.sentence.text))


def _arrests_at(demo: Draft, arrest: Draft) -> bool:
    """Whether `arrest` is an arrest and `demo` a demonstration it may have been made at."""
    return family(demo.trigger.event_type) in _DEMONSTRATION and arrest.trigger.sub_event_type == "arrests"


def _escalated(into: Trigger, other: Trigger) -> Trigger | None:
    """The type a demonstration takes when a later sentence tells how it went: a riot, an intervention, lethal force."""
    if into.event_type not in _DEMONSTRATION:
        return None
    if other.event_type == "riots" or other.sub_event_type in ("protest_with_intervention", "excessive_force_against_protesters"):
        return other if into.sub_event_type == "peaceful_protest" or other.event_type == "protests" else None
    if family(other.event_type) == "violence":
        return replace(into, event_type="protests", sub_event_type="excessive_force_against_protesters")
    return None


def _compatible(a: Draft, b: Draft) -> bool:
    """Could two sentence reports of one article describe the same incident?"""
    if a.date is None and b.date is None and a.weekdays and b.weekdays and not (a.weekdays & b.weekdays):
        return False  # "Wednesday's toll" and "strikes on Friday morning", in an undated article: two days
    if not (_may_precede(a, b) and _may_precede(b, a)):
        return False  # "strikes on Friday" cannot be what "on Thursday ... after the strike" came after
    if not _kin(a, b):
        return False
    if a.location and b.location and not places_compatible(a.location, b.location):
        return False
    if a.date and b.date and abs((a.date - b.date).days) > (1 if a.date_precision == b.date_precision == "day" and not (dates_the_act(a) or dates_the_act(b)) else 7):
        return False  # a sentence that dates the act it names again ("The shooting occurred on Friday") corrects a caption's day
    ka, kb = target_classes(a.keywords), target_classes(b.keywords)
    if ka and kb and not (ka & kb) and not (_bare_back_reference(a) or _bare_back_reference(b)):
        return False  # "captured Thursday's shooting" names the act told before, whatever else its sentence names
    ca, cb = clock_times(a), clock_times(b)
    if ca and cb and min(abs(x - y) for x in ca for y in cb) > _CLOCK_GAP:
        return False  # "at 10:53 p.m." and "shortly before 8:45 p.m.": two shootings of one evening
    return True


# A time of day: "10:53 p.m.", "2:45 a.m.", "1:30am".
_CLOCK = re.compile(r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?", re.I)
_CLOCK_GAP = 60  # minutes


def clock_times(d: Draft) -> set[int]:
    """The times of day its sentences give, in minutes after midnight."""
    out = set()
    for sent in d.sources:
        for m in _CLOCK.finditer(sent.text):
            hour = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
            out.add(hour * 60 + int(m.group("m") or 0))
    return out


def _may_precede(a: Draft, b: Draft) -> bool:
    """Whether a's weekdays can fall before the later act b's sentence dates (within one week)."""
    if b.before_weekday is None or not a.weekdays or a.date is not None or b.date is not None:
        return True
    order = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return min(order.index(w) for w in a.weekdays) < order.index(b.before_weekday)


# "the bombing", "the blast", "Monday's attack": a definite noun that names again an act the article told before.
_BACK_REFERENCE = re.compile(r"(?:\b(?:the|this|that)|['’]s)\s+(?:[\w-]+\s+)?$", re.I)
_ACT_NOUN = re.compile(r"(?:bombings?|blasts?|explosions?|attacks?|strikes?|shootings?|shelling|raids?|assault|ambush|killings?|massacre)", re.I)


def back_reference(d: Draft) -> bool:
    """Whether the draft's trigger is a definite noun naming an act told before ("wounded in the bombing")."""
    head = d.sentence.text[: d.trigger.start - d.sentence.start]
    return bool(_ACT_NOUN.fullmatch(d.trigger.text) and _BACK_REFERENCE.search(head))


# What names the target of an act noun: "the strike on a convoy", "the attack at the market".
_TARGET_AFTER = re.compile(r"^\s+(?:on|at|against|of|in|near|targeting)\b", re.I)


def _bare_back_reference(d: Draft) -> bool:
    """A back-reference that only names the act again, with no target or toll of its own
    ("captured Thursday's shooting", not "the strike on a convoy" or "the strike killed about 20")."""
    return not d.figures and back_reference(d) and not _TARGET_AFTER.match(d.sentence.text[d.trigger.end - d.sentence.start :])


# "The victims were ...", "Both victims ...": people the article counted before, so their incident too.
_BACK_VICTIMS = re.compile(r"^\W*(?:the|both|all(?:\s+the)?)\s+(?:[\w-]+\s+)?(?:victims|wounded|injured|dead|survivors|casualties)\b", re.I)
_OCCURRED = re.compile(r"^\s*(?:[\w'’-]+\s+){0,2}?(?:occurred|happened|took\s+place|unfolded|broke\s+out|erupted)\b", re.I)


def dates_the_act(d: Draft) -> bool:
    """Whether the draft names an act told before and says when it happened ("The shooting occurred ... Friday, Aug. 5")."""
    return d.date is not None and back_reference(d) and bool(_OCCURRED.search(d.sentence.text[d.trigger.end - d.sentence.start :]))


# How long before its publication an article may date an incident it reports as news; older ones it recalls.
STALE_DAYS = 45
_PRECISION_SPAN = {"day": 0, "week": 6, "month": 30}


def stale(d: Draft, published: date) -> bool:
    """Whether the article dates the incident well before its own publication: a case recalled at a
    sentencing, a shooting the story mentions as history, not news (its last possible day counts)."""
    if d.date is None or d.date_basis == "published":
        return False
    return (published - d.date).days - _PRECISION_SPAN.get(d.date_precision or "day", 30) > STALE_DAYS


def _affinity(a: Draft, b: Draft) -> int:
    score = 0
    later = b if b.sentence.index > a.sentence.index else a
    if later is not (a if later is b else b) and back_reference(later):
        score += 2  # "30 people were wounded in the bombing": the bombing the article told before
    elif later is not (a if later is b else b) and _BACK_VICTIMS.search(later.sentence.text):
        score += 2  # "The victims were shot in the 6800 block ...": the victims the article told before
    earlier = a if later is b else b
    if _kin(a, b) and family(earlier.trigger.event_type) in _DEMONSTRATION and _escalated(earlier.trigger, later.trigger) is not None:
        score += 2  # "... police later fired tear gas at the marchers": how the demonstration told before went
    if _arrests_at(earlier, later):
        score += 2  # "Police said 24 people were detained": the arrests at the demonstration told before
    if a.location and b.location and places_compatible(a.location, b.location):
        score += 3
    if a.trigger.sub_event_type == b.trigger.sub_event_type:
        score += 1
    score += 2 * len(target_classes(a.keywords) & target_classes(b.keywords))
    score += len({x.name for x in a.actors} & {x.name for x in b.actors})
    shared_victims = set(a.victims) & set(b.victims)
    score += len(shared_victims)
    if a.victims and b.victims and not shared_victims:
        score -= 2  # civilians hit in one sentence, soldiers in the other: two incidents told side by side
    if {c.value for c in a.claims} & {c.value for c in b.claims}:
        score += 2
    if a.date and b.date and a.date_precision == b.date_precision == "day":
        score += 1 if a.date == b.date else -2
    return score


# "another shooting", "a second attack", "a separate blast": the article tells an incident apart from those before.
_ANOTHER = re.compile(rf"\b(?:another|a\s+(?:second|third|fourth|separate|different|further)|separate)\s+(?:[\w-]+\s+)?{_ACT_NOUN.pattern}\b", re.I)


def distinct(d: Draft) -> bool:
    """Whether the draft's sentence names its act as another incident than those told before ("another shooting")."""
    return bool(_ANOTHER.search(d.sentence.text))


def _toll_only(d: Draft) -> bool:
    """A sentence that gives a toll and names no act or weapon of its own ("the death toll was 45")."""
    return bool(d.figures) and d.trigger.priority <= 5


def _same_incident_possible(a: Draft, b: Draft) -> bool:
    """Kind, place and day allow one incident (targets aside: a toll's speaker may name a hospital)."""
    if not _kin(a, b):
        return False
    if a.location and b.location and not places_compatible(a.location, b.location):
        return False
    return not (a.date and b.date and abs((a.date - b.date).days) > 1)

# A text this short is a note or a snippet about one incident ("Mob kills man suspected of theft").
SHORT_NOTE = 4


def merge_within_article(drafts: list[Draft], *, short: bool = False) -> list[Draft]:
    """Merge sentence reports of one incident; placeless ones join their best-matching incident.

    A placeless, undated report with no toll is too vague to stand alone in an article, except in
    a `short` text (a note, a snippet), where it is the incident the text is about.
    """
    # A retold act may join the incident it retells, by kind and affinity, but its place (a witness's
    # "upstairs", a town in the quote) never sets an incident apart.
    anchored = [d for d in drafts if d.location and not d.retold]
    floating = [d for d in drafts if not d.location or d.retold]
    groups: list[Draft] = []
    vague: list[Draft] = []
    for d in anchored:
        target = None if distinct(d) else next((g for g in groups if _compatible(g, d) and (same_place(g.location, d.location) or _affinity(g, d) >= 5)), None)
        if target:
            _absorb(target, d)
        else:
            groups.append(d)
    groups = _one_toll_one_incident(groups)
    for d in floating:
        if d.retold and not groups:
            vague.append(d)
            continue
        if distinct(d) and (d.figures or d.keywords or d.date_precision == "day"):
            groups.append(d)
            continue
        if _toll_only(d):
            # "... told Reuters the death toll was 45": a toll with no act of its own is the toll of
            # the incident the sentences just before told (one event, two tolls to weigh).
            before = [g for g in groups if _same_incident_possible(g, d) and any(0 < d.sentence.index - x.index <= 2 for x in g.sources)]
            if before:
                _absorb(max(before, key=lambda g: max(x.index for x in g.sources)), d)
                continue
        scored = [(_affinity(g, d), i) for i, g in enumerate(groups) if _compatible(g, d)]
        if len(scored) == 1 and groups[scored[0][1]].trigger.sub_event_type == d.trigger.sub_event_type:
            scored = [(max(2, scored[0][0]), scored[0][1])]  # the article's only incident of this kind
        scored = [s for s in scored if s[0] >= 2]
        if scored:
            _absorb(groups[max(scored)[1]], d)
        elif d.retold:
            vague.append(d)
        elif d.figures or d.keywords or d.date_precision == "day":
            # An incident with no place but a toll, a target or its own day is still an incident
            # (the place may be a village the gazetteer lacks); others are too vague.
            target = next((g for g in groups if g.location is None and _compatible(g, d) and _affinity(g, d) >= 2), None)
            if target:
                _absorb(target, d)
            else:
                groups.append(d)
        else:
            vague.append(d)
    if not short:
        _corroborated(groups, vague)
    if short and len(groups) == 1 and vague:
        # "A group of men riot over a cleric's detention. Two civilians killed.": a note's one incident.
        for d in vague:
            _absorb(groups[0], d)
    if short and not groups and floating:
        head = max(floating, key=lambda d: (d.trigger.priority, -d.sentence.start))
        for d in floating:
            if d is not head and _compatible(head, d):
                _absorb(head, d)
        groups.append(head)
    groups.sort(key=lambda g: g.sentence.start)
    return groups

def _toll(d: Draft) -> frozenset[tuple[str, int]]:
    """The casualty figures a draft's sentences give, by field: {("fatalities", 2), ("injured", 4)}."""
    return frozenset((c.field, c.value) for c in d.claims if c.field in ("fatalities", "injured"))


def _one_toll_one_incident(groups: list[Draft]) -> list[Draft]:
    """Incidents of one article that give the same dead and the same wounded are one incident told twice
    (a lead's county and a later sentence's town, one of them misread), unless the text calls one another.

    Only a toll of both fields counts: "two killed" may well be said of two incidents in one roundup.
    """
    out: list[Draft] = []
    for g in groups:
        toll = _toll(g)
        twin = None
        if len({f for f, _ in toll}) >= 2 and not distinct(g):
            twin = next((o for o in out if _toll(o) == toll and _kin(o, g)
                         and not (o.date and g.date and abs((o.date - g.date).days) > 1)), None)
        if twin is None:
            out.append(g)
            continue
        # The place kept is the one more sentences give; on a tie, the one the text pins to its parent ("Capitol Heights, Maryland").
        if (len(g.sources), "," in (g.place_text or "")) > (len(twin.sources), "," in (twin.place_text or "")):
            twin.location, twin.place_text, g.location = g.location, g.place_text, None
        _absorb(twin, g)
    return out


# How specific a trigger must be for its repetition alone to make an incident (a strike, a sit-in, not "attack").
_CORROBORATING_PRIORITY = 40


def _corroborated(groups: list[Draft], vague: list[Draft]) -> None:
    """An act of a specific kind that the article tells in two or more sentences with no place or day of
    their own ("the doctors' strike began on Monday ... as the strike continued") is the article's incident."""
    by_kind: dict[str, list[Draft]] = {}
    for d in vague:
        if d.trigger.priority >= _CORROBORATING_PRIORITY:
            by_kind.setdefault(d.trigger.sub_event_type, []).append(d)
    for kind, told in by_kind.items():
        if len(told) < 2 or any(g.trigger.sub_event_type == kind for g in groups):
            continue
        head = told[0]
        for d in told[1:]:
            if _compatible(head, d):
                _absorb(head, d)
        if len(head.sources) >= 2:
            groups.append(head)


_BASIS_RANK = {"stated": 0, "relative": 1, "published": 2}


def _date_rank(d: Draft) -> tuple[int, int]:
    """How well a draft is dated: the more precise first, then stated before relative."""
    return DATE_RANK.get(d.date_precision or "month", 3), _BASIS_RANK.get(d.date_basis or "relative", 1)


def _absorb(into: Draft, other: Draft) -> None:
    # "wounded in the bombing" names the car bomb again: a back-reference does not retype the incident.
    escalated = _escalated(into.trigger, other.trigger)
    if escalated is not None and not other.retold:
        into.trigger = escalated
    elif _arrests_at(other, into) and not other.retold:
        into.trigger = other.trigger  # the demonstration the arrests were made at is the event
    elif family(into.trigger.event_type) != family(other.trigger.event_type) and other.trigger.event_type not in _DEMONSTRATION:
        pass  # the force that met a demonstration does not make it an attack
    elif other.retold:
        pass  # a witness's words retell the incident; they do not retype it
    elif other.trigger.priority > into.trigger.priority and not (back_reference(other) and other.sentence.index > into.sentence.index):
        into.trigger = other.trigger
    if other.location and (
        into.location is None
        or (PRECISION_RANK[other.location.precision] < PRECISION_RANK[into.location.precision] and places_compatible(into.location, other.location) and other.claims)
    ):
        into.location, into.place_text = other.location, other.place_text
    if other.date and (into.date is None or _date_rank(other) < _date_rank(into) or (dates_the_act(other) and other.date_precision == "day" and not dates_the_act(into))):
        into.date, into.date_precision, into.date_basis, into.date_partial = other.date, other.date_precision, other.date_basis, None
    elif into.date is None and other.date_partial and (not into.date_partial or (dates.is_partial_weekday(into.date_partial) and not dates.is_partial_weekday(other.date_partial))):
        # A stated day without its year ("September 17") outranks a weekday.
        into.date_partial, into.date_basis = other.date_partial, other.date_basis or "stated"
    into.actors += other.actors
    for name, kind in other.victims.items():
        into.victims.setdefault(name, kind)
    into.statements += other.statements
    into.keywords |= other.keywords
    into.weekdays |= other.weekdays
    into.before_weekday = into.before_weekday or other.before_weekday
    into.place_names |= other.place_names
    into.sources += other.sources
    into.claims += other.claims
    into.figures += other.figures
