"""Datelines: the place a news story is filed from, in capitals before its first dash.

"PITTSBURGH (AP) — A man was shot ...", "POCATELLO, Idaho - ...", "KENT, Wash. -- ...". The tagger
rarely reads an all-capitals word as a place, so the article would name no place at all where the
dateline names its city. A dateline says where the reporter files from, which for local news is
where it happened and for a wire story from a capital often is not: its place stands in only for
sentences that name none (`extract.frame.filed_from`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The city in capitals (up to four words), an optional ", State" part, an optional "(Agency)", then a dash.
_DATELINE = re.compile(
    r"(?P<city>[A-Z][A-Z.'’-]*[A-Z.](?:\s+[A-Z][A-Z.'’-]*[A-Z.]){0,3})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?))?"
    r"\s*(?:\([^()\n]{1,40}\))?"  # the agency or station: "(AP)", "(KDKA)"
    r"\s*(?:—|–|--|-)(?=\s|$)"
)
# Capitals before a dash that are a label, not a place.
_LABELS = frozenset(
    "BREAKING|UPDATE|UPDATED|WATCH|VIDEO|PHOTOS|LIVE|EXCLUSIVE|OPINION|ANALYSIS|EDITORIAL|COMMENTARY|NEWS|"
    "ALERT|URGENT|CORRECTION|EDITOR'S NOTE|EDITOR’S NOTE|FILE|UPDATE 1|UPDATE 2".split("|")
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline's city and, where it names one, its state or country, as character spans of the text."""

    city: str
    city_start: int
    city_end: int
    region: str | None = None
    region_start: int | None = None
    region_end: int | None = None


def find_dateline(text: str) -> Dateline | None:
    """The dateline that opens the text, if any."""
    lead = len(text) - len(text.lstrip())
    m = _DATELINE.match(text, lead)
    if m is None:
        return None
    city = m.group("city")
    if city.rstrip(".") in _LABELS or not any(c.isalpha() for c in city) or len(city.replace(".", "")) < 3:
        return None
    region = m.group("region")
    return Dateline(
        city, m.start("city"), m.end("city"),
        region, m.start("region") if region else None, m.end("region") if region else None,
    )
