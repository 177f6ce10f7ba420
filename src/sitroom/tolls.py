"""Casualty tolls of one event from its claims: ACLED's conservative figure and the real disagreements.

Each claim counts one victim group (civilians, passengers, security forces, militants, or
unspecified) over one scope (this incident, or a period). Only incident claims make a toll:

- within one report (one article), disjoint groups add up ("five soldiers and six civilians" is
  11) and two figures for one group keep the lower ("at least 50 ... the toll was 45" is 45); a
  figure of unspecified victims covers the groups it may include, so the report's toll is the
  larger of it and the groups' sum;
- across reports, ACLED's conservative rule: `best` is the lowest report's toll, precise figures
  before vague ones ("dozens" is 12 only when nobody gives a number); `low`/`high` span them.

A contradiction is recorded only between claims about the same group and scope: "21 people" and
"20 civilians" are two counts, not a dispute; "62 soldiers" and "90 soldiers" are a dispute.
"""

from __future__ import annotations

import re

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sitroom.model import Claim, Contradiction, Figure, Statement

VAGUE = frozenset({"dozens", "scores", "hundreds", "thousands", "a dozen", "tens"})
APPROX = frozenset({"about", "around", "approximately", "roughly", "some", "nearly", "almost", "an estimated", "estimated", "the estimated"})
_AT_LEAST = frozenset({"at least", "more than", "over", "least", "no fewer than", "no less than"})
_FLAT = frozenset({None, "", "total", "a total of"})
UNSPECIFIED = "unspecified"


def incident_claims(claims: Iterable[Claim]) -> list[Claim]:
    """The claims that count this incident's victims (period totals left out)."""
    return [c for c in claims if c.scope != "period"]


def _report_toll(claims: Sequence[Claim]) -> tuple[int, int, int]:
    """(best, low, high) of one report's claims: groups add up, one group keeps its lowest figure."""
    best: dict[str, int] = {}
    low: dict[str, int] = {}
    high: dict[str, int] = {}
    for c in claims:
        g = c.group or UNSPECIFIED
        best[g] = min(best.get(g, c.value), c.value)
        low[g] = min(low.get(g, c.value), c.low if c.low is not None else c.value)
        high[g] = max(high.get(g, 0), c.value, c.high or 0)

    def total(per_group: dict[str, int]) -> int:
        groups = sum(v for g, v in per_group.items() if g != UNSPECIFIED)
        return max(per_group.get(UNSPECIFIED, 0), groups)

    return total(best), total(low), total(high)


def figure_from_claims(claims: Sequence[Claim]) -> Figure:
    """ACLED's rule across reports (the lowest report's toll, precise before vague); groups add up within one."""
    counted = incident_claims(claims)
    if not counted:
        return Figure()
    precise = [c for c in counted if c.qualifier not in VAGUE]
    basis = precise or counted
    by_report: dict[str, list[Claim]] = defaultdict(list)
    for c in basis:
        by_report[c.source.article_id].append(c)
    tolls = [_report_toll(cs) for cs in by_report.values()]
    # The span covers every claim, vague ones too ("dozens" may be the highest figure anyone gave).
    spread: dict[str, list[Claim]] = defaultdict(list)
    for c in counted:
        spread[c.source.article_id].append(c)
    high = max(_report_toll(cs)[2] for cs in spread.values())
    return Figure(best=min(t[0] for t in tolls), low=min(t[1] for t in tolls), high=high)


def contradictions(claims: Sequence[Claim], statements: Sequence[Statement]) -> tuple[Contradiction, ...]:
    """Figures of one field, group and scope that cannot all hold, and blame met by denial."""
    out: list[Contradiction] = []
    for fld in ("fatalities", "injured"):
        by_group: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(claims):
            if c.field == fld and c.qualifier not in VAGUE and c.scope != "period":
                by_group[c.group or UNSPECIFIED].append(i)
        for group in sorted(by_group):
            idx = by_group[group]
            values = sorted({claims[i].value for i in idx})
            if len(values) > 1 and not _consistent_within(claims, idx):
                out.append(Contradiction(fld, tuple(values), tuple(idx), group=group))
    # A state answers for its forces: "blamed on the Syrian military" meets "Syria denied involvement".
    blamed = {side(a) for s in statements if s.kind == "blame" for a in s.against}
    deniers = {side(s.by) for s in statements if s.kind == "denial" and s.by}
    disputed = sorted(x for x in blamed & deniers if x)
    if disputed:
        involved = tuple(
            s for s in statements
            if (s.kind == "blame" and {side(a) for a in s.against} & set(disputed)) or (s.kind == "denial" and s.by and side(s.by) in disputed)
        )
        out.append(Contradiction("responsibility", tuple(disputed), (), involved))
    return tuple(out)


_FORCES_OF = re.compile(r"^(?:Military|Police) Forces of (?:the )?(?P<state>.+?)(?: \(\d{4}-(?:\d{4})?\))?$")


def side(name: str) -> str:
    """The party a name answers for: a state for its military and police ("Military Forces of Syria" is Syria's)."""
    m = _FORCES_OF.match(name)
    return m.group("state") if m else name


def consistent(claims: Sequence[Claim], idx: list[int]) -> bool:
    """Whether the claims at `idx` can all hold: each victim group's incident figures agree among themselves.

    Claims of different groups never contradict ("21 people" and "20 civilians"), nor do period totals.
    """
    by_group: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        if claims[i].scope != "period":
            by_group[claims[i].group or UNSPECIFIED].append(i)
    return all(_consistent_within(claims, members) for members in by_group.values())


def _consistent_within(claims: Sequence[Claim], idx: list[int]) -> bool:
    """'At least 62' and '90' do not contradict, nor 'about 20' and 'an estimated 21'; '62' and '90' stated flatly do."""
    if not idx:
        return True
    values = [claims[i].value for i in idx]
    approx = any(claims[i].qualifier in APPROX for i in idx)
    if approx and max(values) <= min(values) * 1.15 + 1:
        return True
    exact = {claims[i].value for i in idx if claims[i].qualifier in _FLAT}
    return len(exact) <= 1 and all(
        claims[i].qualifier in _AT_LEAST or claims[i].value in exact for i in idx
    ) and (not exact or all(claims[i].value <= max(exact) for i in idx))
