"""One date for an event whose reports disagree.

Reports of one event are dated independently, each from its own text and publication date. The
event takes, in this order:

1. a day the text states outright ("on September 17", "Feb. 6") — the most common one, then the
   one of the earliest article;
2. a day resolved from a relative expression ("on Saturday") or of unknown basis — the one
   resolved against the earliest publication (a later article's "Saturday" may be the next week's),
   then the most common;
3. a week or a month, stated or relative, the same way;
4. last, a date that is only a report's publication date.

A day a report states without a year ("on September 17", `Report.date_partial`) takes the year
its story fixes: the one that puts it closest to the other reports' dates (`complete_partials`).
A weekday an article without a publication date names ("on Monday": "W-1") has nothing to count
back from; the article's anchor does it: the latest day the other events the article reports are
dated by other evidence (`anchor_undated`), and the weekday is the day of that name from two days
before the anchor to four after (`extract.dates.weekday_near`: an article is written soon after
the news it reports). The seeds' undated reports of the convoy attack "on Monday" also say the
Deir ez-Zor strike of Saturday 17 September "earlier this week": Monday 19.

A report's basis is `Report.date_basis` (stated | relative | published) when the extraction
gives one; without it (reports stored before it existed) a date whose month and day a cited
sentence spells out counts as stated, one equal to the publication date as published, any other
as relative.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from sitroom.extract.dates import find_date_expressions, is_partial_weekday, weekday_near
from sitroom.model import DateBasis, DatePrecision, Report

_PRECISION = {"day": 0, "week": 1, "month": 2}
_BASIS_OF_TIER: dict[int, DateBasis] = {0: "stated", 1: "relative", 2: "relative", 3: "published"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def basis(r: Report) -> DateBasis | None:
    """How a report's date was found: stated, relative or published (None when undated)."""
    if r.date is None:
        return None
    if r.date_basis:
        return r.date_basis
    month = _MONTHS[r.date.month - 1]
    for s in r.sources:
        for _, _, expr in find_date_expressions(s.sentence):
            low = expr.lower()
            if month in low and re.search(rf"\b0?{r.date.day}(?:st|nd|rd|th)?\b", low):
                return "stated"
    return "published" if r.date == r.published else "relative"


def _tier(r: Report) -> int:
    b = basis(r)
    if b == "published":
        return 3
    if (r.date_precision or "month") != "day":
        return 2
    return 0 if b == "stated" else 1


def complete_partials(group: Sequence[Report], anchors: Mapping[str, date] | None = None) -> list[Report]:
    """The group with each year-less stated day ("--09-17") given the year its story fixes, and each
    weekday of an undated article ("W-1") the day its article's anchor fixes (`anchor_undated`).

    The year is the one that puts the day closest to the other reports' dates (else their
    publication dates); a report with a date of its own keeps it.
    """
    refs = sorted(d for d in (r.date for r in group) if d is not None) or sorted(p for p in (r.published for r in group) if p)
    ref = refs[len(refs) // 2] if refs else None
    out = []
    for r in group:
        partial = r.date_partial
        if r.date is None and partial:
            found: DateBasis
            if is_partial_weekday(partial):
                anchor = (anchors or {}).get(r.article_id)
                day = weekday_near(partial, anchor) if anchor else None
                found = "relative"
            else:
                day, found = (_complete(partial, ref) if ref else None), "stated"
            if day is not None:
                r = replace(r, date=day, date_precision="day", date_basis=found)
        out.append(r)
    return out


def anchor_undated(groups: Sequence[Sequence[Report]]) -> dict[str, date]:
    """Each undated article's anchor: the latest day an event it reports is dated on other evidence.

    Other evidence is a report of another article, or one this article dates by something other
    than a weekday. Dating a weekday can date an event that anchors another article, so this runs
    to a fixed point (a few rounds at most); articles that name no weekday need none.
    """
    weekdays = {r.article_id for g in groups for r in g if r.date is None and is_partial_weekday(r.date_partial)}
    if not weekdays:
        return {}
    anchors: dict[str, date] = {}
    for _ in range(4):
        found: dict[str, date] = {}
        for g in groups:
            if not any(r.article_id in weekdays for r in g):
                continue
            when, precision = reconcile_date(g, anchors)
            if when is None or precision != "day":
                continue
            done = complete_partials(g, anchors)
            for r in g:
                if r.article_id not in weekdays or r.published is not None:
                    continue
                if any(x.date == when and (x.article_id != r.article_id or not is_partial_weekday(x.date_partial)) for x in done):
                    found[r.article_id] = max(found.get(r.article_id, when), when)
        if found == anchors:
            break
        anchors = found
    return anchors


def _complete(partial: str, ref: date) -> date | None:
    """'--MM-DD' in the year (of ref's, the one before or after) closest to `ref`."""
    m = re.fullmatch(r"--(\d\d)-(\d\d)", partial)
    if not m:
        return None
    options = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(date(year, int(m.group(1)), int(m.group(2))))
        except ValueError:
            continue
    return min(options, key=lambda d: (abs((d - ref).days), d)) if options else None


def reconcile_date(
    group: Sequence[Report], anchors: Mapping[str, date] | None = None
) -> tuple[date | None, DatePrecision | None]:
    """The event's date and precision from its reports' dates (see the module's rules)."""
    dated = [r for r in complete_partials(group, anchors) if r.date is not None]
    if not dated:
        return None, None
    tier = min(_tier(r) for r in dated)
    pool = [r for r in dated if _tier(r) == tier]
    best = min(_PRECISION.get(r.date_precision or "month", 3) for r in pool)
    pool = [r for r in pool if _PRECISION.get(r.date_precision or "month", 3) == best]
    votes = Counter(r.date for r in pool if r.date is not None)
    first: dict[date, date] = {}
    for r in sorted(pool, key=lambda r: (r.published or date.max, r.id)):
        if r.date is not None:
            first.setdefault(r.date, r.published or date.max)
    if tier == 1 or tier == 2:
        # Relative dates: the one resolved against the earliest publication, then the most common.
        when = min(votes, key=lambda d: (first[d], -votes[d], d))
    else:
        when = min(votes, key=lambda d: (-votes[d], first[d], d))
    return when, next(r.date_precision for r in pool if r.date == when)


def basis_of(group: Sequence[Report], anchors: Mapping[str, date] | None = None) -> DateBasis | None:
    """The basis of the date `reconcile_date` picks: stated, relative or published (None when undated)."""
    when, _ = reconcile_date(group, anchors)
    if when is None:
        return None
    tiers = [_tier(r) for r in complete_partials(group, anchors) if r.date == when]
    return _BASIS_OF_TIER[min(tiers)]
