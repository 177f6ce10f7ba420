"""Article pair similarities: one TF-IDF matrix per view, compared in row blocks or through a random sketch.

The similarity of two articles is the weighted mean of their four views' cosines. Every pair is
scored in blocks of rows; past the exact limit (see `clustering`), candidates come from a dense
random projection of the views and only those are scored exactly. Either way each row keeps the
pairs at or above `SIMILARITY_FLOOR`, its nearest ones only, in a sparse `PairSimilarities`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .digest import VIEWS, StoryDigest
from .tfidf import ENGLISH_STOP_WORDS, tfidf_matrix

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix  # SciPy ships no type information: to mypy this is Any

VIEW_WEIGHTS = {"words": 1.0, "entities": 1.0, "numbers": 1.0, "lead": 2.0}
SIMILARITY_FLOOR = 0.01  # pairs below this count as unrelated (keeps the pair list sparse)
SKETCH_DIMS = {"words": 128, "entities": 64, "numbers": 32, "lead": 64}


@dataclass(frozen=True, slots=True)
class PairSimilarities:
    """A sparse list of article pair similarities as three arrays (first < second, by position).

    The order is the order in which pairs were found: `average_link` sums a group's pair
    similarities in that order, so keeping it keeps every float sum, and thus every merge, the
    same. Arrays take 16 bytes a pair where a dict of tuples took about 200.
    """

    first: np.ndarray  # int32
    second: np.ndarray  # int32
    value: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.value)

    def items(self, chunk: int = 65_536) -> Iterator[tuple[tuple[int, int], float]]:
        """((i, j), similarity) in order, like a dict's items, converted to Python a chunk at a time."""
        for lo in range(0, len(self.value), chunk):
            hi = lo + chunk
            yield from zip(
                zip(self.first[lo:hi].tolist(), self.second[lo:hi].tolist()), self.value[lo:hi].tolist()
            )


def view_matrices(digests: Sequence[StoryDigest], dtype: type = np.float64) -> dict[str, csr_matrix]:
    """One L2-normalised TF-IDF matrix per view (a view with no terms at all is left out).

    float64 where every pair is scored (the sums the tuned thresholds were set on); past
    `EXACT_LIMIT` float32 halves the matrices, the largest part of the stage's memory there.
    """

    many = len(digests) > 20  # document-frequency cut-offs only mean something on a corpus
    options: dict[str, dict] = {
        "words": dict(stop_words=ENGLISH_STOP_WORDS, max_df=0.9 if many else 1.0),
        "entities": dict(token_pattern=r"\S+", lowercase=False, max_df=0.9 if many else 1.0),
        "numbers": dict(token_pattern=r"\S+", max_df=0.5 if many else 1.0),
        "lead": dict(stop_words=ENGLISH_STOP_WORDS, max_df=0.9 if many else 1.0),
    }
    out: dict[str, csr_matrix] = {}
    for name in VIEWS:
        # A generator: each view's texts are decompressed one at a time as they are read.
        docs = (d.view_text(name) for d in digests)
        try:
            out[name] = tfidf_matrix(docs, dtype=dtype, **options[name])
        except ValueError:  # no term survived (no numbers anywhere, stop words only)
            continue
    return out


