"""Clustering and coreference scores: B-cubed, MUC, CEAF-e and their CoNLL average.

A thin adapter over `scorch` (Grobol's reimplementation of the CoNLL-2012 reference scorer's
metrics, MIT): clusterings come in as `{item: cluster label}` mappings, the form the benchmarks
produce, and go out as `Score(precision, recall, f1)`. Install with `pip install 'sitroom[bench]'`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 of one metric, each in [0, 1]."""

    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"


def clusters_of(labels: Mapping[Hashable, Hashable]) -> list[set]:
    """The clusters of a labelling, as sets of items, in a stable order."""
    groups: dict[Hashable, set] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return sorted(groups.values(), key=lambda g: sorted(map(str, g)))


def _check_same_items(key: Mapping, response: Mapping) -> None:
    if key.keys() != response.keys():
        missing, extra = len(key.keys() - response.keys()), len(response.keys() - key.keys())
        raise ValueError(f"key and response must label the same items ({missing} missing, {extra} extra in the response)")


def _scored(metric, key: Mapping, response: Mapping) -> Score:
    _check_same_items(key, response)
    recall, precision, f1 = metric(clusters_of(key), clusters_of(response))
    return Score(precision, recall, f1)


def b_cubed(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Score:
    """B-cubed (Bagga & Baldwin 1998): per-item overlap of its key and response clusters."""
    from scorch.scores import b_cubed as metric

    return _scored(metric, key, response)


def muc(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Score:
    """MUC (Vilain et al. 1995): links needed to join each cluster's pieces; blind to singletons."""
    from scorch.scores import muc as metric

    return _scored(metric, key, response)


def ceaf_e(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Score:
    """Entity-based CEAF (Luo 2005): the best one-to-one alignment of key and response clusters."""
    from scorch.scores import ceaf_e as metric

    return _scored(metric, key, response)


def conll_f1(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> float:
    """The CoNLL-2012 F1: the mean of the MUC, B-cubed and CEAF-e F1 scores."""
    return (muc(key, response).f1 + b_cubed(key, response).f1 + ceaf_e(key, response).f1) / 3
