"""Which of the places a name may mean the text means: the ranking rules of the place index.

A name's candidates (see `index.Gazetteer`) are ranked by the article's countries and provinces,
nearness to a point, then prominence (a country is a country; a province before a homonymous
town, unless the town is its namesake seat, a capital or a city of a million), population,
feature and how exactly the spelling matched. Outside the article's countries only famous places
are trusted: a village abroad that merely shares the name is worse than no answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .folding import fold, simple

NEAR_KM = 250.0
# A place outside the article's context countries is only trusted when it is famous enough that a
# report would name it without saying where it is (Moscow, Geneva); a village abroad that merely
# shares a name with the one meant is worse than no answer.
FOREIGN_MIN_POPULATION = 100_000
# A city this big is what its name means, even where a province shares it ("New York").
BIG_CITY = 1_000_000
# With no country to go by, a village spelt like the name is trusted only from this many people up.
NOTABLE_POPULATION = 500
# A town spelt exactly as its own name abroad is trusted from this size up ("Cannes").
TOWN_ABROAD_POPULATION = 20_000
# A fuzzy spelling must lie this close to the article's context (a point it names, a province it is
# about) or it is a look-alike elsewhere: "Jobar" in a story about Damascus is not Jawbar near Homs.
FUZZY_CONTEXT_KM = 100.0
# Within one order of magnitude of population, the feature decides: a seat before a village, a
# village before a district, a neighbourhood last.
FEATURE_RANK = {"PPLC": 6, "PPLA": 5, "PPLA2": 4, "PPLA3": 4, "PPLA4": 4, "PPL": 3, "PPLL": 2, "ADM2": 2,
                "ADM3": 1, "PPLX": 0}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may mean, as the index holds it, with how closely the name matched its spelling."""

    pid: int
    geonames_id: int | None
    name: str
    country: str | None
    admin1_code: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str
    feature: str | None
    admin2_code: str | None
    origin: str | None
    tier: int  # 3 exact spelling of the primary name, 2 an alternate, 1 folded, 0 fuzzy
    score: float = 100.0

    @classmethod
    def from_row(cls, row: Sequence[Any], tier: int, score: float = 100.0) -> Candidate:
        """A candidate from a row whose first twelve columns are the index's place columns (`index._columns`)."""
        pid, geonames_id, name, country, admin1_code, lat, lon, population, kind, feature, admin2_code, origin = row[:12]
        return cls(pid, geonames_id, name, country, admin1_code, lat, lon, population, kind, feature, admin2_code, origin,
                   tier=tier, score=score)

    @property
    def ident(self) -> int:
        """The place's identity across the built-in index and user files: its GeoNames id, else its row id."""
        return self.geonames_id if self.geonames_id is not None else self.pid


# A name's fuzzy candidates within some countries (anywhere when none), fetched only when the rules need them.
FuzzyMatch = Callable[[str, tuple[str, ...]], list["Candidate"]]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def in_context(
    cands: list[Candidate], admin1s: tuple[tuple[str, str], ...], anchors: tuple[tuple[float, float], ...],
) -> list[Candidate]:
    """The fuzzy candidates the article's context allows: inside a province it is about, or near a point of it.

    Where the context says nothing of a candidate's country (no province of it, no point), the
    candidate stands; where it does, a look-alike hundreds of km off is dropped.
    """
    if not anchors and not admin1s:
        return cands
    context_countries = {c for c, _ in admin1s}
    kept = []
    for c in cands:
        if (c.country, c.admin1_code) in admin1s or c.kind in ("country", "admin1"):
            kept.append(c)
            continue
        if c.lat is None or c.lon is None:
            continue
        if any(haversine_km(a, (c.lat, c.lon)) <= FUZZY_CONTEXT_KM for a in anchors):
            kept.append(c)
        elif c.country not in context_countries and not anchors:
            kept.append(c)
    return kept


