"""Copies, near copies and paraphrases: the comparison forms and the hashing the duplicate index uses.

Two outlets repeating one wire sentence are one source, not two. The index that finds such
sentences across a whole store lives in the store and is updated per batch
(`sitroom.corpus.duplicates`); this module holds what it is built from, and the article-level
finder (`find_article_duplicates`). Three relations, from tight to loose:

* **exact**: the same text once case, whitespace, quote styles and punctuation are ignored;
* **near**: Jaccard similarity of character 5-grams ≥ `near_threshold`; candidates come from
  MinHash LSH and every candidate is verified with the actual Jaccard of the two gram sets;
* **paraphrase**: cosine of all-MiniLM-L6-v2 embeddings ≥ `paraphrase_threshold`.

Why our own MinHash and not a MinHash library's (datasketch hashes every shingle in Python, which
puts a million short documents at hours): here the grams of a whole
batch are hashed at once with numpy (a rolling polynomial over the UTF-8 bytes), and each
permutation is one multiply-shift pass plus `np.minimum.reduceat`. The LSH buckets are one
sorted array of band keys rather than a dict per band, which keeps memory flat at a million
documents.

Every relation is defined on the *set* of sentences (a pair is tested if it shares an LSH band,
or if its cosine clears the threshold), so an index fed batch by batch finds what one fed all at
once finds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
import numpy as np

from sitroom.model import Article, ArticleAnalysis, DuplicateKind, SentenceRef

__all__ = [
    "cited_sentence_keys",
    "embedding_text",
    "paraphrase_texts",
    "find_article_duplicates",
    "grams",
    "jaccard",
    "lsh_params",
    "band_keys",
    "normalize_text",
    "minhash_signatures",
]

GRAM = 5  # character 5-grams: one changed word in a 20-word sentence still leaves Jaccard ≈ 0.8
NEAR_MIN_WORDS = 5  # shorter sentences ("He said.") share too much by chance to call copies
PARAPHRASE_MIN_WORDS = 6
# Copies of one- or two-word fragments ("S." from a splitter that broke "U.S.", "Share") are
# noise in an export of copied passages; they still share an evidence key.
EXACT_GROUP_MIN_WORDS = 3
_MAX_BUCKET = 256  # above this a band bucket is chained rather than compared all-pairs
_PAIR_SLICE = 2_000_000  # raw candidate pairs held at once (about 100 MB with their temporaries)
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

# --------------------------------------------------------------------------- normalisation

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    }
)
# Hyphens, dashes and slashes separate words ("al-Assad" = "al Assad"); other punctuation is
# dropped so that "U.S." = "US" and "Syria's" = "Syrias".
_SEPARATORS = re.compile(r"[\-\u2010-\u2015\u2212/]+")
_WS = re.compile(r"\s+")
# Every non-word character except the ones that change a figure's meaning ("20%", "$5").
_PUNCT = re.compile(r"[^\w\s%$\u20ac\u00a3]|_")


def normalize_text(text: str) -> str:
    """The comparison form of a text: NFKC, casefolded, quotes unified, punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _PUNCT.sub("", _SEPARATORS.sub(" ", text))
    return _WS.sub(" ", text).strip()


def embedding_text(text: str) -> str:
    """The form of a sentence that is embedded (and cached by): its words joined by single spaces."""
    return " ".join(text.split())


def cited_sentence_keys(analysis: ArticleAnalysis) -> set[SentenceRef]:
    """The sentences some report of the article cites: the ones worth embedding.

    Paraphrases matter as evidence, and embedding every sentence took three quarters of an
    ingest's time; exact and near copies are still found for all sentences.
    """
    cited = {span.start for report in analysis.reports for span in report.sources}
    return {s.ref for s in analysis.sentences if s.start in cited}


def paraphrase_texts(analysis: ArticleAnalysis) -> list[str]:
    """The texts of an article the duplicate index embeds: its cited sentences of six words or more."""
    keys = cited_sentence_keys(analysis)
    return [
        embedding_text(s.text)
        for s in analysis.sentences
        if s.ref in keys and normalize_text(s.text).count(" ") + 1 >= PARAPHRASE_MIN_WORDS
    ]


# --------------------------------------------------------------------------- MinHash, vectorised

