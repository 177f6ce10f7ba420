"""The country a text's own places point to, when no name in it states one.

A short note often names only villages ("militants attacked the gendarmerie in Kelbo"): no
country, no province, no town big enough to pin the story. The villages themselves still say
where they are: most of them exist, spelt as written, in one country. That country beats the
home of the note's actors ("JNIM" is Malian; its attacks are not all in Mali) and beats a
look-alike spelling abroad ("Lari" is a village in Kenya before it is Olari in Finland).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sitroom.extract import places
from sitroom.extract.place_phrases import place_phrases
from sitroom.gazetteer import Gazetteer
from sitroom.model import Location, Mention, Sentence

# "in Lari", "the village of Belhourou", "near Nassoumbou": a name the tagger calls a person or an
# organisation is still a place when a locative word governs it.
_LOCATIVE_NAME = re.compile(
    r"\b(?:in|at|near|outside|around|of|from|to|between|and)\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,2})", re.I)
_NAME_START = re.compile(r"[A-Z]")
_SKIP = re.compile(r"^(?:the|a|an|on|in|at|of|and|or|to|from|between|near|around|outside)\b", re.I)

# A country wins only when it gathers more of the names' weight than any other, and at least this much.
_MIN_VOTES = 0.5
_LOOKALIKE_WEIGHT = 0.25  # two agreeing look-alike names reach _MIN_VOTES; one alone does not


def place_names(sentences: Sequence[Sentence], mentions: Iterable[Mention]) -> list[str]:
    """The names a text uses as places: tagged places, place phrases and names a locative word governs."""
    names: list[str] = []
    for m in mentions:
        if m.label in ("GPE", "LOC", "FAC"):
            names.append(m.text)
    for sent in sentences:
        for _, _, phrase in place_phrases(sent.text):
            names += [p.strip() for p in re.split(r"\s*[(),]\s*|\s+(?:in|of|near|outside)\s+", phrase) if p.strip()]
        for hit in _LOCATIVE_NAME.finditer(sent.text):
            if _NAME_START.match(hit.group(1)):
                names.append(hit.group(1))
    return [n for n in dict.fromkeys(names) if n[:1].isupper() and not _SKIP.match(n) and n not in places.NOT_PLACES]


def places_countries(names: Iterable[str], homes: Sequence[str] = (), gazetteer: Gazetteer | None = None) -> list[str]:
    """The countries the names are places of, likeliest first; [] when none stands out.

    Each name gives one vote, shared among the countries that have a place spelt that way. A
    look-alike spelling counts only where no place has the spelling itself, and then for a quarter:
    one misspelt name alone is not a country (an unknown "Karvel" is not Harwell, England). `homes`, the
    countries of the text's actors, only break a tie between places' countries.
    """
    g = gazetteer or Gazetteer.default()
    votes: dict[str, float] = {}
    for name in names:
        if g.country_of(name):
            continue  # a country or its people: the caller counts those already
        found = g._exact(name)  # noqa: SLF001 - the spelling tiers are what this vote reads
        if not found:
            continue
        top = max(c.tier for c in found)
        countries = {c.country for c in found if c.tier == top and c.country}
        if not countries or len(countries) > 4:
            continue  # a name found in many countries ("Sona") says nothing of which
        weight = 1.0 if top >= 2 else _LOOKALIKE_WEIGHT
        for c in countries:
            votes[c] = votes.get(c, 0.0) + weight / len(countries)
    if not votes:
        return []
    ranked = sorted(votes, key=lambda c: (-votes[c], c not in homes, c))
    best = ranked[0]
    if votes[best] < _MIN_VOTES or (len(ranked) > 1 and votes[ranked[1]] == votes[best] and best not in homes):
        return []
    return ranked



_RIGHT_BEFORE = re.compile(r"\b(?:in|at|near|outside)\s+$")


def village_after_locative(before: str, name: str, countries: Sequence[str], gazetteer: Gazetteer | None = None) -> bool:
    """Whether a name the tagger calls a people is a village the text puts something in: "in Matiakoali"
    right after a locative word, spelt so as a place of the article's country (never "the Kikuyu community")."""
    g = gazetteer or Gazetteer.default()
    if not countries or not _RIGHT_BEFORE.search(before) or g.country_of(name):
        return False
    return any(c.tier >= 2 and c.country in countries for c in g._exact(name))  # noqa: SLF001


_BRACKETED_COUNTRY = re.compile(r"\(([^()]+)\)\s*$")


def outlet_country(source: str | None, gazetteer: Gazetteer | None = None) -> str | None:
    """The country an outlet names itself after: "Star (Kenya)", "Kenya Standard", "Kenyan Television NTV";
    None for an outlet that names none ("AFP", "Whatsapp") or several that disagree ("A; B")."""
    if not source:
        return None
    g = gazetteer or Gazetteer.default()
    found = set()
    for part in (p.strip() for p in source.split(";")):
        m = _BRACKETED_COUNTRY.search(part)
        words = part.split()
        iso = (g.country_of(m.group(1)) if m else None) or next(
            (c for n in (2, 1) if len(words) > n - 1 and (c := g.country_of(" ".join(words[:n])))), None)
        if iso:
            found.add(iso)
    return found.pop() if len(found) == 1 else None


# Words that head the name of a building, an institution or a part of a country: "the University of
# Dori", "the Ministry of Finance", "in the East". Alone they are never a town, whatever town abroad
# bears the name or folds to it (University, Florida; Münster; the East Region of Cameroon).
_GENERIC = frozenset(
    "university college school academy institute ministry palace court justice parliament assembly senate "
    "hospital clinic market office headquarters prison camp station church mosque cathedral stadium airport "
    "port harbour bridge road street avenue square hall park forest river lake border coast east west north "
    "south centre center central northeast northwest southeast southwest".split()
)


def is_generic(text: str) -> bool:
    """Whether a phrase is one generic word ("University", "the East") rather than a name."""
    return re.sub(r"^the\s+", "", text.strip(), flags=re.I).lower() in _GENERIC


def generic_abroad(text: str, loc: Location, countries: Sequence[str]) -> bool:
    """Whether a one-word phrase is a generic word ("University", "East") read as a place outside the
    article's countries (or in a text with none): a look-alike, not the scene."""
    return is_generic(text) and (not countries or loc.country not in countries)
