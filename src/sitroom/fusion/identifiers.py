"""What a report's text says that tells one incident from another: victims' ages, people named,
streets, block numbers, times of day; and which of its actors identify anyone.

Fusion's evidence (`fusion/evidence.py`) compares these between two reports; they are read here from
the report's own sentences, so two reports can be compared without the rest of the corpus.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from sitroom.gazetteer import Gazetteer
from sitroom.gazetteer.folding import fold
from sitroom.model import Actor, ActorKind

_AGE = re.compile(
    r"\b(\d{1,2})[- ](?:year|yr)s?[- ]old\b"
    r"|\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+)+,\s+(\d{1,2}),"
    r"|\b(?:man|woman|boy|girl|teen|teenager|victim|male|female|son|daughter|toddler|child|mother|father),?\s+(?:aged\s+)?(\d{1,2})\b(?!\s*(?:%|people|times|shots|rounds|years|days|minutes|hours|feet|miles|p\.m|a\.m))",
)
_SUFFIX = r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Place|Pl|Lane|Ln|Court|Ct|Way|Parkway|Pkwy|Terrace|Highway|Hwy|Circle|Cir|Trail|Pike|Expressway|Freeway)\b\.?"
_STREET = re.compile(
    rf"\b((?:(?:North|South|East|West|N|S|E|W)\.?\s+)?(?:\d+(?:st|nd|rd|th)|[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){{0,2}})\s+{_SUFFIX})"
)
_BLOCK = re.compile(r"\b(\d{2,5})[- ]block of\b", re.I)
_TIME = re.compile(r"\b(\d{1,2})(?::(\d\d))?\s*([ap])\.?m\b\.?", re.I)
_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+(?:[A-Z][a-z'’-]+|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)){1,2})\b")
# A name right after these is an official's or a place's, not a victim's or a suspect's.
_TITLE_BEFORE = re.compile(
    r"(?:Officer|Sgt|Sergeant|Lt|Lieutenant|Capt|Captain|Chief|Detective|Det|Deputy|Sheriff|Mayor|spokesman|spokeswoman|"
    r"spokesperson|Attorney|Judge|Gov|Governor|Sen|Senator|Rep|Superintendent|Commander|Cmdr|Trooper|Agent|Dr|Rev|Pastor|"
    r"President|Coroner|Examiner|Prosecutor|Inspector|Councilman|Alderman|Ald)\.?\s+$"
)
_NOT_NAME_WORDS = frozenset(
    "Police Department County City Street Avenue Road Drive Boulevard Hospital Center Medical School High University "
    "Office News North South East West Park Sheriff State Court Township Fire District Memorial Church Square "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December The A An This That In On At Chicago Police Associated Press Tribune Times "
    "Sun Post Herald Journal Authorities Investigators".split()
)
# Capitalised words that end many names of things, not of people ("Country Club Motel").
_COMMON_LAST = frozenset(
    "motel hotel inn bar club lounge grill restaurant cafe store market mall plaza apartments apartment complex "
    "station church school academy college university hospital department office service services force unit task "
    "team deputy deputies officer officers ambush shooting police sheriff marshals agency bureau court jail prison "
    "county city town village parish township district park street avenue road drive boulevard blvd ave lane place "
    "way highway bridge center centre building tower home house island beach lake river valley heights hills "
    "news press tribune times post herald journal gazette daily channel radio television tv fox abc cbs nbc cnn "
    "fugitive suspect victim victims man woman boy girl family festival parade game stadium arena airport".split()
)
_STREET_WORDS = {"st": "street", "ave": "avenue", "rd": "road", "dr": "drive", "blvd": "boulevard", "pl": "place",
                 "ln": "lane", "ct": "court", "pkwy": "parkway", "hwy": "highway", "cir": "circle",
                 "n": "north", "s": "south", "e": "east", "w": "west"}


def identifying(actor: Actor) -> bool:
    """Whether naming this actor tells one incident from another: not civilians or a crowd, not an unidentified group.

    "Unidentified Armed Group (United States)" is the gunman of most US shootings and "Unidentified
    Communal Militia" any civilian who attacks: two reports that both name one say nothing about
    being one incident (sharing them joined look-alike shootings of one city and month).
    """
    return actor.kind not in _ANONYMOUS and not actor.name.startswith("Unidentified")


# Parties named for what they are, not who: every crowd of a country is "Protesters (Kenya)", every victim "Civilians (X)".
_ANONYMOUS = frozenset({ActorKind.CIVILIANS, ActorKind.PROTESTERS, ActorKind.RIOTERS})


def actor_words_of(actors: Iterable[Actor]) -> frozenset[str]:
    """The lower-cased words of a report's identifying actors as named and as written ("Al Shabaab",
    "Southern Resistance"); not its civilians, whose mentions may be the victims' own names."""
    words: set[str] = set()
    for actor in filter(identifying, actors):
        for text in (actor.name, *actor.mentions):
            words.update(w.lower() for w in re.findall(r"[\w'’-]+", text))
    return frozenset(words)


