"""Extraction: one article in, an `ArticleAnalysis` out (sentences, entities, reports, quotes).

`analyse_articles` parses a batch with one `nlp.pipe` call (the parse dominates the cost) and
then runs the cheap, text-based extractors per sentence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sitroom.model import Article, ArticleAnalysis, Mention, Sentence

_ENTITY_LABELS = {"GPE", "LOC", "FAC", "ORG", "NORP", "PERSON", "DATE", "EVENT"}


def analyse_articles(articles: Sequence[Article], *, batch_size: int = 32) -> Iterator[ArticleAnalysis]:
    """Analyse articles in order, parsing their paragraphs in batches."""
    from sitroom.extract.nlp import load_nlp, paragraphs

    nlp = load_nlp()
    chunks = [(para, (i, off)) for i, art in enumerate(articles) for off, para in paragraphs(art.text)]
    per_article: dict[int, list[tuple[int, object]]] = {i: [] for i in range(len(articles))}
    for doc, (i, off) in nlp.pipe(chunks, as_tuples=True, batch_size=batch_size):
        per_article[i].append((off, doc))
    for i, art in enumerate(articles):
        yield analyse_parsed(art, per_article[i])


def analyse_parsed(article: Article, docs: list[tuple[int, object]]) -> ArticleAnalysis:
    """Build the analysis of one article from its parsed paragraphs (offset, spaCy Doc)."""
    from sitroom.extract.quotes import find_quotes
    from sitroom.extract.reports import build_reports

    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    for off, doc in docs:
        first_sentence = len(sentences)
        for sent in doc.sents:  # type: ignore[attr-defined]
            text = sent.text.strip()
            if not text:
                continue
            lead = len(sent.text) - len(sent.text.lstrip())
            start = off + sent.start_char + lead
            sentences.append(Sentence(article.id, len(sentences), start, start + len(text), text))
        for ent in doc.ents:  # type: ignore[attr-defined]
            if ent.label_ not in _ENTITY_LABELS:
                continue
            start = off + ent.start_char
            index = next(
                (s.index for s in sentences[first_sentence:] if s.start <= start < s.end),
                sentences[-1].index if sentences else 0,
            )
            mentions.append(Mention(ent.text, ent.label_, article.id, start, off + ent.end_char, index))
    reports = build_reports(article, sentences, mentions)
    quotes = find_quotes(article.text, [(s.start, s.end) for s in sentences], article.id)
    return ArticleAnalysis(article, tuple(sentences), tuple(mentions), tuple(reports), tuple(quotes))
