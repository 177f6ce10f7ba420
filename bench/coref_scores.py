"""Clustering and coreference scores: B-cubed, MUC, CEAF-e and their CoNLL average.

Clusterings come in as `{item: cluster label}` mappings over the same items, the form the
benchmarks produce, and go out as `Score(precision, recall, f1)`. B-cubed and MUC are sums over
(key cluster, response cluster) overlaps, counted here in one pass. CEAF-e needs the best
one-to-one alignment of clusters; it comes from `scorch` (Grobol's reimplementation of the
CoNLL-2012 reference scorer's metrics, MIT), run on each connected group of overlapping clusters
apart, since clusters that share no item score 0 together: on ECB+ that turns one assignment over
some 10,000 clusters (minutes) into thousands of tiny ones (a second). Install with
`pip install 'sitroom[bench]'`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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


def _overlaps(key: Mapping, response: Mapping) -> Counter:
    """How many items each (key label, response label) pair shares."""
    _check_same_items(key, response)
    return Counter((key[item], response[item]) for item in key)


def _score(recall: float, precision: float) -> Score:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def b_cubed(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Score:
    """B-cubed (Bagga & Baldwin 1998): per-item overlap of its key and response clusters."""
    overlaps = _overlaps(key, response)
    if not overlaps:
        return Score(0.0, 0.0, 0.0)
    key_size, response_size = Counter(key.values()), Counter(response.values())
    recall = sum(n * n / key_size[k] for (k, _), n in overlaps.items()) / len(key)
    precision = sum(n * n / response_size[r] for (_, r), n in overlaps.items()) / len(response)
    return _score(recall, precision)


def muc(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Score:
    """MUC (Vilain et al. 1995): links needed to join each cluster's pieces; blind to singletons."""
    overlaps = _overlaps(key, response)
    key_size, response_size = Counter(key.values()), Counter(response.values())
    key_pieces, response_pieces = Counter(k for k, _ in overlaps), Counter(r for _, r in overlaps)
    key_links = sum(n - 1 for n in key_size.values())
    response_links = sum(n - 1 for n in response_size.values())
    if not key_links or not response_links:  # as the reference scorer: no links, no score
        return Score(0.0, 0.0, 0.0)
    recall = sum(key_size[k] - key_pieces[k] for k in key_size) / key_links
    precision = sum(response_size[r] - response_pieces[r] for r in response_size) / response_links
    return _score(recall, precision)


def ceaf_e(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Score:
    """Entity-based CEAF (Luo 2005): the best one-to-one alignment of key and response clusters."""
    from scorch.scores import ceaf_e as metric

    overlaps = _overlaps(key, response)
    aligned = 0.0
    for items in _connected_groups(key, response, overlaps):
        sub_key = clusters_of({i: key[i] for i in items})
        sub_response = clusters_of({i: response[i] for i in items})
        recall, _, _ = metric(sub_key, sub_response)
        aligned += recall * len(sub_key)  # recall is the aligned similarity over the key clusters
    n_key, n_response = len(set(key.values())), len(set(response.values()))
    if not n_key or not n_response:
        return Score(0.0, 0.0, 0.0)
    return _score(aligned / n_key, aligned / n_response)


def _connected_groups(key: Mapping, response: Mapping, overlaps: Counter) -> list[list]:
    """Items grouped so that no key or response cluster spans two groups."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, r in overlaps:
        a, b = find(("key", k)), find(("response", r))
        if a != b:
            parent[a] = b
    groups: dict = defaultdict(list)
    for item in key:
        groups[find(("key", key[item]))].append(item)
    return list(groups.values())


def conll_f1(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> float:
    """The CoNLL-2012 F1: the mean of the MUC, B-cubed and CEAF-e F1 scores."""
    return (muc(key, response).f1 + b_cubed(key, response).f1 + ceaf_e(key, response).f1) / 3
