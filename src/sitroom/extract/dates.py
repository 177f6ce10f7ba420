"""Dates in news text, relative ones resolved against the article's reference date.

The reference date is the publication date when known, else the latest explicit date found in the
article (an "anchor"). Without either, relative expressions ("on Saturday", "yesterday", "last
week") resolve to None: we never guess. An explicit date without a year ("September 17") takes the
latest such day on or before the reference date (or at most a week after it); with no reference and no anchor it resolves to
None rather than to an invented year. A full date ("17 September 2016") always resolves.

Weekdays resolve to the most recent such day on or before the reference date (news reports past
events; "on Saturday" in a Saturday paper is that day); "last Friday" is strictly before it and
"next Monday" strictly after. Week-precision dates are the Monday of that week and month-precision
dates the first of the month.

Regexes cover what news text says; dateparser (slow, so last) handles other spaCy DATE spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Precision = Literal["day", "week", "month"]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

# Month names are matched capitalised so that "may" the verb and "march" the noun never become dates.
_MONTH = (r"(?P<m>(?-i:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec))\.?")
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)
# "between 24 and 25 March 2020", "20-21 October", "on 3 to 5 May": a span of days, dated by its first.
_DAY_RANGE = re.compile(
    rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to|and|&)\s*[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I
)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d{{3}}\b)(?:,?\s+{_YEAR})?\b(?!\s*(?:%|km|people))", re.I)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b")
# "on 20/06", "(29/07)", "on 21/04/2017": a day and month in figures. Day first, as most of the world
# writes it (and ACLED's notes), unless only the other reading is a date ("6/20" is June 20).
_NUMERIC = re.compile(r"(?<![\d/.,])(?P<a>[0-3]?\d)/(?P<b>[01]?\d|[0-3]\d)(?:/(?P<y>(?:19|20)\d\d))?(?![\d/]|\.\d|\s*(?:%|km|kg|people))")
# What stands before a day in figures in running text ("on", "of", a bracket): a bare "3/4" is a fraction or a score.
_NUMERIC_BEFORE = re.compile(r"(?:\b(?:on|of|from|since|until|till|to|and|between|dated|before|after|night|morning|evening)\s+|[(\[]\s*)$", re.I)
_PART = r"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)"
# "March Lane", "May Street": a month's name in a street's is no date.
_STREET = r"(?!\s+(?-i:Lane|Street|St\b|Avenue|Ave\b|Road|Rd\b|Drive|Boulevard|Way|Place|Square|Court|Terrace|Close|Crescent))"
_MONTH_ONLY = re.compile(rf"\b(?:(?P<part>{_PART})[\s-]+|in\s+|since\s+|during\s+)?{_MONTH}(?:\s+{_YEAR})?\b{_STREET}")
_WEEKDAY = re.compile(
    r"\b(?:(?P<rel>last|this|past|next|on|earlier\s+on|late|early)\s+)?"
    r"(?P<wd>(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))(?:['’]s)?"
    r"(?:\s+(?P<tod>morning|afternoon|evening|night))?\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?P<e>the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+(?:morning|afternoon|evening)|"
    r"last\s+night|(?:earlier\s+|later\s+)?this\s+week|last\s+week|the\s+previous\s+week|(?:earlier\s+)?this\s+month|"
    r"last\s+month|the\s+previous\s+day|the\s+day\s+before|"
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>days?|weeks?|months?)\s+ago)\b",
    re.I,
)
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A calendar date with how precise the text was about it."""

    date: date
    precision: Precision
    text: str


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _closest_year(month: int, day: int, ref: date) -> date | None:
    """The date with this month and day that `ref`'s text most likely means: the latest on or before it
    (news reports what happened: "On December 5" in a note of 19 November is last year's), or one at most
    a week ahead (a truce "from September 12" announced on the 9th; Dec 28 seen on Jan 3 is last year's)."""
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _safe_date(y, month, day))]
    near = [d for d in options if (d - ref).days <= _AHEAD_DAYS]
    return max(near) if near else None


_AHEAD_DAYS = 7


