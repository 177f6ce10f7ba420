"""The story views' TF-IDF matrices, built to the bit as scikit-learn's `TfidfVectorizer` builds them.

Importing scikit-learn costs about 1.2 s of CPU (through it SciPy's `stats`), more than the whole
story update of one new article, and every `sitroom ingest` would pay it at start-up. This module gives the
same matrix — the same vocabulary order, the same stored order of each row's terms and so the same
float sums — with NumPy and `scipy.sparse` alone, for the options the views use: a token pattern,
lower-casing, English stop words, a `max_df` cut, smoothed idf, sublinear tf, L2-normalised rows.
`tests/test_story_tfidf.py` holds it to scikit-learn's output, array for array.

How scikit-learn orders a row's terms, which the float sums follow: counts are gathered per
document with column ids in first-seen order over the corpus and each row sorted by them; terms
over `max_df` are dropped (keeping that order) and the ids are then renamed to the terms' sorted
positions, leaving each row in first-seen order. Rows are normalised by summing squares in stored
order in a double, as its Cython loop does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix  # SciPy ships no type information: to mypy this is Any

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

# scikit-learn's English stop words (sklearn.feature_extraction._stop_words, BSD-3-Clause, from
# the Glasgow Information Retrieval Group's list): the views' vocabularies were tuned with them.
ENGLISH_STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost alone along already also although always am among amongst
amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back be became because become
becomes becoming been before beforehand behind being below beside besides between beyond bill both bottom but by call can
cannot cant co con could couldnt cry de describe detail do done down due during each eg eight either eleven else elsewhere
empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find fire first five for
former formerly forty found four from front full further get give go had has hasnt have he hence her here hereafter hereby
herein hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into is it its itself keep
last latter latterly least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere of off often on
once one only onto or other others otherwise our ours ourselves out over own part per perhaps please put rather re same see
seem seemed seeming seems serious several she should show side since sincere six sixty so some somehow someone something
sometime sometimes somewhere still such system take ten than that the their them themselves then thence there thereafter
thereby therefore therein thereupon these they thick thin third this those though three through throughout thru thus to
together too top toward towards twelve twenty two un under until up upon us very via was we well were what whatever when
whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole
whom whose why will with within without would yet you your yours yourself yourselves
""".split())


def tfidf_matrix(
    docs: Iterable[str],
    *,
    token_pattern: str = DEFAULT_TOKEN_PATTERN,
    lowercase: bool = True,
    stop_words: frozenset[str] | None = None,
    max_df: float = 1.0,
    dtype: type = np.float64,
) -> csr_matrix:
    """Rows of L2-normalised, sublinear-tf, smooth-idf weights, one per document (scikit-learn's).

    Raises ValueError when no term is found or none is left after the `max_df` cut, as
    scikit-learn does; the caller leaves such a view out.
    """
    from scipy.sparse import csr_matrix

    find_tokens = re.compile(token_pattern).findall
    first_seen: dict[str, int] = {}
    columns: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for doc in docs:
        tokens = find_tokens(doc.lower() if lowercase else doc)
        row: dict[int, int] = {}
        for token in tokens:
            if stop_words is not None and token in stop_words:
                continue
            column = first_seen.setdefault(token, len(first_seen))
            row[column] = row.get(column, 0) + 1
        for column in sorted(row):
            columns.append(column)
            counts.append(row[column])
        indptr.append(len(columns))
    if not first_seen:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    n_docs = len(indptr) - 1
    index_type = np.int32 if len(columns) <= np.iinfo(np.int32).max else np.int64
    seen_columns = np.asarray(columns, dtype=index_type)
    df = np.bincount(seen_columns, minlength=len(first_seen))
    kept = df <= max_df * n_docs
    if not kept.any():
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    # A kept term's column: its position among the kept terms in sorted order.
    terms = list(first_seen)
    sorted_position = np.empty(len(terms), dtype=index_type)
    kept_terms = sorted(t for t, keep in zip(terms, kept.tolist()) if keep)
    for position, term in enumerate(kept_terms):
        sorted_position[first_seen[term]] = position
    entry_kept = kept[seen_columns]
    row_of_entry = np.repeat(np.arange(n_docs), np.diff(np.asarray(indptr)))
    new_indptr = np.zeros(n_docs + 1, dtype=index_type)
    np.cumsum(np.bincount(row_of_entry[entry_kept], minlength=n_docs), out=new_indptr[1:])
    indices = sorted_position[seen_columns[entry_kept]]
    data = np.asarray(counts, dtype=dtype)[entry_kept]
    np.log(data, out=data)
    data += 1.0
    df_kept: np.ndarray = np.bincount(indices, minlength=len(kept_terms)).astype(dtype)
    df_kept += 1.0
    idf: np.ndarray = np.full_like(df_kept, fill_value=n_docs + 1, dtype=dtype)
    idf /= df_kept
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[indices]
    _normalise_rows(data, new_indptr)
    return csr_matrix((data, indices, new_indptr), shape=(n_docs, len(kept_terms)), dtype=dtype)


def _normalise_rows(data: np.ndarray, indptr: np.ndarray) -> None:
    """Divide each row by its L2 norm in place, the squares summed in stored order in a double.

    Vectorised over rows: step k adds the k-th entry of every row that long, so each row's sum
    runs in its own order, as scikit-learn's loop runs it, at NumPy speed.
    """
    lengths = np.diff(indptr)
    if not len(lengths) or not lengths.max():
        return
    squares = (data * data).astype(np.float64)  # a float32 square stays float32, as in C, then widens
    by_length = np.argsort(-lengths, kind="stable")
    starts = indptr[:-1][by_length].astype(np.int64)
    sorted_lengths = lengths[by_length]
    sums = np.zeros(len(lengths), dtype=np.float64)
    # The lengths are in descending order: the rows longer than k are the first longer[k].
    longer = np.searchsorted(-sorted_lengths, -np.arange(sorted_lengths[0]), side="left")
    for k, n in enumerate(longer.tolist()):
        sums[:n] += squares[starts[:n] + k]
    norms = np.empty(len(lengths), dtype=np.float64)
    norms[by_length] = np.sqrt(sums)
    row_norm = np.repeat(norms, lengths)
    nonzero = row_norm != 0.0
    data[nonzero] = (data[nonzero].astype(np.float64) / row_norm[nonzero]).astype(data.dtype)