def view_similarities(views: Mapping[str, csr_matrix], n: int, neighbours: int, *, sketched: bool) -> PairSimilarities:
    """The pairs of `n` rows worth keeping (see `clustering.article_similarities`), from each view's matrix:
    every pair scored in blocks, or, `sketched`, candidates from `_similarities_by_sketch`."""
    if sketched:
        return _similarities_by_sketch(views, n, neighbours)
    total = sum(VIEW_WEIGHTS.values())
    matrices = [(VIEW_WEIGHTS[name], m) for name, m in views.items()]
    step = max(50, min(1000, 5_000_000 // max(n, 1)))
    found_codes: list[np.ndarray] = []  # pair codes (i * n + j) in the order found
    found_values: list[np.ndarray] = []
    for lo in range(0, n, step):
        block = None
        for weight, m in matrices:
            part = (m[lo : lo + step] @ m.T) * (weight / total)
            block = part if block is None else block + part
        if block is None:
            break
        block = block.tocsr()
        for i in range(block.shape[0]):
            gi = lo + i
            row = block.indptr[i], block.indptr[i + 1]
            codes, values = _nearest(gi, block.indices[row[0] : row[1]], block.data[row[0] : row[1]], neighbours, n)
            found_codes.append(codes)
            found_values.append(values)
        del block
    del matrices
    return _first_found(found_codes, found_values, n)


def _similarities_by_sketch(views: Mapping[str, csr_matrix], n: int, neighbours: int) -> PairSimilarities:
    """Each article's nearest neighbours, found among candidates a dense sketch ranks, scored exactly.

    Comparing every pair costs n² sparse products. Instead each view's TF-IDF matrix is
    projected onto a few dozen random directions (Johnson-Lindenstrauss: dot products survive,
    give or take ~0.1), weighted and joined into one dense vector per article, whose dot products
    rank every other article fast (BLAS, in row blocks). The best `neighbours` + 16 candidates of
    each article are then scored on the full sparse views, and the pairs kept are those the exact
    path keeps among them: at or above the floor, the article's `neighbours` best.
    """
    total = sum(VIEW_WEIGHTS.values())
    rng = np.random.default_rng(0)  # fixed: the same corpus always gives the same stories
    sketch = np.zeros((n, sum(SKETCH_DIMS[name] for name in views)), np.float32)
    at = 0
    for name, m in views.items():
        dims = SKETCH_DIMS[name]
        directions = rng.standard_normal((m.shape[1], dims), dtype=np.float32)
        directions *= np.float32(np.sqrt(VIEW_WEIGHTS[name] / total / dims))
        sketch[:, at : at + dims] = m @ directions
        at += dims
    matrices = [(VIEW_WEIGHTS[name] / total, m) for name, m in views.items()]
    wanted = min(n - 1, neighbours + 16)
    # A block's dense scores (float32) and their ranking (int64) stay under ~50 MB together.
    step = max(16, min(1024, 4_000_000 // max(n, 1)))
    found_codes: list[np.ndarray] = []
    found_values: list[np.ndarray] = []
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        approx = sketch[lo:hi] @ sketch.T
        approx[np.arange(hi - lo), np.arange(lo, hi)] = -np.inf  # not its own neighbour
        candidates = np.argpartition(approx, n - wanted, axis=1)[:, n - wanted :]  # the `wanted` highest
        del approx
        # Exact scores of the block's rows against the union of their candidates only.
        union = np.unique(candidates)
        exact = None
        for share, m in matrices:
            part = (m[lo:hi] @ m[union].T) * share
            exact = part if exact is None else exact + part
        scores = exact.toarray() if exact is not None else np.zeros((hi - lo, len(union)))
        for k in range(hi - lo):
            gi = lo + k
            cols = np.sort(candidates[k])  # column order, as the exact path's sparse rows give them
            codes, values = _nearest(gi, cols, scores[k, np.searchsorted(union, cols)], neighbours, n)
            found_codes.append(codes)
            found_values.append(values)
    return _first_found(found_codes, found_values, n)


def _nearest(row: int, cols: np.ndarray, vals: np.ndarray, neighbours: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes (i * n + j, i < j) and float64 similarities of one row's pairs worth keeping:
    other articles at or above the floor, the `neighbours` most similar of them."""
    keep = (vals >= SIMILARITY_FLOOR) & (cols != row)
    cols, vals = cols[keep], vals[keep]
    if len(vals) > neighbours:
        top = np.argpartition(-vals, neighbours - 1)[:neighbours]
        cols, vals = cols[top], vals[top]
    cols = cols.astype(np.int64)
    return np.where(cols > row, row * n + cols, cols * n + row), vals.astype(np.float64, copy=False)


def _first_found(codes_parts: list[np.ndarray], value_parts: list[np.ndarray], n: int) -> PairSimilarities:
    """Each pair once: at the position it was first found, with the value it was last found with."""
    codes = np.concatenate(codes_parts) if codes_parts else np.zeros(0, np.int64)
    values = np.concatenate(value_parts) if value_parts else np.zeros(0, np.float64)
    codes_parts.clear()
    value_parts.clear()
    order = np.argsort(codes, kind="stable")  # equal codes stay in the order they were found
    sorted_codes = codes[order]
    del codes
    starts = np.flatnonzero(np.concatenate(([True], sorted_codes[1:] != sorted_codes[:-1])))
    ends = np.concatenate((starts[1:], [len(sorted_codes)])) - 1
    first_position, last_value = order[starts], values[order[ends]]
    unique_codes = sorted_codes[starts]
    del order, sorted_codes, values
    by_position = np.argsort(first_position, kind="stable")
    unique_codes, last_value = unique_codes[by_position], last_value[by_position]
    return PairSimilarities(
        (unique_codes // n).astype(np.int32), (unique_codes % n).astype(np.int32), np.ascontiguousarray(last_value)
    )