def _month_start(d: date, back: int = 0) -> date:
    y, m = d.year, d.month - back
    while m < 1:
        m += 12
        y -= 1
    return date(y, m, 1)


def _numeric_day(m: re.Match[str]) -> tuple[int, int] | None:
    """(month, day) of a day in figures: day first unless only month first makes a date."""
    a, b = int(m.group("a")), int(m.group("b"))
    if 1 <= b <= 12 and 1 <= a <= 31:
        return b, a
    if 1 <= a <= 12 and 1 <= b <= 31:
        return a, b
    return None


def _numeric_dates(text: str, *, anywhere: bool = False) -> list[tuple[re.Match[str], int, int]]:
    """Days in figures with their (month, day); in running text only after a date's preposition or a bracket."""
    out = []
    for m in _NUMERIC.finditer(text):
        md = _numeric_day(m)
        if md and (anywhere or m.group("y") or _NUMERIC_BEFORE.search(text[max(0, m.start() - 12) : m.start()])):
            out.append((m, *md))
    return out


def _bare_abbreviation(m: re.Match[str]) -> bool:
    """A month's short name alone, with no period and no year ("Avenida Del Mar", "Jan Smith"): a word, not a month."""
    name = m.group("m")
    return len(name) <= 4 and name not in ("May", "June", "July") and not m.group("y") and not m.group(0).endswith(".")


def find_date_expressions(sentence: str) -> list[tuple[int, int, str]]:
    """Spans of date phrases in a sentence, as (start, end, text), longest first where they overlap."""
    spans: list[tuple[int, int]] = [(m.start(), m.end()) for m, _, _ in _numeric_dates(sentence)]
    for rx in (_ISO, _DAY_RANGE, _DAY_MONTH, _MONTH_DAY, _RELATIVE, _WEEKDAY, _MONTH_ONLY):
        for m in rx.finditer(sentence):
            s, e = m.start(), m.end()
            if rx is _WEEKDAY and m.group("rel") and m.group("rel").lower() == "on":
                s = m.start("wd")  # "on Saturday": the date is "Saturday"
            if rx is _MONTH_ONLY and _bare_abbreviation(m):
                continue
            if rx is _MONTH_ONLY and m.group(0).lower().startswith(("in ", "since ", "during ")):
                s = m.start("m")
            if any(s < pe and e > ps for ps, pe in spans):
                continue
            spans.append((s, e))
    return [(s, e, sentence[s:e]) for s, e in sorted(spans)]


def explicit_dates(text: str, published: date | None = None) -> list[date]:
    """Dates written out in a text ("17 September 2016", "Sept. 9"), years inferred where missing.

    A missing year comes from `published`, else from the latest date in the text that states one;
    with neither, that date is left out.
    """
    days: list[tuple[re.Match[str], int, int]] = []  # (match, month, day), named months and days in figures
    for rx in (_ISO, _DAY_RANGE, _DAY_MONTH, _MONTH_DAY):
        for m in rx.finditer(text):
            month = int(m.group("mo")) if rx is _ISO else _MONTHS[m.group("m").lower().rstrip(".")]
            days.append((m, month, int(m.group("d"))))
    days.extend(_numeric_dates(text))
    full: list[tuple[int, date]] = []
    partial: list[tuple[int, int, int]] = []
    for m, month, day in days:
        if m.group("y"):
            d = _safe_date(int(m.group("y")), month, day)
            if d:
                full.append((m.start(), d))
        else:
            partial.append((m.start(), month, day))
    ref = published or (max(d for _, d in full) if full else None)
    found = list(full)
    if ref is not None:
        for pos, month, day in partial:
            d = _closest_year(month, day, ref)
            if d:
                found.append((pos, d))
    seen, out = set(), []
    for _, d in sorted(found):
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


# An age the tagger calls DATE ("a 14-year-old", "aged 18", "two years old"): no day of the month.
# A bare number, a decade or a duration ("14", "the 1990s", "two days") is no day either.
_AGE = re.compile(r"[-\s](?:years?|months?|weeks?|days?)[-\s]olds?\b|\b(?:years?|months?)\s+old\b|\baged?\s+\d|"
                  r"^\W*(?:the\s+)?\d+\W*$|\d0['’]?s\b|^\W*(?:about\s+|some\s+|nearly\s+|the\s+)?[\w-]+\s+(?:days?|weeks?|months?|hours?)\W*$", re.I)