def choose(
    name: str, exact: list[Candidate], countries: tuple[str, ...], near: tuple[float, float] | None,
    prefer: str | None, admin1s: tuple[tuple[str, str], ...], fuzzy_match: FuzzyMatch,
    anchors: tuple[tuple[float, float], ...] = (),
) -> Candidate | None:
    """The place `name` means among its exact candidates, else its fuzzy ones; None when no answer is safe.

    `anchors` are the points of the article's context (`near`, its provinces' points): a fuzzy
    candidate must lie near one of them or inside one of `admin1s` (see `in_context`).
    """
    spelt = [c for c in exact if c.tier >= 2]
    # A country is a country: "Lebanon" is not a village of that name, unless a province of
    # the article's countries shares the name ("Georgia" in a story about the United States).
    nations = [c for c in spelt if c.kind == "country"]
    if nations and not any(c.tier == 3 for c in nations) and any(c.kind == "admin1" and c.tier == 3 for c in spelt):
        # "England": the country's alias, but a province's own name.
        exact = [c for c in exact if c.kind != "country"]
        spelt, nations = [c for c in spelt if c.kind != "country"], []
    if nations and prefer != "admin1":
        local = [c for c in spelt if c.kind == "admin1" and c.country in countries and c.country not in {n.country for n in nations}]
        if not local:
            return most_likely(nations, countries, near, prefer, admin1s)
    if countries:
        inside = [c for c in exact if c.country in countries]
        # A folded look-alike ("Jobar" for Jawbar) is as loose as a fuzzy one: it must fit the context.
        inside = [c for c in inside if c.tier >= 2] + in_context([c for c in inside if c.tier < 2], admin1s, anchors)
        famous = [c for c in spelt if c.country not in countries and famous_abroad(c)]
        if inside:
            top = most_likely(inside, countries, near, prefer, admin1s)
            if (famous and top.population < FOREIGN_MIN_POPULATION and top.kind not in ("admin1", "country")
                    and (top.country, top.admin1_code) not in admin1s and top.tier <= max(f.tier for f in famous)):
                # "Paris" in a story about Syria or the United States is the capital of France, not
                # a town of that name, unless the story is about the town's own province.
                return most_likely(famous, countries, near, prefer, admin1s)
            return top
        # A province, country or city of a million spelt exactly abroad ("Queensland") before a
        # look-alike spelling at home.
        renowned = [c for c in spelt if c.kind in ("country", "admin1") or c.population >= BIG_CITY]
        if renowned:
            return most_likely(renowned, countries, near, prefer, admin1s)
        fuzzy = in_context(fuzzy_match(name, countries), admin1s, anchors)
        if fuzzy:
            return most_likely(fuzzy, countries, near, prefer, admin1s)
        # Abroad, only a famous place spelt as its own name ("Paris", "Moscow", "Cannes"): a
        # folded look-alike in another country is a namesake, not the place the text means.
        famous = [c for c in spelt if c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION
                  or (c.tier == 3 and c.origin != "wof" and c.population >= TOWN_ABROAD_POPULATION)]
        return most_likely(famous, countries, near, prefer, admin1s) if famous else None
    trusted = [c for c in exact if trusted_without_context(c)]
    # A spelling of the name itself before a folded look-alike ("Maungu" is not Mongu, "Hainan" not
    # Hengyang); where only villages have the spelling, a look-alike country, province or city of a
    # million may still be meant.
    if any(c.tier >= 2 for c in trusted):
        trusted = [c for c in trusted if c.tier >= 2]
    elif any(c.tier >= 2 for c in exact):
        trusted = [c for c in trusted if c.kind in ("country", "admin1") or c.population >= BIG_CITY]
    if trusted:
        return most_likely(trusted, countries, near, prefer, admin1s)
    # A village spelt exactly as the text writes it, in one country only ("Sulayman Bak"): the
    # name itself says where it is.
    if len(simple(name)) >= 5 and len({c.country for c in spelt}) == 1:
        return most_likely(spelt, countries, near, prefer, admin1s)
    if spelt:
        return None  # villages of this very spelling in several countries ("Kisima"): not a famous look-alike
    # With no country to go by, a fuzzy spelling may only mean a famous place: a village
    # abroad that happens to look alike is a wrong answer, not an approximate one.
    fuzzy = [c for c in fuzzy_match(name, ()) if c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION]
    return most_likely(fuzzy, countries, near, prefer, admin1s) if fuzzy else None


def famous_abroad(c: Candidate) -> bool:
    """A place a report names without saying where it is: a country, a capital, a city of a million."""
    return c.kind == "country" or c.feature == "PPLC" or c.population >= BIG_CITY


def trusted_without_context(c: Candidate) -> bool:
    """With no context: a spelling of a town, province or country, not a village's folded look-alike."""
    if c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION:
        return True
    return c.tier >= 2 and (c.origin != "wof" or c.population >= NOTABLE_POPULATION)


def most_likely(
    cands: list[Candidate],
    countries: tuple[str, ...],
    near: tuple[float, float] | None,
    prefer: str | None,
    admin1s: tuple[tuple[str, str], ...] = (),
) -> Candidate:
    """The candidate the text most likely means: in its countries, with a point, near, prominent, populous, well spelt."""
    provinces = {(c.country, c.admin1_code, fold(c.name)) for c in cands if c.kind == "admin1"}

    def prominence(c: Candidate) -> float:
        if prefer and c.kind == prefer:
            return 5
        if prefer == "area" and (c.kind == "admin1" or (c.feature or "").startswith("ADM")):
            return 5  # a name the text gives as a parent: the province or district, not a hamlet of its name
        if prefer == "settlement" and (c.feature or "PPL").startswith("PPL") and c.kind not in ("admin1", "country") and c.tier >= 2:
            return 5  # "Taunggyi town": the town spelt so, not the district of its name (nor a look-alike village)
        if c.kind == "country":
            return 4
        if c.kind == "admin1":
            return 3
        # A province's namesake seat ("Idlib"), a capital or a big city is what the name means.
        if (c.country, c.admin1_code, fold(c.name)) in provinces or c.feature == "PPLC" or c.population >= BIG_CITY:
            return 3.5
        return 2

    def rank(c: Candidate) -> tuple:
        close = 0
        if near is not None and c.lat is not None and c.lon is not None:
            close = int(haversine_km(near, (c.lat, c.lon)) <= NEAR_KM)
        magnitude = int(math.log10(c.population + 1))  # same order of magnitude: feature and spelling decide
        # The provinces the article names favour the places inside them (and themselves, by
        # their own name), not a province over another one spelt as the text writes it; a
        # capital or a city of a million keeps its name even so ("Paris" beside "Kentucky").
        inside = (c.country, c.admin1_code) in admin1s and (c.kind != "admin1" or c.tier == 3)
        # ... unless the text calls the name a province ("Mandalay region").
        renowned = c.kind == "city" and (c.feature == "PPLC" or c.population >= BIG_CITY) and prefer != "admin1"
        # A place with no point (a province none of whose towns the index has) only when
        # nothing else of the name has one: a pin is what a reader needs.
        return (c.country in countries, c.lat is not None, close, renowned, inside, prominence(c), magnitude,
                c.tier, FEATURE_RANK.get(c.feature or "PPL", 3), round(c.score), c.population, -c.pid)

    return max(cands, key=rank)
