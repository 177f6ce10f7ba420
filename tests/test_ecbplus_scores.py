"""The coreference scorer used by bench/ecbplus.py, checked on hand-computed examples."""

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
pytest.importorskip("scorch", reason="the scorer needs `pip install 'sitroom[bench]'`")

from coref_scores import b_cubed, ceaf_e, clusters_of, conll_f1, muc  # noqa: E402

# Pradhan et al. (2014)'s running example, with the response's extra mentions h, i added to the key
# as singletons so that both sides label the same items.
KEY = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2, "g": 2, "h": 3, "i": 4}
RESPONSE = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "e", "f": "z", "g": "z", "h": "z", "i": "z"}


def test_coref_scores_b_cubed_by_hand():
    score = b_cubed(KEY, RESPONSE)
    # per item, in the order a..i: |key ∩ response| / |key| for recall, / |response| for precision.
    assert score.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 / 4 + 1 / 4 + 2 / 4 + 2 / 4 + 1 + 1) / 9)
    assert score.precision == pytest.approx((1 + 1 + 1 / 2 + 1 / 2 + 1 + 2 / 4 + 2 / 4 + 1 / 4 + 1 / 4) / 9)


def test_coref_scores_muc_counts_links_not_singletons():
    score = muc(KEY, RESPONSE)
    # key links 2 + 3, recovered 1 + 1; response links 1 + 1 + 3, right 1 + 0 + 1.
    assert (score.recall, score.precision) == (pytest.approx(2 / 5), pytest.approx(2 / 5))
    assert muc({"a": 1, "b": 2}, {"a": 1, "b": 2}).f1 == 0  # no links at all


def test_coref_scores_ceaf_e_aligns_clusters_one_to_one():
    score = ceaf_e({"a": 1, "b": 1, "c": 2}, {"a": 1, "b": 2, "c": 2})
    # phi4 alignment: {a,b}-{a} 2/3 and {c}-{b,c} 2/3 beat the crossing pair's 1/2 + 0.
    assert score.recall == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert score.precision == pytest.approx((2 / 3 + 2 / 3) / 2)


def test_coref_scores_perfect_and_conll_average():
    assert b_cubed(KEY, KEY).f1 == muc(KEY, KEY).f1 == ceaf_e(KEY, KEY).f1 == conll_f1(KEY, KEY) == 1
    expected = (muc(KEY, RESPONSE).f1 + b_cubed(KEY, RESPONSE).f1 + ceaf_e(KEY, RESPONSE).f1) / 3
    assert conll_f1(KEY, RESPONSE) == pytest.approx(expected)


def test_coref_scores_refuse_different_item_sets():
    with pytest.raises(ValueError, match="same items"):
        b_cubed({"a": 1}, {"b": 1})
    assert clusters_of({"a": 1, "b": 1, "c": 2}) == [{"a", "b"}, {"c"}]


def test_coref_scores_match_scorch_on_whole_clusterings():
    # Cross-check against scorch's own metrics run on the whole clusterings at once.
    import random

    from scorch import scores

    rng = random.Random(7)
    items = range(300)
    key = {i: rng.randrange(60) for i in items}
    response = {i: (key[i] if rng.random() < 0.7 else rng.randrange(80)) for i in items}
    k, r = clusters_of(key), clusters_of(response)
    for ours, theirs in ((b_cubed, scores.b_cubed), (muc, scores.muc), (ceaf_e, scores.ceaf_e)):
        recall, precision, f1 = theirs(k, r)
        got = ours(key, response)
        assert (got.recall, got.precision, got.f1) == (pytest.approx(recall), pytest.approx(precision), pytest.approx(f1))
