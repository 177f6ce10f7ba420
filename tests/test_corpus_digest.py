"""What the corpus stage keeps of each analysis (`CorpusDigest`): the same reports, with shared strings."""

from __future__ import annotations

from datetime import date

from sitroom.dedupe import DuplicateIndex
from sitroom.model import Actor, Article, ArticleAnalysis, Claim, Location, Report, Sentence, SourceSpan, Statement
from sitroom.runners.local import CorpusDigest


def _fresh(text: str) -> str:
    """An equal but distinct string, as each JSON-decoded field is."""
    return "".join(list(text))


def _analysis(aid: str, body: str) -> ArticleAnalysis:
    sentence = Sentence(_fresh(aid), 0, 0, len(body), _fresh(body))

    def span() -> SourceSpan:  # every span decoded on its own: its own strings
        return SourceSpan(_fresh(aid), 0, len(body), _fresh(body))

    report = Report(
        id=f"rep_{aid}", article_id=_fresh(aid), event_type="explosions_remote_violence",
        sub_event_type="shelling_artillery_missile_attack", trigger="shelled", date=date(2024, 3, 2), date_precision="day",
        location=Location("Karvel", "XM", None, 41.2, 22.4, 1, "city"), actors=(Actor("Civilians", "actor2", ("people",)),),
        claims=(Claim("fatalities", 12, span(), "at least"),), sources=(span(),),
        statements=(Statement("blame", "the ministry", ("the Front",), span()),), keywords=("market",),
    )
    return ArticleAnalysis(Article(aid, body, title="Market shelled", content_hash="h"), (sentence,), (), (report,))


def test_corpus_digest_keeps_equal_reports_whose_strings_are_shared() -> None:
    body = "Shelling killed at least 12 people at the market in Karvel on Saturday."
    analyses = [_analysis("a1", body), _analysis("a2", body)]
    digest = CorpusDigest(DuplicateIndex(paraphrase_threshold=None))
    for a in analyses:
        digest.add(a)
    assert digest.reports == [r for a in analyses for r in a.reports]
    first, second = digest.reports
    spans = [first.sources[0], first.claims[0].source, first.statements[0].source, second.sources[0]]
    assert all(sp.sentence is spans[0].sentence for sp in spans)  # one string for the cited sentence of both copies
    assert first.article_id is first.sources[0].article_id is first.claims[0].source.article_id
    assert digest.cited_sentences == {("a1", 0): 0, ("a2", 0): 0}
    # The duplicate group of the two copies holds the very same strings.
    (group,) = digest.duplicates.result().groups
    assert [p.article_id for p in group.passages] == ["a1", "a2"]
    assert group.passages[0].article_id is first.article_id and group.passages[1].article_id is second.article_id
    assert all(p.sentence is spans[0].sentence for p in group.passages)
