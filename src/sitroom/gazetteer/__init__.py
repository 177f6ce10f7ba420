"""Offline place index built from GeoNames data and Who's On First villages, with aliases and transliteration folding."""

from .cache import ensure_built
from .folding import fold, simple, skeleton
from .geonames_dump import DumpStats, load_dump, load_dump_stats
from .index import Gazetteer
from .ranking import haversine_km
from .tables import cache_dir, user_gazetteer_path

__all__ = [
    "DumpStats",
    "Gazetteer",
    "cache_dir",
    "ensure_built",
    "fold",
    "haversine_km",
    "load_dump",
    "load_dump_stats",
    "simple",
    "skeleton",
    "user_gazetteer_path",
]
