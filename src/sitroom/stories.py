"""Stories: articles about one unfolding situation, each with a timeline and a cited summary.

Two articles belong to one story when they tell of the same happening, and the hard case is two
look-alike happenings (two earthquakes, two shootings, two strikes on one city): the words are
alike, the particulars are not. So an article is compared on four views, each a TF-IDF cosine:

- its words (title and text), the topic;
- its named entities (people, organisations, places), who and where;
- its numbers (tolls, sums, magnitudes, years), the particulars;
- its lead (title and first sentences, weighted double), where news states the event itself.

Stories are then grown by average-link agglomeration: two groups join while the mean similarity
of their article pairs is at least `STORY_THRESHOLD`. A story of one or two articles at the end
joins the story it is closest to on average, if any is close at all: a new article joins its
story or starts one.

The grouping is recomputed from all stored articles, visited in id order and with ties broken by
id, so ingesting one at a time or all at once gives the same stories, with ids that depend only
on their members. The constants were tuned on the odd-numbered topics of ECB+ and checked on the
even-numbered ones (docs/benchmarks.md); halving the similarity of articles dated in different
years did not help on the tuning half; but two articles published more than a year apart are
never paired (`MAX_GAP_DAYS`): reports of one war resemble each other across its years.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from sitroom.model import ArticleAnalysis, Event, SourceSpan, Story, SummarySentence

STORY_THRESHOLD = 0.225  # mean pairwise similarity at which two groups of articles are one story
JOIN_THRESHOLD = 0.05  # a story of one or two articles joins another this close on average
SMALL_STORY = 2
MAX_GAP_DAYS = 365  # articles published further apart than this are never paired in one story
LEAD_SENTENCES = 3
VIEW_WEIGHTS = {"words": 1.0, "entities": 1.0, "numbers": 1.0, "lead": 2.0}
SIMILARITY_FLOOR = 0.01  # pairs below this count as unrelated (keeps the pair list sparse)
# Each article keeps its nearest neighbours only: up to PAIR_BUDGET pairs in all, and never fewer
# than MIN_NEIGHBOURS each. Corpora up to ~1,400 articles keep every pair (exact average link);
# beyond, memory grows as n instead of n², and the pieces that average link leaves over the kept
# pairs are joined on their exact mean similarity, computed from group sums (`_regroup`).
PAIR_BUDGET = 2_000_000
MIN_NEIGHBOURS = 50
# Up to this many articles every article is compared with every other (n² sparse products: about
# 25 s at 10k on two cores, 90 minutes at 100k). Beyond, each article's candidates come from a
# dense random projection of its views (`_similarities_by_sketch`), and only those are scored exactly.
EXACT_LIMIT = 20_000
SKETCH_DIMS = {"words": 128, "entities": 64, "numbers": 32, "lead": 64}
SUMMARY_EVENTS = 6

_ENTITY_FORM = re.compile(r"^the_|_s$")
_ENTITY_LABELS = {"GPE", "LOC", "FAC", "ORG", "NORP", "PERSON", "EVENT", "NAME"}
_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")


VIEWS = ("words", "entities", "numbers", "lead")


@dataclass(frozen=True, slots=True)
class StoryDigest:
    """What story building keeps of one article: its id, its title and its four view texts, compressed.

    The corpus stage streams the stored analyses once and keeps only this (about a third of the
    article's text) instead of the whole analysis; the texts are exactly those the views are
    built from, so clustering a digest gives what clustering the analysis gives.
    """

    article_id: str
    title: str | None
    untitled_heading: str | None  # the text's first line (80 characters at most), for articles without a title
    packed: bytes  # zlib of the JSON list of the four view texts, in VIEWS order
    published: date | None = None

    @classmethod
    def of(cls, a: ArticleAnalysis) -> StoryDigest:
        """The digest of one analysed article."""
        texts = [
            f"{a.article.title or ''}\n{a.article.text}",
            " ".join(_entity_terms(a)),
            " ".join(_NUMBER.findall(a.article.text)),
            f"{a.article.title or ''}\n" + " ".join(s.text for s in a.sentences[:LEAD_SENTENCES]),
        ]
        heading = None if a.article.title else a.article.text[:80].split("\n")[0]
        return cls(a.article.id, a.article.title, heading, zlib.compress(json.dumps(texts).encode("utf-8"), 6), a.article.published)

    def view_text(self, view: str) -> str:
        """The text of one view ("words", "entities", "numbers" or "lead")."""
        return json.loads(zlib.decompress(self.packed))[VIEWS.index(view)]


def _digests(articles: Sequence[ArticleAnalysis | StoryDigest]) -> list[StoryDigest]:
    """Digests in article id order (analyses are digested here)."""
    out = [a if isinstance(a, StoryDigest) else StoryDigest.of(a) for a in articles]
    return sorted(out, key=lambda d: d.article_id)


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
    ordered = _digests(analyses)
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
    means = {name: (members @ m).tocsr() for name, m in _view_matrices(nodes, np.float32).items()}  # type: ignore[operator]
    del members
    sketched = count > EXACT_LIMIT
    pairs = _view_similarities(means, count, MIN_NEIGHBOURS if sketched else count - 1, sketched=sketched)
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
    articles, candidates come from a sketch (`_similarities_by_sketch`).
    """
    digests = [a if isinstance(a, StoryDigest) else StoryDigest.of(a) for a in articles]
    n = len(articles)
    sketched = n > (EXACT_LIMIT if exact_limit is None else exact_limit)
    views = _view_matrices(digests, np.float32 if sketched else np.float64)
    del digests
    return _view_similarities(views, n, neighbours or _neighbour_budget(n), sketched=sketched)


def _view_similarities(views: Mapping[str, object], n: int, neighbours: int, *, sketched: bool) -> PairSimilarities:
    """The pairs of `n` rows worth keeping (see `article_similarities`), from each view's matrix:
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


def _similarities_by_sketch(views: Mapping[str, object], n: int, neighbours: int) -> PairSimilarities:
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
        directions = rng.standard_normal((m.shape[1], dims), dtype=np.float32)  # type: ignore[attr-defined]
        directions *= np.float32(np.sqrt(VIEW_WEIGHTS[name] / total / dims))
        sketch[:, at : at + dims] = m @ directions  # type: ignore[operator]
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
            part = (m[lo:hi] @ m[union].T) * share  # type: ignore[index]
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


def _view_matrices(digests: Sequence[StoryDigest], dtype: type = np.float64) -> dict[str, object]:
    """One L2-normalised TF-IDF matrix per view (a view with no terms at all is left out).

    float64 where every pair is scored (the sums the tuned thresholds were set on); past
    `EXACT_LIMIT` float32 halves the matrices, the largest part of the stage's memory there.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    many = len(digests) > 20  # document-frequency cut-offs only mean something on a corpus
    options = {
        "words": dict(stop_words="english", max_df=0.9 if many else 1.0),
        "entities": dict(token_pattern=r"\S+", lowercase=False, max_df=0.9 if many else 1.0),
        "numbers": dict(token_pattern=r"\S+", max_df=0.5 if many else 1.0),
        "lead": dict(stop_words="english", max_df=0.9 if many else 1.0),
    }
    out = {}
    for name in VIEWS:
        # A generator: each view's texts are decompressed one at a time as the vectorizer reads them.
        docs = (d.view_text(name) for d in digests)
        try:
            out[name] = TfidfVectorizer(sublinear_tf=True, dtype=dtype, **options[name]).fit_transform(docs)  # type: ignore[arg-type]
        except ValueError:  # no term survived (no numbers anywhere, stop words only)
            continue
    return out


def _entity_terms(a: ArticleAnalysis) -> list[str]:
    """Named entities as single terms ("Mark Teixeira" -> mark_teixeira), in text order."""
    # "The Red Sox" and "Red Sox", "Obama's" and "Obama" are one entity.
    return [_ENTITY_FORM.sub("", re.sub(r"\W+", "_", m.text.lower()).strip("_")) for m in a.mentions if m.label in _ENTITY_LABELS]


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


def build_stories(
    analyses: Sequence[ArticleAnalysis | StoryDigest], events: Sequence[Event]
) -> tuple[list[Story], list[Event]]:
    """Stories over all articles (analyses or their digests), and the events with their story id set."""
    digests = _digests(analyses)
    by_id = {d.article_id: d for d in digests}
    groups = cluster_articles(digests, events)
    story_of_article: dict[str, str] = {}
    stories: list[Story] = []
    for members in groups:
        sid = "sty_" + hashlib.sha1(members[0].encode()).hexdigest()[:16]
        for aid in members:
            story_of_article[aid] = sid
    updated: list[Event] = []
    for e in events:
        votes = Counter(story_of_article.get(a) for a in e.article_ids if a in story_of_article)
        sid = max(sorted(votes), key=lambda s: votes[s]) if votes else None
        updated.append(replace(e, story_id=sid))
    events_by_story: dict[str, list[Event]] = defaultdict(list)
    for e in updated:
        if e.story_id:
            events_by_story[e.story_id].append(e)
    for members in groups:
        sid = story_of_article[members[0]]
        story_events = sorted(events_by_story.get(sid, []), key=lambda e: (e.date or date.max, e.id))
        stories.append(
            Story(
                id=sid,
                title=_title([by_id[a] for a in members], story_events),
                summary=summarise(story_events),
                article_ids=tuple(members),
                event_ids=tuple(e.id for e in story_events),
            )
        )
    stories.sort(key=lambda s: s.id)
    return stories, updated


def _title(members: list[StoryDigest], events: list[Event]) -> str:
    """The headline of the article that reports the most of the story's events."""
    return story_title(members, Counter(a for e in events for a in e.article_ids))


def story_title(members: Sequence[StoryDigest], counts: Mapping[str, int]) -> str:
    """The headline of the article that reports the most events (`counts`: article id -> events it reports)."""
    ranked = sorted(members, key=lambda d: (-counts.get(d.article_id, 0), d.article_id))
    for d in ranked:
        if d.title:
            return d.title
    return ranked[0].untitled_heading or ""


def _weight(e: Event) -> tuple:
    return (e.independent_sources, len(e.claims), e.fatalities.best or 0)


def record_weight(record: Mapping) -> tuple:
    """`_weight` of an event record (contract JSON): how much a summary prefers it."""
    return (record.get("independent_sources") or 0, len(record.get("claims") or ()), (record.get("fatalities") or {}).get("best") or 0)


def summarise(events: Sequence[Event], limit: int = SUMMARY_EVENTS) -> tuple[SummarySentence, ...]:
    """An extractive summary: per major event its best-attested source sentence, then its disputed figures."""
    chosen = sorted(sorted(events, key=_weight, reverse=True)[:limit], key=lambda e: (e.date or date.max, e.id))
    out: list[SummarySentence] = []
    for e in chosen:
        sentence, spans = _best_sentence(e)
        if sentence:
            out.append(SummarySentence(sentence, spans))
        for c in e.contradictions:
            if c.field in ("fatalities", "injured") and c.claims:
                claims = [e.claims[i] for i in c.claims]
                parts = [f"{cl.value} ({cl.attributed_to or _source_label(cl.source)})" for cl in claims]
                what = "Deaths" if c.field == "fatalities" else "Injuries"
                place = f" in {e.location.name}" if e.location else ""
                out.append(
                    SummarySentence(
                        f"{what}{place} are disputed: {' vs '.join(dict.fromkeys(parts))}.",
                        tuple(cl.source for cl in claims),
                    )
                )
            elif c.field == "responsibility" and c.statements:
                out.append(
                    SummarySentence(
                        f"Responsibility{' for the attack in ' + e.location.name if e.location else ''} is disputed: "
                        + _statement_text(c.statements) + ".",
                        tuple(s.source for s in c.statements),
                    )
                )
    return tuple(out)


def _statement_text(statements) -> str:
    """Blame, claims and denials as the sources state them: "the United States blamed Russia and Syria; Russia and Syria denied involvement"."""
    parts: list[str] = []
    blamed: dict[str, list[str]] = {}
    for s in statements:
        if s.kind == "blame":
            blamed.setdefault(_party(s.by) if s.by else "a source", []).extend(_party(a) for a in s.against)
    parts += [f"{by} blamed {_and(against)}" for by, against in blamed.items() if against]
    claimed = [_party(s.by) for s in statements if s.kind == "claim_of_responsibility" and s.by]
    if claimed:
        parts.append(f"{_and(claimed)} claimed responsibility")
    deniers = [_party(s.by) for s in statements if s.kind == "denial" and s.by]
    if deniers:
        parts.append(f"{_and(deniers)} denied involvement")
    return "; ".join(parts)


# A state's forces or government are the state when a source blames or denies: "blamed Russia and Syria".
_OF_STATE = re.compile(r"^(?:Military|Police) Forces of (?P<state>.+?)(?: \(\d{4}-\d{0,4}\))?$|^Government of (?P<gov>.+)$")


def _party(name: str) -> str:
    m = _OF_STATE.match(name)
    state = (m.group("state") or m.group("gov")) if m else name
    return "the United States" if state == "United States" else "the United Kingdom" if state == "United Kingdom" else state


def _and(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _source_label(span: SourceSpan) -> str:
    return f"article {span.article_id}"


def _best_sentence(e: Event) -> tuple[str | None, tuple[SourceSpan, ...]]:
    """The source sentence carrying the most of the event's claims; all sentences saying the same cite it."""
    if not e.sources:
        return None, ()
    claim_count = Counter((c.source.article_id, c.source.sentence) for c in e.claims)
    best = max(e.sources, key=lambda s: (claim_count.get((s.article_id, s.sentence), 0), -len(s.sentence) if len(s.sentence) > 300 else len(s.sentence) > 40, -s.start))
    same = tuple(s for s in e.sources if s.sentence == best.sentence) or (best,)
    return best.sentence, same
