"""Extraction: one article in, an `ArticleAnalysis` out (sentences, entities, reports, quotes).

`analyse_articles` works in three passes over a batch. First every paragraph is split into
sentences (tokenizer + senter: about 4% of a full parse). Then only the sentences that can yield
a report go through the statistical tagger (entity ruler + NER, which embeds its own words):
those that report an incident, the sentence before each (it often dates the incident) and the
article's first three (its dateline, scene and main actors). On news that is a fifth to a
quarter of the text. Every other sentence gets its names from a cheap pass (`proper_names`) that
the story clustering and the article's country context read; see docs/architecture.md. Last,
the incident sentences alone get a dependency parse (tok2vec + tagger + parser), kept compact
(`roles.Parse`) for `build_reports` to read who did what to whom.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from sitroom.extract.events import KEPT_CONTEXT, Trigger, mentions_trigger, read_sentence, recalled_spans
from sitroom.extract.figures import FigureMention, find_figures, weigh
from sitroom.extract.nlp import NER_PIPES, load_nlp, paragraphs, parsing
from sitroom.extract.quotes import find_quotes
from sitroom.extract.reports import build_context_reports, build_reports
from sitroom.extract.roles import Parse
from sitroom.gazetteer import Gazetteer
from sitroom.model import Article, ArticleAnalysis, Mention, Sentence

Incidents = dict[int, tuple[list[FigureMention], Trigger]]
Contexts = dict[int, tuple[list[FigureMention], Trigger, str]]

# The lead (dateline, scene, main actors) is tagged in every article: on ECB+ it keeps story
# clustering where a full tag has it (B-cubed F1 0.957 against 0.958; the first sentence alone 0.954).
LEAD_SENTENCES = 3
_ENTITY_LABELS = {"GPE", "LOC", "FAC", "ORG", "NORP", "PERSON", "DATE", "EVENT"}
# A run of capitalised words on one line, with the lower-case particles names carry ("Bashar
# al-Assad", "Bosnia and Herzegovina"); `proper_names` cuts it after a possessive.
_WORD = r"[A-Z][\w'’.&-]*"
_NAME = re.compile(rf"(?<![\w'’-]){_WORD}(?:[ \t]+(?:(?:of|al|el|bin|ibn|de|del|da|la|le|van|von)[ \t]+)?{_WORD})*")
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$|['’]$")
# What opens a sentence: a capitalised word there is capitalised for that reason alone.
_SENTENCE_OPENING = re.compile(r"^[\s`'\"“‘(\[-]*$")
_FUNCTION_WORDS = frozenset(
    "the a an in on at but and or so as if when while after before since although though he she it they we i you "
    "this that these those there here his her its their our my your some many most both other another such "
    "according last next earlier later meanwhile however also still yet then now today about what who how why "
    "no not all one two three for with from by to of i i'm i’m i'd i’d i'll i’ll i've i’ve".split()
)
# Titles before a name ("Rep. Nick Rahall", "Superior Court Judge James Bodiford" keeps "Superior Court").
_TITLES = frozenset(
    "mr mrs ms dr rep sen senator gov governor president vice judge justice minister prime secretary general gen "
    "col lt sgt capt adm king queen prince princess pope chief ceo attorney sheriff coach mayor ambassador "
    "commander spokesman spokeswoman officer sir lord lady".split()
)
# Days and months the tagger would call DATE (which stories leave out), with their abbreviations.
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


_NOT_A_NAME_START = _FUNCTION_WORDS | _CALENDAR | _TITLES


def analyse_articles(articles: Sequence[Article], *, batch_size: int = 32) -> Iterator[ArticleAnalysis]:
    """Analyse articles in order: split every paragraph into sentences, tag only those that matter."""
    nlp = load_nlp()
    chunks = [(para, (i, off)) for i, art in enumerate(articles) for off, para in paragraphs(art.text)]
    per_article: list[list[Sentence]] = [[] for _ in articles]
    with nlp.select_pipes(enable=["senter"]):
        for doc, (i, off) in nlp.pipe(chunks, as_tuples=True, batch_size=batch_size):
            _add_sentences(per_article[i], articles[i].id, off, doc)
    incidents = [find_incidents(sentences) for sentences in per_article]
    spans = [(i, run) for i, sentences in enumerate(per_article) for run in _runs_to_tag(sentences, incidents[i])]
    tagged: list[list[Mention]] = [[] for _ in articles]
    tagged_indexes: list[set[int]] = [set() for _ in articles]
    texts = [(articles[i].text[run[0].start : run[-1].end], (i, run)) for i, run in spans]
    with nlp.select_pipes(enable=list(NER_PIPES)):
        for doc, (i, run) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
            tagged[i] += _entity_mentions(articles[i].id, run, doc)
            tagged_indexes[i].update(s.index for s in run)
    # Only the sentences that carry a trigger are parsed: who did what to whom is read there.
    parses: list[dict[int, Parse]] = [{} for _ in articles]
    wanted = [(s.text, (i, s.index)) for i, sentences in enumerate(per_article) for s in sentences if s.index in incidents[i]]
    with parsing(nlp):
        for doc, (i, index) in nlp.pipe(wanted, as_tuples=True, batch_size=batch_size):
            parses[i][index] = Parse.from_doc(doc)
    for i, art in enumerate(articles):
        yield analyse_sentences(art, per_article[i], tagged[i], tagged_indexes[i], incidents[i], parses[i])


def _add_sentences(out: list[Sentence], article_id: str, offset: int, doc) -> None:
    """Append a parsed paragraph's sentences, trimmed, with their offsets in the article."""
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        start = offset + sent.start_char + len(sent.text) - len(sent.text.lstrip())
        out.append(Sentence(article_id, len(out), start, start + len(text), text))


