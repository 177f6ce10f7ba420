"""Story views' TF-IDF (stories/tfidf.py) against scikit-learn's TfidfVectorizer, array for array.

The story thresholds were tuned on scikit-learn's floats and average linkage sums them in order,
so the same stories need the same bits, not merely close ones.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.stories.tfidf import ENGLISH_STOP_WORDS, tfidf_matrix

sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")

SENTENCES = [
    "Shelling killed five people in a market in Idlib on Monday, the monitor said.",
    "Five people were killed when shells hit the market; rebels blamed the army.",
    "The army denied it had fired on the market in Idlib.",
    "Gunmen opened fire at a wedding in Kano, killing 12 and wounding 30.",
    "Police said 12 people died and 30 were hurt at the wedding in Kano.",
    "The the and of",  # stop words only
    "Ceasefire talks in Doha: délégués from both sides met on 3 May 2020.",
]
WORDS = ["market", "Idlib", "the", "of", "army", "killed", "5", "12,000", "Kano", "shelling", "Ärzte", "and", "x", "al_assad", "Doha"]
VIEW_OPTIONS = {  # what stories/similarity.py asks for per view, with and without the corpus cut-off
    "words": ({"stop_words": "english", "max_df": 0.9}, {"stop_words": ENGLISH_STOP_WORDS, "max_df": 0.9}),
    "entities": ({"token_pattern": r"\S+", "lowercase": False, "max_df": 0.9}, {"token_pattern": r"\S+", "lowercase": False, "max_df": 0.9}),
    "numbers": ({"token_pattern": r"\S+", "max_df": 0.5}, {"token_pattern": r"\S+", "max_df": 0.5}),
    "plain": ({}, {}),
}


def _same_or_both_fail(docs: list[str], view: str, dtype: type) -> None:
    theirs_options, ours_options = VIEW_OPTIONS[view]
    try:
        theirs = sklearn_text.TfidfVectorizer(sublinear_tf=True, dtype=dtype, **theirs_options).fit_transform(docs)
    except ValueError:
        with pytest.raises(ValueError):
            tfidf_matrix(docs, dtype=dtype, **ours_options)
        return
    ours = tfidf_matrix(docs, dtype=dtype, **ours_options)
    assert ours.shape == theirs.shape
    assert ours.indptr.tolist() == theirs.indptr.tolist()
    assert ours.indices.tolist() == theirs.indices.tolist()  # the stored order the float sums follow
    assert ours.data.dtype == theirs.data.dtype
    assert np.array_equal(ours.data, theirs.data)


def test_stop_words_are_scikit_learns() -> None:
    assert ENGLISH_STOP_WORDS == sklearn_text.ENGLISH_STOP_WORDS


@pytest.mark.parametrize("view", sorted(VIEW_OPTIONS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_example_sentences_give_scikit_learns_matrix(view: str, dtype: type) -> None:
    _same_or_both_fail(SENTENCES, view, dtype)
    _same_or_both_fail(SENTENCES[:1], view, dtype)


def test_a_view_with_no_terms_is_refused() -> None:
    with pytest.raises(ValueError):
        tfidf_matrix(["the of and", ""], stop_words=ENGLISH_STOP_WORDS)


@settings(max_examples=150, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join), min_size=1, max_size=30),
    view=st.sampled_from(sorted(VIEW_OPTIONS)),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_random_corpora_give_scikit_learns_matrix(docs: list[str], view: str, dtype: type) -> None:
    _same_or_both_fail(docs, view, dtype)
