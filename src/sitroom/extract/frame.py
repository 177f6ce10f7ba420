"""The article's frame: the countries it is about, the provinces it names, the city it is mostly about,
the one town a short article's lead puts it in, and the place each sentence puts its incident in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sitroom.extract import city_parts, places, scene
from sitroom.extract.actors import find_actors
from sitroom.extract.place_phrases import place_phrases
from sitroom.extract.datelines import find_dateline
from sitroom.extract.geo import country_hint, distance_km
from sitroom.gazetteer import Gazetteer
from sitroom.gazetteer.folding import fold
from sitroom.model import Location, Mention, Sentence


PRECISION_RANK = {"exact": 0, "city": 1, "admin1": 2, "country": 3}

_AFTER_PREPOSITION = re.compile(r"\b(?:in|In|at|At|near|Near|of|outside|around|inside|shelled|bombed|struck|raided|stormed|attacked|targeted|hit)\s+((?:[A-Z][\w'’-]+)(?:\s+(?:al-|el-)?[A-Z][\w'’-]+){0,3})")

_LOCATIVE = re.compile(r"(?:\b(?:in|at|near|outside|around|across|inside|into|of|on|over|towards?|east of|west of|north of|south of|shelled|bombed|struck|raided|stormed|attacked|targeted|hit)\s+(?:the\s+)?(?:\w+\s+)?)$", re.I)

# A town's police after its name ("Hamden police", "Louisville Metro Police", "Fort Wayne Police Department").
_TOWN_POLICE = re.compile(r"\b(?!(?:The|State|Capitol|Transit|Park|Military|Border|Railway|Campus|University|College|School|City|County|Metro|Tribal|Federal|National|Local|Village|Town|Township|Area|Airport|Harbor|Port|Riot|Secret|Religious|Morality|Traffic|Highway|Republican|Islamic|Iraqi|Afghan|Syrian|Israeli|Palestinian)\b)((?-i:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}))(?=\s+(?:Metro(?:politan)?\s+)?(?:police|Police|PD|P\.D\.)\b)")
_POLICE_AFTER = re.compile(r"^\s+(?:Metro(?:politan)?\s+)?(?:police|Police|PD|P\.D\.)\b")

# "the US dollar", "Saudi-led": a country named without the story being there.
_NOT_CONTEXT = re.compile(r"^(?:\s+dollars?\b|-led\b|-backed\b)", re.I)

# "President Uhuru", "Governor Ali Roba": a name after a title is a person's, whatever the tagger calls it.
_TITLE_BEFORE = re.compile(r"\b(?:President|Minister|Secretary|Governor|Senator|Mayor|Commissioner|Chief|General|Gen|Col|Colonel|"
                           r"Mr|Mrs|Ms|Dr|King|Queen|Prince|Sheikh|Imam|Pastor|Bishop|MP|MCA|Deputy)\.?\s+$")


def _titled(sent: Sentence | None, start: int) -> bool:
    """Whether the mention starting at `start` (in the text) follows a person's title."""
    return sent is not None and bool(_TITLE_BEFORE.search(sent.text[max(0, start - sent.start - 30) : start - sent.start]))


# How far from a city's point its neighbourhoods lie.
_CITY_REACH_KM = 25.0


def within_city(location: Location | None, city: Location) -> bool:
    """Whether a place lies in or beside the city."""
    km = distance_km(location, city) if location is not None else None
    return km is not None and km <= _CITY_REACH_KM

# Only a note or a short dispatch is about one town throughout; a longer article moves on.
LEAD_PLACE_MAX_SENTENCES = 6


class _Countries(list):
    """The article's countries, most mentioned first, carrying the provinces it names (`admin1s`)
    and, where its lead places everything in one town or village, that place (`place`)."""

    admin1s: tuple[tuple[str, str], ...] = ()
    surnames: frozenset[str] = frozenset()  # the last names of the people it names ("Palin" of "Sarah Palin")
    place: tuple[Location, str] | None = None
    city: Location | None = None  # the town its dateline files it from, else the city it names most


# A name right after one of these is a place whoever else bears it ("in Washington").
_STRONG_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|from|into|across|around)\s+(?:the\s+)?$", re.I)
_POSSESSIVE_END = re.compile(r"['’]s?$")


def person_surnames(mentions: Sequence[Mention]) -> frozenset[str]:
    """The last names of the people an article names in full ("Sarah Palin" -> "palin")."""
    return frozenset(_POSSESSIVE_END.sub("", m.text.split()[-1]).casefold() for m in mentions if m.label == "PERSON" and len(m.text.split()) >= 2)


