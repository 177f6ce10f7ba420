"""Extraction: one article in, an `ArticleAnalysis` out (sentences, entities, reports, quotes).

`analyse_articles` works in three passes over a batch. First every paragraph is split into
sentences (tokenizer + senter: about 4% of a full parse). Then only the sentences that can yield
a report go through the statistical tagger (entity ruler + NER, which embeds its own words):
those that report an incident, the sentence before each (it often dates the incident) and the
article's first three (its dateline, scene and main actors). On news that is a fifth to a
quarter of the text. Every other sentence gets its names from a cheap pass (`names.proper_names`) that
the story clustering and the article's country context read; see docs/architecture.md. Last,
the incident sentences alone get a dependency parse (tok2vec + tagger + parser), kept compact
(`roles.Parse`) for `build_reports` to read who did what to whom.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sitroom.extract.events import KEPT_CONTEXT, Trigger, mentions_trigger, read_sentence, recalled_spans
from sitroom.extract.figures import FigureMention, find_figures, weigh
from sitroom.extract.names import name_candidates, name_mentions, proper_names  # proper_names: re-exported
from sitroom.extract.nlp import NER_PIPES, load_nlp, paragraphs, parsing
from sitroom.extract.quotes import find_quotes
from sitroom.extract.reports import build_context_reports, build_reports
from sitroom.extract.roles import Parse
from sitroom.model import Article, ArticleAnalysis, Mention, Sentence

Incidents = dict[int, tuple[list[FigureMention], Trigger]]
Contexts = dict[int, tuple[list[FigureMention], Trigger, str]]

# The lead (dateline, scene, main actors) is tagged in every article: story clustering reads its
# entities, and three sentences hold them where one does not (docs/benchmarks.md, ECB+ stories).
LEAD_SENTENCES = 3
_ENTITY_LABELS = {"GPE", "LOC", "FAC", "ORG", "NORP", "PERSON", "DATE", "EVENT"}


def analyse_articles(articles: Sequence[Article], *, batch_size: int = 32) -> Iterator[ArticleAnalysis]:
    """Analyse articles in order: split every paragraph into sentences, tag only those that matter."""
    nlp = load_nlp()
    chunks = [(para, (i, off)) for i, art in enumerate(articles) for off, para in paragraphs(art.text)]
    per_article: list[list[Sentence]] = [[] for _ in articles]
    with nlp.select_pipes(enable=["senter"]):
        for doc, (i, off) in nlp.pipe(chunks, as_tuples=True, batch_size=batch_size):
            _add_sentences(per_article[i], articles[i].id, off, doc)
    readings = [read_trigger_sentences(sentences) for sentences in per_article]
    spans = [(i, run) for i, sentences in enumerate(per_article) for run in _runs_to_tag(sentences, readings[i].incidents)]
    tagged: list[list[Mention]] = [[] for _ in articles]
    tagged_indexes: list[set[int]] = [set() for _ in articles]
    texts = [(articles[i].text[run[0].start : run[-1].end], (i, run)) for i, run in spans]
    with nlp.select_pipes(enable=list(NER_PIPES)):
        for doc, (i, run) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
            tagged[i] += _entity_mentions(articles[i].id, run, doc)
            tagged_indexes[i].update(s.index for s in run)
    # Only the sentences that carry a trigger are parsed: who did what to whom is read there.
    parses: list[dict[int, Parse]] = [{} for _ in articles]
    wanted = [(s.text, (i, s.index)) for i, sentences in enumerate(per_article) for s in sentences if s.index in readings[i].incidents]
    with parsing(nlp):
        for doc, (i, index) in nlp.pipe(wanted, as_tuples=True, batch_size=batch_size):
            parses[i][index] = Parse.from_doc(doc)
    for i, art in enumerate(articles):
        yield analyse_sentences(art, per_article[i], tagged[i], tagged_indexes[i], readings[i], parses[i])


def _add_sentences(out: list[Sentence], article_id: str, offset: int, doc) -> None:
    """Append a parsed paragraph's sentences, trimmed, with their offsets in the article."""
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        start = offset + sent.start_char + len(sent.text) - len(sent.text.lstrip())
        out.append(Sentence(article_id, len(out), start, start + len(text), text))


