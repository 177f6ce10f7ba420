"""A story's record: its events in date order, the headline of its best-covering article, a cited summary.

The summary is extractive: per major event its best-attested source sentence, then the figures
and the responsibility its sources dispute, each sentence citing the spans it rests on.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from sitroom.model import ArticleAnalysis, Event, SourceSpan, Story, SummarySentence

from .clustering import cluster_articles
from .digest import StoryDigest, in_id_order

SUMMARY_EVENTS = 6


def build_stories(
    analyses: Sequence[ArticleAnalysis | StoryDigest], events: Sequence[Event]
) -> tuple[list[Story], list[Event]]:
    """Stories over all articles (analyses or their digests), and the events with their story id set."""
    digests = in_id_order(analyses)
    by_id = {d.article_id: d for d in digests}
    groups = cluster_articles(digests, events)
    story_of_article: dict[str, str] = {}
    stories: list[Story] = []
    for members in groups:
        sid = "sty_" + hashlib.sha1(members[0].encode()).hexdigest()[:16]
        for aid in members:
            story_of_article[aid] = sid
    updated: list[Event] = []
    for e in events:
        votes = Counter(story_of_article[a] for a in e.article_ids if a in story_of_article)
        updated.append(replace(e, story_id=max(sorted(votes), key=lambda s: votes[s]) if votes else None))
    events_by_story: dict[str, list[Event]] = defaultdict(list)
    for e in updated:
        if e.story_id:
            events_by_story[e.story_id].append(e)
    for members in groups:
        sid = story_of_article[members[0]]
        story_events = sorted(events_by_story.get(sid, []), key=lambda e: (e.date or date.max, e.id))
        stories.append(
            Story(
                id=sid,
                title=_title([by_id[a] for a in members], story_events),
                summary=summarise(story_events),
                article_ids=tuple(members),
                event_ids=tuple(e.id for e in story_events),
            )
        )
    stories.sort(key=lambda s: s.id)
    return stories, updated


def _title(members: list[StoryDigest], events: list[Event]) -> str:
    """The headline of the article that reports the most of the story's events."""
    return story_title(members, Counter(a for e in events for a in e.article_ids))


def story_title(members: Sequence[StoryDigest], counts: Mapping[str, int]) -> str:
    """The headline of the article that reports the most events (`counts`: article id -> events it reports)."""
    ranked = sorted(members, key=lambda d: (-counts.get(d.article_id, 0), d.article_id))
    for d in ranked:
        if d.title:
            return d.title
    return ranked[0].untitled_heading or ""


def event_weight(e: Event) -> tuple:
    """How much a summary prefers an event: independent sources, then claims, then its death toll."""
    return (e.independent_sources, len(e.claims), e.fatalities.best or 0)


def record_weight(record: Mapping) -> tuple:
    """`event_weight` of an event record (contract JSON): how much a summary prefers it."""
    return (record.get("independent_sources") or 0, len(record.get("claims") or ()), (record.get("fatalities") or {}).get("best") or 0)


def summarise(events: Sequence[Event], limit: int = SUMMARY_EVENTS) -> tuple[SummarySentence, ...]:
    """An extractive summary: per major event its best-attested source sentence, then its disputed figures."""
    chosen = sorted(sorted(events, key=event_weight, reverse=True)[:limit], key=lambda e: (e.date or date.max, e.id))
    out: list[SummarySentence] = []
    for e in chosen:
        sentence, spans = _best_sentence(e)
        if sentence:
            out.append(SummarySentence(sentence, spans))
        for c in e.contradictions:
            if c.field in ("fatalities", "injured") and c.claims:
                claims = [e.claims[i] for i in c.claims]
                parts = [f"{cl.value} ({cl.attributed_to or _source_label(cl.source)})" for cl in claims]
                what = "Deaths" if c.field == "fatalities" else "Injuries"
                place = f" in {e.location.name}" if e.location else ""
                out.append(
                    SummarySentence(
                        f"{what}{place} are disputed: {' vs '.join(dict.fromkeys(parts))}.",
                        tuple(cl.source for cl in claims),
                    )
                )
            elif c.field == "responsibility" and c.statements:
                out.append(
                    SummarySentence(
                        f"Responsibility{' for the attack in ' + e.location.name if e.location else ''} is disputed: "
                        + _statement_text(c.statements) + ".",
                        tuple(s.source for s in c.statements),
                    )
                )
    return tuple(out)


def _statement_text(statements) -> str:
    """Blame, claims and denials as the sources state them: "the United States blamed Russia and Syria; Russia and Syria denied involvement"."""
    parts: list[str] = []
    blamed: dict[str, list[str]] = {}
    for s in statements:
        if s.kind == "blame":
            blamed.setdefault(_party(s.by) if s.by else "a source", []).extend(_party(a) for a in s.against)
    parts += [f"{by} blamed {_and(against)}" for by, against in blamed.items() if against]
    claimed = [_party(s.by) for s in statements if s.kind == "claim_of_responsibility" and s.by]
    if claimed:
        parts.append(f"{_and(claimed)} claimed responsibility")
    deniers = [_party(s.by) for s in statements if s.kind == "denial" and s.by]
    if deniers:
        parts.append(f"{_and(deniers)} denied involvement")
    return "; ".join(parts)


# A state's forces or government are the state when a source blames or denies: "blamed Russia and Syria".
_OF_STATE = re.compile(r"^(?:Military|Police) Forces of (?P<state>.+?)(?: \(\d{4}-\d{0,4}\))?$|^Government of (?P<gov>.+)$")


def _party(name: str) -> str:
    m = _OF_STATE.match(name)
    state = (m.group("state") or m.group("gov")) if m else name
    return "the United States" if state == "United States" else "the United Kingdom" if state == "United Kingdom" else state


def _and(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _source_label(span: SourceSpan) -> str:
    return f"article {span.article_id}"


def _best_sentence(e: Event) -> tuple[str | None, tuple[SourceSpan, ...]]:
    """The source sentence carrying the most of the event's claims; all sentences saying the same cite it."""
    if not e.sources:
        return None, ()
    claim_count = Counter((c.source.article_id, c.source.sentence) for c in e.claims)
    best = max(e.sources, key=lambda s: (claim_count.get((s.article_id, s.sentence), 0), -len(s.sentence) if len(s.sentence) > 300 else len(s.sentence) > 40, -s.start))
    same = tuple(s for s in e.sources if s.sentence == best.sentence) or (best,)
    return best.sentence, same