_PRIME = np.uint64(1099511628211)  # FNV prime: a cheap, well-spread polynomial base for byte grams
_PERM_SEED = 0x5157_4F4F_4D  # fixed, so signatures (and thus LSH candidates) are stable across runs


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: spreads polynomial hashes over all 64 bits."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _gram_hashes(texts: Sequence[str], gram: int = GRAM) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every byte `gram`-gram of every text, concatenated, with each text's count.

    Texts shorter than `gram` bytes get one gram: the whole text.
    """
    encoded = [t.encode("utf-8") for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    if not len(encoded):
        return np.zeros(0, np.uint64), lengths
    # Pad short texts to `gram` bytes with NULs so that each yields exactly one gram.
    padded = [b if len(b) >= gram else b + b"\0" * (gram - len(b)) for b in encoded]
    plen = np.maximum(lengths, gram)
    buf = np.frombuffer(b"".join(padded), dtype=np.uint8).astype(np.uint64)
    total = len(buf)
    h = np.zeros(total - gram + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(gram):
            h *= _PRIME
            h += buf[j : total - gram + 1 + j]
    counts = plen - gram + 1
    starts = np.concatenate(([0], np.cumsum(plen)[:-1]))
    # Keep only grams that lie inside one text: positions start .. start + count - 1 of each text.
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.repeat(starts, counts) + offsets
    with np.errstate(over="ignore"):
        return _mix64(h[positions]), counts


def _perm_multipliers(num_perm: int) -> np.ndarray:
    """Odd 64-bit multipliers, one per permutation (multiply-shift hashing)."""
    rng = np.random.default_rng(_PERM_SEED)
    return rng.integers(1, 2**63, size=num_perm, dtype=np.int64).view(np.uint64) | np.uint64(1)


def minhash_signatures(texts: Sequence[str], num_perm: int = 128, *, threads: int = 2) -> np.ndarray:
    """MinHash signatures of the character 5-grams of `texts`, as an `(n, num_perm)` uint32 array."""
    if num_perm < 1:
        raise ValueError("num_perm must be at least 1")
    n = len(texts)
    sig = np.empty((n, num_perm), dtype=np.uint32)
    mults = _perm_multipliers(num_perm)
    # Chunks of about 8 MB of text keep the uint64 gram arrays near 100 MB whatever the input size.
    lo = 0
    while lo < n:
        hi, size = lo, 0
        while hi < n and (size < 8_000_000 or hi == lo):
            size += len(texts[hi]) + 1
            hi += 1
        sig[lo:hi] = _signatures_chunk(texts[lo:hi], mults, threads)
        lo = hi
    return sig


def _signatures_chunk(texts: Sequence[str], mults: np.ndarray, threads: int) -> np.ndarray:
    """MinHash signatures of one chunk of texts (see `minhash_signatures`)."""
    num_perm = len(mults)
    sig = np.empty((len(texts), num_perm), dtype=np.uint32)
    grams, counts = _gram_hashes(texts)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    shift = np.uint64(32)

    def run(perms: range) -> None:
        buf = np.empty_like(grams)
        for p in perms:
            with np.errstate(over="ignore"):
                np.multiply(grams, mults[p], out=buf)
            np.right_shift(buf, shift, out=buf)
            sig[:, p] = np.minimum.reduceat(buf, starts)

    # numpy releases the GIL inside ufuncs, so threads over permutations use both cores.
    threads = max(1, min(threads, num_perm))
    if threads == 1 or len(grams) < 200_000:
        run(range(num_perm))
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(run, [range(i, num_perm, threads) for i in range(threads)]))
    return sig


def lsh_params(threshold: float, num_perm: int, *, recall: float = 0.95) -> tuple[int, int]:
    """(bands, rows) with the most rows per band whose chance of pairing two texts at `threshold` is ≥ `recall`.

    More rows per band means far fewer chance candidates; the recall floor keeps pairs at the
    threshold from being missed (they are verified with the actual Jaccard afterwards).
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must lie in (0, 1]")
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= recall:
            best = (bands, rows)
    return best


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (text, band), shape `(n, bands)`; the band number is folded into the key."""
    n = sig.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b in range(bands):
            k = np.full(n, np.uint64(b + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for r in range(rows):
                k ^= sig[:, b * rows + r].astype(np.uint64)
                k = _mix64(k)
            keys[:, b] = k
    return keys


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) positions of each run of equal keys in a sorted key array."""
    boundary = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    return np.concatenate(([0], boundary)), np.concatenate((boundary, [len(sorted_keys)]))


