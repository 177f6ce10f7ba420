"""Place comparisons used when merging reports: same place, compatible places, country hints."""

from __future__ import annotations

import functools
import math

from sitroom.gazetteer import Gazetteer
from sitroom.model import Location

_NEAR_KM = {"exact": 30.0, "city": 30.0, "admin1": 150.0, "country": 800.0}


def distance_km(a: Location, b: Location) -> float | None:
    """Great-circle distance between two geocoded places, None when either lacks coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def same_place(a: Location | None, b: Location | None) -> bool:
    """The same gazetteer entry, or the same name in the same country."""
    if a is None or b is None:
        return False
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True
    return a.name == b.name and a.country == b.country


def contains(outer: Location, inner: Location) -> bool:
    """Does the coarser place contain the finer one (country ⊃ admin1 ⊃ city)?"""
    if outer.precision == "country":
        return outer.country is not None and outer.country == inner.country
    if outer.precision == "admin1":
        return outer.country == inner.country and (outer.admin1 == inner.admin1 or outer.name == inner.admin1)
    return False


def compatible(a: Location, b: Location) -> bool:
    """Could two place readings describe one incident's place (same, nested, or nearby)?"""
    if same_place(a, b) or contains(a, b) or contains(b, a):
        return True
    if a.country and b.country and a.country != b.country:
        return False
    km = distance_km(a, b)
    if km is None:
        return False
    coarser = max(_NEAR_KM[a.precision], _NEAR_KM[b.precision])
    return km <= coarser


@functools.lru_cache(maxsize=20_000)
def country_hint(text: str) -> str | None:
    """The country a GPE/NORP mention points to ("Syrian" -> SY, "Aleppo" -> SY), if any."""
    return Gazetteer.default().country_hint(text)
