"""The offline gazetteer: folding, lookup, disambiguation, demonyms, user dumps."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from sitroom.gazetteer import Gazetteer, fold, load_dump, load_dump_stats
from sitroom.gazetteer.index import ensure_built

DEIR_EZ_ZOR = ["Deir ez-Zor", "Deir el-Zour", "Deir al-Zor", "Deir al-Zour", "Deir Ezzor"]


@pytest.fixture(scope="session")
def gaz(tmp_path_factory) -> Gazetteer:
    """The built-in index (built once into the cache), with an empty user file of its own."""
    user = tmp_path_factory.mktemp("user") / "gazetteer.sqlite"
    return Gazetteer(ensure_built(), user_path=user)


def test_fold_meets_deir_ez_zor_spellings():
    assert len({fold(n) for n in DEIR_EZ_ZOR + ["Dayr az Zawr", "Deir Zzor"]}) == 1


def test_fold_keeps_urem_kubra_and_sughra_apart():
    assert fold("Urem al-Kubra") != fold("Urem al-Sughra")


def test_fold_does_not_strip_a_leading_word_that_looks_like_an_article():
    assert fold("Essen") != fold("Sen")
    assert fold("Al Bab") == fold("al-Bab") == fold("Bab")


@pytest.mark.parametrize("spelling", DEIR_EZ_ZOR)
def test_lookup_resolves_deir_ez_zor_spellings(gaz, spelling):
    loc = gaz.lookup(spelling, countries=["SY"])
    assert loc is not None and loc.country == "SY" and loc.precision == "city"
    assert loc.lat == pytest.approx(35.33, abs=0.05) and loc.lon == pytest.approx(40.14, abs=0.05)
    assert loc.geonames_id == gaz.lookup("Deir ez-Zor").geonames_id


@pytest.mark.parametrize("name", ["Aleppo", "Damascus", "Raqqa", "Idlib", "Homs", "Talbiseh"])
def test_lookup_syrian_cities(gaz, name):
    loc = gaz.lookup(name, countries=["SY"])
    assert loc is not None and loc.country == "SY" and loc.precision == "city"


@pytest.mark.parametrize("name", ["Aleppo", "Damascus", "Raqqa", "Idlib"])
def test_lookup_syrian_cities_without_context(gaz, name):
    assert gaz.lookup(name).country == "SY"


@pytest.mark.parametrize("name", ["Sanaa", "Sana'a"])
def test_lookup_sanaa_spellings(gaz, name):
    loc = gaz.lookup(name)
    assert loc is not None and loc.country == "YE" and loc.name == "Sanaa"


def test_lookup_tripoli_follows_context_country(gaz):
    assert gaz.lookup("Tripoli", countries=["LB"]).country == "LB"
    assert gaz.lookup("Tripoli", countries=["LY"]).country == "LY"


def test_lookup_near_point_disambiguates(gaz):
    beirut = (33.89, 35.50)
    assert gaz.lookup("Tripoli", near=beirut).country == "LB"


def test_lookup_fuzzy_spelling_in_context_country(gaz):
    loc = gaz.lookup("Talbisseh", countries=["SY"])
    assert loc is not None and loc.country == "SY"


def test_lookup_refuses_small_foreign_namesake(gaz):
    # "Jobar" (a Damascus district) is no town of 500 in Syria; a village abroad must not stand in.
    loc = gaz.lookup("Jobar", countries=["SY"])
    assert loc is None or loc.country == "SY"


def test_lookup_admin1_when_no_city(gaz):
    anbar = gaz.lookup("Anbar", countries=["IQ"])
    assert anbar is not None and anbar.precision == "admin1" and anbar.country == "IQ"
    idlib = gaz.lookup("Idlib", countries=["SY"], prefer="admin1")
    assert idlib.precision == "admin1" and idlib.admin1 == "Idlib"


def test_lookup_country_names_and_aliases(gaz):
    syria = gaz.lookup("Syria")
    assert syria.precision == "country" and syria.country == "SY" and syria.geonames_id == 163843
    assert gaz.lookup("Russian Federation").country == "RU"


def test_lookup_city_carries_admin1_name(gaz):
    assert gaz.lookup("Aleppo", countries=["SY"]).admin1 == "Aleppo"


def test_lookup_made_up_name_is_none(gaz):
    assert gaz.lookup("Qwxzyvilleplotz") is None
    assert gaz.lookup("Qwxzyvilleplotz", countries=["SY"]) is None
    assert gaz.lookup("   ") is None


@pytest.mark.parametrize(
    "word, iso", [("Russian", "RU"), ("Syrian", "SY"), ("Yemeni", "YE"), ("Iraqi", "IQ"), ("Iraqis", "IQ"),
                  ("Russia", "RU"), ("American", "US"), ("British", "GB")]
)
def test_country_of_demonyms(gaz, word, iso):
    assert gaz.country_of(word) == iso


def test_country_of_unknown_is_none(gaz):
    assert gaz.country_of("Martian") is None


def test_names_for_ruler_is_sane(gaz):
    names = dict(gaz.names_for_ruler(100_000))
    assert "Aleppo" in names and "Syria" in names and "Idlib" in names and "Deir ez-Zor" in names
    assert "Russian Federation" in names
    assert "Monday" not in names and "Mobile" not in names
    assert 1_000 < len(names) < 60_000


DUMP_ROWS = [
    # geonameid name asciiname alternates lat lon class code cc cc2 admin1 admin2 admin3 admin4 pop elev dem tz date
    ["90000001", "Kafr Zubaydah", "Kafr Zubaydah", "Kafr Zubaida,Kfar Zbeideh", "36.1", "37.2", "P", "PPL",
     "SY", "", "09", "", "", "", "0", "", "400", "Asia/Damascus", "2020-01-01"],
    ["90000002", "Hayy al-Warda", "Hayy al-Warda", "", "36.21", "37.15", "P", "PPLX",
     "SY", "", "09", "", "", "", "0", "", "390", "Asia/Damascus", "2020-01-01"],
    ["90000003", "Tall Qirmizi", "Tall Qirmizi", "", "35.0", "40.0", "S", "HLL",
     "SY", "", "07", "", "", "", "0", "", "300", "Asia/Damascus", "2020-01-01"],
    ["90000004", "Nahr Fictif", "Nahr Fictif", "", "35.0", "40.0", "H", "STM",
     "SY", "", "07", "", "", "", "0", "", "300", "Asia/Damascus", "2020-01-01"],
]


def _write_dump(path: Path, *, broken: bool = True) -> Path:
    lines = ["\t".join(r) for r in DUMP_ROWS]
    if broken:
        lines.insert(1, "this\tis\tnot a dump line")
        lines.insert(2, "90000009\tBad Lat\tBad Lat\t\tnorth\t37.0\tP\tPPL\tSY")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_dump_makes_villages_resolve_exact(gaz, tmp_path):
    dump = _write_dump(tmp_path / "SY.txt")
    user = gaz.user_path
    stats = load_dump_stats(dump, into=user)
    assert stats.loaded == 3  # the stream (class H) is not a place we keep
    assert stats.skipped == 2
    village = gaz.lookup("Kafr Zubaydah", countries=["SY"])
    assert village is not None and village.precision == "exact" and village.geonames_id == 90000001
    assert village.admin1 == "Aleppo"
    assert gaz.lookup("Kfar Zbeideh", countries=["SY"]).geonames_id == 90000001
    assert gaz.lookup("Hayy al-Warda", countries=["SY"]).precision == "exact"
    assert gaz.lookup("Nahr Fictif", countries=["SY"]) is None
    # Loading again replaces, it does not duplicate.
    assert load_dump(dump, into=user) == 3
    assert gaz.lookup("Aleppo", countries=["SY"]).precision == "city"


def test_load_dump_reads_zip(tmp_path):
    dump = _write_dump(tmp_path / "SY.txt", broken=False)
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "not data")
        zf.write(dump, "SY.txt")
    target = tmp_path / "g.sqlite"
    assert load_dump(archive, into=target) == 3
    g = Gazetteer(ensure_built(), user_path=target)
    assert g.lookup("Tall Qirmizi", countries=["SY"]).precision == "exact"


def test_lookup_speed(gaz, capsys):
    names = ["Aleppo", "Deir el-Zour", "Damascus", "Talbisseh", "Homs", "Raqqa", "Sanaa", "Qwxzyvilleplotz"]
    start = time.perf_counter()
    for name in names:
        gaz._lookup_cached.cache_clear()
        gaz.lookup(name, countries=["SY"])
    cold = len(names) / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(200):
        for name in names:
            gaz.lookup(name, countries=["SY"])
    warm = 200 * len(names) / (time.perf_counter() - start)
    with capsys.disabled():
        print(f"\nlookups/s uncached {cold:.0f}, cached {warm:.0f}")
    assert cold > 20


def test_the_white_house_is_in_washington_not_casablanca(gaz):
    # GeoNames lists "White House" among Casablanca's translations; a story that names it is no story about Morocco.
    for countries in ((), ("IQ",), ("US", "MA")):
        loc = gaz.lookup("White House", countries=countries)
        assert loc is not None and loc.country == "US" and loc.name == "Washington"
    assert gaz.country_hint("White House") == "US"
