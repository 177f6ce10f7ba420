"""Count phrases and the numbers they stand for: "at least 62", "dozens of", "between 250 and 300",
"twenty-one", "a" (before a singular victim noun), each read as a value, its bounds and its qualifier.
Which count is a casualty figure is `figures`' business; this module only reads the number.

Conservative point values follow ACLED's coding rules where it has one and the unit reading
elsewhere, so a vague figure never inflates a toll:

    "a dozen", "dozens" -> 12     (ACLED: "dozens" is coded 12)
    "scores"            -> 20     (one score)
    "hundreds"          -> 100
    "thousands"         -> 1000
    "tens"              -> 10
    "several", "a number of", "many" -> no figure (unknown is not a number)

"more than 100" / "at least 62" keep value = low = the stated number and high = None; a range keeps
value = low = the lower bound; "up to 20" / "nearly 50" keep high = the stated number.
"""

from __future__ import annotations

import re

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_VAGUE = {"a dozen": 12, "dozen": 12, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000,
          "tens": 10}

NUMWORD = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[\s-](?:" + "|".join(k for k in _UNITS if _UNITS[k] < 10) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|a\s+hundred|one\s+hundred)"
)
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_NUM = rf"(?:{DIGITS}|{NUMWORD})"
_QUAL = (
    r"(?:at\s+least|(?<![\w])least|more\s+than|over|about|around|approximately|roughly|some|nearly|"
    r"almost|up\s+to|as\s+many\s+as|an\s+estimated|the\s+estimated|estimated|no\s+fewer\s+than|"
    r"no\s+less\s+than|fewer\s+than|less\s+than|at\s+most|a\s+total\s+of|total\s+of|total)"
)
COUNT = re.compile(
    rf"\b(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:between\s+(?P<lo>{_NUM})\s+(?:and|to)\s+(?P<hi>{_NUM})"
    rf"|(?P<lo2>{DIGITS})\s*[-–]\s*(?P<hi2>{DIGITS})(?![\w-])"
    rf"|(?P<lo3>{_NUM})\s+to\s+(?P<hi3>{_NUM})(?![\w-])"
    rf"|(?P<vague>a\s+dozen|dozens|scores|hundreds|thousands|tens)(?:\s+of(?!\s+thousands))?"
    rf"|(?P<n>{_NUM})(?![\w.,]*\d)(?!-year|\s*(?:%|per\s*cent|percent))"
    rf"|(?P<one>an?|one|the)(?=\s))\b",
    re.IGNORECASE,
)


def parse_number(text: str) -> int | None:
    """The integer a number phrase stands for ("62", "1,200", "twenty-one", "a dozen"), or None."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    if t in _VAGUE:
        return _VAGUE[t]
    if re.fullmatch(DIGITS, t):
        return int(t.replace(",", ""))
    if t in ("a", "an", "one", "the"):  # "the" only reaches here before a singular victim noun
        return 1
    if t in ("a hundred", "one hundred"):
        return 100
    if t in _UNITS:
        return _UNITS[t]
    parts = re.split(r"[\s-]", t)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)
    return None


_YEAR = re.compile(r"^(?:19|20)\d\d$")


def count_value(m: re.Match[str]) -> tuple[int, int | None, int | None, str | None] | None:
    """value, low, high, qualifier for a count match; None if it does not read as a number."""
    qual = m.group("qual")
    qual = re.sub(r"\s+", " ", qual.lower()) if qual else None
    if qual == "least":  # "with least 50 people being killed": a dropped "at"
        qual = "at least"
    if qual in ("the estimated", "estimated"):
        qual = "an estimated"
    if qual in ("total", "total of", "a total of"):
        qual = None
    if m.group("lo") or m.group("lo2") or m.group("lo3"):
        lo = parse_number(m.group("lo") or m.group("lo2") or m.group("lo3"))
        hi = parse_number(m.group("hi") or m.group("hi2") or m.group("hi3"))
        if lo is None or hi is None or hi < lo:
            return None
        return lo, lo, hi, "between"
    if m.group("vague"):
        word = re.sub(r"\s+of$", "", re.sub(r"\s+", " ", m.group("vague").lower()))
        vague = _VAGUE[word]
        return vague, vague, None, qual or ("about" if word == "a dozen" else word)
    raw = m.group("n") or m.group("one")
    if raw is None:
        return None
    if _YEAR.match(raw):
        return None
    value = parse_number(raw)
    if value is None:
        return None
    if qual in ("at least", "more than", "over", "no fewer than", "no less than"):
        return value, value, None, qual
    if qual in ("up to", "nearly", "almost", "fewer than", "less than", "at most", "as many as"):
        return value, None, value, qual
    return value, value, value, qual
