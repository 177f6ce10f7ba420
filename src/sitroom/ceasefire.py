"""Ceasefires as first-class records: proposed, agreed, in force, declared over (by whom), violations alleged.

Each article's truce sentences are read into `TruceNotes`: dated facts about a truce's lifecycle
and the violations one party alleges against another. A truce is only in force when the text
says so ("went into effect September 12"); "the rebels have not agreed" makes it proposed; a
hypothetical ("in case no ceasefire is agreed") or a failure ("talks failed to produce a
ceasefire") makes nothing. Who ended it is whoever announced the end ("the Syrian army announced
the end of the truce"), never a monitor reporting on it. `track_ceasefires` then groups the notes
of a country into one record per truce: a start dated after a truce ended begins the next one.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sitroom import ceasefire_parse, rules
from sitroom.extract import dates
from sitroom.extract.actors import country_name, country_of_word, find_actors
from sitroom.extract.counts import parse_number
from sitroom.extract.geo import country_hint
from sitroom.model import ArticleAnalysis, Ceasefire, Event, SourceSpan, Violation

_TRUCE = re.compile(r"\b(?:cease-?fires?|truces?|cessation of hostilities|armistice)\b", re.I)
# Clauses about a truce that is not there: a condition, a failure, an absence.
_HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|unless|whether|should|would (?:have to|need to)|hopes? (?:for|that|to)|could|might)\b[^.;]{0,60}?"
    r"\b(?:cease-?fire|truce|cessation)|\b(?:cease-?fire|truce)s?\b[^.;]{0,30}\b(?:could|might|would) be (?:agreed|reached|declared)\b"
    r"|\b(?:no|without a|absence of a)\s+(?:new\s+)?(?:cease-?fire|truce)|\bfail(?:ed|s)? to (?:\w+ ){0,4}?(?:cease-?fire|truce)"
    r"|\bfail(?:ed|s)? to (?:revive|reach|agree|produce|broker|restore|resurrect|result)|\bnewly-brokered\b|\bprevious (?:cease-?fires|truces)\b",
    re.I,
)
_NOT_AGREED = re.compile(r"\b(?:ha(?:s|ve|d)n[o']t|ha(?:s|ve|d) not|did not|didn['’]t|not yet|refused to|declined to)\s+(?:yet\s+)?(?:agreed?|accept(?:ed)?|sign(?:ed)?|endorse[ds]?)\b|\brejected\b", re.I)
_PROPOSED = re.compile(r"\b(?:propos(?:ed|al|es)|called for|calls for|urged|suggest(?:ed|ion)|offered|plan for)\b", re.I)
_ANNOUNCED = re.compile(r"\b(?:announced|agreed(?: to)?|reached|brokered|signed|negotiated|hammered out|declared a|struck)\b", re.I)
_RULES = rules.load("truces")  # in force, history and hope, parties, violations: data with examples
_IN_FORCE = _RULES["in_force"].regex
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "the agreement calls for a ceasefire": what a deal's text calls for is its terms, not a hope
_TERMS_OF = re.compile(rf"\b(?:{'|'.join(_RULES['hope'].get('terms_of', ()))})\b(?:,?\s+which)?(?:\s+\w+ly)?\s+$", re.I)
# The end of a truce, declared (strength 2), reported as a fact (1) or announced ahead (0).
_ENDED = [
    (2, re.compile(r"\b(?:announced|declared|proclaimed)\s+(?:on \w+\s+|\w+\s+)?(?:the\s+)?end\s+of\b|\bdeclared\s+(?:it|the (?:truce|cease-?fire))\s+over\b|\bsaying the (?:truce|cease-?fire) had ended\b", re.I)),
    (1, re.compile(r"\b(?:had ended|has ended|ended|collapsed|broke down|broken down|unravell?ed|is over|was over|fell apart)\b", re.I)),
    (0, re.compile(r"\b(?:would|will) end\b", re.I)),
]
_NUM = r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds)"
_VIOLATIONS_BY = re.compile(rf"(?P<n>{_NUM})\s+violations?\s+(?:of the (?:truce|ceasefire|cease-fire)\s+)?by\s+(?P<against>[A-Za-z][\w\s'’-]*?)(?=\s+(?:since|on|in|over|during|and their|and its)\b|[,.;]|$)", re.I)
_ACCUSED_OF = re.compile(rf"(?P<by>[A-Z][\w\s'’-]*?|the [\w\s'’-]+?)\s+accused\s+(?P<against>[\w\s'’-]+?)\s+of\s+(?P<n>{_NUM})\s+violations?", re.I)
_EACH_OTHER = re.compile(r"\b(?:both\s+)?(?P<a>(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)\s+and\s+(?P<b>(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)\s+accus\w+\s+each other\s+of\s+(?:violating|breaching|breaking)", re.I)
_REPORTER = re.compile(r"\s*(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3}?)\s+(?:reported|said|recorded|counted|documented|listed)\b")
_SAID_BY = re.compile(r"\b(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3}?)\s+(?:said|says|reported)\b")
_CLAUSE_START = re.compile(r"(?:^|[,;:]|\b(?:since|after|when|that|while|as|but|and|because|before))\s+", re.I)
_WEEKDAY = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b", re.I)
_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DATE_REACH = 45  # characters between a lifecycle verb and the date that belongs to it
# Words that name a day the article cannot date without its publication date; the truce's other dates can.
_UNDATED_DAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b", re.I)


@dataclass(frozen=True, slots=True)
class TruceFact:
    """One thing an article states about a truce: its stage, when, who did it, and where it says so."""

    stage: str  # proposed | announced | in_force | ended
    date: date | None
    by: tuple[str, ...]
    strength: int  # for `ended`: 2 declared, 1 reported, 0 announced ahead ("would end")
    source: SourceSpan
    said: str | None = None  # the date's words when the article alone cannot date them ("on Monday", "September 9")
    parties: tuple[str, ...] = ()  # the truce's sides as the sentence names them ("a truce between X and Y")


@dataclass(frozen=True, slots=True)
class TruceNotes:
    """What one article says about truces: all `track_ceasefires` needs of it.

    The corpus stage keeps these (few articles have any) instead of whole analyses.
    """

    article_id: str
    country: str
    published: date | None
    facts: tuple[TruceFact, ...]
    violations: tuple[Violation, ...]


def _article_country(a: ArticleAnalysis) -> str | None:
    """Where the article's incidents happen; failing that, the country it names most."""
    located: dict[str, int] = defaultdict(int)
    for r in a.reports:
        if r.location and r.location.country:
            located[r.location.country] += 1
    if located:
        return max(sorted(located), key=lambda c: located[c])
    counts: dict[str, int] = defaultdict(int)
    for m in a.mentions:
        if m.label in ("GPE", "NORP", "LOC"):
            c = country_hint(m.text)
            if c:
                counts[c] += 1
    return max(sorted(counts), key=lambda c: counts[c]) if counts else None