_STATED = re.compile(rf"{_MONTH}|\b(?:19|20)\d\d\b|\d{{1,2}}/\d{{1,2}}", re.I)


def is_stated(expr: str) -> bool:
    """Whether a date phrase names its day or month outright ("September 17", "3 May 2020"), not relative to now."""
    return bool(_STATED.search(expr))


def partial_day(expr: str) -> str | None:
    """A day named without a year ("on September 17") as ISO 8601's "--MM-DD", else None."""
    for rx in (_DAY_RANGE, _DAY_MONTH, _MONTH_DAY):
        m = rx.search(expr)
        if m and not m.group("y"):
            month, day = _MONTHS[m.group("m").lower().rstrip(".")], int(m.group("d"))
            if _safe_date(2000, month, day):  # a leap year: "--02-29" is a day
                return f"--{month:02d}-{day:02d}"
    for m, month, day in _numeric_dates(expr, anywhere=True):
        if not m.group("y") and _safe_date(2000, month, day):
            return f"--{month:02d}-{day:02d}"
    return None


def partial_weekday(expr: str) -> str | None:
    """A weekday named with no date to count back from ("on Monday" in an undated article) as "W-1" (Monday)
    to "W-7" (Sunday), ISO 8601's weekday numbers; "next Monday" looks ahead, so it is not one."""
    m = _WEEKDAY.search(expr)
    if not m or (m.group("rel") or "").lower() == "next":
        return None
    return f"W-{_WEEKDAYS[m.group('wd').lower()] + 1}"


def is_partial_weekday(partial: str | None) -> bool:
    """Whether a report's partial date is a weekday ("W-1"), not a yearless day ("--09-17")."""
    return partial is not None and partial.startswith("W-")


def weekday_near(partial: str, anchor: date) -> date | None:
    """The day a "W-n" partial names in the week around `anchor`, from two days before it to four after.

    `anchor` is the latest day of the news an undated article reports (`fusion.dates.anchor_undated`);
    the article was written soon after it, and its weekdays name the days just before that news
    ("clashes on Friday" by Saturday's strike) or the days it went on to report ("on Monday").
    """
    m = re.fullmatch(r"W-([1-7])", partial)
    if not m:
        return None
    start = anchor - timedelta(days=2)
    return start + timedelta(days=(int(m.group(1)) - 1 - start.weekday()) % 7)


