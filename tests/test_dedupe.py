"""Sentence and article duplicates: exact copies, near copies, paraphrases, across articles."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from sitroom.dedupe import (
    DuplicateIndex,
    find_article_duplicates,
    find_duplicates,
    lsh_params,
    minhash_signatures,
    normalize_text,
)
from sitroom.embeddings import SentenceEmbedder
from sitroom.model import Sentence

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "seeds"

WIRE = "Kerry urged Moscow and Damascus to ground all warplanes over the contested zones of northern Syria on Monday."
WIRE_ONE_WORD = "Kerry urged Moscow and Damascus to ground all aircraft over the contested zones of northern Syria on Monday."
AID = "Aid deliveries resumed on Thursday after the convoy strike paused them."
AID_REWORDED = "On Thursday the UN restarted aid deliveries, which had been halted after the strike on the convoy."
SHELLING = "Government forces shelled the eastern districts of the city overnight."
REPELLED = "Rebels said they had repelled an attack on the eastern districts of the city."
CASUALTIES = "The convoy strike killed twenty civilians and destroyed eighteen trucks on Monday."


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder.default()


def sentence(article_id: str, index: int, text: str) -> Sentence:
    """A sentence at a made-up but consistent offset of its article."""
    return Sentence(article_id, index, index * 200, index * 200 + len(text), text)


def kinds_by_articles(result) -> dict[tuple[str, ...], str]:
    return {tuple(p.article_id for p in g.passages): g.kind for g in result.groups}


def test_dedupe_finds_exact_copy_across_articles() -> None:
    result = find_duplicates([sentence("a", 0, WIRE), sentence("b", 4, WIRE)], paraphrase_threshold=None)
    assert len(result.groups) == 1
    group = result.groups[0]
    assert group.kind == "exact"
    assert [(p.article_id, p.start, p.end) for p in group.passages] == [("a", 0, len(WIRE)), ("b", 800, 800 + len(WIRE))]
    assert group.to_dict()["passages"][0] == {"article_id": "a", "sentence": WIRE, "start": 0, "end": len(WIRE)}


def test_dedupe_ignores_case_quotes_and_punctuation_for_exact() -> None:
    restyled = "\u201c" + WIRE.upper().replace(",", "").rstrip(".") + "\u201d  "
    assert normalize_text(restyled) == normalize_text(WIRE)
    result = find_duplicates([sentence("a", 0, WIRE), sentence("b", 1, restyled)], paraphrase_threshold=None)
    assert [g.kind for g in result.groups] == ["exact"]


def test_dedupe_normalises_apostrophes_and_hyphens() -> None:
    assert normalize_text("Syria\u2019s al-Assad") == normalize_text("SYRIA'S al Assad")


def test_dedupe_one_changed_word_is_near(embedder: SentenceEmbedder) -> None:
    result = find_duplicates([sentence("a", 0, WIRE), sentence("b", 2, WIRE_ONE_WORD)], embedder=embedder)
    assert [g.kind for g in result.groups] == ["near"]


def test_dedupe_finds_paraphrase_and_leaves_same_topic_apart(embedder: SentenceEmbedder) -> None:
    sentences = [
        sentence("a", 0, AID),
        sentence("b", 0, AID_REWORDED),
        sentence("a", 1, SHELLING),
        sentence("c", 0, REPELLED),
        sentence("d", 0, CASUALTIES),
    ]
    result = find_duplicates(sentences, embedder=embedder)
    assert kinds_by_articles(result) == {("a", "b"): "paraphrase"}
    keys = result.evidence_key
    assert keys[("a", 0)] == keys[("b", 0)] == "a#0"
    assert len({keys[("a", 1)], keys[("c", 0)], keys[("d", 0)], keys[("a", 0)]}) == 4


def test_dedupe_group_kind_is_loosest_relation(embedder: SentenceEmbedder) -> None:
    result = find_duplicates(
        [sentence("a", 0, AID), sentence("b", 0, AID), sentence("c", 0, AID_REWORDED)], embedder=embedder
    )
    assert kinds_by_articles(result) == {("a", "b", "c"): "paraphrase"}


def test_dedupe_same_article_alone_never_forms_group(embedder: SentenceEmbedder) -> None:
    sentences = [sentence("a", 0, WIRE), sentence("a", 5, WIRE), sentence("a", 6, WIRE_ONE_WORD),
                 sentence("a", 7, AID), sentence("a", 8, AID_REWORDED)]
    result = find_duplicates(sentences, embedder=embedder)
    assert result.groups == ()
    # A repeated sentence still counts once as evidence.
    assert result.evidence_key[("a", 0)] == result.evidence_key[("a", 5)]


def test_dedupe_evidence_key_maps_copies_to_one_key() -> None:
    sentences = [sentence("reuters", 3, WIRE), sentence("afp", 7, WIRE), sentence("afp", 8, SHELLING)]
    keys = find_duplicates(sentences, paraphrase_threshold=None).evidence_key
    assert keys[("reuters", 3)] == keys[("afp", 7)] == "afp#7"
    assert keys[("afp", 8)] == "afp#8"
    assert set(keys) == {("reuters", 3), ("afp", 7), ("afp", 8)}


def test_dedupe_ignores_short_sentences_for_near() -> None:
    result = find_duplicates([sentence("a", 0, "Talks ended on Monday."), sentence("b", 0, "Talks ended on Sunday.")],
                             paraphrase_threshold=None)
    assert result.groups == ()


def test_dedupe_incremental_equals_all_at_once(embedder: SentenceEmbedder) -> None:
    texts = [WIRE, WIRE_ONE_WORD, AID, AID_REWORDED, SHELLING, REPELLED, CASUALTIES]
    rng = random.Random(7)
    sentences = [sentence(f"art{rng.randrange(4)}", i, rng.choice(texts)) for i in range(24)]
    # A similar pair inside one article that only becomes a cross-article relation later.
    sentences += [sentence("solo", 0, AID), sentence("solo", 1, AID_REWORDED), sentence("late", 0, AID)]
    whole = find_duplicates(sentences, embedder=embedder)
    assert whole.groups
    for seed in range(3):
        shuffled = sentences[:]
        random.Random(seed).shuffle(shuffled)
        index = DuplicateIndex(embedder=embedder)
        for lo in range(0, len(shuffled), 5):
            index.add(shuffled[lo : lo + 5])
        index.add(shuffled[:3])  # re-adding changes nothing
        assert index.result() == whole


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
def test_dedupe_finds_verbatim_kerry_sentence_in_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    sentences = [s for path in sorted(SEEDS.glob("*.txt")) for s in split_sentences(path.stem, path.read_text("utf-8"))]
    result = find_duplicates(sentences, paraphrase_threshold=None)
    kerry = [g for g in result.groups if any(p.sentence.startswith("Kerry called for Russian Federation") for p in g.passages)]
    assert len(kerry) == 1
    assert kerry[0].kind == "exact"
    assert len({p.article_id for p in kerry[0].passages}) == 2
    for p in kerry[0].passages:
        text = (SEEDS / f"{p.article_id}.txt").read_text("utf-8")
        assert text[p.start : p.end] == p.sentence


def test_dedupe_does_not_report_copied_fragments() -> None:
    result = find_duplicates([sentence("a", 0, "S."), sentence("b", 0, "S.")], paraphrase_threshold=None)
    assert result.groups == ()
    assert result.evidence_key[("a", 0)] == result.evidence_key[("b", 0)]


def test_dedupe_evidence_for_gives_the_same_keys_for_the_sentences_asked() -> None:
    sentences = [
        sentence("a", 0, "Shelling killed five people in Idlib on Monday."),
        sentence("a", 1, "Hi."),
        sentence("b", 0, "Shelling killed five people in Idlib on Monday!"),
        sentence("b", 1, "Another thing entirely happened here today."),
    ]
    full = DuplicateIndex(paraphrase_threshold=None)
    full.add(sentences)
    everything = full.result().evidence_key
    wanted = {("b", 0), ("b", 1), ("a", 1), ("zz", 0)}  # ("zz", 0) was never added
    part = full.result(evidence_for=wanted).evidence_key
    assert part == {k: v for k, v in everything.items() if k in wanted}
    assert part[("b", 0)] == "a#0"


def test_dedupe_hash_collision_keeps_two_texts_apart() -> None:
    index = DuplicateIndex(paraphrase_threshold=None)
    index.add([sentence("a", 0, SHELLING)])
    other = "Government forces retook the village of Kafr Nabl after clashes."
    index._unit_of[hash(normalize_text(other))] = 0  # pretend the second text's hash is the first's
    index.add([sentence("b", 0, other), sentence("c", 0, other), sentence("c", 1, SHELLING)])
    groups = {tuple(p.article_id for p in g.passages) for g in index.result().groups}
    assert groups == {("b", "c"), ("a", "c")}


def _copy(text: str) -> str:
    """An equal string that is a distinct object, as JSON decoding gives for each stored sentence."""
    return "".join(list(text))


def test_dedupe_copies_share_one_text_and_keep_their_own_raw_text() -> None:
    restyled = WIRE.upper()
    sentences = [sentence("a", 0, WIRE), sentence("b", 2, _copy(WIRE)), sentence("c", 1, restyled), sentence("d", 3, _copy(restyled))]
    assert sentences[0].text is not sentences[1].text
    index = DuplicateIndex(paraphrase_threshold=None)
    index.add(sentences[:2])
    index.add(sentences[2:])
    (group,) = index.result().groups
    assert group.kind == "exact"
    # Every passage is what the sentence said, at its own offsets, in (article, start) order ...
    assert [(p.article_id, p.sentence, p.start, p.end) for p in group.passages] == [
        (s.article_id, s.text, s.start, s.end) for s in sentences
    ]
    # ... and equal raw texts are one string: one per distinct raw text, not one per copy.
    texts = [p.sentence for p in group.passages]
    assert texts[0] is texts[1] and texts[2] is texts[3] and texts[0] is not texts[2]
    assert index.interned(_copy(WIRE)) is texts[0]
    assert index.interned(_copy(restyled)) is texts[2]
    unknown = "Nothing like this was added."
    assert index.interned(unknown) is unknown
    assert index.interned("...") == "..."  # no normalised text at all


def test_dedupe_passages_and_keys_match_sentence_objects_on_a_shuffled_mix(embedder: SentenceEmbedder) -> None:
    """The compact index gives the groups one would build from the sentences themselves."""
    texts = [WIRE, WIRE_ONE_WORD, AID, AID_REWORDED, SHELLING, REPELLED, CASUALTIES, "Hi."]
    rng = random.Random(7)
    sentences = [
        sentence(f"art{a:02d}", i, _copy(rng.choice(texts))) for a in range(12) for i in range(rng.randint(1, 5))
    ]
    index = DuplicateIndex(embedder=embedder)
    for lo in range(0, len(sentences), 7):
        index.add(sentences[lo : lo + 7])
    result = index.result()
    by_ident = {(s.article_id, s.index): s for s in sentences}
    for group in result.groups:
        for p in group.passages:
            (match,) = [s for s in sentences if (s.article_id, s.start) == (p.article_id, p.start)]
            assert (p.sentence, p.end) == (match.text, match.end)
        assert [(p.article_id, p.start) for p in group.passages] == sorted((p.article_id, p.start) for p in group.passages)
    assert set(result.evidence_key) == set(by_ident)
    assert result == find_duplicates(list(reversed(sentences)), embedder=embedder)


def test_dedupe_groups_read_like_a_tuple_and_stay_put_when_the_index_grows() -> None:
    index = DuplicateIndex(paraphrase_threshold=None)
    index.add([sentence("a", 0, WIRE), sentence("b", 0, _copy(WIRE)), sentence("a", 1, SHELLING), sentence("c", 4, SHELLING)])
    groups = index.result().groups
    as_tuple = tuple(groups)
    assert len(groups) == 2 and groups == as_tuple and groups == list(as_tuple)
    assert groups[-1] == as_tuple[1] and groups[:1] == [as_tuple[0]]
    with pytest.raises(IndexError):
        groups[2]
    # Sentences added afterwards (the index's arrays grow) change a new result, not this one.
    index.add([sentence("d", 0, WIRE), sentence("e", 0, "An unrelated sentence about the harvest in the north.")])
    assert groups == as_tuple
    assert len(index.result().groups[0].passages) + len(index.result().groups[1].passages) == 5