_TRUCE_IN = re.compile(r"\b(?:cease-?fires?|truces?|cessation of hostilities)\s+(?:deal\s+|agreement\s+)?(?:in|for|across|of)\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")
# "the Syrian truce", "Yemen's fragile ceasefire" (but not "the US-Russia brokered ceasefire": its brokers)
_TRUCE_OF = re.compile(r"(?<![\w-])(?P<people>[A-Z][a-z]+)(?:['’]s)?\s+(?:(?!\w+ed\b)[a-z]+\s+)?(?:cease-?fire|truce)\b")


def _truce_country(sentences) -> str | None:
    """The country a truce is for, as the text names it: "a ceasefire in Syria", "the Syrian truce", "Yemen's ceasefire"."""
    votes: dict[str, int] = defaultdict(int)
    for s in sentences:
        for m in _TRUCE_IN.finditer(s.text):
            country = country_hint(m.group("place"))
            if country:
                votes[country] += 2
        for m in _TRUCE_OF.finditer(s.text):
            country = country_of_word(m.group("people"))
            if country:
                votes[country] += 1
    return max(sorted(votes), key=lambda c: votes[c]) if votes else None


def truce_notes(a: ArticleAnalysis) -> TruceNotes | None:
    """The truce lifecycle and violations one article reports, or None when it reports none."""
    sentences = [s for s in a.sentences if _TRUCE.search(s.text) or re.search(r"\bviolations?\b", s.text, re.I)]
    if not any(_TRUCE.search(s.text) for s in sentences):
        return None  # "300 rights violations by the police" in an article about no truce is no ceasefire
    country = _truce_country(sentences) or _article_country(a)
    if not country:
        return None
    resolver = dates.DateResolver(a.article.published, dates.explicit_dates(a.article.text, published=a.article.published))
    facts: list[TruceFact] = []
    violations: list[Violation] = []
    for s, parse in zip(sentences, ceasefire_parse.parse_sentences([s.text for s in sentences])):
        span, when = s.span(), _date_in(s.text, resolver)
        sides = ceasefire_parse.parties(parse, s.text, lambda words: _named(words, country))
        found = _sentence_facts(s.text, country, resolver, span, a.article.published)
        facts += [_with_sides(f, sides) for f in found]
        alleged = [Violation(v.alleged_by, v.against, v.count, when, span) for v in ceasefire_parse.violations(parse, s.text, lambda w: _named(w, country))]
        for _, clause in _clauses(s.text):
            alleged += _violations(clause, country, _date_in(clause, resolver), span)
        violations += _distinct(alleged)
    if not facts and not violations:
        return None
    return TruceNotes(a.article.id, country, a.article.published, tuple(facts), tuple(violations))


