"""Articles grouped into stories: average-link agglomeration over their pair similarities.

Two groups join while the mean similarity of their article pairs is at least `STORY_THRESHOLD`;
a story of one or two articles at the end joins the story it is closest to on average, if any is
close at all. Word-for-word copies are one node weighing as many articles; past `PAIR_BUDGET`
pairs each article keeps only its nearest ones, and the pieces left are joined on exact group means.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from sitroom.model import ArticleAnalysis, Event

from .digest import StoryDigest, in_id_order
from .similarity import PairSimilarities, view_matrices, view_similarities

STORY_THRESHOLD = 0.225  # mean pairwise similarity at which two groups of articles are one story
JOIN_THRESHOLD = 0.05  # a story of one or two articles joins another this close on average
SMALL_STORY = 2
MAX_GAP_DAYS = 365  # articles published further apart than this are never paired in one story
# Each article keeps its nearest neighbours only: up to PAIR_BUDGET pairs in all, and never fewer
# than MIN_NEIGHBOURS each. Corpora up to ~1,400 articles keep every pair (exact average link);
# beyond, memory grows as n instead of n², and the pieces that average link leaves over the kept
# pairs are joined on their exact mean similarity, computed from group sums (`_regroup`).
PAIR_BUDGET = 2_000_000
MIN_NEIGHBOURS = 50
# Up to this many articles every article is compared with every other (n² sparse products: about
# 25 s at 10k on two cores, 90 minutes at 100k). Beyond, each article's candidates come from a
# dense random projection of its views (see `similarity`), and only those are scored exactly.
EXACT_LIMIT = 20_000


def cluster_articles(
    analyses: Sequence[ArticleAnalysis | StoryDigest],
    events: Sequence[Event] = (),
    *,
    threshold: float = STORY_THRESHOLD,
    neighbours: int | None = None,
) -> list[list[str]]:
    """Article ids grouped into stories (average-link over article similarity), each group sorted.

    Takes analyses or their digests. `events` is accepted for callers that have them; fused
    events do not decide stories, since one fusion error would otherwise weld two stories together.
    `neighbours`: how many nearest pairs each article keeps (default: as the pair budget allows).
    """
    ordered = in_id_order(analyses)
    ids = [d.article_id for d in ordered]
    if len(ids) < 2:
        return [ids] if ids else []
    # Articles whose four views are word for word the same (wire copies, re-posts) are one node
    # weighing as many articles: they are one story whatever else happens, average link would
    # join them first, and a corpus of copies would otherwise spend its neighbour budget on them.
    node_of: dict[bytes, int] = {}
    nodes: list[StoryDigest] = []
    weights: list[int] = []
    article_node: list[int] = []
    for d in ordered:
        k = node_of.setdefault(d.packed, len(nodes))
        if k == len(nodes):
            nodes.append(d)
            weights.append(0)
        weights[k] += 1
        article_node.append(k)
    if len(nodes) == 1:
        return [ids]
    neighbours = min(neighbours or _neighbour_budget(len(nodes)), len(nodes) - 1)
    sims = _within_a_year(nodes, article_similarities(nodes, neighbours))
    if len(nodes) < len(ordered):
        w = np.asarray(weights, np.float64)
        sims = PairSimilarities(sims.first, sims.second, sims.value * w[sims.first] * w[sims.second])
    labels = average_link(len(nodes), sims, threshold, weights=weights)
    if neighbours < len(nodes) - 1:
        # Articles kept only their nearest pairs, so a story of hundreds came out in pieces:
        # join the pieces on their exact mean similarity, then the small ones as below.
        del sims
        labels = _regroup(nodes, labels, weights, threshold)
    else:
        # A story of one or two articles joins the story it is closest to, if any is close at all.
        labels = average_link(len(nodes), sims, JOIN_THRESHOLD, start=labels, small=SMALL_STORY, weights=weights)
    groups: dict[int, list[str]] = defaultdict(list)
    for aid, node in zip(ids, article_node):
        groups[labels[node]].append(aid)
    return sorted(groups.values())


def _within_a_year(nodes: Sequence[StoryDigest], sims: PairSimilarities) -> PairSimilarities:
    """The pairs without those of two articles published more than `MAX_GAP_DAYS` apart.

    A war's reports share most of their words, so a 2016 report on Aleppo resembles a 2025 one on
    Syria's constitution; one happening is not told across years. Undated articles (ECB+) keep
    every pair.
    """
    days = np.asarray([d.published.toordinal() if d.published else -1 for d in nodes], np.int64)
    a, b = days[sims.first], days[sims.second]
    keep = (a < 0) | (b < 0) | (np.abs(a - b) <= MAX_GAP_DAYS)
    return sims if keep.all() else PairSimilarities(sims.first[keep], sims.second[keep], sims.value[keep])


def _neighbour_budget(n: int) -> int:
    """How many nearest pairs each of `n` articles keeps (all of them on small corpora)."""
    return max(MIN_NEIGHBOURS, PAIR_BUDGET // max(n, 1))


def _regroup(nodes: Sequence[StoryDigest], labels: Sequence[int], weights: Sequence[int], threshold: float) -> list[int]:
    """Labels after average link is carried on between the groups of `labels`, on exact means.

    With each article keeping only its nearest pairs, a story of many hundred articles comes out
    of average link in pieces: two pieces know few of each other's pairs, and an unknown pair
    counts as 0. But similarity is a weighted sum of dot products, and a mean of dot products is
    the dot product of means: the exact mean similarity of two groups is that of their mean view
    vectors. So the groups join on that (the floor as for articles), one vector per group instead
    of every pair; then groups of one or two articles join the closest story at `JOIN_THRESHOLD`,
    as on small corpora. Past `EXACT_LIMIT` groups, each group's candidates come from the same
    sketch as articles' do, and only those are scored.
    """
    from scipy import sparse

    roots = sorted(set(labels))
    group_of = {root: k for k, root in enumerate(roots)}
    count = len(roots)
    members = sparse.csr_matrix(
        (np.asarray(weights, np.float64), ([group_of[label] for label in labels], np.arange(len(labels)))),
        shape=(count, len(labels)),
    )
    sizes = np.asarray(members.sum(axis=1)).ravel()
    # Each row the mean of its group's articles (copies counted as often as they occur).
    members = (sparse.diags(1.0 / sizes) @ members).astype(np.float32)
    means = {name: (members @ m).tocsr() for name, m in view_matrices(nodes, np.float32).items()}
    del members
    sketched = count > EXACT_LIMIT
    pairs = view_similarities(means, count, MIN_NEIGHBOURS if sketched else count - 1, sketched=sketched)
    # average_link takes each listed similarity as the sum over the pairs it stands for.
    pairs = PairSimilarities(pairs.first, pairs.second, pairs.value * sizes[pairs.first] * sizes[pairs.second])
    size_counts = [int(round(s)) for s in sizes]
    grouped = average_link(count, pairs, threshold, weights=size_counts)
    grouped = average_link(count, pairs, JOIN_THRESHOLD, start=grouped, small=SMALL_STORY, weights=size_counts)
    return [grouped[group_of[label]] for label in labels]


def article_similarities(
    articles: Sequence[ArticleAnalysis | StoryDigest], neighbours: int | None = None, *, exact_limit: int | None = None
) -> PairSimilarities:
    """Similarity of article pairs (i < j, by position in `articles`) that reach `SIMILARITY_FLOOR`
    and are among either article's `neighbours` most similar (by default as many as `PAIR_BUDGET` allows).

    News on one war shares enough words that nearly every pair passes the floor, so a full pair
    list grows as n². Rows are multiplied in blocks sized so that no block product holds more than
    ~5M entries. A pair found from both of its articles keeps the position of its first finding
    and the value of its last (the two products may differ in the last bit). Over `exact_limit`
    articles, candidates come from a sketch (`similarity._similarities_by_sketch`).
    """
    digests = [a if isinstance(a, StoryDigest) else StoryDigest.of(a) for a in articles]
    n = len(articles)
    sketched = n > (EXACT_LIMIT if exact_limit is None else exact_limit)
    views = view_matrices(digests, np.float32 if sketched else np.float64)
    del digests
    return view_similarities(views, n, neighbours or _neighbour_budget(n), sketched=sketched)


def average_link(
    n: int,
    sims: Mapping[tuple[int, int], float] | PairSimilarities,
    threshold: float,
    *,
    start: Sequence[int] | None = None,
    small: int | None = None,
    weights: Sequence[int] | None = None,
) -> list[int]:
    """Average-link agglomeration over a sparse similarity list; returns a group label per item.

    Pairs absent from `sims` count as 0, so a group's mean similarity to another is the sum of
    its listed pair similarities over the product of sizes. Groups start as `start` (labels) or
    as single items; with `small`, two groups join only if one has at most `small` items. Best
    pairs join first, ties by position, so the result does not depend on the order items came in.
    With `weights`, item i stands for that many identical items: sizes count them, and each
    listed similarity must be the sum over the pairs it stands for (weight_i · weight_j · sim).
    """
    labels = list(start) if start is not None else list(range(n))
    size: Counter[int] = Counter()
    for item, label in enumerate(labels):
        size[label] += weights[item] if weights is not None else 1
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), v in sims.items():
        a, b = labels[i], labels[j]
        if a != b:
            neighbours[a][b] = neighbours[a].get(b, 0.0) + v
            neighbours[b][a] = neighbours[a][b]
    merged_into = {label: label for label in size}
    # Only pairs at or above the threshold are queued: the loop stops at the first mean below it,
    # and a mean changes only through a merge, which queues the new one. Most pairs never qualify,
    # so the queue stays a fraction of the pair list.
    heap = [
        (-v / (size[a] * size[b]), a, b)
        for a in neighbours
        for b, v in neighbours[a].items()
        if a < b and v / (size[a] * size[b]) >= threshold
    ]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if -neg < threshold:
            break
        if merged_into[a] != a or merged_into[b] != b or abs(neighbours[a].get(b, 0.0) / (size[a] * size[b]) + neg) > 1e-12:
            continue  # a pair queued before one of its groups grew; the new mean was queued then
        if small is not None and min(size[a], size[b]) > small:
            continue
        keep, gone = (a, b) if a < b else (b, a)
        merged_into[gone] = keep
        for k, v in neighbours.pop(gone).items():
            del neighbours[k][gone]
            if k != keep:
                neighbours[keep][k] = neighbours[keep].get(k, 0.0) + v
                neighbours[k][keep] = neighbours[keep][k]
        size[keep] += size.pop(gone)
        for k, v in neighbours[keep].items():
            if v / (size[keep] * size[k]) >= threshold:
                heapq.heappush(heap, (-v / (size[keep] * size[k]), min(keep, k), max(keep, k)))
    return [_root(merged_into, label) for label in labels]


def _root(merged_into: dict[int, int], label: int) -> int:
    while merged_into[label] != label:
        label = merged_into[label]
    return label