def _pairs_within_runs(sorted_keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """All id pairs that share a key in a sorted key array (chained for oversize buckets), shape (m, 2)."""
    if len(sorted_keys) < 2:
        return np.zeros((0, 2), np.int64)
    run_start, run_end = _runs(sorted_keys)
    size = run_end - run_start
    out = []
    small = (size >= 2) & (size <= _MAX_BUCKET)
    if small.any():
        # Every position p of a run pairs with the later positions p+1 .. end-1 of the same run.
        pos = np.arange(len(sorted_keys))
        end_of = np.repeat(run_end, size)
        keep = np.repeat(small, size)
        p = pos[keep]
        cnt = end_of[keep] - p - 1
        a = np.repeat(p, cnt)
        step = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        out.append(np.stack((ids[a], ids[a + 1 + step]), axis=1))
    for s, e in zip(run_start[size > _MAX_BUCKET], run_end[size > _MAX_BUCKET]):
        # A huge bucket is almost always one family of copies: a chain links it in linear time.
        out.append(np.stack((ids[s : e - 1], ids[s + 1 : e]), axis=1))
    return np.concatenate(out) if out else np.zeros((0, 2), np.int64)


def _slices(cumulative: np.ndarray, budget: int) -> Iterator[tuple[int, int]]:
    """Consecutive index ranges whose share of a cumulative count stays near `budget` (at least one item each)."""
    n, s = len(cumulative), 0
    while s < n:
        base = cumulative[s - 1] if s else 0
        e = max(s + 1, int(np.searchsorted(cumulative, base + budget, "right")))
        yield s, min(e, n)
        s = e


def _pairs_within_runs_sliced(sorted_keys: np.ndarray, ids: np.ndarray) -> Iterator[np.ndarray]:
    """`_pairs_within_runs` cut at run boundaries into pieces of about _PAIR_SLICE pairs."""
    if len(sorted_keys) < 2:
        return
    run_start, run_end = _runs(sorted_keys)
    size = run_end - run_start
    pairs_per_run = np.where(size <= _MAX_BUCKET, size * (size - 1) // 2, size - 1)
    for s, e in _slices(np.cumsum(pairs_per_run), _PAIR_SLICE):
        if pairs_per_run[s:e].any():
            lo, hi = int(run_start[s]), int(run_end[e - 1])
            yield _pairs_within_runs(sorted_keys[lo:hi], ids[lo:hi])


def _unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Pairs with i < j, each once, in sorted order."""
    if not len(pairs):
        return pairs.reshape(0, 2)
    lo = np.minimum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    hi = np.maximum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    keep = lo != hi
    codes = np.sort(lo[keep] * np.int64(1 << 31) + hi[keep])
    # Sort-based dedup: numpy's hash-based np.unique was several times slower on millions of codes.
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes
    return np.stack((codes >> np.int64(31), codes & np.int64((1 << 31) - 1)), axis=1)


def grams(text: str, gram: int = GRAM) -> frozenset[str]:
    """The character grams of a normalised text, for exact Jaccard."""
    if len(text) <= gram:
        return frozenset((text,))
    return frozenset(text[i : i + gram] for i in range(len(text) - gram + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two sets."""
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


class _LSHIndex:
    """Band keys of the texts seen so far, as one sorted array, queried a batch at a time."""

    # Candidates whose MinHash estimate falls this far below the threshold are dropped before the
    # exact Jaccard: 0.15 is over three standard deviations of a 128-permutation estimate at 0.7,
    # and it removes most of the chance candidates that formulaic news sentences produce.
    ESTIMATE_MARGIN = 0.15

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.num_perm = num_perm
        self.threshold = threshold
        self.bands, self.rows = lsh_params(threshold, num_perm)
        self._keys = np.zeros(0, np.uint64)
        self._ids = np.zeros(0, np.int32)  # unit ids stay far below 2**31; half the memory of int64
        # The low 8 bits of each signature value, by id: enough to rule out chance candidates (a
        # chance 8-bit collision adds 1/256 to an estimate, far from the margin below) at a quarter
        # of the memory of full signatures. Low bits, not high: a minimum over ~100 grams is small,
        # so its high bits are nearly always zero and would match by chance. The exact Jaccard
        # decides every candidate kept, so the groups do not depend on this filter.
        self._sketch = np.zeros((0, num_perm), np.uint8)

    def add(self, ids: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Index `texts` under `ids`; return the candidate pairs they form with each other and with earlier texts.

        Raw candidates (every pair sharing a band) are generated and filtered by their MinHash
        estimate a bounded slice at a time: at a million formulaic sentences they number in the
        hundreds of millions, while the plausible ones are a few percent of that.
        """
        if not len(ids):
            return np.zeros((0, 2), np.int64)
        ids = np.asarray(ids, np.int64)
        sig = minhash_signatures(texts, self.num_perm)
        keys = band_keys(sig, self.bands, self.rows)
        top = int(ids.max()) + 1
        if top > len(self._sketch):
            # A quarter of slack, not double: at 128 bytes a row the sketch is a large part of
            # a unit, and a corpus of distinct sentences has millions of units.
            grown = np.zeros((max(top, len(self._sketch) + len(self._sketch) // 4), self.num_perm), np.uint8)
            grown[: len(self._sketch)] = self._sketch
            self._sketch = grown
        self._sketch[ids] = (sig & np.uint32(0xFF)).astype(np.uint8)
        del sig
        new_keys = keys.ravel()
        new_ids = np.repeat(ids.astype(np.int32), self.bands)
        order = np.argsort(new_keys, kind="stable")
        new_keys, new_ids = new_keys[order], new_ids[order]
        del keys, order
        plausible = [self._plausible(_unique_pairs(p)) for p in _pairs_within_runs_sliced(new_keys, new_ids)]
        if len(self._keys):
            plausible += [self._plausible(_unique_pairs(p)) for p in self._lookup_sliced(new_keys, new_ids)]
        self._merge(new_keys, new_ids)
        return _unique_pairs(np.concatenate(plausible)) if plausible else np.zeros((0, 2), np.int64)

    def _lookup_sliced(self, new_keys: np.ndarray, new_ids: np.ndarray) -> Iterator[np.ndarray]:
        """Pairs of each new (key, id) with the indexed ids under the same key, at most _PAIR_SLICE at a time."""
        lo = np.searchsorted(self._keys, new_keys, "left")
        hi = np.searchsorted(self._keys, new_keys, "right")
        # Cap each lookup so that one giant bucket of copies cannot go quadratic; the cap keeps
        # the earliest-indexed members, which the chain inside that bucket already links.
        cnt = np.minimum(hi - lo, _MAX_BUCKET)
        del hi
        hits = np.flatnonzero(cnt)
        if not len(hits):
            return
        lo, cnt, ids = lo[hits], cnt[hits], new_ids[hits]
        for s, e in _slices(np.cumsum(cnt), _PAIR_SLICE):
            c = cnt[s:e]
            step = np.arange(int(c.sum()), dtype=np.int64) - np.repeat(np.cumsum(c) - c, c)
            b = self._ids[np.repeat(lo[s:e], c) + step]
            yield np.stack((np.repeat(ids[s:e], c).astype(np.int64), b.astype(np.int64)), axis=1)

    def _merge(self, new_keys: np.ndarray, new_ids: np.ndarray) -> None:
        """Merge sorted new entries into the sorted index; equal keys keep insertion order (old first)."""
        if not len(self._keys):
            self._keys, self._ids = new_keys, new_ids
            return
        total = len(self._keys) + len(new_keys)
        at = np.searchsorted(self._keys, new_keys, "right") + np.arange(len(new_keys))
        is_new = np.zeros(total, dtype=bool)
        is_new[at] = True
        keys = np.empty(total, np.uint64)
        ids = np.empty(total, np.int32)
        keys[at], ids[at] = new_keys, new_ids
        old = ~is_new
        keys[old], ids[old] = self._keys, self._ids
        self._keys, self._ids = keys, ids

    def _plausible(self, pairs: np.ndarray) -> np.ndarray:
        """The candidate pairs whose MinHash estimate comes near the threshold."""
        floor = (self.threshold - self.ESTIMATE_MARGIN) * self.num_perm
        keep = np.zeros(len(pairs), dtype=bool)
        step = max(1, 8_000_000 // self.num_perm)
        for lo in range(0, len(pairs), step):
            a, b = pairs[lo : lo + step, 0], pairs[lo : lo + step, 1]
            keep[lo : lo + step] = (self._sketch[a] == self._sketch[b]).sum(axis=1) >= floor
        return pairs[keep]


# --------------------------------------------------------------------------- article level


def find_article_duplicates(
    articles: Mapping[str, str] | Iterable[Article] | Iterable[tuple[str, str]],
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
) -> list[tuple[str, str, DuplicateKind]]:
    """Pairs of whole articles that are copies ("exact") or near copies ("near", 5-gram Jaccard ≥ threshold)."""
    if isinstance(articles, Mapping):
        items = list(articles.items())
    else:
        items = [(a.id, a.text) if isinstance(a, Article) else (a[0], a[1]) for a in articles]
    families: dict[str, list[str]] = {}
    for article_id, text in items:
        norm = normalize_text(text or "")
        if norm:
            families.setdefault(norm, []).append(article_id)
    norms = list(families)
    out: set[tuple[str, str, DuplicateKind]] = set()
    for ids in families.values():
        ids = sorted(set(ids))
        out.update((a, b, "exact") for i, a in enumerate(ids) for b in ids[i + 1 :])
    lsh = _LSHIndex(threshold, num_perm)
    candidates = lsh.add(np.arange(len(norms)), norms)
    gram_sets: dict[int, frozenset[str]] = {}
    for a, b in candidates.tolist():
        ga = gram_sets.get(a) or gram_sets.setdefault(a, grams(norms[a]))
        gb = gram_sets.get(b) or gram_sets.setdefault(b, grams(norms[b]))
        if jaccard(ga, gb) >= threshold:
            for x in families[norms[a]]:
                for y in families[norms[b]]:
                    if x != y:
                        out.add((min(x, y), max(x, y), "near"))
    # An exact pair is never also reported as near.
    exact = {(a, b) for a, b, k in out if k == "exact"}
    return sorted(p for p in out if p[2] == "exact" or (p[0], p[1]) not in exact)
