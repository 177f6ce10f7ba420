"""Ceasefires as first-class records: announced, in force, declared over (by whom), violations alleged.

Sentences about a truce are read for its lifecycle ("announced the ceasefire on September 9",
"went into effect", "announced the end of the truce") and for violations alleged by one party
against another with the counts as reported ("254 violations by government troops"). Truces are
kept per country; violent events dated inside a truce's period in that country are linked to it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sitroom.extract import attribution, dates
from sitroom.extract.actors import find_actors
from sitroom.extract.figures import parse_number
from sitroom.extract.geo import country_hint
from sitroom.extract.reports import clean_speaker
from sitroom.model import ArticleAnalysis, Ceasefire, Event, SourceSpan, Violation

_TRUCE = re.compile(r"\b(?:cease-?fire|truce|cessation of hostilities|armistice|peace deal)\b", re.I)
_ANNOUNCED = re.compile(r"\b(?:announced|agreed|reached|brokered|signed|negotiated|hammered out)\b", re.I)
_IN_FORCE = re.compile(r"\b(?:came into effect|went into effect|took effect|came into force|entered into force|started|began|in effect)\b", re.I)
_ENDED = re.compile(r"\b(?:(?:announced|declared) (?:on \w+ )?the end of|would end|ended|collapsed|broke down|unraveled|is over|was over|declared (?:it )?over)\b", re.I)
_NUM = r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds)"
_VIOLATIONS_BY = re.compile(rf"(?P<n>{_NUM})\s+violations?\s+(?:of the (?:truce|ceasefire|cease-fire)\s+)?by\s+(?P<against>[A-Za-z][\w\s'’-]*?)(?=\s+(?:since|on|in|over|during|and their|and its)\b|[,.;]|$)", re.I)
_ACCUSED_OF = re.compile(rf"(?P<by>[A-Z][\w\s'’-]*?|the [\w\s'’-]+?)\s+accused\s+(?P<against>[\w\s'’-]+?)\s+of\s+(?P<n>{_NUM})\s+violations?", re.I)


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


def _canonical(phrase: str, country: str | None) -> str:
    found = find_actors(phrase, country=country)
    if found:
        return found[0].name
    return re.sub(r"^(?:the)\s+", "", phrase.strip(), flags=re.I)


@dataclass(frozen=True, slots=True)
class TruceNotes:
    """What one article says about truces, in its own sentence order: all `track_ceasefires` needs of it.

    The corpus stage keeps these (few articles have any) instead of whole analyses.
    """

    article_id: str
    country: str
    announced: tuple[date | None, ...]
    in_force: tuple[date | None, ...]
    ended: tuple[date | None, ...]
    ended_by: tuple[str | None, ...]
    parties: tuple[str, ...]  # state actors named where a truce is announced, first mention first
    violations: tuple[Violation, ...]
    sources: tuple[SourceSpan, ...]


def truce_notes(a: ArticleAnalysis) -> TruceNotes | None:
    """The truce lifecycle and violations one article reports, or None when it reports none."""
    truce_sentences = [s for s in a.sentences if _TRUCE.search(s.text) or re.search(r"\bviolations?\b", s.text, re.I)]
    if not truce_sentences:
        return None
    country = _article_country(a)
    if not country:
        return None
    resolver = dates.DateResolver(a.article.published, dates.explicit_dates(a.article.text, published=a.article.published))
    rec: dict[str, list] = {"parties": [], "announced": [], "in_force": [], "ended": [], "ended_by": [], "violations": [], "sources": []}
    for s in truce_sentences:
        when = _sentence_date(s.text, resolver)
        span = s.span()
        found = False
        if _TRUCE.search(s.text):
            if _ENDED.search(s.text):
                rec["ended"].append(when)
                subject = s.text[: _ENDED.search(s.text).start()]
                actors = find_actors(subject, country=country)
                rec["ended_by"].append(actors[0].name if actors else clean_speaker(attribution.attribute(s.text)))
                found = True
            elif _IN_FORCE.search(s.text) and not re.search(r"\bsince the (?:truce|ceasefire|cease-fire) (?:started|began)", s.text, re.I):
                rec["in_force"].append(when)
                found = True
            if _ANNOUNCED.search(s.text) and not _ENDED.search(s.text):
                rec["announced"].append(when)
                for actor in find_actors(s.text, country=country):
                    if actor.kind == "state" and actor.name not in rec["parties"]:
                        rec["parties"].append(actor.name)
                found = True
        for clause in re.split(r";|\.\s", s.text):
            for v in _violations(clause, s.text, country, when, span):
                rec["violations"].append(v)
                found = True
        if found:
            rec["sources"].append(span)
    return TruceNotes(a.article.id, country, **{k: tuple(v) for k, v in rec.items()})


def track_ceasefires(
    corpus: Sequence[ArticleAnalysis | TruceNotes | None], events: Sequence[Event]
) -> tuple[list[Ceasefire], list[Event]]:
    """Ceasefire records found in the corpus (analyses, or their `truce_notes`), and the events with their ceasefire link set."""
    notes = [n if isinstance(n, TruceNotes) else truce_notes(n) for n in corpus if n is not None]
    by_country: dict[str, dict] = {}
    for n in sorted((n for n in notes if n is not None), key=lambda n: n.article_id):
        rec = by_country.setdefault(n.country, {"parties": [], "announced": [], "in_force": [], "ended": [], "ended_by": [], "violations": [], "sources": []})
        rec["parties"] += [p for p in dict.fromkeys(n.parties) if p not in rec["parties"]]
        for key in ("announced", "in_force", "ended", "ended_by", "violations", "sources"):
            rec[key] += getattr(n, key)
    ceasefires = []
    for country, rec in sorted(by_country.items()):
        if not (rec["announced"] or rec["in_force"] or rec["ended"] or rec["violations"]):
            continue
        announced = _first(rec["announced"])
        in_force = _first(rec["in_force"]) or announced
        ended = _first(rec["ended"])
        ended_by = next((b for b in rec["ended_by"] if b), None)
        cid = "cfr_" + hashlib.sha1(country.encode()).hexdigest()[:16]
        ceasefires.append(
            Ceasefire(
                id=cid,
                name=f"Ceasefire in {_country_label(country)}",
                parties=tuple(rec["parties"]),
                announced=announced,
                in_force_from=in_force,
                ended=ended,
                ended_by=ended_by,
                violations=tuple(rec["violations"]),
                sources=tuple(dict.fromkeys(rec["sources"])),
            )
        )
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


def _violations(clause: str, sentence: str, country: str | None, when: date | None, span: SourceSpan) -> list[Violation]:
    out = []
    for m in _VIOLATIONS_BY.finditer(clause):
        by = clean_speaker(attribution.attribute(clause)) or _subject(clause[: m.start()])
        out.append(Violation(_canonical(by, country) if by else None, _canonical(m.group("against"), country), parse_number(m.group("n")), when, span))
    for m in _ACCUSED_OF.finditer(clause):
        out.append(Violation(_canonical(m.group("by"), country), _canonical(m.group("against"), country), parse_number(m.group("n")), when, span))
    return out


def _subject(prefix: str) -> str | None:
    """The party that reports, at the start of a clause ("The Syrian opposition reported Monday 254 ...")."""
    m = re.match(r"\s*((?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3}?)\s+(?:reported|said|recorded|counted|documented|accused|listed)\b", prefix)
    return m.group(1) if m else None


def _sentence_date(text: str, resolver) -> date | None:
    for _, _, expr in dates.find_date_expressions(text):
        resolved = resolver.resolve(expr)
        if resolved and resolved.precision == "day":
            return resolved.date
    return None


def _first(values: list[date | None]) -> date | None:
    known = sorted(v for v in values if v)
    return known[0] if known else None


def _truce_for(e: Event, ceasefires: Sequence[Ceasefire]) -> Ceasefire | None:
    if not e.location or not e.date or e.event_type not in ("battles", "explosions_remote_violence", "violence_against_civilians"):
        return None
    for c in ceasefires:
        start = c.in_force_from or c.announced
        if c.id.endswith(hashlib.sha1((e.location.country or "").encode()).hexdigest()[:16]) and start and start <= e.date and (c.ended is None or e.date <= c.ended):
            return c
    return None


def _country_label(code: str) -> str:
    from sitroom.export import country_name

    return country_name(code) or code