def surname_not_place(name: str, before: str, surnames: frozenset[str], after: str = "") -> bool:
    """Whether a one-word name is the surname of someone the article names, not where it happens:
    "at Palin's church", "said Palin"; "in Washington" stays a place."""
    word = _POSSESSIVE_END.sub("", name.strip())
    possessive = word != name.strip() or after.startswith(("'s", "’s"))  # "at Palin's church": the owner of the place, not the place
    return " " not in word and word.casefold() in surnames and (possessive or not _STRONG_LOCATIVE.search(before))


def context_countries(mentions: list[Mention], sentences: Sequence[Sentence] = (), outlet: str | None = None) -> list[str]:
    """Countries the article talks about, most mentioned first: they disambiguate place names.

    Entity mentions count, and so do the names inside place phrases the tagger missed
    ("in Qaatabah district (Ad Dali)"): a province named once pins the country of the villages.
    A name inside a phrase counts only when it is a country, its people, a province or a town of
    20,000: a village abroad that shares a word with it ("Nadas") must not pull the story there.
    The list also carries, as `admin1s`, the provinces the article names ("in Idleb", "(Lahij)").
    Where no name points to a country, the villages named do (`scene`), then the `outlet`'s own
    country, then the parties'.
    """
    hints: list[tuple[str, str]] = []  # (a name, the country it points to)
    by_index = {s.index: s for s in sentences}
    names: list[str] = []
    surnames = person_surnames(mentions)
    for m in mentions:
        sent = by_index.get(m.sentence_index)
        after = sent.text[m.end - sent.start :] if sent else ""
        before = sent.text[: m.start - sent.start] if sent else ""
        if surname_not_place(m.text, before, surnames, after):
            continue  # "Palin's church" after "Sarah Palin": the woman, not Palín in Guatemala
        if m.label in ("GPE", "LOC", "NORP") and not _NOT_CONTEXT.match(after) and not _titled(sent, m.start):
            names.append(m.text)
            loc = country_hint(m.text)
            if loc:
                hints.append((m.text, loc))
    tagged = {m.text for m in mentions}
    g = Gazetteer.default()
    for sent in sentences:
        for _, _, phrase in place_phrases(sent.text):
            for part in re.split(r"\s*[(),]\s*|\s+(?:in|of|near|outside)\s+", phrase):
                part = re.sub(r"^(?:the|rural|northern|southern|eastern|western|central)\s+", "", part.strip(), flags=re.I)
                if part and surname_not_place(part, "", surnames):
                    continue
                if part and part[:1].isupper():
                    names.append(part)
                if part and part not in tagged and part[:1].isupper() and not scene.is_generic(part):
                    bare = places.bare_name(part)  # "Ain al Arab city": the town's name
                    loc = g.country_of(part) or g.country_of_folded(part) or (g.country_of_folded(bare) if bare != part else None)
                    if loc:
                        hints.append((part, loc))
    counts = _count_hints(hints, g)
    if hints and all(g.is_people(text) for text, _ in hints):
        # Only peoples' adjectives ("Turkish forces shelled Zannubah village"): where the actors are
        # from, not where it happened; the villages the text names say that, if they agree on a country.
        for iso in scene.places_countries(scene.place_names(sentences, mentions), (), g)[:1]:
            counts[iso] += len(hints) + 1
    if not counts:
        # No place names a country: the villages it names do, most of them spelt so in one country
        # (`scene`); failing that the parties ("pro-Houthi forces" fight in Yemen).
        homes: Counter[str] = Counter()
        for sent in sentences:
            for a in find_actors(sent.text):
                if a.country and a.kind in ("military", "group", "coalition"):
                    homes[a.country] += 1
        for iso in scene.places_countries(scene.place_names(sentences, mentions), [c for c, _ in homes.most_common()], g)[:1]:
            counts[iso] += 1
        # Then the outlet's own country ("Star (Kenya)"): a local paper's story is local before it is
        # where its actors come from (al-Shabaab's attacks in Kenya are not in Somalia).
        home_paper = scene.outlet_country(outlet, g)
        if not counts and home_paper:
            counts[home_paper] += 1
        counts = counts or homes
    out = _Countries(c for c, _ in counts.most_common())
    out.surnames = surnames
    out.admin1s = _named_provinces(names, out[:3], g)
    filed = filed_from(sentences[0].text, out) if sentences else None
    if filed is not None and (not out or filed[0].country == out[0]):
        out.city = filed[0]
        code, country = g.admin1_code(filed[0]), filed[0].country
        if code and country and (country, code) not in out.admin1s:
            out.admin1s = (*out.admin1s, (country, code))  # "KENT, Wash. --": the story's state
    out.city = out.city or focus_city(mentions, out)
    out.place = _lead_place(mentions, sentences, out)
    return out


