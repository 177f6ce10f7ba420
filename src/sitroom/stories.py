"""Stories: articles about one unfolding situation, each with a timeline and a cited summary.

Two articles belong to one story when they report a common event, or when their texts are close
(TF-IDF cosine over content words). The grouping is recomputed from all stored articles, so
ingesting one at a time or all at once gives the same stories, with ids that depend only on
their members.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sitroom.model import ArticleAnalysis, Event, SourceSpan, Story, SummarySentence

TEXT_SIMILARITY = 0.35  # cosine over TF-IDF above which two articles are one story
SUMMARY_EVENTS = 6


def cluster_articles(analyses: Sequence[ArticleAnalysis], events: Sequence[Event], *, threshold: float = TEXT_SIMILARITY) -> list[list[str]]:
    """Article ids grouped into stories: shared events, or similar text (average-link)."""
    ids = sorted(a.article.id for a in analyses)
    index = {aid: i for i, aid in enumerate(ids)}
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    for e in events:
        arts = [index[a] for a in e.article_ids if a in index]
        for other in arts[1:]:
            union(arts[0], other)
    if len(ids) > 1:
        for i, j in _similar_pairs([_text_of(a) for a in sorted(analyses, key=lambda a: a.article.id)], threshold):
            union(i, j)
    groups: dict[int, list[str]] = defaultdict(list)
    for aid, i in index.items():
        groups[find(i)].append(aid)
    return [sorted(g) for g in groups.values()]


def _text_of(a: ArticleAnalysis) -> str:
    return f"{a.article.title or ''}\n{a.article.text}"


def _similar_pairs(texts: list[str], threshold: float) -> list[tuple[int, int]]:
    """Pairs of texts whose TF-IDF cosine is at least `threshold` (sparse, chunked)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1, max_df=0.9 if len(texts) > 20 else 1.0, dtype=float)
    try:
        matrix = vec.fit_transform(texts)
    except ValueError:  # every text was stop words only
        return []
    pairs = []
    step = 2000
    for lo in range(0, matrix.shape[0], step):
        sims = (matrix[lo : lo + step] @ matrix.T).tocoo()
        for i, j, v in zip(sims.row, sims.col, sims.data):
            gi = lo + int(i)
            if gi < j and v >= threshold:
                pairs.append((gi, int(j)))
    return pairs


def build_stories(analyses: Sequence[ArticleAnalysis], events: Sequence[Event]) -> tuple[list[Story], list[Event]]:
    """Stories over all articles, and the events with their story id set."""
    by_id = {a.article.id: a for a in analyses}
    groups = cluster_articles(analyses, events)
    story_of_article: dict[str, str] = {}
    stories: list[Story] = []
    for members in groups:
        sid = "sty_" + hashlib.sha1(members[0].encode()).hexdigest()[:16]
        for aid in members:
            story_of_article[aid] = sid
    updated: list[Event] = []
    for e in events:
        votes = Counter(story_of_article.get(a) for a in e.article_ids if a in story_of_article)
        sid = max(sorted(votes), key=lambda s: votes[s]) if votes else None
        updated.append(replace(e, story_id=sid))
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


def _title(members: list[ArticleAnalysis], events: list[Event]) -> str:
    """The headline of the article that reports the most of the story's events."""
    counts = Counter(a for e in events for a in e.article_ids)
    ranked = sorted(members, key=lambda a: (-counts.get(a.article.id, 0), a.article.id))
    for a in ranked:
        if a.article.title:
            return a.article.title
    return ranked[0].article.text[:80].split("\n")[0]


def _weight(e: Event) -> tuple:
    return (e.independent_sources, len(e.claims), e.fatalities.best or 0)


def summarise(events: Sequence[Event], limit: int = SUMMARY_EVENTS) -> tuple[SummarySentence, ...]:
    """An extractive summary: per major event its best-attested source sentence, then its disputed figures."""
    chosen = sorted(sorted(events, key=_weight, reverse=True)[:limit], key=lambda e: (e.date or date.max, e.id))
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
                        + "; ".join(_statement_text(s) for s in c.statements) + ".",
                        tuple(s.source for s in c.statements),
                    )
                )
    return tuple(out)


def _statement_text(s) -> str:
    if s.kind == "denial":
        return f"{s.by} denied involvement"
    return f"{s.by or 'a source'} blamed {', '.join(s.against)}"


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