def identifiers(text: str, places: frozenset[str] = frozenset(), actor_words: frozenset[str] = frozenset()) -> dict[str, frozenset]:
    """Victims' ages, people named, streets, block numbers and times of day a text states.

    `places` holds the folded place phrases of the text: a name among them ("Baton Rouge") is a place's.
    `actor_words` holds the words of the report's actors: a name ending in one ("Al Shabaab", "Popular
    Resistance") is an armed group's, which fights on many fronts a day, not a person's.
    """
    ages = {int(next(g for g in m.groups() if g)) for m in _AGE.finditer(text)}
    streets = {_street_key(m.group(1)) for m in _STREET.finditer(text)}
    names = set()
    for m in _NAME.finditer(text):
        words = m.group(1).split()
        if any(w.strip(".") in _NOT_NAME_WORDS for w in words) or _TITLE_BEFORE.search(text[max(0, m.start() - 16) : m.start()]):
            continue
        if re.match(rf"\s+{_SUFFIX}", text[m.end() : m.end() + 14]) or re.match(r"['’]s\b", text[m.end() : m.end() + 3]):
            continue  # "Western Avenue", "Allegheny County's": a street or an owner, not a person
        last = words[-1].lower()
        if last.endswith(("'s", "’s")) or fold(m.group(1)) in places or _known_place(fold(m.group(1))) or last in _COMMON_LAST or re.match(rf"{_SUFFIX}$", words[-1]) or len(last) < 3 \
                or last in actor_words:
            continue
        names.add(last)  # surnames: "Jessica Williams" and "Ms. Williams" agree
    minutes = set()
    for m in _TIME.finditer(text):
        hour, minute = int(m.group(1)) % 12, int(m.group(2) or 0)
        if hour <= 12 and minute < 60:
            minutes.add((hour + (12 if m.group(3).lower() == "p" else 0)) * 60 + minute)
    return {
        "ages": frozenset(a for a in ages if 0 < a < 100),
        "names": frozenset(names),
        "streets": frozenset(streets),
        "blocks": frozenset(int(m.group(1)) for m in _BLOCK.finditer(text)),
        "minutes": frozenset(minutes),
    }


def _street_key(street: str) -> str:
    """A street's name folded so that 'S. Western Ave.' and 'South Western Avenue' agree."""
    words = [w.strip(".").lower() for w in street.split()]
    words = [_STREET_WORDS.get(w, w) for w in words]
    # Direction words are often dropped by one outlet: the key is the name and its kind.
    core = [w for w in words if w not in ("north", "south", "east", "west")]
    return " ".join(core or words)


@functools.lru_cache(maxsize=50_000)
def _known_place(folded: str) -> bool:
    """Whether the gazetteer knows a phrase as a place of any rank ("Ad Dali", a province, is no person)."""
    return Gazetteer.default().lookup(folded) is not None