def _sentence_facts(text: str, country: str | None, resolver, span: SourceSpan, published: date | None) -> list[TruceFact]:
    """The lifecycle facts of a sentence's clauses that speak of a truce now: not a hypothetical, a hope or history."""
    out: list[TruceFact] = []
    for _, clause in _clauses(text):
        clause = _without_past(clause, published)
        if _TRUCE.search(clause) and not _HYPOTHETICAL.search(clause):
            out += _facts(clause, country, resolver, span)
    return out


def read_sentence(text: str, published: date | None) -> list[TruceFact]:
    """The lifecycle facts one sentence states (the rule checker's way in: no article, no country)."""
    resolver = dates.DateResolver(published, dates.explicit_dates(text, published=published))
    return _sentence_facts(text, None, resolver, SourceSpan("rule", 0, len(text), text), published)


def _without_past(clause: str, published: date | None) -> str:
    """The clause with the truces it names as past ("the 2016 truce", "a previous ceasefire") or only hopes or
    calls for blanked out (same length: offsets hold); the rest of the clause is still read ("the UN, which had
    called for a ceasefire, welcomed the truce that took effect on Monday"). An agreement's terms are no hope:
    "the deal calls for a ceasefire from Sunday" stays."""
    spans = [m.span() for m in _RULES["hope"].regex.finditer(clause) if not _TERMS_OF.search(clause[: m.start()])]
    for m in _RULES["history"].regex.finditer(clause):
        year = _YEAR.search(m.group(0))
        # A truce named by this year's or last year's date may still hold ("the December 2016 truce" in a
        # January 2017 report); one named by an older year, or as previous or earlier, is a past one.
        if year is None or (published is not None and int(year.group(0)) < published.year - 1):
            spans.append(m.span())
    for start, end in spans:
        clause = clause[:start] + " " * (end - start) + clause[end:]
    return clause


def _with_sides(f: TruceFact, sides: tuple[str, ...] | None) -> TruceFact:
    """A fact of a truce being made or running with the sides its sentence's parse names (they agreed it when it
    was announced); where the parse shows no maker (None), the words before the verb stand (`_brokers`)."""
    if sides is None or f.stage not in ("announced", "in_force"):
        return f
    return replace(f, by=sides if f.stage == "announced" else f.by, parties=sides)


def _distinct(found: list[Violation]) -> list[Violation]:
    """One violation per claimant, accused and count: a reading that knows the claimant, or the count, beats one that does not."""
    known = {(v.against, v.count) for v in found if v.alleged_by}
    counted = {(v.alleged_by, v.against) for v in found if v.count is not None}
    out: list[Violation] = []
    for v in found:
        if (v.alleged_by is None and (v.against, v.count) in known) or (v.count is None and (v.alleged_by, v.against) in counted) or any((o.alleged_by, o.against, o.count) == (v.alleged_by, v.against, v.count) for o in out):
            continue
        out.append(v)
    return out