def find_incidents(sentences: list[Sentence]) -> Incidents:
    """The sentences that report an incident: index -> (its casualty figures, its trigger).

    Text patterns alone decide this, so it runs before the tagger and chooses what it tags;
    `build_reports` then reuses the result.
    """
    found, context = _read_sentences(sentences)
    out = _Found(found)
    out.context = context  # read in the same pass: `find_context` needs no second scan
    return out


class _Found(dict):
    """Incident sentences by index, carrying the background sentences the same pass found."""

    context: dict | None = None


def find_context(sentences: list[Sentence], incidents: Incidents) -> Contexts:
    """The sentences that state background worth keeping (a period total, a plan, a threat, a trial):
    index -> (its figures, incident and period ones, its trigger, the kind of background)."""
    known = getattr(incidents, "context", None)
    if known is not None:
        return known
    return _read_sentences([s for s in sentences if s.index not in incidents])[1]


def _read_sentences(sentences: list[Sentence]) -> tuple[Incidents, Contexts]:
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
    return found, context


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


def proper_names(sentence: Sentence, known: frozenset[str] = frozenset()) -> list[Mention]:
    """Capitalised names in an untagged sentence: GPE when they name a country, its people or a sizeable place, else NAME.

    A cheap stand-in for the tagger where no report is extracted: the story clustering's entity
    view and the article's country context need names, not their fine types. A lone word that
    opens the sentence counts only when it is one of the article's `known` name words ("Reid
    launched ..." after "Tara Reid").
    """
    return _name_mentions(sentence, _name_candidates(sentence), known)


def _name_candidates(sentence: Sentence) -> list[tuple[int, int, bool]]:
    """(start, end, is a lone sentence-opening word) of every name span in the sentence."""
    text = sentence.text
    return [span for m in _NAME.finditer(text) for span in _name_spans(text, m.start(), m.end())]


