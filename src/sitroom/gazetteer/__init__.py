"""Offline place index built from GeoNames data, with aliases and transliteration folding."""

from .folding import fold, simple, skeleton
from .geonames_dump import DumpStats, load_dump, load_dump_stats
from .index import Gazetteer, cache_dir, user_gazetteer_path

__all__ = [
    "DumpStats",
    "Gazetteer",
    "cache_dir",
    "fold",
    "load_dump",
    "load_dump_stats",
    "simple",
    "skeleton",
    "user_gazetteer_path",
]
