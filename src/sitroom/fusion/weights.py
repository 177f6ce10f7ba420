"""Fellegi–Sunter weights: how much each comparison level says for or against two reports being one event.

For every comparison (date, place, victims' ages, ...) and each of its levels, `m` is the
probability of that level among pairs of reports of one incident and `u` among pairs of reports of
different incidents that blocking still lets meet; the level's weight is log2(m / u), and a pair's
score is the prior log-odds plus the sum of its levels' weights (Fellegi & Sunter 1969; Splink's
model without term-frequency adjustments, which would make a pair's score depend on the rest of
the corpus). The shipped tables (`weights.json`) were estimated by `estimate` on labelled pairs of
the development half of gva-dev (US shooting reports) only: ACLED's terms forbid shipping anything
trained on its rows, so ACLED is used to measure, never to estimate. `bench/gva.py --estimate`
re-estimates them.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Every comparison and its levels; "missing" (or "none"): one of the two reports states nothing.
LEVELS: dict[str, tuple[str, ...]] = {
    "kind": ("same_sub", "same_type", "same_family"),
    "date": ("same_day", "next_day", "within_3", "within_7", "apart", "coarse_near", "coarse_apart",
             "same_day_published", "next_day_published", "within_3_published", "within_7_published",
             "apart_published", "coarse_near_published", "coarse_apart_published", "missing"),
    "place": ("same_site", "same_city", "same_region", "near", "nested", "named", "different", "missing"),
    "phrase": ("shared", "different", "missing"),
    "target": ("shared", "generic", "missing"),
    "roles": ("same", "reversed", "different", "missing"),
    "party": ("shared", "different", "missing"),
    "toll": ("same", "consistent", "different", "missing"),
    "hurt": ("same", "consistent", "different", "missing"),
    "age": ("shared", "different", "missing"),
    "name": ("shared", "different", "missing"),
    "street": ("shared", "different", "missing"),
    "time": ("close", "near", "apart", "missing"),
    "sentence": ("shared", "none"),
}
NEUTRAL = frozenset({"missing", "none"})
_FILE = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class Weights:
    """m and u probabilities per comparison level, the prior and the link threshold (both log2 odds)."""

    m: Mapping[str, Mapping[str, float]]
    u: Mapping[str, Mapping[str, float]]
    prior: float = 0.0
    threshold: float = 0.0
    # Cluster merges need the mean score over all member pairs to clear this (chains of weak links).
    mean_threshold: float = 0.0
    note: str = ""
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for comp, levels in LEVELS.items():
            for table in (self.m, self.u):
                missing = [lv for lv in levels if lv not in table.get(comp, {})]
                if missing:
                    raise ValueError(f"weights lack {comp} levels {missing}: re-estimate them (bench/gva.py --estimate)")

    def weight(self, comparison: str, level: str) -> float:
        """log2(m/u) of one level ("missing" too: a report that states no toll is itself a hint)."""
        key = (comparison, level)
        got = self._cache.get(key)
        if got is None:
            got = math.log2(self.m[comparison][level] / self.u[comparison][level])
            self._cache[key] = got
        return got

    def score(self, levels: Mapping[str, str]) -> float:
        """The pair's log2 odds of being one event."""
        return self.prior + sum(self.weight(c, lv) for c, lv in levels.items())

    def agreements(self, levels: Mapping[str, str]) -> list[dict]:
        """The levels observed on both reports (not "missing"), strongest first, as the record shows them."""
        out = [{"comparison": c, "level": lv, "weight": round(self.weight(c, lv), 2)} for c, lv in levels.items() if lv not in NEUTRAL]
        return sorted((a for a in out if a["weight"]), key=lambda a: (-abs(a["weight"]), a["comparison"]))

    def to_json(self) -> dict:
        """The shipped file's shape."""
        return {"note": self.note, "prior": self.prior, "threshold": self.threshold, "mean_threshold": self.mean_threshold,
                "m": self.m, "u": self.u}

    @classmethod
    def from_json(cls, data: Mapping) -> Weights:
        """Weights from `to_json` output."""
        return cls(m=data["m"], u=data["u"], prior=data.get("prior", 0.0), threshold=data.get("threshold", 0.0),
                   mean_threshold=data.get("mean_threshold", 0.0), note=data.get("note", ""))

    @classmethod
    @functools.cache
    def default(cls) -> Weights:
        """The shipped weights (fusion/weights.json)."""
        return cls.from_json(json.loads(_FILE.read_text(encoding="utf-8")))


def estimate(pairs: Iterable[tuple[Mapping[str, str], bool]], *, smoothing: float = 1.0, min_count: int = 10, threshold: float = 0.0,
             mean_threshold: float = 0.0, note: str = "") -> Weights:
    """m/u tables from labelled pairs (levels, same event?), Laplace-smoothed; the prior is the share of matches.

    A level seen in fewer than `min_count` pairs of either kind gets one probability for both (weight 0).
    """
    counts: dict[bool, dict[str, Counter]] = {True: defaultdict(Counter), False: defaultdict(Counter)}
    n: Counter[bool] = Counter()
    for pair_levels, match in pairs:
        n[match] += 1
        for comp, lv in pair_levels.items():
            counts[match][comp][lv] += 1
    if not n[True] or not n[False]:
        raise ValueError("estimating weights needs pairs of one event and pairs of different events")
    tables: dict[bool, dict[str, dict[str, float]]] = {True: {}, False: {}}
    for comp, levels in LEVELS.items():
        for match in (True, False):
            tables[match][comp] = {}
        for lv in levels:
            seen = counts[True][comp][lv] + counts[False][comp][lv]
            for match in (True, False):
                if seen < min_count:
                    # Too rare to tell the two classes apart: the same probability in both (weight 0),
                    # not the ratio of the two classes' sizes that smoothing alone would give.
                    p = (seen + smoothing) / (n[True] + n[False] + smoothing * len(levels))
                else:
                    p = (counts[match][comp][lv] + smoothing) / (n[match] + smoothing * len(levels))
                tables[match][comp][lv] = p
    prior = math.log2(n[True] / n[False])
    return Weights(m=tables[True], u=tables[False], prior=round(prior, 3), threshold=threshold,
                   mean_threshold=mean_threshold, note=note)
