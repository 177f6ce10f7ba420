"""The duplicate index kept in the store: exact copies, near copies and paraphrases, batch by batch.

The same relations as `sitroom.dedupe` (its normal form, 5-gram Jaccard ≥ 0.7 behind MinHash LSH,
MiniLM cosine ≥ 0.8), but the index lives in the store's `dup_*` tables and a batch only reads the
units and band buckets its own sentences touch. Groups are union-find labels on units; every
relation is defined on the set of sentences (a pair is tested when it shares a band key; a
relation across articles waits in `dup_pending` until either unit has a copy in a second
article), so adding articles in any order or batch size gives the same groups.

Paraphrases are sought among the sentences that reports cite, and only between reports that
fusion could link (`corpus.events` asks for them per component): comparing every cited sentence
with every other would read every stored vector on each ingest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sitroom.dedupe import (
    EXACT_GROUP_MIN_WORDS,
    GRAM,
    NEAR_MIN_WORDS,
    PARAPHRASE_MIN_WORDS,
    band_keys,
    cited_sentence_keys,
    embedding_text,
    grams,
    jaccard,
    lsh_params,
    minhash_signatures,
    normalize_text,
)
from sitroom.embeddings import SentenceEmbedder
from sitroom.model import ArticleAnalysis, DuplicateGroup, DuplicateKind, DuplicateKeys, Sentence, SentenceRef, SourceSpan
from sitroom.store.corpus import CorpusSession, SentenceRow, UnitRow

NEAR_THRESHOLD = 0.7
PARAPHRASE_THRESHOLD = 0.8
NUM_PERM = 128
# A band bucket this full is one family of copies: comparing a new text with its oldest members
# decides as well as comparing it with all of them.
BUCKET_SAMPLE = 32

__all__ = ["DuplicateUpdate", "add_articles", "digest_of", "duplicate_rows", "evidence_keys", "relate_paraphrases"]


def digest_of(norm: str) -> str:
    """The key of a normalised text in the index."""
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class DuplicateUpdate:
    """What one batch did to the index: groups whose membership changed (labels before and after)."""

    changed_groups: set[int] = field(default_factory=set)  # groups that merged (evidence keys changed)
    merged: dict[int, int] = field(default_factory=dict)  # old all_group label -> the label it joined
    touched_groups: set[int] = field(default_factory=set)  # groups that gained members (their export row changes)


class _Unions:
    """Union-find over the stored group labels of the units one batch touches, written back at the end."""

    def __init__(self, session: CorpusSession, units: dict[int, UnitRow]) -> None:
        self.session = session
        self.units = units  # unit id -> row, shared with the caller (kept current)
        self.parent: dict[str, dict[int, int]] = {"near_group": {}, "all_group": {}}
        self.update = DuplicateUpdate()

    def unit(self, u: int) -> UnitRow:
        if u not in self.units:
            self.units.update(self.session.units([u]))
        return self.units[u]

    def find(self, column: str, label: int) -> int:
        parent = self.parent[column]
        while parent.get(label, label) != label:
            label = parent[label]
        return label

    def group(self, column: str, u: int) -> int:
        return self.find(column, getattr(self.unit(u), column))

    def union(self, column: str, a: int, b: int) -> None:
        ra, rb = self.group(column, a), self.group(column, b)
        if ra == rb:
            return
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[column][gone] = keep
        if column == "all_group":
            self.update.changed_groups |= {keep, gone}

    def relate(self, a: int, b: int, kind: str) -> None:
        """Units a and b are alike: one group when their members lie in two articles, else pending."""
        ua, ub = self.unit(a), self.unit(b)
        if not (ua.spans or ub.spans or ua.first_article != ub.first_article):
            self.session.add_pending([(a, b, kind)])
            return
        if kind in ("exact", "near"):
            self.union("near_group", a, b)
        self.union("all_group", a, b)

    def flush(self) -> DuplicateUpdate:
        """Write the relabels; returns what changed."""
        for column, parent in self.parent.items():
            renames = {label: self.find(column, label) for label in parent}
            self.session.relabel(column, renames)
            for u in self.units.values():
                setattr(u, column, self.find(column, getattr(u, column)))
            if column == "all_group":
                self.update.merged = {k: v for k, v in renames.items() if k != v}
        self.update.changed_groups = {self.find("all_group", g) for g in self.update.changed_groups} | set(self.update.merged)
        return self.update


def add_articles(session: CorpusSession, analyses: Sequence[ArticleAnalysis], vectors: Mapping[str, np.ndarray] | None = None) -> DuplicateUpdate:
    """Add these articles' sentences to the index; embeddings of cited sentences come from `vectors` (text -> vector) or are computed."""
    items: list[tuple[str, Sentence, str, str, bool]] = []  # article id, sentence, norm, digest, cited
    for a in analyses:
        cited = cited_sentence_keys(a)
        for s in a.sentences:
            norm = normalize_text(s.text)
            if norm:
                items.append((a.article.id, s, norm, digest_of(norm), s.ref in cited))
    known = session.units_by_digest(d for *_, d, _ in items)
    units: dict[int, UnitRow] = {u.id: u for u in known.values()}
    next_id = session.next_unit_id()
    new_units: list[UnitRow] = []
    grown: set[int] = set()
    rows: list[SentenceRow] = []
    needs_vector: dict[int, str] = {}
    for article_id, s, norm, digest, is_cited in items:
        u = known.get(digest)
        if u is None:
            u = UnitRow(next_id, digest, norm, norm.count(" ") + 1, article_id, 0, next_id, next_id)
            next_id += 1
            known[digest] = u
            units[u.id] = u
            new_units.append(u)
        elif not u.spans and u.first_article != article_id:
            u.spans = 1
            grown.add(u.id)
        rows.append(SentenceRow(article_id, s.index, s.start, s.end, u.id, is_cited))
        if session.paraphrase and is_cited and u.words >= PARAPHRASE_MIN_WORDS and u.id not in needs_vector:
            needs_vector[u.id] = embedding_text(s.text)
    session.add_units(new_units)
    session.add_sentences(rows)
    session.mark_spanning(u for u in grown if u not in {n.id for n in new_units})
    _store_vectors(session, needs_vector, vectors or {})
    unions = _Unions(session, units)
    _relate_near(session, unions, [u for u in new_units if u.words >= NEAR_MIN_WORDS])
    for first, second, kind in session.pending_of(grown):
        unions.relate(first, second, kind)
    update = unions.flush()
    # Only a group with members in two articles has an export row: a unit's group changes it when
    # the unit spans two articles or joined another group.
    update.touched_groups = {units[r.unit_id].all_group for r in rows if units[r.unit_id].spans} | update.changed_groups
    return update