class DateResolver:
    """Resolves date expressions of one article against its publication date or anchors."""

    def __init__(self, published: date | None, anchors: Sequence[date] = ()) -> None:
        if published is not None and not isinstance(published, date):
            raise ValueError(f"published must be a datetime.date, got {type(published).__name__}")
        if isinstance(published, datetime):
            published = published.date()
        self.published = published
        self.anchors = tuple(anchors)
        self.reference: date | None = published or (max(self.anchors) if self.anchors else None)

    def resolve(self, expr: str) -> ResolvedDate | None:
        """The date an expression ("on Saturday", "17 September 2016", "last week") means, or None."""
        text = expr.strip()
        if not text:
            return None
        ref = self.reference
        m = _ISO.search(text)
        if m:
            d = _safe_date(int(m.group("y")), int(m.group("mo")), int(m.group("d")))
            return ResolvedDate(d, "day", text) if d else None
        numeric = _numeric_dates(text, anywhere=True)
        if numeric and not _MONTH_DAY.search(text) and not _DAY_MONTH.search(text):
            n, month, day = numeric[0]
            if n.group("y"):
                d = _safe_date(int(n.group("y")), month, day)
            else:
                d = _closest_year(month, day, ref) if ref is not None else None
            return ResolvedDate(d, "day", text) if d else None
        for rx in (_DAY_RANGE, _DAY_MONTH, _MONTH_DAY):
            m = rx.search(text)
            if m:
                month, day = _MONTHS[m.group("m").lower().rstrip(".")], int(m.group("d"))
                if m.group("y"):
                    d = _safe_date(int(m.group("y")), month, day)
                elif ref is not None:
                    d = _closest_year(month, day, ref)
                else:
                    d = None  # no year anywhere: do not invent one
                return ResolvedDate(d, "day", text) if d else None
        m = _RELATIVE.search(text)
        if m:
            return self._relative(m, text)
        m = _WEEKDAY.search(text)
        if m:
            if ref is None:
                return None
            wd = _WEEKDAYS[m.group("wd").lower()]
            rel = (m.group("rel") or "").lower()
            back = (ref.weekday() - wd) % 7
            if rel == "next":
                return ResolvedDate(ref + timedelta(days=(wd - ref.weekday()) % 7 or 7), "day", text)
            if rel in ("last", "past") and back == 0:
                back = 7
            return ResolvedDate(ref - timedelta(days=back), "day", text)
        m = _MONTH_ONLY.search(text)
        if m and not _bare_abbreviation(m):
            month = _MONTHS[m.group("m").lower().rstrip(".")]
            if m.group("y"):
                return ResolvedDate(date(int(m.group("y")), month, 1), "month", text)
            if ref is None:
                return None
            year = ref.year if month <= ref.month else ref.year - 1
            return ResolvedDate(date(year, month, 1), "month", text)
        return self._dateparser(text)

    def _relative(self, m: re.Match[str], text: str) -> ResolvedDate | None:
        ref = self.reference
        if ref is None:
            return None
        e = re.sub(r"\s+", " ", m.group("e").lower())
        if m.group("unit"):
            n = int(m.group("n")) if m.group("n").isdigit() else _SMALL[m.group("n").lower()]
            unit = m.group("unit").lower().rstrip("s")
            if unit == "day":
                return ResolvedDate(ref - timedelta(days=n), "day", text)
            if unit == "week":
                d = ref - timedelta(weeks=n)
                return ResolvedDate(d - timedelta(days=d.weekday()), "week", text)
            return ResolvedDate(_month_start(ref, n), "month", text)
        if e in ("today", "tonight") or e.startswith("this ") and e.split()[1] in ("morning", "afternoon", "evening"):
            return ResolvedDate(ref, "day", text)
        if e in ("yesterday", "last night", "the previous day", "the day before"):
            return ResolvedDate(ref - timedelta(days=1), "day", text)
        if e == "the day before yesterday":
            return ResolvedDate(ref - timedelta(days=2), "day", text)
        if e.endswith("this week"):
            return ResolvedDate(ref - timedelta(days=ref.weekday()), "week", text)
        if e in ("last week", "the previous week"):
            return ResolvedDate(ref - timedelta(days=ref.weekday() + 7), "week", text)
        if e.endswith("this month"):
            return ResolvedDate(_month_start(ref), "month", text)
        if e == "last month":
            return ResolvedDate(_month_start(ref, 1), "month", text)
        return None

    def _dateparser(self, text: str) -> ResolvedDate | None:
        """Last resort for spaCy DATE spans our regexes do not read; never without a reference."""
        ref = self.reference
        if ref is None or len(text) > 40 or not re.search(r"\d|day|week|month", text, re.I) or _AGE.search(text):
            return None
        if re.search(r"\d", text) and not re.search(rf"{_MONTH}|\d{{1,2}}[/.]\d{{1,2}}|\b(?:days?|weeks?|months?)\b", text):
            return None  # "17th 2019" (the tagger's cut of "Jun 17th 2019") names no month: the base's month would be invented
        try:
            import dateparser
        except ImportError:  # pragma: no cover - a declared dependency
            return None
        settings = {"RELATIVE_BASE": datetime(ref.year, ref.month, ref.day), "PREFER_DATES_FROM": "past",
                    "REQUIRE_PARTS": ["day"]}
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
        if parsed is None or parsed.date() > ref + timedelta(days=1):
            return None  # "3 MONTHS IN" read as three months from now: a duration, and news is of the past
        return ResolvedDate(parsed.date(), "day", text)
