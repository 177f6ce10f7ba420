"""Casualty counts a sentence gives without a number before its verb: victims named one by one
("a baby and a man were shot and killed" = 2 killed) and a count split by fate ("Three people were
shot, one fatally" = 1 killed and 2 injured). `figures.find_figures` adds what these find.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sitroom.extract.counts import DIGITS, NUMWORD, parse_number
from sitroom.model import FigureField


class Count(NamedTuple):
    """A count found here: its field, value, span in the sentence and the victim words it counts."""

    field: FigureField
    value: int
    start: int
    end: int
    victims: str


# One person, named by a noun ("a man", "his sister", "an eight-month-old baby boy") or by a name ("Meghan Kerrigan").
_ONE = (
    r"(?:(?i:an?|the|his|her|their|its)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?i:man|woman|boy|girl|baby|infant|child|toddler|teenager|teen|youth|mother|father|son|daughter|wife|husband|"
    r"brother|sister|grandmother|grandfather|aunt|uncle|cousin|nephew|niece|friend|neighbou?r|driver|guard|officer|"
    r"soldier|policeman|journalist|student|worker|farmer|shopkeeper|male|female|resident|relative|partner|girlfriend|boyfriend)\b"
    r"|(?:[A-Z][a-z'’-]+\s+){1,2}[A-Z][a-z'’-]+)"
)
_BARE_RELATIVE = r"(?:mother|father|son|daughter|wife|husband|brother|sister|grandmother|grandfather|aunt|uncle|cousin|friend)"
_DEATH = (
    r"(?:were|have\s+been|had\s+been)\s+(?:both\s+|all\s+|later\s+)?(?:shot\s+and\s+killed|shot\s+dead|killed|found\s+dead|"
    r"stabbed\s+to\s+death|shot\s+to\s+death|fatally\s+(?:shot|stabbed|wounded)|slain|murdered)\b|\bdied\b"
)
_INJURY = r"(?:were|have\s+been|had\s+been)\s+(?:both\s+|all\s+)?(?:wounded|injured|hurt)\b"
# "An eight-month-old baby boy and a man were shot and killed", "his mother and sister were found dead".
_CONJOINED = re.compile(
    rf"(?<![\w'’-])(?P<a>{_ONE})\s+and\s+(?P<b>{_ONE}|{_BARE_RELATIVE})(?:\s*,[^,.;]{{1,60}},)?\s+(?:(?P<death>{_DEATH})|(?P<injury>{_INJURY}))"
)
_N = rf"(?:{DIGITS}|{NUMWORD})"
# "Three people were shot, one fatally", "Four were shot, two of them fatally".
_SHOT_SOME_FATALLY = re.compile(
    rf"\b(?P<n>{_N})\s+(?P<victims>(?:[\w'’-]+\s+){{0,3}}?)(?:were|have\s+been|had\s+been)\s+(?:shot|stabbed|wounded|injured|hit)"
    rf"(?:\s+[^,.;]{{1,40}}?)?,\s+(?P<k>{_N}|one)(?:\s+of\s+them)?\s+(?:fatally|mortally)\b",
    re.I,
)


def counted_victims(sentence: str) -> list[Count]:
    """Counts of victims named one by one, and of a shot group split by fate, in one sentence."""
    out: list[Count] = []
    for m in _SHOT_SOME_FATALLY.finditer(sentence):
        n, k = parse_number(m.group("n")), parse_number(m.group("k"))
        if n is None or k is None or not 0 < k <= n:
            continue
        victims = m.group("victims").strip() or "people"
        out.append(Count("fatalities", k, m.start("k"), m.end("k"), victims))
        if n > k:
            out.append(Count("injured", n - k, m.start("n"), m.end("n"), victims))
    for m in _CONJOINED.finditer(sentence):
        if any(c.start <= m.start() < c.end for c in out):
            continue
        field: FigureField = "fatalities" if m.group("death") else "injured"
        out.append(Count(field, 2, m.start(), m.end("b"), m.group("a") + " and " + m.group("b")))
    return out
