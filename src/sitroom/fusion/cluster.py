"""Blocking, pair scoring and clustering: reports of one real event become one cluster, with the evidence.

1. **Blocking** (`link_window`): two reports can only link when their kind family is equal, their
   countries are equal or one is unknown, and their date windows overlap. The store indexes these
   four keys to find the candidates of a new report.
2. **Scoring**: each candidate pair from two articles is vetoed (`evidence.veto`: other weapon,
   incompatible places, two sites of one city, two stated days apart, other targets or addresses,
   irreconcilable tolls with nothing else in common) or scored with the Fellegi–Sunter weights.
3. **Clustering**: pairs over the link threshold are taken best first; two clusters merge only
   when no member of one vetoes a member of the other, no article is in both (an article was
   already split per incident), and the mean score over *all* their member pairs clears the
   mean threshold, so that a chain of weak links (A~B, B~C) never joins two events (A, C) that
   nothing links directly.

The result is a deterministic function of the set of reports (they are sorted by id first) and it
decomposes: reports that cannot link never share a cluster, and the clusters of a union of two sets
with no possible link between them are the clusters of each set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sitroom.fusion.evidence import Profile, compare, veto, window
from sitroom.fusion.weights import Weights
from sitroom.model import Agreement, DuplicateKeys, Link, Report

# How far a report's event may lie from its date, by the date's precision (days each way), and
# how far before its publication an undated report's event may lie.
WINDOW_DAYS: dict[str, int] = {"day": 10, "week": 14, "month": 31, "published": 30}


def link_window(report: Report, profile: Profile | None = None) -> tuple[str, str | None, date | None, date | None]:
    """Blocking keys the store indexes: (family, country, first day, last day) of the reports `report` may link with.

    Two reports can only link when their families are equal, their countries are equal or one is
    None, and their [first, last] windows overlap. A dated report's window is its date ± 10 days
    (day precision), ± 14 (week) or ± 31 (month); an undated one's runs from 30 days before its
    publication to the day after; with neither date it is open (None, None) and overlaps every window.
    """
    return profile_window(profile or Profile.of(report))  # a caller that has the profile already passes it


def profile_window(p: Profile) -> tuple[str, str | None, date | None, date | None]:
    """`link_window` from a report's profile alone (a profile holds the report's location as it is)."""
    span = window(p, WINDOW_DAYS)
    country = p.location.country if p.location else None
    return (p.family, country, *(span if span else (None, None)))


def can_link(a: tuple[str, str | None, date | None, date | None], b: tuple[str, str | None, date | None, date | None]) -> bool:
    """Whether two reports' blocking keys let them meet at all."""
    if a[0] != b[0] or (a[1] is not None and b[1] is not None and a[1] != b[1]):
        return False
    a_lo, a_hi, b_lo, b_hi = a[2], a[3], b[2], b[3]
    if a_lo is None or b_lo is None or a_hi is None or b_hi is None:
        return True
    return a_lo <= b_hi and b_lo <= a_hi


def cluster_reports(reports: Sequence[Report], duplicates: DuplicateKeys | None = None, weights: Weights | None = None) -> list[list[Report]]:
    """Group reports into events: each group in report-id order, groups in the order of their first report.

    `duplicates` (from dedupe) says which cited sentences are copies or paraphrases of one
    another: a sentence two reports share is evidence of one event.
    """
    weights = weights or Weights.default()
    ordered = sorted(reports, key=lambda r: r.id)
    profiles = [Profile.of(r, _evidence_keys(r, duplicates or DuplicateKeys())) for r in ordered]
    classes, reps = _alike(profiles, weights)
    keys = [_keys(profiles[c[0]]) for c in classes]
    state = _State(profiles, classes, reps, weights)
    pairs = []
    for i, j in _candidates(keys):
        s = state.pair(i, j)
        if s is not None and s >= weights.threshold and anchored(state.levels[(i, j)]):
            pairs.append((-s, i, j))
    pairs.sort()
    for _, i, j in pairs:
        state.join(i, j)
    return state.clusters(ordered)


def _evidence_keys(r: Report, duplicates: DuplicateKeys) -> frozenset[str]:
    """The duplicate-group keys of the sentences a report cites."""
    # "Police are investigating.": copied everywhere, an unspecific sentence tells no incident from another
    keys = (duplicates.group_of(s) for s in r.sources if specific(s.sentence))
    return frozenset(k for k in keys if k is not None)


# Levels that tie a pair to one incident rather than to one kind of incident on one day.
_ANCHORS = {"place": {"same_site", "same_city", "near", "named", "different"}, "street": {"shared"}, "name": {"shared"},
            "age": {"shared"}, "sentence": {"shared"}, "phrase": {"shared"}, "target": {"shared"}}


def anchored(levels: Mapping[str, str]) -> bool:
    """Whether a pair shares something of the incident itself (a town, a street, a person, a sentence, a site).

    Not a party: the same armed group fights on many fronts the same day.

    A kind and a day (or a publication day) alone never make two reports one event, however the
    weights add up: a city has many shootings a day, a front many shellings.
    """
    return any(levels.get(c) in ok for c, ok in _ANCHORS.items())