def _store_vectors(session: CorpusSession, wanted: Mapping[int, str], vectors: Mapping[str, np.ndarray]) -> None:
    """Embeddings (float16) for units that need one and have none stored yet."""
    have = session.vectors(wanted)
    missing = {u: t for u, t in wanted.items() if u not in have}
    if not missing:
        return
    todo = [t for t in missing.values() if t not in vectors]
    computed: dict[str, np.ndarray] = {}
    if todo:
        computed = dict(zip(todo, SentenceEmbedder.default().embed(todo)))
    session.add_vectors({u: np.asarray(vectors.get(t, computed.get(t)), np.float16).tobytes() for u, t in missing.items()})


def _relate_near(session: CorpusSession, unions: _Unions, new_units: Sequence[UnitRow]) -> None:
    """Near copies of the new units: candidates from shared band keys, each verified by exact Jaccard."""
    if not new_units:
        return
    bands, rows = lsh_params(NEAR_THRESHOLD, NUM_PERM)
    keys = band_keys(minhash_signatures([u.norm for u in new_units], NUM_PERM), bands, rows).view(np.int64)
    stored = session.units_by_band(int(k) for k in keys.ravel())
    session.add_bands([(int(k), u.id) for u, row in zip(new_units, keys) for k in row])
    candidates: set[tuple[int, int]] = set()
    batch: dict[int, list[int]] = {}
    for u, row in zip(new_units, keys):
        for k in row.tolist():
            for v in sorted(stored.get(k, ()))[:BUCKET_SAMPLE]:
                candidates.add((min(u.id, v), max(u.id, v)))
            batch.setdefault(k, []).append(u.id)
    for members in batch.values():
        members = sorted(set(members))[: BUCKET_SAMPLE + 1]
        candidates |= {(a, b) for i, a in enumerate(members) for b in members[i + 1 :]}
    gram_sets: dict[int, frozenset[str]] = {}
    for a, b in sorted(candidates):
        if a == b or unions.group("near_group", a) == unions.group("near_group", b):
            continue
        ga = gram_sets.get(a) or gram_sets.setdefault(a, grams(unions.unit(a).norm, GRAM))
        gb = gram_sets.get(b) or gram_sets.setdefault(b, grams(unions.unit(b).norm, GRAM))
        if jaccard(ga, gb) >= NEAR_THRESHOLD:
            unions.relate(a, b, "near")


