"""The incremental layer's link components: fusion's clusters of a set are the union of its clusters of each component.

`corpus.events.gather` follows only pairs fusion's clustering could join directly (`_may_pair` on
the reports' own traits, `_may_pair_sharing` for two reports citing one duplicate group), not
every pair that could link were a sentence shared. These tests check, on made-up reports with
made-up shared sentences, that this never cuts through a cluster fusion would make.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.corpus.events import _may_pair, _may_pair_sharing
from sitroom.fusion import cluster_reports, link_window
from sitroom.fusion.cluster import specific
from sitroom.fusion.evidence import Profile
from sitroom.fusion.weights import Weights
from sitroom.model import SentenceRef
from sitroom.spans import DuplicateKeys
from test_fusion_contract import reports


def _components(rs, group_of: dict[str, int]) -> list[list]:
    """Reports joined by the layer's pair rules, transitively (union-find)."""
    weights = Weights.default()
    traits = [(Profile.of(r), link_window(r)) for r in rs]
    parent = list(range(len(rs)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(rs)):
        for j in range(i + 1, len(rs)):
            (pi, wi), (pj, wj) = traits[i], traits[j]
            shared = (group_of[rs[i].id] == group_of[rs[j].id] and specific(rs[i].sources[0].sentence)
                      and specific(rs[j].sources[0].sentence))
            if _may_pair(pi, wi, pj, wj, weights) or (shared and _may_pair_sharing(pi, wi, pj, wj, weights)):
                parent[find(j)] = find(i)
    out: dict[int, list] = {}
    for i, r in enumerate(rs):
        out.setdefault(find(i), []).append(r)
    return list(out.values())


def _ids(clusters) -> set[frozenset[str]]:
    return {frozenset(r.id for r in c) for c in clusters}


@settings(max_examples=80, deadline=None)
@given(reports(n_max=12), st.data())
def test_clustering_each_link_component_gives_the_clusters_of_the_whole_set(rs, data):
    # Each report's sentence is in one of a few duplicate groups: copies and paraphrases across articles.
    group_of = {r.id: data.draw(st.integers(0, 9)) for r in rs}
    refs = {r.id: SentenceRef(r.article_id, i) for i, r in enumerate(rs)}
    keys = DuplicateKeys({refs[r.id]: f"dup{group_of[r.id]}" for r in rs},
                         {(r.article_id, r.sources[0].start): refs[r.id] for r in rs})
    components = _components(rs, group_of)
    whole = _ids(cluster_reports(rs, keys))
    assert whole == set().union(*(_ids(cluster_reports(c, keys)) for c in components))