def _name_mentions(sentence: Sentence, candidates: list[tuple[int, int, bool]], known: frozenset[str]) -> list[Mention]:
    """Mentions of the candidate names; a lone opening word only when it is a `known` name word."""
    out = []
    for start, end, lone_opening in candidates:
        text = sentence.text[start:end]
        if lone_opening and text.rstrip(".") not in known:
            continue  # a lone capitalised first word is usually just the sentence's first word
        out.append(Mention(text, _name_label(text), sentence.article_id, sentence.start + start, sentence.start + end, sentence.index))
    return out


@functools.lru_cache(maxsize=50_000)
def _name_label(name: str) -> str:
    """GPE for a country, its people or a sizeable place the gazetteer knows; NAME otherwise."""
    gazetteer = Gazetteer.default()
    return "GPE" if gazetteer.country_of(name) or gazetteer.country_of_folded(name) else "NAME"


def _name_spans(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The names inside one capitalised run, each flagged when it is a lone sentence-opening word:
    cut after possessives, without leading function words, titles, days, months or a trailing full stop."""
    words = [(w.start() + start, w.end() + start) for w in re.finditer(r"\S+", text[start:end])]
    parts: list[list[tuple[int, int]]] = [[]]
    for ws, we in words:
        possessive = _POSSESSIVE.search(text[ws:we])
        parts[-1].append((ws, we - len(possessive.group(0)) if possessive else we))
        if possessive:
            parts.append([])
    spans = []
    for part in parts:
        opening = bool(part) and bool(_SENTENCE_OPENING.match(text[: part[0][0]]))
        while part and text[part[0][0] : part[0][1]].lower().rstrip(".") in _NOT_A_NAME_START:
            part = part[1:]
            opening = False
        titled = [i for i, (ws, we) in enumerate(part[:-1]) if text[ws:we].lower().rstrip(".") in _TITLES]
        if titled:  # "Superior Court Judge James Bodiford": the court and the judge are two names
            spans += _name_spans(text, part[0][0], part[titled[0]][0] - 1) if titled[0] else []
            part = part[titled[-1] + 1 :]
            opening = False
        if not part:
            continue
        s, e = part[0][0], part[-1][1]
        if text[s:e].endswith(".") and text[s:e].count(".") == 1:
            e -= 1  # the sentence's full stop, not an abbreviation's ("U.S.", "Colo.")
        if e > s + 1:
            spans.append((s, e, opening and len(part) == 1))
    return spans


def analyse_sentences(
    article: Article, sentences: list[Sentence], tagged: list[Mention], tagged_indexes: set[int], incidents: Incidents,
    parses: dict[int, Parse] | None = None,
) -> ArticleAnalysis:
    """Build the analysis of one article from its sentences, the tagger's entities in `tagged_indexes`
    and the parses of its trigger sentences (by sentence index)."""
    mentions = list(tagged)
    untagged = [s for s in sentences if s.index not in tagged_indexes]
    # The words of names seen anywhere in the article (the tagger's, and cheap ones not opening
    # a sentence) tell a surname that opens a sentence from an ordinary capitalised first word.
    candidates = {s.index: _name_candidates(s) for s in untagged}
    known = frozenset(w for m in tagged if m.label != "DATE" for w in m.text.split())
    known |= frozenset(w for s in untagged for a, b, lone in candidates[s.index] if not lone for w in s.text[a:b].split())
    for s in untagged:
        mentions += _name_mentions(s, candidates[s.index], known)
    mentions.sort(key=lambda m: (m.start, m.end))
    reports = build_reports(article, sentences, mentions, incidents, parses)
    quotes = find_quotes(article.text, [(s.start, s.end) for s in sentences], article.id)
    # The incidents' countries place the background too (the article's country context costs a gazetteer pass).
    seen = list(dict.fromkeys(r.location.country for r in reports if r.location and r.location.country))
    context = build_context_reports(article, sentences, mentions, find_context(sentences, incidents), countries=seen or None)
    return ArticleAnalysis(article, tuple(sentences), tuple(mentions), tuple(reports), tuple(quotes), context=tuple(context))