def _count_hints(hints: list[tuple[str, str]], g: Gazetteer) -> Counter[str]:
    """The countries the names point to, counted; a town's name counts for a country the text names
    outright when a place of that spelling lies there ("Hays" in a story that names Yemen is Yemen's
    Hays, not the Kansas town its name alone points to)."""
    named = {iso for text, iso in hints if g.country_of(text) == iso}
    counts: Counter[str] = Counter()
    for text, iso in hints:
        if named and iso not in named:
            spellings = {text, places.bare_name(text)}  # "Hays city": Hays
            iso = next((c.country for n in spellings for c in g._exact(n) if c.tier >= 2 and c.country in named), iso)  # noqa: SLF001
        counts[iso] += 1
    return counts


def _lead_place(mentions: list[Mention], sentences: Sequence[Sentence], countries: _Countries) -> tuple[Location, str] | None:
    """The one town or village a short article's lead puts it in ("On 23 Sept, workers blocked the road
    in Naivasha. Rioters lit bonfires ..."): the place of its incident sentences that name none."""
    if not sentences or len(sentences) > LEAD_PLACE_MAX_SENTENCES:
        return None
    found: dict[tuple, tuple[Location, str]] = {}
    for sent in sentences[:3]:
        loc, text = locate(sent, [m for m in mentions if m.sentence_index == sent.index], countries)
        if loc is not None and text is not None and loc.precision in ("exact", "city"):
            found.setdefault((loc.geonames_id, loc.name, loc.country), (loc, text))
    return next(iter(found.values())) if len(found) == 1 else None


def _named_provinces(names: list[str], countries: list[str], g: Gazetteer) -> tuple[tuple[str, str], ...]:
    """(country, admin1 code) of the provinces the names are, or whose namesake seat they are ("Idleb")."""
    found: dict[tuple[str, str], None] = {}
    for name in dict.fromkeys(names):
        if g.country_of(name):
            continue
        loc = places.resolve_place(name, countries=countries, gazetteer=g)
        if loc is None or loc.country not in countries or loc.precision not in ("admin1", "city"):
            continue
        if loc.precision == "city" and (loc.admin1 is None or fold(loc.admin1) != fold(loc.name)):
            continue
        code = g.admin1_code(loc)
        if code:
            found[(loc.country, code)] = None
    return tuple(found)


_LINE_BREAK = re.compile(r"\n\s*|\s{2,}")


def filed_from(text: str, countries: list[str]) -> tuple[Location, str] | None:
    """The town a dateline files the story from ("KENT, Wash. --"), at town precision, with its text; None without one."""
    # A web page's leftover line before it ("Please enable Javascript to watch this video  KANSAS CITY, Mo. --"):
    # the dateline may open the text after a line break or a run of spaces near its start.
    for at in [0, *(m.end() for m in _LINE_BREAK.finditer(text[:200]))]:
        dateline = find_dateline(text[at:])
        if dateline is None:
            continue
        loc, _ = places.resolve_framed(dateline.city, countries=countries[:3], within=dateline.region)
        if loc is None or loc.precision not in ("exact", "city"):
            return None  # "NEW YORK" read as the state, a region: no town to stand in for a sentence's place
        return loc, text[at + dateline.city_start : at + (dateline.region_end or dateline.city_end)]
    return None


def focus_city(mentions: list[Mention], countries: list[str]) -> Location | None:
    """The city the article is mostly about, when one clearly dominates its place mentions."""
    counts: Counter[str] = Counter(m.text for m in mentions if m.label in ("GPE", "LOC", "NORP"))
    for text, n in counts.most_common(5):
        loc = places.resolve_place(text, countries=countries[:3])
        if loc and loc.precision == "city" and n >= 2 and countries and loc.country == countries[0]:
            return loc
    return None


# A street's kind after a name ("Marquette Road", "Bishop St."), or a block before it ("the 7900 block of
# South Marquette"): the name is a street's, not a town's.
_STREET_AFTER = re.compile(r"^\s+(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Court|Ct|Place|Pl|Parkway|Pkwy|"
                           r"Terrace|Way|Highway|Hwy|Circle|Cir|Expressway|Freeway|Pike)\b")
