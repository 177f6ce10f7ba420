"""What fusion compares: each report's profile, and the comparison levels of a pair of reports.

A report's profile is computed once (fusion meets each report in many pairs): its kind, date,
place, targets, parties, precise tolls, and the identifiers its own sentences give — victims'
ages ("a 23-year-old man", "Jessica Williams, 16,"), people named ("identified as ..."), street
addresses ("the 8000 block of South Shore Drive", "near Calumet Avenue and East 18th Street"),
the time of day ("about 9 p.m."). A pair of profiles is described by one *level* per comparison
(`compare`), which the Fellegi–Sunter weights (`weights.py`) turn into a score; `veto` says when
no score can make two reports one event.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import datetime as dt
from datetime import date, timedelta

from sitroom.extract.geo import compatible, distance_km, same_place
from sitroom.extract.targets import target_classes
from sitroom.fusion.dates import basis
from sitroom.fusion.identifiers import actor_words_of, identifiers, identifying
from sitroom.gazetteer import Gazetteer
from sitroom.gazetteer.folding import fold
from sitroom.model import Claim, Location, Report
from sitroom.tolls import consistent

# Qualifiers of figures too vague to tell incidents apart ("dozens").
VAGUE = frozenset({"dozens", "scores", "hundreds", "thousands", "a dozen", "tens"})
# Sub-event types that name a weapon or a specific act; two different ones are two incidents.
SPECIFIC = frozenset({
    "chemical_weapon", "air_drone_strike", "suicide_bomb", "shelling_artillery_missile_attack", "remote_explosive_landmine_ied",
    "grenade", "abduction_forced_disappearance", "sexual_violence", "government_regains_territory",
    "non_state_actor_overtakes_territory",
})
# Target classes that fit most bombings of a town: sharing one says little about identity.
GENERIC_SITES = frozenset({"residential"})

@dataclass(frozen=True, slots=True)
class Profile:
    """What linking reads of one report, computed once."""

    report_id: str
    article_id: str
    family: str
    event_type: str
    sub_event_type: str
    date: date | None
    date_precision: str | None
    date_basis: str | None  # stated | relative | published (None: not said)
    published: dt.date | None  # `dt.`: the field `date` above shadows the type
    location: Location | None
    targets: frozenset[str]
    actor_names: frozenset[str]
    parties: frozenset[str]  # actors that identify (not civilians, not unidentified): a shared one corroborates
    side1: frozenset[str]  # who acted (actor1, assoc_actor_1), identifying actors only
    side2: frozenset[str]  # who was acted on (actor2, assoc_actor_2), identifying actors only
    tolls: tuple[Claim, ...]  # precise fatality claims
    hurt: tuple[Claim, ...]  # precise injury claims
    figures: frozenset[int]
    place_names: frozenset[str]
    own_places: frozenset[str]
    ages: frozenset[int]
    names: frozenset[str]
    streets: frozenset[str]
    blocks: frozenset[int]
    minutes: frozenset[int]  # times of day stated, minutes after midnight
    evidence: frozenset[str]  # duplicate-group keys of the sentences it cites (copied or paraphrased)
    profile: tuple  # every trait but the article: reports alike in it link alike to all others

    @classmethod
    def of(cls, r: Report, evidence: frozenset[str] = frozenset()) -> Profile:
        """The profile of one report; `evidence` holds the duplicate keys of its sentences."""
        text = " ".join(dict.fromkeys(s.sentence for s in r.sources))
        claims = tuple(sorted((c.field, c.value, c.qualifier or "") for c in r.claims))
        actors = frozenset((x.name, x.kind) for x in r.actors)
        targets = frozenset(target_classes(r.keywords))
        places = frozenset(c for c in map(canonical_place, r.place_names) if c)
        ids = identifiers(text, places, actor_words_of(r.actors))
        return cls(
            report_id=r.id,
            article_id=r.article_id,
            family=family(r.event_type),
            event_type=r.event_type,
            sub_event_type=r.sub_event_type,
            date=r.date,
            date_precision=r.date_precision,
            date_basis=basis(r),
            published=r.published,
            location=r.location,
            targets=targets,
            actor_names=frozenset(x.name for x in r.actors),
            parties=frozenset(x.name for x in r.actors if identifying(x)),
            side1=frozenset(x.name for x in r.actors if x.role.endswith("1") and identifying(x)),
            side2=frozenset(x.name for x in r.actors if x.role.endswith("2") and identifying(x)),
            tolls=tuple(c for c in r.claims if c.field == "fatalities" and c.qualifier not in VAGUE),
            hurt=tuple(c for c in r.claims if c.field == "injured" and c.qualifier not in VAGUE),
            figures=frozenset(c.value for c in r.claims if c.qualifier not in VAGUE),
            place_names=places,
            own_places=_own_places(r.location),
            ages=ids["ages"],
            names=ids["names"],
            streets=ids["streets"],
            blocks=ids["blocks"],
            minutes=ids["minutes"],
            evidence=evidence,
            profile=(r.event_type, r.sub_event_type, r.date, r.date_precision, r.location, targets, actors, claims,
                     places, ids["ages"], ids["names"], ids["streets"], ids["minutes"], r.published),
        )


def family(event_type: str) -> str:
    """Event types that one incident can be reported as (a strike on a convoy is also an 'attack')."""
    return "violence" if event_type in ("battles", "explosions_remote_violence", "violence_against_civilians") else event_type


def veto(a: Profile, b: Profile) -> str | None:
    """Why two reports of different articles cannot be one event, or None when they can."""
    if a.family != b.family:
        return "kind"
    if a.sub_event_type != b.sub_event_type and a.sub_event_type in SPECIFIC and b.sub_event_type in SPECIFIC:
        return "weapon"
    if a.location and b.location and not compatible(a.location, b.location) and not identified(a, b):
        # A place the geocoder got wrong ("Mead, Nebraska" for a New Orleans street) is overruled
        # only by the same street or by the text naming the other's town; else two places, two events.
        return "place"
    if _distinct_sites(a.location, b.location) and not identified(a, b):
        return "site"
    level = _place_level(a, b)
    seat = level == "same_city" and _province_seat(a.location)
    # Both texts name a province's seat as a matter of course: only the same street overrules their sites.
    if (level in ("nested", "near", "same_region") or seat) and _phrase_level(a, b) == "different" \
            and not (bool(a.streets & b.streets) if seat else identified(a, b)):
        # "Regime forces shelled Bara" and "... shelled Sfuhen", one placed at the village, the
        # other (a village the gazetteer lacks) at its province, or both at it: each names a place
        # the other does not. (Two reports placed in one city may name its districts differently,
        # unless the city is only where its province's name lands: "in the countryside of Idleb".)
        return "sites"
    if a.date and b.date and _explicit(a) and _explicit(b) and a.date_precision == b.date_precision == "day" and a.date != b.date:
        return "date"
    if a.targets and b.targets and not (a.targets & b.targets):
        return "target"
    if _roles_level(a, b) == "reversed" and a.sub_event_type not in _TWO_SIDED and b.sub_event_type not in _TWO_SIDED:
        # X shelling Y and Y shelling X the same day are two attacks (ACLED codes each side's), not
        # one; in a clash either side may be named first.
        return "roles"
    if a.streets and b.streets and a.blocks and b.blocks and not (a.streets & b.streets) and not (a.blocks & b.blocks):
        return "address"
    if not _same_person_or_address(a, b):
        if _days_apart(a, b) > _DISTINCT_DAYS:
            # Two days a week apart, neither the publication's: two shootings of one city a week apart,
            # whatever town, kind and unnamed gunman they share.
            return "days"
        if a.ages and b.ages and not (a.ages & b.ages):
            return "victims"  # "a 23-year-old man" and "a 41-year-old woman": two victims, two incidents
    if tolls_disagree(a.tolls, b.tolls) and not corroborated(a, b):
        # Two tolls that cannot describe one incident, linked by nothing but town and kind
        # ("at least 50 killed" on Wednesday, "another four" in a late-night bombing).
        return "toll"
    return None


# Days apart beyond which two day-precise dates (stated or relative) are two incidents.
_DISTINCT_DAYS = 7


def _same_person_or_address(a: Profile, b: Profile) -> bool:
    """The two texts share a street or a person's name: what overrules their dates and victims' ages."""
    return bool(a.streets & b.streets) or bool(a.names & b.names)


def _days_apart(a: Profile, b: Profile) -> int:
    """Days between two reports' own day-precise dates; 0 when either is coarser, missing or the publication's."""
    if a.date is None or b.date is None or a.date_precision != "day" or b.date_precision != "day":
        return 0
    if "published" in (a.date_basis, b.date_basis):
        return 0
    return abs((a.date - b.date).days)


def _province_seat(loc: Location | None) -> bool:
    """A city named as its province ("Idlib", "Deir ez-Zor", "Al Hudaydah"): where a mention of the
    province lands, so two reports placed there may only share the province."""
    return bool(loc and loc.precision == "city" and loc.admin1 and fold(loc.name) == fold(_ADMIN_WORDS.sub("", loc.admin1)))


# What a province's name adds to its seat's: "Nairobi City", "Kayes Region", "Al Anbar Governorate".
_ADMIN_WORDS = re.compile(r"\s+(?:city|area|county|governorate|province|region|state|division|district|municipality|prefecture)$", re.I)


def identified(a: Profile, b: Profile) -> bool:
    """Evidence that overrules two places: the same street, or one report's text naming the other's town.

    ("Deir ez-Zor" in a sentence the geocoder placed at a homonymous village 280 km away.) Not a
    shared sentence: a veto must not depend on the rest of the corpus, so that the incremental
    layer can tell from two reports alone whether they may ever link.
    """
    if a.streets & b.streets:
        return True

    def names(x: Location, other: Profile) -> bool:
        # A province's seat is named by every report of that province ("the countryside of Idleb"): from
        # a report placed in the province it identifies no site; from one placed elsewhere (the geocoder's
        # homonymous village in another province) it is the town the text means.
        home = other.location
        inside = home is not None and home.country == x.country and home.admin1 == x.admin1
        return fold(x.name) in other.place_names and not (inside and _province_seat(x))

    return bool(a.location and b.location and (names(a.location, b) or names(b.location, a)))


def _explicit(p: Profile) -> bool:
    """A date the text states outright (or, where no basis is recorded, one not taken from the publication)."""
    if p.date_basis is not None:
        return p.date_basis == "stated"
    return False


def _distinct_sites(a: Location | None, b: Location | None) -> bool:
    """Two distinct sites within one city (both finer than the city, different, kilometres apart)."""
    if a is None or b is None or a.precision != "exact" or b.precision != "exact" or same_place(a, b):
        return False
    km = distance_km(a, b)
    return km is not None and km > 3.0


def tolls_disagree(a: tuple[Claim, ...], b: tuple[Claim, ...]) -> bool:
    """Both reports give a precise death toll and the tolls cannot be reconciled."""
    if not a or not b:
        return False
    claims = (*a, *b)
    return len({c.value for c in claims}) > 1 and not consistent_claims(claims)


def consistent_claims(claims: Iterable[Claim]) -> bool:
    """'At least 62' and '90' do not contradict, nor 'about 20' and 'an estimated 21'; '62' and '90' stated flatly do."""
    claims = list(claims)
    return consistent(claims, list(range(len(claims))))  # one rule for contradictions and for links


def corroborated(a: Profile, b: Profile) -> bool:
    """Evidence of identity beyond place and kind: the same day, a shared party, site, place phrase or person."""
    if (a.targets & b.targets) - GENERIC_SITES:
        return True
    if a.date and b.date and a.date_precision == b.date_precision == "day" and abs((a.date - b.date).days) <= 1:
        return True
    if a.parties & b.actor_names:
        return True
    return bool(a.place_names & b.place_names) or bool(a.evidence & b.evidence) or bool(a.ages & b.ages)


def compare(a: Profile, b: Profile) -> dict[str, str]:
    """One level per comparison (the keys of `weights.LEVELS`) for a pair of reports."""
    return {
        "kind": "same_sub" if a.sub_event_type == b.sub_event_type else "same_type" if a.event_type == b.event_type else "same_family",
        "date": _date_level(a, b),
        "place": _place_level(a, b),
        "phrase": _phrase_level(a, b),
        "target": "shared" if (a.targets & b.targets) - GENERIC_SITES else "generic" if a.targets & b.targets else "missing",
        "roles": _roles_level(a, b),
        "party": "shared" if a.parties & b.actor_names or b.parties & a.actor_names else "missing" if not (a.parties and b.parties) else "different",
        "toll": _figure_level(a.tolls, b.tolls),
        "hurt": _figure_level(a.hurt, b.hurt),
        "age": _shared(a.ages, b.ages),
        "name": _shared(a.names, b.names),
        "street": _street_level(a, b),
        "time": _time_level(a.minutes, b.minutes),
        "sentence": "shared" if a.evidence & b.evidence else "none",
    }


def _phrase_level(a: Profile, b: Profile) -> str:
    """The place phrases of the two texts, beyond the names of their own places: shared, different or missing."""
    own = a.own_places | b.own_places
    return _shared(a.place_names - own, b.place_names - own)


def _own_places(loc: Location | None) -> frozenset[str]:
    """The folded names of a report's own place and region: sharing the city's name is what `place` says."""
    if loc is None:
        return frozenset()
    names = {fold(x) for x in (loc.name, loc.admin1) if x}
    return frozenset(names | {c for c in map(canonical_place, names) if c})


@functools.lru_cache(maxsize=50_000)
def canonical_place(folded: str) -> str | None:
    """A place phrase as the gazetteer's name for it (folded), so that "Idleb" and "Idlib" compare equal;
    None for a country, a province or a description of one ("the southern countryside of Idleb"):
    every report of a war names those, so sharing one tells no incident from another."""
    if _REGIONAL.search(folded):
        return None
    found = Gazetteer.default().lookup(folded)
    if found is None:
        return folded
    return None if found.precision in ("country", "admin1") else fold(found.name)


# Folded words that make a phrase a description of a region ("Idleb province", "northern Iraq").
_REGIONAL = re.compile(r"cuntriside|pruvince|guvernurate|district|regiun|^(?:nurthern|suthern|eastern|western|central)")


# Events whose two sides act alike: naming one side first says nothing of who acted.
_TWO_SIDED = frozenset({"armed_clash", "mob_violence", "violent_demonstration", "agreement", "peaceful_protest",
                        "protest_with_intervention", "excessive_force_against_protesters"})


def _roles_level(a: Profile, b: Profile) -> str:
    """`same` side acting, the sides `reversed`, `different` actors acting, or `missing`."""
    if not (a.side1 and b.side1):
        return "missing"
    if a.side1 & b.side1:
        return "same"
    if a.side1 & b.side2 and b.side1 & a.side2:
        return "reversed"
    return "different"


def _shared(x: frozenset, y: frozenset) -> str:
    """`shared`, `different` (both state some, none shared) or `missing`."""
    if not x or not y:
        return "missing"
    return "shared" if x & y else "different"


def _date_level(a: Profile, b: Profile) -> str:
    da, db = _when(a), _when(b)
    if da is None or db is None:
        return "missing"
    (x, px, pub_x), (y, py, pub_y) = da, db
    gap = abs((x - y).days)
    suffix = "_published" if pub_x or pub_y else ""
    if px == py == "day":
        level = "same_day" if gap == 0 else "next_day" if gap == 1 else "within_3" if gap <= 3 else "within_7" if gap <= 7 else "apart"
        return level + suffix
    return ("coarse_near" if gap <= 7 else "coarse_apart") + suffix


def _when(p: Profile) -> tuple[date, str, bool] | None:
    """The report's date, its precision and whether it is only the publication date."""
    if p.date is not None:
        return p.date, p.date_precision or "month", p.date_basis == "published"
    if p.published is not None:
        return p.published, "day", True
    return None