def _clauses(text: str) -> list[tuple[int, str]]:
    """A sentence cut at semicolons and at ", while" / ", but" joints: each clause says one thing."""
    out, pos = [], 0
    for m in re.finditer(r";|,\s+(?=(?:while|but|whereas|although)\b)|\.\s+", text):
        out.append((pos, text[pos : m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return [(p, c) for p, c in out if c.strip()]


def _facts(clause: str, country: str | None, resolver, span: SourceSpan) -> list[TruceFact]:
    """The lifecycle facts one clause states about a truce, each with the date written nearest its verb."""
    found: list[tuple[str, re.Match, tuple[str, ...], int]] = []
    ended = next(((strength, m) for strength, rx in _ENDED for m in [rx.search(clause)] if m), None)
    if ended:
        found.append(("ended", ended[1], _subject(clause, ended[1].start(), country), ended[0]))
    negated = _NOT_AGREED.search(clause)
    announced = _ANNOUNCED.search(clause)
    if announced and ended and announced.start() < ended[1].end() and ended[1].start() < announced.end():
        announced = None  # "announced the end of the truce" ends it
    proposed = negated or (None if announced else _PROPOSED.search(clause))
    if proposed:
        found.append(("proposed", proposed, _states(clause[: proposed.start()], country), 0))
    elif announced and not (ended and ended[1].start() < announced.start()):
        found.append(("announced", announced, _brokers(clause, announced, country), 0))
    in_force = _IN_FORCE.search(clause)
    if in_force and not negated:
        found.append(("in_force", in_force, (), 0))
    when: dict[int, tuple[int, date | None, str]] = {}
    for s, e, expr in dates.find_date_expressions(clause):
        gaps = [(s - m.end() if s >= m.end() else m.start() - e, k) for k, (_, m, _, _) in enumerate(found)]
        if not gaps:
            break
        gap, k = min(gaps)
        if gap <= _DATE_REACH and (k not in when or gap < when[k][0]):
            resolved = resolver.resolve(expr)
            day = resolved.date if resolved and resolved.precision == "day" else None
            if day or _UNDATED_DAY.search(expr):
                when[k] = (gap, day, expr)
    out = []
    for k, (stage, _, by, strength) in enumerate(found):
        _, day, expr = when[k] if k in when else (0, None, "")
        out.append(TruceFact(stage, day, by, strength, span, None if day else expr or None))
    return out


def _brokers(clause: str, verb: re.Match, country: str | None) -> tuple[str, ...]:
    """The states that agreed or brokered a truce: those before the verb, or after "by" in a passive ("brokered by the US and Russia")."""
    after = re.match(r"\s+by\s+([^,;.]+)", clause[verb.end() :])
    return _states(after.group(1) if after else clause[: verb.start()], country)


def _subject(clause: str, verb: int, country: str | None) -> tuple[str, ...]:
    """Who does the verb at `verb`: the parties named in its own clause before it ("since the Syrian army announced ...")."""
    head = clause[:verb]
    starts = [m.end() for m in _CLAUSE_START.finditer(head)]
    own = head[starts[-1]:] if starts else head
    found = [a for a in find_actors(own, country=country) if a.kind in ("state", "military", "government", "group", "police")]
    if not found:
        # "Syrian state television cited the country's military as saying the cease-fire had ended"
        found = [a for a in find_actors(head, country=country) if a.kind in ("military", "government", "group")]
    return tuple(dict.fromkeys(_party(a) for a in found[-1:] if a))


def _states(text: str, country: str | None) -> tuple[str, ...]:
    """The states (and armed parties) named in a clause, first mention first: who agreed or brokered."""
    return tuple(dict.fromkeys(_party(a) for a in find_actors(text, country=country) if a.kind == "state"))


def _party(a) -> str:
    return country_name(a.country) or a.name if a.kind in ("state", "government") else a.name


def _date_in(clause: str, resolver) -> date | None:
    """The first day-precise date a clause gives."""
    for _, _, expr in dates.find_date_expressions(clause):
        resolved = resolver.resolve(expr)
        if resolved and resolved.precision == "day":
            return resolved.date
    return None


def _violations(clause: str, country: str | None, when: date | None, span: SourceSpan) -> list[Violation]:
    """Violations one party alleges against another, with the count as reported ("254 violations by government troops")."""
    out = []
    for m in _VIOLATIONS_BY.finditer(clause):
        reporter = _REPORTER.match(clause[: m.start()]) or _SAID_BY.search(clause)
        by = _canonical(reporter.group("who"), country) if reporter else None
        out.append(Violation(by, _canonical(m.group("against"), country), parse_number(m.group("n")), when, span))
    for m in _ACCUSED_OF.finditer(clause):
        out.append(Violation(_canonical(m.group("by"), country), _canonical(m.group("against"), country), parse_number(m.group("n")), when, span))
    for m in _EACH_OTHER.finditer(clause):
        a, b = _canonical(m.group("a"), country), _canonical(m.group("b"), country)
        out += [Violation(a, b, None, when, span), Violation(b, a, None, when, span)]
    return out


_SIDES = re.compile(r"\s*(?:the\s+|both\s+|all\s+)?(?:(?:two|warring|rival|other|opposing|conflicting|belligerent)\s+)*(?:sides?|parties|party|belligerents)\b", re.I)


def _named(words: str, country: str | None) -> str | None:
    """A party's record name for a phrase of the parse; None for a phrase naming no one ("the two sides" is not a name)."""
    if _SIDES.match(words):
        return None  # "the warring sides in Sudan" are not Sudan: the text does not name them here
    return _canonical(words, country) or None


def _canonical(text: str, country: str | None) -> str:
    """A party's name as the record gives it: the actor the words name, else the words without "the"."""
    found = find_actors(text, country=country)
    if found:
        return _party(found[0]) if found[0].kind in ("state", "government") else found[0].name
    return re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.I)


# ---------------------------------------------------------------- one record per truce


@dataclass
class _Truce:
    country: str
    facts: list[TruceFact]
    violations: list[Violation]
    articles: list[str]

    def start(self) -> date | None:
        days = [f.date for f in self.facts if f.stage in ("announced", "in_force", "proposed") and f.date]
        return min(days) if days else None

    def end(self) -> date | None:
        days = [f.date for f in self.facts if f.stage == "ended" and f.date and f.strength > 0]
        return min(days) if days else None


def _with_years(notes: list[TruceNotes]) -> list[TruceNotes]:
    """Dates an undated article writes without a year ("went into effect September 12") take it from
    the country's other notes: the latest date they know is the reference, as a publication date would be."""
    known = [n.published for n in notes if n.published] + [f.date for n in notes for f in n.facts if f.date]
    if not known:
        return notes
    resolver = dates.DateResolver(max(known))
    out = []
    for n in notes:
        facts = []
        for f in n.facts:
            resolved = resolver.resolve(f.said) if f.date is None and f.said and not _WEEKDAY.search(f.said) else None
            facts.append(replace(f, date=resolved.date, said=None) if resolved and resolved.precision == "day" else f)
        out.append(replace(n, facts=tuple(facts)))
    return out


def _with_weekdays(t: _Truce) -> _Truce:
    """A weekday an undated article names ("came into effect on Monday", "announced on Monday the end")
    is the first such day after the truce's earlier stage: in force after it was agreed, over after it took effect."""
    facts: list[TruceFact] = []

    def first(stage: str) -> date | None:
        days = [f.date for f in facts + t.facts if f.stage == stage and f.date]
        return min(days) if days else None

    for f in sorted(t.facts, key=lambda f: ("announced", "proposed", "in_force", "ended").index(f.stage)):
        m = _WEEKDAY.search(f.said or "") if f.date is None else None
        base = (first("announced") if f.stage == "in_force" else (first("in_force") or first("announced")) if f.stage == "ended" else None)
        if m and base:
            target = _WEEKDAYS.index(m.group(0).lower()[:3])
            step = (target - base.weekday()) % 7 or (7 if f.stage == "ended" else 0)
            f = replace(f, date=base + timedelta(days=step), said=None)
        facts.append(f)
    return _Truce(t.country, facts, t.violations, t.articles)


def _group(notes: list[TruceNotes]) -> list[_Truce]:
    """Split a country's notes into truces: a start dated after the current truce ended opens the next."""
    truces: list[_Truce] = []
    dated = sorted(((f, n) for n in notes for f in n.facts if f.date), key=lambda x: (x[0].date, x[1].article_id))
    for fact, n in dated:
        current = truces[-1] if truces else None
        ends = current.end() if current else None
        if current is None or (fact.stage in ("announced", "in_force", "proposed") and ends and fact.date and fact.date > ends):
            truces.append(_Truce(n.country, [], [], []))
        truces[-1].facts.append(fact)
    if not truces:
        truces.append(_Truce(notes[0].country, [], [], []))
    for n in notes:
        home = _home(truces, n)
        home.facts += [f for f in n.facts if not f.date]
        home.violations += list(n.violations)
        home.articles.append(n.article_id)
    return truces


def _home(truces: list[_Truce], n: TruceNotes) -> _Truce:
    """The truce an article's undated facts belong to: the one running when it was published."""
    when = n.published or next((f.date for f in n.facts if f.date), None)
    if when is None or len(truces) == 1:
        return truces[0]
    running = [t for t in truces if (t.start() or date.min) - timedelta(days=7) <= when]
    return running[-1] if running else truces[0]


def track_ceasefires(
    corpus: Sequence[ArticleAnalysis | TruceNotes | None], events: Sequence[Event]
) -> tuple[list[Ceasefire], list[Event]]:
    """Ceasefire records found in the corpus (analyses, or their `truce_notes`), and the events with their ceasefire link set."""
    notes = [n if isinstance(n, TruceNotes) else truce_notes(n) for n in corpus if n is not None]
    by_country: dict[str, list[TruceNotes]] = defaultdict(list)
    for n in sorted((n for n in notes if n is not None), key=lambda n: n.article_id):
        by_country[n.country].append(n)
    ceasefires = []
    for country, group in sorted(by_country.items()):
        for truce in _group(_with_years(group)):
            record = _record(_with_weekdays(truce))
            if record is not None:
                ceasefires.append(record)
    linked: list[Event] = []
    members: dict[str, list[str]] = defaultdict(list)
    for e in events:
        cf = _truce_for(e, ceasefires)
        if cf:
            members[cf.id].append(e.id)
            linked.append(replace(e, ceasefire_id=cf.id))
        else:
            linked.append(e)
    ceasefires = [replace(c, event_ids=tuple(members.get(c.id, ()))) for c in ceasefires]
    return ceasefires, linked


def _record(t: _Truce) -> Ceasefire | None:
    """One truce's record: the earliest stated date of each stage; the end as its declarer gave it."""
    stages = {f.stage for f in t.facts}
    if not (stages or t.violations):
        return None

    def first(stage: str) -> date | None:
        days = [f.date for f in t.facts if f.stage == stage and f.date]
        return min(days) if days else None

    ends = sorted((f for f in t.facts if f.stage == "ended"), key=lambda f: (-f.strength, f.date or date.max))
    declared = ends[0] if ends else None
    ended = declared.date if declared and declared.strength > 0 else None
    if ended is None and ends and any(f.strength > 0 for f in ends):
        ended = next((f.date for f in ends if f.date), None)
    ended_by = next((f.by[0] for f in ends if f.by and f.strength > 0), None) or next((f.by[0] for f in ends if f.by), None)
    parties = tuple(dict.fromkeys([p for f in t.facts if f.stage == "announced" for p in f.by] + [p for f in t.facts for p in f.parties]))
    start = t.start() or ended or min(t.articles)
    key = f"{t.country}:{start}"
    label = country_name(t.country) or t.country
    done = [s for s in ("proposed", "agreed", "in force", "ended") if {"agreed": "announced", "in force": "in_force"}.get(s, s) in stages]
    if any(f.strength > 0 for f in ends) is False and "ended" in done:
        done.remove("ended")  # only announced ahead ("would end"): not over yet
    return Ceasefire(
        id="cfr_" + hashlib.sha1(key.encode()).hexdigest()[:16],
        name=f"Ceasefire in {label}",
        parties=parties,
        announced=first("announced"),
        in_force_from=first("in_force"),
        ended=ended if "ended" in done else None,
        ended_by=ended_by if "ended" in done else None,
        violations=tuple(t.violations),
        sources=tuple(dict.fromkeys([f.source for f in t.facts] + [v.source for v in t.violations])),
        country=t.country,
        stages=tuple(done),
    )


def _truce_for(e: Event, ceasefires: Sequence[Ceasefire]) -> Ceasefire | None:
    """The truce an event happened under: same country, dated within its period."""
    if not e.location or not e.date or e.event_type not in ("battles", "explosions_remote_violence", "violence_against_civilians"):
        return None
    for c in ceasefires:
        start = c.in_force_from or c.announced
        if c.country == e.location.country and start and start <= e.date and (c.ended is None or e.date <= c.ended):
            return c
    return None
