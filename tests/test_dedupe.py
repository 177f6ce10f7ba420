"""Sentence and article duplicates: exact copies, near copies, paraphrases, across articles.

Sentence duplicates are found by the index the store keeps (`sitroom.corpus.duplicates`), fed
batch by batch the way ingest feeds it; every test runs it on a real SQLite store.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from sitroom.corpus import duplicates as index
from sitroom.dedupe import find_article_duplicates, lsh_params, minhash_signatures, normalize_text
from sitroom.model import Article, ArticleAnalysis, Report, Sentence, SentenceRef

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "seeds"

WIRE = "Kerry urged Moscow and Damascus to ground all warplanes over the contested zones of northern Syria on Monday."
WIRE_ONE_WORD = "Kerry urged Moscow and Damascus to ground all aircraft over the contested zones of northern Syria on Monday."
AID = "Aid deliveries resumed on Thursday after the convoy strike paused them."
AID_REWORDED = "On Thursday the UN restarted aid deliveries, which had been halted after the strike on the convoy."
SHELLING = "Government forces shelled the eastern districts of the city overnight."
REPELLED = "Rebels said they had repelled an attack on the eastern districts of the city."
CASUALTIES = "The convoy strike killed twenty civilians and destroyed eighteen trucks on Monday."


def sentence(article_id: str, index_: int, text: str) -> Sentence:
    """A sentence at a made-up but consistent offset of its article."""
    return Sentence(article_id, index_, index_ * 200, index_ * 200 + len(text), text)


def analyses(sentences: list[Sentence], *, cite: bool = True) -> list[ArticleAnalysis]:
    """One analysis per article holding these sentences; with `cite`, a report cites each (so each is embedded)."""
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article_id, []).append(s)
    out = []
    for aid, sents in sorted(by_article.items()):
        sents = sorted(sents, key=lambda s: s.index)
        chars = [" "] * (max(s.end for s in sents) + 1)
        for s in sents:
            chars[s.start : s.end] = s.text
        reports = tuple(
            Report(f"rep_{aid}_{s.index}", aid, "battles", "armed_clash", "x", None, None, None, (), (), (s.span(),))
            for s in sents
        ) if cite else ()
        out.append(ArticleAnalysis(Article(aid, "".join(chars), content_hash=aid), tuple(sents), (), reports))
    return out


def run(store, batches: list[list[Sentence]], *, paraphrase: bool = True):
    """Feed the batches to the store's index; returns (groups by kind and articles, evidence keys)."""
    for batch in batches:
        with store.corpus_session() as session:
            session.paraphrase = paraphrase
            index.add_articles(session, analyses(batch))
            units = {s.unit_id for s in session.sentences_of_articles({s.article_id for s in batch}) if s.cited}
            everything = units | {s.unit_id for s in session.sentences_of_units(range(1, session.next_unit_id())) if s.cited}
            index.relate_paraphrases(session, everything)  # ingest asks per link component; here: all cited sentences
    with store.corpus_session() as session:
        all_sentences = [s for b in batches for s in b]
        labels = {u.all_group for u in session.units(range(1, session.next_unit_id())).values()}
        texts = {a.article.id: a.article.text for a in analyses(all_sentences)}
        groups = [g for _, g in index.duplicate_rows(session, labels, texts)]
        keys = index.evidence_keys(session, {s.article_id for s in all_sentences}).groups
    return groups, keys


def kinds_by_articles(groups) -> dict[tuple[str, ...], str]:
    return {tuple(p.article_id for p in g.passages): g.kind for g in groups}


def test_dedupe_finds_exact_copy_across_articles(store) -> None:
    groups, _ = run(store, [[sentence("a", 0, WIRE), sentence("b", 4, WIRE)]], paraphrase=False)
    assert len(groups) == 1
    assert groups[0].kind == "exact"
    assert [(p.article_id, p.start, p.end) for p in groups[0].passages] == [("a", 0, len(WIRE)), ("b", 800, 800 + len(WIRE))]
    assert groups[0].to_dict()["passages"][0] == {"article_id": "a", "sentence": WIRE, "start": 0, "end": len(WIRE)}