@dataclass(frozen=True, slots=True)
class Readings:
    """An article's trigger sentences, each read once, by sentence index.

    `incidents`: the sentences that report an incident -> (their casualty figures, their trigger).
    Text patterns alone decide this, so it runs before the tagger and chooses what it tags;
    `build_reports` then reuses the result. `context`: the sentences that state background worth
    keeping (a period total, a plan, a threat, a trial) -> (their figures, incident and period ones,
    their trigger, the kind of background), for `build_context_reports`.
    """

    incidents: Incidents
    context: Contexts


def find_incidents(sentences: list[Sentence]) -> Incidents:
    """The sentences that report an incident: index -> (its casualty figures, its trigger)."""
    return read_trigger_sentences(sentences).incidents


def read_trigger_sentences(sentences: list[Sentence]) -> Readings:
    """Each sentence with a trigger read once: as an incident, as background, or as nothing."""
    found: Incidents = {}
    context: Contexts = {}
    for s in sentences:
        if not mentions_trigger(s.text):
            continue  # most sentences: no trigger word, so no incident whatever their figures
        figures = find_figures(s.text, s.start, periods=True)
        has_figure, period_only = weigh(figures)
        trigger, kind = read_sentence(s.text, s.start, has_figure=has_figure, period_only=period_only)
        if trigger is not None and kind is None:
            recalled = recalled_spans(s.text) if figures else []
            found[s.index] = ([f for f in figures if f.scope == "incident" and not any(a <= f.start - s.start < b for a, b in recalled)], trigger)
        elif trigger is not None and kind in KEPT_CONTEXT and trigger.event_type not in ("strategic_developments",):
            # Totals, plans and threats of violence or protest are the story's context; talk of
            # agreements is the ceasefire tracker's.
            context[s.index] = (figures, trigger, kind)
    return Readings(found, context)


def _runs_to_tag(sentences: list[Sentence], incidents: Incidents) -> list[list[Sentence]]:
    """Runs of consecutive sentences to tag: incident sentences, the sentence before each, the lead."""
    chosen = set(range(min(LEAD_SENTENCES, len(sentences))))
    for index in incidents:
        chosen |= {index, index - 1}
    runs: list[list[Sentence]] = []
    for s in sentences:
        if s.index not in chosen:
            continue
        if runs and runs[-1][-1].index == s.index - 1:
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _entity_mentions(article_id: str, run: list[Sentence], doc) -> list[Mention]:
    """The tagger's entities in a run of sentences, with article offsets and sentence indexes."""
    base = run[0].start
    out = []
    for ent in doc.ents:
        if ent.label_ not in _ENTITY_LABELS:
            continue
        start = base + ent.start_char
        index = next((s.index for s in run if start < s.end), run[-1].index)
        out.append(Mention(ent.text, ent.label_, article_id, start, base + ent.end_char, index))
    return out


def analyse_sentences(
    article: Article, sentences: list[Sentence], tagged: list[Mention], tagged_indexes: set[int], readings: Readings,
    parses: dict[int, Parse] | None = None,
) -> ArticleAnalysis:
    """Build the analysis of one article from its sentences, the tagger's entities in `tagged_indexes`
    and the parses of its trigger sentences (by sentence index)."""
    mentions = list(tagged)
    untagged = [s for s in sentences if s.index not in tagged_indexes]
    # The words of names seen anywhere in the article (the tagger's, and cheap ones not opening
    # a sentence) tell a surname that opens a sentence from an ordinary capitalised first word.
    candidates = {s.index: name_candidates(s) for s in untagged}
    known = frozenset(w for m in tagged if m.label != "DATE" for w in m.text.split())
    known |= frozenset(w for s in untagged for a, b, lone in candidates[s.index] if not lone for w in s.text[a:b].split())
    for s in untagged:
        mentions += name_mentions(s, candidates[s.index], known)
    mentions.sort(key=lambda m: (m.start, m.end))
    reports = build_reports(article, sentences, mentions, readings.incidents, parses)
    quotes = find_quotes(article.text, [(s.start, s.end) for s in sentences], article.id)
    # The incidents' countries place the background too (the article's country context costs a gazetteer pass).
    seen = list(dict.fromkeys(r.location.country for r in reports if r.location and r.location.country))
    context = build_context_reports(article, sentences, mentions, readings.context, countries=seen or None)
    return ArticleAnalysis(article, tuple(sentences), tuple(mentions), tuple(reports), tuple(quotes), context=tuple(context))
