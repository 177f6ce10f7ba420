"""Parts of a city: neighbourhoods, sections and sides, placed inside the article's city.

Local news names the neighbourhood, not the town: "in the Homewood neighborhood", "Chicago's
Englewood neighborhood", "on the city's South Side". A gazetteer of towns reads "Homewood" as
Homewood, Alabama and "Austin" as the Texan capital, hundreds of kilometres from a Pittsburgh or a
Chicago story. A part of a city is therefore looked for only inside the city the text names with it
("Chicago's X") or the city the article is about (its dateline, else the city it names most); where
the gazetteer has no such part there, the city itself stands for it, at city precision. With no
city to put it in, a part is placed only in a state the article names, never in another.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sitroom.extract import places
from sitroom.gazetteer import Gazetteer
from sitroom.model import Location

# How far from its city's point a neighbourhood may lie.
PART_REACH_KM = 25.0

_PART_WORD = r"(?:neighbou?rhoods?|section|community|side)"
# "Chicago's Englewood neighborhood", "Pittsburgh's Hill District": the city, then its part.
_POSSESSIVE = re.compile(r"^(?:the\s+)?(?P<city>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})['’]s\s+(?P<part>\S.*)$")
# "the Homewood neighborhood", "Garfield Park section"
_NAMED_PART = re.compile(rf"^(?:the\s+)?(?P<name>[A-Z].*?)\s+{_PART_WORD}$", re.I)
# "the South Side", "Far North Side": a side of a city, never a town.
_SIDE = re.compile(r"^(?:the\s+)?(?:far\s+)?(?:north|south|east|west|northwest|northeast|southwest|southeast)\s+side$", re.I)
# A part word right after a name: "Homewood neighborhood" read by the tagger as "Homewood".
_PART_AFTER = re.compile(rf"^\s+{_PART_WORD}\b", re.I)
# "the city's Englewood": a part of the article's city, whatever it is called.
_CITY_BEFORE = re.compile(r"\bthe\s+(?:city|town)['’]s\s+$", re.I)


def is_part(text: str, before: str = "", after: str = "") -> bool:
    """Whether a place phrase names a part of a city; `before`/`after` are the sentence's text around it."""
    if _SIDE.match(text) or _NAMED_PART.match(text) or _CITY_BEFORE.search(before) or _PART_AFTER.match(after):
        return True
    m = _POSSESSIVE.match(text)
    return m is not None and m["city"].split()[0] not in places.NOT_PLACES


def resolve_part(
    text: str, *, city: Location | None, countries: Sequence[str] = (), admin1s: Sequence[tuple[str, str]] = (),
    gazetteer: Gazetteer | None = None,
) -> Location | None:
    """A city part inside its city (the one named before it, else `city`, the article's); else that city; else None.

    Without a city the part's name is placed only in a state or province of `admin1s`.
    """
    g = gazetteer or Gazetteer.default()
    m = _POSSESSIVE.match(text)
    if m and m["city"].split()[0] not in places.NOT_PLACES:
        named = places.resolve_place(m["city"], countries=countries, admin1s=admin1s, gazetteer=g)
        if named is not None and named.precision in ("city", "exact"):
            city, text = named, m["part"]
    name = _part_name(text)
    if city is not None and city.lat is not None and city.lon is not None:
        if name is None:
            return city
        scope = (city.country,) if city.country else ()
        found = g.nearest(name, (city.lat, city.lon), countries=scope, max_km=PART_REACH_KM)
        return found if found is not None and found.precision in ("city", "exact") else city
    if name is None or not admin1s:
        return None
    found = g.lookup(name, countries=countries, admin1s=admin1s)
    if found is None or found.precision not in ("city", "exact"):
        return None
    if not any(found.country == c and g.admin1_code(found) == code for c, code in admin1s):
        return None  # "Homewood" in a story that names Pennsylvania is not Homewood, Alabama
    return found


def _part_name(text: str) -> str | None:
    """The part's own name ("Homewood" of "the Homewood neighborhood"); None for a side ("the South Side")."""
    if _SIDE.match(text):
        return None
    m = _NAMED_PART.match(text)
    name = m["name"] if m else re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    if _SIDE.match(name):
        return None  # "South Side neighborhood"
    return name if name[:1].isupper() else None


def local_namesake(text: str, found: Location, city: Location, gazetteer: Gazetteer | None = None) -> Location | None:
    """A place of the same name within the article's city, when the gazetteer's reading is a town of another state.

    Only for a bare name read as a town ("Englewood" in a Chicago story); a state or country, or a
    town of the city's own state or province, stays as read.
    """
    if found.precision not in ("city", "exact") or found.country != city.country or found.admin1 == city.admin1:
        return None
    if city.lat is None or city.lon is None or "," in text:
        return None  # "Englewood, Colo.": the text says which
    g = gazetteer or Gazetteer.default()
    local = g.nearest(re.sub(r"^the\s+", "", text.strip(), flags=re.I), (city.lat, city.lon), countries=(city.country,) if city.country else (),
                      max_km=PART_REACH_KM)
    return local if local is not None and local.precision in ("city", "exact") else None