def test_dedupe_ignores_case_quotes_and_punctuation_for_exact(store) -> None:
    restyled = "\u201c" + WIRE.upper().replace(",", "").rstrip(".") + "\u201d"
    assert normalize_text(restyled) == normalize_text(WIRE)
    groups, _ = run(store, [[sentence("a", 0, WIRE), sentence("b", 1, restyled)]], paraphrase=False)
    assert [g.kind for g in groups] == ["exact"]


def test_dedupe_normalises_apostrophes_and_hyphens() -> None:
    assert normalize_text("Syria\u2019s al-Assad") == normalize_text("SYRIA'S al Assad")


def test_dedupe_one_changed_word_is_near(store) -> None:
    groups, _ = run(store, [[sentence("a", 0, WIRE), sentence("b", 2, WIRE_ONE_WORD)]])
    assert [g.kind for g in groups] == ["near"]


@pytest.mark.slow
def test_dedupe_finds_paraphrase_and_leaves_same_topic_apart(store) -> None:
    sentences = [sentence("a", 0, AID), sentence("b", 0, AID_REWORDED), sentence("a", 1, SHELLING),
                 sentence("c", 0, REPELLED), sentence("d", 0, CASUALTIES)]
    groups, keys = run(store, [sentences])
    assert kinds_by_articles(groups) == {("a", "b"): "paraphrase"}
    assert keys[SentenceRef("a", 0)] == keys[SentenceRef("b", 0)]
    assert len({keys[SentenceRef("a", 1)], keys[SentenceRef("c", 0)], keys[SentenceRef("d", 0)], keys[SentenceRef("a", 0)]}) == 4


@pytest.mark.slow
def test_dedupe_group_kind_is_loosest_relation(store) -> None:
    groups, _ = run(store, [[sentence("a", 0, AID), sentence("b", 0, AID), sentence("c", 0, AID_REWORDED)]])
    assert kinds_by_articles(groups) == {("a", "b", "c"): "paraphrase"}


@pytest.mark.slow
def test_dedupe_same_article_alone_never_forms_group(store) -> None:
    sentences = [sentence("a", 0, WIRE), sentence("a", 5, WIRE), sentence("a", 6, WIRE_ONE_WORD),
                 sentence("a", 7, AID), sentence("a", 8, AID_REWORDED)]
    groups, keys = run(store, [sentences])
    assert groups == []
    assert keys[SentenceRef("a", 0)] == keys[SentenceRef("a", 5)]  # a repeated sentence still counts once as evidence
    assert keys[SentenceRef("a", 0)] != keys[SentenceRef("a", 6)]  # alike, but within one article: not (yet) one source


def test_dedupe_evidence_key_maps_copies_to_one_key(store) -> None:
    _, keys = run(store, [[sentence("reuters", 3, WIRE), sentence("afp", 7, WIRE), sentence("afp", 8, SHELLING)]], paraphrase=False)
    assert keys[SentenceRef("reuters", 3)] == keys[SentenceRef("afp", 7)] != keys[SentenceRef("afp", 8)]
    assert set(keys) == {SentenceRef("reuters", 3), SentenceRef("afp", 7), SentenceRef("afp", 8)}


def test_dedupe_ignores_short_sentences_for_near(store) -> None:
    groups, _ = run(store, [[sentence("a", 0, "Talks ended on Monday."), sentence("b", 0, "Talks ended on Sunday.")]], paraphrase=False)
    assert groups == []


def test_dedupe_does_not_report_copied_fragments(store) -> None:
    groups, keys = run(store, [[sentence("a", 0, "S."), sentence("b", 0, "S.")]], paraphrase=False)
    assert groups == []
    assert keys[SentenceRef("a", 0)] == keys[SentenceRef("b", 0)]