def specific(sentence: str) -> bool:
    """A sentence specific enough that sharing it says two reports tell of one incident (a figure, a name, a length)."""
    words = sentence.split()
    return len(words) >= 12 or (len(words) >= 6 and any(ch.isdigit() for ch in sentence))


def _keys(p: Profile) -> tuple[str, str | None, date | None, date | None]:
    span = window(p, WINDOW_DAYS)
    return (p.family, p.location.country if p.location else None, *(span if span else (None, None)))


def _alike(profiles: Sequence[Profile], weights: Weights) -> tuple[list[list[int]], list[Profile]]:
    """Reports that only their article tells apart, as classes of indices (one profile each).

    Copies of one wire story give hundreds of such reports; they link to every other report alike
    and to each other best of all, so fusion weighs classes, not copies. A class never holds two
    reports of one article; a report too vague to link to its own copy stays alone.
    """
    classes: list[list[int]] = []
    reps: list[Profile] = []
    articles: list[set[str]] = []
    by_profile: dict[tuple, list[int]] = defaultdict(list)
    for i, p in enumerate(profiles):
        levels = compare(p, p)
        linkable = veto(p, p) is None and weights.score(levels) >= weights.threshold and anchored(levels)
        for c in by_profile[p.profile] if linkable else ():
            if p.article_id not in articles[c]:
                classes[c].append(i)
                articles[c].add(p.article_id)
                break
        else:
            if linkable:
                by_profile[p.profile].append(len(classes))
            classes.append([i])
            reps.append(p)
            articles.append({p.article_id})
    return classes, reps


def _candidates(keys: Sequence[tuple[str, str | None, date | None, date | None]]) -> Iterable[tuple[int, int]]:
    """Every pair (i < j) whose blocking keys overlap: a sweep over window starts within each block."""
    blocks: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        blocks[(k[0], k[1])].append(i)
    out: set[tuple[int, int]] = set()
    for (kind, country), members in blocks.items():
        groups = [members]
        if country is not None and (kind, None) in blocks:
            groups.append(blocks[(kind, None)])
        for other in groups:
            out |= _overlapping(keys, members, other, same=other is members)
    return sorted(out)


def _overlapping(keys, xs: list[int], ys: list[int], same: bool) -> set[tuple[int, int]]:
    """Pairs of `xs` × `ys` (or within `xs` when `same`) whose windows overlap."""
    out: set[tuple[int, int]] = set()
    open_x = [i for i in xs if keys[i][2] is None]
    open_y = [j for j in ys if keys[j][2] is None]
    dated = sorted({*(i for i in xs if keys[i][2] is not None), *(j for j in ys if keys[j][2] is not None)}, key=lambda i: (keys[i][2], i))
    in_x, in_y = set(xs), set(ys)
    active: list[int] = []
    for i in dated:
        start = keys[i][2]
        active = [j for j in active if keys[j][3] >= start]
        for j in active:
            if (i in in_x and j in in_y) or (i in in_y and j in in_x):
                out.add((min(i, j), max(i, j)))
        active.append(i)
    for i in open_x:
        for j in ys:
            if i != j:
                out.add((min(i, j), max(i, j)))
    for j in open_y:
        for i in xs:
            if i != j:
                out.add((min(i, j), max(i, j)))
    return out


class _State:
    """Union-find over report classes, with cached pair scores and the links of each cluster."""

    def __init__(self, profiles: Sequence[Profile], classes: list[list[int]], reps: list[Profile], weights: Weights) -> None:
        self.profiles, self.classes, self.reps, self.weights = profiles, classes, reps, weights
        n = len(classes)
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {c: [c] for c in range(n)}
        self.articles: list[set[str]] = [{profiles[i].article_id for i in cl} for cl in classes]
        self.scores: dict[tuple[int, int], float | None] = {}
        self.levels: dict[tuple[int, int], dict[str, str]] = {}
        self.conflicting: dict[int, set[int]] = defaultdict(set)

    def pair(self, i: int, j: int) -> float | None:
        """The score of two classes (i < j), None when vetoed or of one article."""
        key = (i, j) if i < j else (j, i)
        if key not in self.scores:
            a, b = self.reps[key[0]], self.reps[key[1]]
            if a.article_id == b.article_id or veto(a, b) is not None:
                self.scores[key] = None
            else:
                self.levels[key] = compare(a, b)
                self.scores[key] = self.weights.score(self.levels[key])
        return self.scores[key]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        """Merge the clusters of classes i and j if nothing between them forbids it."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj or rj in self.conflicting[ri]:
            return
        if not self.articles[ri].isdisjoint(self.articles[rj]):
            self._conflict(ri, rj)
            return
        total = weight = 0.0
        for x in self.members[ri]:
            for y in self.members[rj]:
                s = self.pair(x, y)
                if s is None:
                    self._conflict(ri, rj)
                    return
                n = len(self.classes[x]) * len(self.classes[y])
                total += s * n
                weight += n
        if total / weight < self.weights.mean_threshold:
            return  # a chain of weak links: the other members do not support it (yet)
        keep, gone = min(ri, rj), max(ri, rj)
        self.parent[gone] = keep
        self.members[keep] += self.members.pop(gone)
        self.articles[keep] |= self.articles[gone]
        self.articles[gone] = set()
        for other in self.conflicting.pop(gone, set()):
            self.conflicting[other].discard(gone)
            self.conflicting[other].add(keep)
            self.conflicting[keep].add(other)

    def _conflict(self, ri: int, rj: int) -> None:
        # A merge only adds members and one vetoed pair is enough, so two clusters found in
        # conflict stay in conflict: later links between them need no member-by-member check.
        self.conflicting[ri].add(rj)
        self.conflicting[rj].add(ri)

    def clusters(self, ordered: Sequence[Report]) -> list[list[Report]]:
        """Each cluster's reports in id order, clusters in the order of their first report."""
        return [[ordered[i] for i in sorted(i for c in members for i in self.classes[c])] for _, members in sorted(self.members.items())]