def relate_paraphrases(session: CorpusSession, sentence_units: Iterable[int]) -> DuplicateUpdate:
    """Relate every pair of these (cited) units whose embeddings' cosine clears the threshold."""
    unions = _Unions(session, {})
    if not session.paraphrase:
        return unions.flush()
    vectors = session.vectors(sentence_units)
    ids = sorted(vectors)
    if len(ids) > 1:
        matrix = np.stack([np.frombuffer(vectors[u], np.float16).astype(np.float32) for u in ids])
        sims = matrix @ matrix.T
        r, c = np.nonzero(np.triu(sims >= PARAPHRASE_THRESHOLD, 1))
        for i, j in zip(r.tolist(), c.tolist()):
            if unions.group("all_group", ids[i]) != unions.group("all_group", ids[j]):
                unions.relate(ids[i], ids[j], "paraphrase")
    return unions.flush()


def evidence_keys(session: CorpusSession, article_ids: Iterable[str]) -> DuplicateKeys:
    """Fusion's evidence keys for the sentences of these articles: the duplicate group of each."""
    sentences = session.sentences_of_articles(article_ids)
    units = session.units(s.unit_id for s in sentences)
    groups = {SentenceRef(s.article_id, s.idx): f"dup{units[s.unit_id].all_group}" for s in sentences}
    starts = {(s.article_id, s.start): SentenceRef(s.article_id, s.idx) for s in sentences}
    return DuplicateKeys(groups, starts)


def duplicate_rows(session: CorpusSession, groups: Iterable[int], article_text: Mapping[str, str]) -> list[tuple[int, DuplicateGroup]]:
    """The duplicate group of each of these `all_group` labels that spans two articles (with its label).

    `article_text` must hold the text of every article with a member (the caller fetches it).
    """
    units_by_group: dict[int, list[UnitRow]] = {}
    all_units = session.units_in_groups("all_group", groups)
    for u in all_units:
        units_by_group.setdefault(u.all_group, []).append(u)
    sentences_by_unit: dict[int, list[SentenceRow]] = {}
    for s in session.sentences_of_units(u.id for u in all_units):
        sentences_by_unit.setdefault(s.unit_id, []).append(s)
    out: list[tuple[int, DuplicateGroup]] = []
    for label, units in sorted(units_by_group.items()):
        sentences = [s for u in units for s in sentences_by_unit.get(u.id, ())]
        if len({s.article_id for s in sentences}) < 2 or len(sentences) < 2:
            continue
        if len(units) == 1 and units[0].words < EXACT_GROUP_MIN_WORDS:
            continue
        kind: DuplicateKind = "exact" if len(units) == 1 else "near" if len({u.near_group for u in units}) == 1 else "paraphrase"
        passages = tuple(
            SourceSpan(s.article_id, s.start, s.stop, article_text[s.article_id][s.start : s.stop])
            for s in sorted(sentences, key=lambda s: (s.article_id, s.start, s.idx))
            if s.article_id in article_text
        )
        out.append((label, DuplicateGroup(kind, passages)))
    return out