_BLOCK_BEFORE = re.compile(r"\bblock\s+of\s+(?:(?:North|South|East|West|N|S|E|W)\.?\s+)?$|\b\d{3,}\s+(?:(?:North|South|East|West|N|S|E|W)\.?\s+)?$")


def street_name(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is a street's: a street kind follows it or a block number precedes it."""
    return bool(_STREET_AFTER.match(text[end : end + 14]) or _BLOCK_BEFORE.search(text[max(0, start - 30) : start]))


def locate(sent: Sentence, mentions: list[Mention], countries: list[str], taken: Sequence[tuple[int, int]] = ()) -> tuple[Location | None, str | None]:
    """The most specific place the sentence puts the incident in (never a name that stands for an actor)."""
    candidates: list[tuple[int, int, str]] = []
    for s, e, text in place_phrases(sent.text):
        candidates.append((s, e, text))
    for police in _TOWN_POLICE.finditer(sent.text):
        span = (police.start(1), police.end(1), police.group(1))
        if span not in candidates:
            candidates.append(span)
    for after in _AFTER_PREPOSITION.finditer(sent.text):
        span = (after.start(1), after.end(1), after.group(1))
        if span not in candidates:
            candidates.append(span)
    g = Gazetteer.default()
    adjectives = set()
    for m in mentions:
        # A people's adjective ("Kurdish positions") is no scene, whichever pattern picked it up; a
        # NORP span only counts where the tagger mislabels a known place ("Aleppo").
        if m.label == "NORP" and (g.country_of(m.text) or g.country_of_folded(m.text) is None) \
                and not scene.village_after_locative(sent.text[: m.start - sent.start], m.text, countries[:1], g):
            adjectives.add((m.start - sent.start, m.end - sent.start))
            continue
        if m.label in ("GPE", "LOC", "FAC", "NORP") and not _titled(sent, m.start):
            s, e = m.start - sent.start, m.end - sent.start
            if (s, e, m.text) not in candidates:
                candidates.append((s, e, m.text))
    candidates = [c for c in candidates if c[2].split()[0] not in places.NOT_PLACES and (c[0], c[1]) not in adjectives
                  and not street_name(sent.text, c[0], c[1])]
    # "Hamden police are investigating ...": a town's police stand for the town, where they investigate.
    candidates = [c for c in candidates if _POLICE_AFTER.match(sent.text[c[1] :])
                  or not any(c[0] < te and ts < c[1] and not _LOCATIVE.search(sent.text[: c[0]]) for ts, te in taken)]
    surnames: frozenset[str] = getattr(countries, "surnames", frozenset())
    candidates = [c for c in candidates if not surname_not_place(c[2], sent.text[: c[0]], surnames, sent.text[c[1] :])]
    best: tuple[tuple, Location, str] | None = None
    admin1s = getattr(countries, "admin1s", ())
    city = getattr(countries, "city", None)
    for s, e, text in candidates:
        if city_parts.is_part(text, sent.text[:s], sent.text[e:]):
            # "the Homewood neighborhood", "Chicago's Englewood neighborhood": inside the city, not a namesake town
            loc = city_parts.resolve_part(text, city=city, countries=countries, admin1s=admin1s)
        else:
            loc = places.resolve_place(text, countries=countries, admin1s=admin1s)
            if city is not None and loc is not None and not within_city(loc, city):
                loc = city_parts.local_namesake(text, loc, city) or loc  # Englewood, Chicago, not Englewood, Colorado
        if loc is None or scene.generic_abroad(text, loc, countries):
            continue
        locative = bool(_LOCATIVE.search(sent.text[:s]))
        if loc.precision == "country" and not locative:
            continue  # "Russia said ..." names an actor, not a place
        if not locative and countries and loc.country not in countries[:2]:
            continue  # "mediators from Lakeland": a name abroad, outside any locative, is not the scene
        # A village of the name in another province than the ones the article names is a namesake.
        elsewhere = bool(admin1s) and loc.precision in ("exact", "city") and loc.country in {c for c, _ in admin1s} \
            and (loc.country, g.admin1_code(loc)) not in admin1s
        # ... but it still beats a province or the country ("in Lebanon ... in Tripoli" beside Beirut).
        coarse = loc.precision in ("admin1", "country")
        key = (0 if locative else 1, coarse, elsewhere, PRECISION_RANK.get(loc.precision, 4), s)
        if best is None or key < best[0]:
            best = (key, loc, text)
    lead: tuple[Location, str] | None = getattr(countries, "place", None)
    if best is None and lead is not None:
        return lead  # a sentence that names no place, in a short article about one town
    return (best[1], best[2]) if best else (None, None)