def explain(group: Sequence[Report], duplicates: DuplicateKeys | None = None, weights: Weights | None = None) -> tuple[Link, ...]:
    """Why a group of reports is one event: the strongest links that connect them all (a maximum spanning tree).

    It depends on the group alone, so an event rebuilt from its stored reports shows the same
    evidence. Copies alike in every trait but their article are joined to their class's first.
    """
    weights = weights or Weights.default()
    ordered = sorted(group, key=lambda r: r.id)
    profiles = [Profile.of(r, _evidence_keys(r, duplicates or DuplicateKeys())) for r in ordered]
    classes, reps = _alike(profiles, weights)
    links: list[Link] = []
    for members in classes:
        first = profiles[members[0]]
        levels = compare(first, first)
        score, agreements = round(weights.score(levels), 2), _agreements(weights, levels)
        links += [Link((first.report_id, profiles[m].report_id), (first.article_id, profiles[m].article_id), score, agreements)
                  for m in members[1:]]
    if len(reps) > _EXPLAIN_LIMIT:
        return tuple(links)  # too many distinct reports to weigh every pair of; copies still say why
    # Prim's algorithm over the classes' pair scores, strongest link first.
    scored: dict[tuple[int, int], tuple[float, dict[str, str]]] = {}
    for i in range(len(reps)):
        for j in range(i + 1, len(reps)):
            a, b = reps[i], reps[j]
            if a.article_id != b.article_id and veto(a, b) is None:
                levels = compare(a, b)
                scored[(i, j)] = (weights.score(levels), levels)
    # Prim's algorithm: each class outside the tree keeps its best link into it.
    best: dict[tuple[int, int], Link] = {}
    edge: dict[int, tuple[float, int, int]] = {}
    inside = {0}
    last = 0
    while True:
        for j in range(len(reps)):
            key = (min(last, j), max(last, j))
            if j not in inside and key in scored and (j not in edge or (scored[key][0], -key[0]) > (edge[j][0], -min(edge[j][1], j))):
                edge[j] = (scored[key][0], last, j)
        if not edge:
            break
        j = max(edge, key=lambda x: (edge[x][0], -x))
        s, i, _ = edge.pop(j)
        key = (min(i, j), max(i, j))
        inside.add(j)
        last = j
        a, b = reps[key[0]], reps[key[1]]
        best[key] = Link((a.report_id, b.report_id), (a.article_id, b.article_id), round(s, 2), _agreements(weights, scored[key][1]))
    return tuple(links + [best[k] for k in sorted(best)])


_EXPLAIN_LIMIT = 150


def pair_score(a: Report, b: Report, weights: Weights | None = None) -> float | None:
    """The Fellegi–Sunter score of two reports of different articles, None when something rules the pair out."""
    weights = weights or Weights.default()
    pa, pb = Profile.of(a), Profile.of(b)
    if a.article_id == b.article_id or veto(pa, pb) is not None:
        return None
    return weights.score(compare(pa, pb))


def may_link(a: Report, b: Report, weights: Weights | None = None) -> bool:
    """Whether fusion could link two reports directly with a shared sentence's weight, no veto standing.

    A shared sentence adds weight and can also lift a toll veto (`evidence.corroborated`), which this
    test, on profiles without duplicate keys, does not see; the incremental layer gathers with its own
    test on stored profiles, which does (`corpus.events._may_pair_sharing`).
    """
    return profiles_may_link(Profile.of(a), Profile.of(b), link_window(a), link_window(b), weights)


def profiles_may_link(pa: Profile, pb: Profile, wa: tuple, wb: tuple, weights: Weights | None = None) -> bool:
    """`may_link` on reports' profiles and blocking keys already computed (the incremental layer caches them)."""
    weights = weights or Weights.default()
    if pa.article_id == pb.article_id or not can_link(wa, wb) or veto(pa, pb) is not None:
        return False
    return weights.score({**compare(pa, pb), "sentence": "shared"}) >= weights.threshold


def _agreements(weights: Weights, levels: Mapping[str, str]) -> tuple[Agreement, ...]:
    return tuple(Agreement(a["comparison"], a["level"], a["weight"]) for a in weights.agreements(levels))