def _place_level(pa: Profile, pb: Profile) -> str:
    a, b = pa.location, pb.location
    if a is None or b is None:
        # A placeless report that names the other's town ("Chicago police said ...").
        placed, other = (pa, pb) if a is not None else (pb, pa)
        if placed.location is not None and fold(placed.location.name) in other.place_names:
            return "named"
        return "missing"
    if same_place(a, b):
        if a.precision == "city" and (a.feature or "").startswith("ADM"):
            return "same_region"  # "Sirwah district" read as a place: two reports there share a district, not a town
        return "same_site" if a.precision == "exact" else "same_city" if a.precision == "city" else "same_region"
    if compatible(a, b):
        km = distance_km(a, b)
        if km is not None and km <= 10 and "country" not in (a.precision, b.precision) and "admin1" not in (a.precision, b.precision):
            return "near"
        return "nested"
    return "different"


def _figure_level(a: tuple[Claim, ...], b: tuple[Claim, ...]) -> str:
    if not a or not b:
        return "missing"
    if {c.value for c in a} & {c.value for c in b}:
        return "same"
    return "consistent" if not tolls_disagree(a, b) else "different"


def _street_level(a: Profile, b: Profile) -> str:
    if a.streets & b.streets or (a.blocks & b.blocks and (a.streets or b.streets)):
        return "shared"
    if a.streets and b.streets:
        return "different"
    return "missing"


def _time_level(x: frozenset[int], y: frozenset[int]) -> str:
    if not x or not y:
        return "missing"
    gap = min(min(abs(i - j), 1440 - abs(i - j)) for i in x for j in y)
    return "close" if gap <= 60 else "apart" if gap > 180 else "near"


def window(p: Profile, days: Mapping[str, int]) -> tuple[date, date] | None:
    """The dates a report's event may fall on: its date widened by its precision's days, None when open."""
    got = _when(p)
    if got is None:
        return None
    when, precision, from_publication = got
    if from_publication:
        # An undated report tells of something on or before its publication, usually days before.
        return when - timedelta(days=days["published"]), when + timedelta(days=1)
    span = days.get(precision, days["month"])
    return when - timedelta(days=span), when + timedelta(days=span)