@pytest.mark.slow
def test_dedupe_in_batches_and_any_order_equals_all_at_once(tmp_path) -> None:
    from sitroom.store import open_store

    texts = [WIRE, WIRE_ONE_WORD, AID, AID_REWORDED, SHELLING, REPELLED, CASUALTIES]
    rng = random.Random(7)
    sentences = {(f"art{rng.randrange(4)}", i): rng.choice(texts) for i in range(24)}
    sentences = [sentence(a, i, t) for (a, i), t in sentences.items()]
    # A similar pair inside one article that only becomes a cross-article relation later.
    sentences += [sentence("solo", 0, AID), sentence("solo", 1, AID_REWORDED), sentence("late", 0, AID)]
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article_id, []).append(s)
    articles = sorted(by_article)

    def grouped(order: list[str], size: int, name: str):
        store = open_store(str(tmp_path / f"{name}.db"))
        try:
            batches = [[s for a in order[lo : lo + size] for s in by_article[a]] for lo in range(0, len(order), size)]
            groups, keys = run(store, batches)
        finally:
            store.close()
        partition = sorted(sorted(k for k, v in keys.items() if v == label) for label in set(keys.values()))
        return sorted(map(repr, (g.to_dict() for g in groups))), partition

    whole = grouped(articles, len(articles), "whole")
    assert whole[0]
    for seed in range(3):
        order = articles[:]
        random.Random(seed).shuffle(order)
        assert grouped(order, 2, f"seed{seed}") == whole


def test_dedupe_finds_whole_article_copies() -> None:
    body = " ".join([WIRE, AID, SHELLING, REPELLED, CASUALTIES])
    edited = body.replace("Thursday", "Friday").replace("overnight", "on Sunday night")
    other = "Talks between the two delegations continued in Geneva for a third straight day without any result."
    pairs = find_article_duplicates({"a": body, "b": body.upper(), "c": edited, "d": other})
    assert pairs == [("a", "b", "exact"), ("a", "c", "near"), ("b", "c", "near")]


def test_dedupe_lsh_params_keep_recall_at_threshold() -> None:
    bands, rows = lsh_params(0.7, 128)
    assert bands * rows <= 128
    assert 1 - (1 - 0.7**rows) ** bands >= 0.95
    with pytest.raises(ValueError):
        lsh_params(0.0, 128)


def test_dedupe_minhash_estimates_jaccard() -> None:
    sig = minhash_signatures([normalize_text(WIRE), normalize_text(WIRE_ONE_WORD), normalize_text(SHELLING)], 128)
    same = (sig[0] == sig[1]).mean()
    other = (sig[0] == sig[2]).mean()
    assert 0.6 < same < 0.95 and other < 0.2
    assert (minhash_signatures([normalize_text(WIRE)], 128) == sig[:1]).all()


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    """A plain regex splitter, good enough to look for copied sentences."""
    out = []
    for i, m in enumerate(re.finditer(r"[^.!?\n]+[.!?]+[\"\u201d']?", text)):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        out.append(Sentence(article_id, i, start, m.end(), text[start : m.end()]))
    return out


@pytest.mark.corpus
def test_dedupe_finds_verbatim_kerry_sentence_in_seeds(store) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    texts = {path.stem: path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))}
    with store.corpus_session() as session:
        session.paraphrase = False
        found = [ArticleAnalysis(Article(aid, text, content_hash=aid), tuple(split_sentences(aid, text)), (), ())
                 for aid, text in texts.items()]
        index.add_articles(session, found)
        labels = {u.all_group for u in session.units(range(1, session.next_unit_id())).values()}
        groups = [g for _, g in index.duplicate_rows(session, labels, texts)]
    kerry = [g for g in groups if any(p.sentence.startswith("Kerry called for Russian Federation") for p in g.passages)]
    assert len(kerry) == 1 and kerry[0].kind == "exact"
    assert len({p.article_id for p in kerry[0].passages}) == 2
    for p in kerry[0].passages:
        assert texts[p.article_id][p.start : p.end] == p.sentence
