"""Place phrases in sentences and their resolution with fallback to the parent place."""

from __future__ import annotations

import pytest

from sitroom.extract.place_phrases import place_phrases
from sitroom.extract.places import resolve_place
from sitroom.gazetteer import Gazetteer
from sitroom.gazetteer.index import ensure_built


@pytest.fixture(scope="module")
def gaz(tmp_path_factory) -> Gazetteer:
    return Gazetteer(ensure_built(), user_path=tmp_path_factory.mktemp("u") / "g.sqlite")


def _resolve(gaz, name, countries=("SY",)):
    return resolve_place(name, countries=countries, gazetteer=gaz)


def test_resolve_known_city(gaz):
    loc = _resolve(gaz, "Deir el-Zour")
    assert loc.name == "Deir ez-Zor" and loc.precision == "city"


@pytest.mark.parametrize(
    "phrase", ["near Aleppo", "Bustan al-Qwxzy neighborhood of Aleppo", "Kafr Qwxzy outside of Aleppo", "eastern Aleppo",
               "the besieged city of Aleppo"]
)
def test_resolve_falls_back_to_parent_city(gaz, phrase):
    loc = _resolve(gaz, phrase)
    assert loc is not None and loc.name == "Aleppo" and loc.precision == "city" and loc.country == "SY"


@pytest.mark.parametrize("phrase", ["in rural Idlib", "Idlib province", "rural Idlib", "Idlib governorate"])
def test_resolve_rural_and_province_to_admin1(gaz, phrase):
    loc = _resolve(gaz, phrase)
    assert loc is not None and loc.precision == "admin1" and loc.admin1 == "Idlib"


def test_resolve_village_from_the_vendored_places(gaz):
    # Urem al-Kubra is no town of 500 people, but the village-level places know it, near Aleppo.
    loc = _resolve(gaz, "Big Urem outside of Aleppo")
    assert loc.precision == "exact" and loc.country == "SY" and loc.admin1 == "Aleppo"
    assert loc.geonames_id == gaz.lookup("Urem al-Kubra", countries=["SY"]).geonames_id


def test_resolve_unknown_child_and_parent_is_none(gaz):
    assert _resolve(gaz, "Qwxzy neighborhood of Plotzville") is None


def test_resolve_child_when_gazetteer_knows_it(gaz, tmp_path):
    from sitroom.gazetteer import load_dump

    row = ["90000101", "Urem al-Kubra", "Urem al-Kubra", "", "36.16", "36.95", "P", "PPL", "SY", "", "09",
           "", "", "", "0", "", "400", "Asia/Damascus", "2020-01-01"]
    row2 = ["90000102", "Urem al-Sughra", "Urem al-Sughra", "", "36.17", "36.93", "P", "PPL", "SY", "", "09",
            "", "", "", "0", "", "400", "Asia/Damascus", "2020-01-01"]
    dump = tmp_path / "SY.txt"
    dump.write_text("\t".join(row) + "\n" + "\t".join(row2) + "\n", encoding="utf-8")
    target = tmp_path / "g.sqlite"
    load_dump(dump, into=target)
    g = Gazetteer(ensure_built(), user_path=target)
    big = resolve_place("Big Urem outside of Aleppo", countries=["SY"], gazetteer=g)
    assert big.name == "Urem al-Kubra" and big.precision == "exact"
    assert g.lookup("Urem al-Sughra", countries=["SY"]).geonames_id == 90000102
    assert g.lookup("Urem al-Kubra", countries=["SY"]).geonames_id == 90000101


def test_place_phrases_finds_composite_and_prepositional_phrases():
    sentence = "An aid convoy was hit in Big Urem outside of Aleppo on Monday, and jets struck in rural Idlib."
    texts = [t for _, _, t in place_phrases(sentence)]
    assert "Big Urem outside of Aleppo" in texts and "rural Idlib" in texts


def test_place_phrases_offsets_match_text():
    sentence = "Shelling hit the Bustan al-Qasr neighborhood of Aleppo and Idlib province on Sunday."
    for start, end, text in place_phrases(sentence):
        assert sentence[start:end] == text
    assert [t for *_, t in place_phrases(sentence)] == ["Bustan al-Qasr neighborhood of Aleppo", "Idlib province"]


def test_place_phrases_skips_time_words():
    assert place_phrases("The talks resumed in May and again on Monday.") == []


def test_place_phrases_on_seed_sentence():
    sentence = "at least 62 Syrian soldiers were killed in the Deir el-Zour air raid"
    assert [t for *_, t in place_phrases(sentence)] == ["Deir el-Zour"]


def test_the_place_names_fusion_compares_split_composites_and_leave_out_countries():
    from sitroom.extract.reports import _place_keys
    from sitroom.gazetteer.folding import fold

    keys = _place_keys(["Big Urem outside of Aleppo", "the United States", "Syrian state", "Jobar"])
    assert keys == {fold("Big Urem"), fold("Aleppo"), fold("United States"), fold("Jobar")}


def _km(loc, lat, lon):
    from sitroom.gazetteer.ranking import haversine_km

    return haversine_km((loc.lat, loc.lon), (lat, lon))


def test_a_look_alike_far_from_the_story_is_dropped(gaz):
    # "Jobar" (a Damascus district the index may lack) is not Jawbar, 135 km off near Homs.
    damascus = gaz.lookup("Damascus", countries=["SY"])
    loc = resolve_place("Jobar", countries=["SY"], admin1s=[("SY", gaz.admin1_code(damascus))], gazetteer=gaz)
    assert loc is None or _km(loc, damascus.lat, damascus.lon) < 40


def test_a_neighbourhood_look_alike_outside_its_city_falls_back_to_the_city(gaz):
    # "Bustan al-Qasr" is no Basatin near Latakia, nor Al Bustan Kabir 50 km north of Aleppo.
    loc = _resolve(gaz, "Bustan al-Qasr neighborhood of Aleppo")
    assert loc is not None and loc.name == "Aleppo" and loc.precision == "city"


def test_a_spelling_of_the_name_beats_a_folded_look_alike_without_context(gaz):
    loc = resolve_place("Maungu", gazetteer=gaz)  # a Kenyan town, not Mongu in Zambia
    assert loc is not None and loc.country == "KE"


def test_a_bracketed_chain_is_read_in_the_country_its_names_share(gaz):
    # No country is named, and each name has namesakes abroad (Manila in Mali): Burkina Faso has them all.
    loc = resolve_place("Mansila (Mansila, Yagha)", gazetteer=gaz)
    assert loc is not None and loc.country == "BF"


def test_a_township_chain_falls_back_to_the_township(gaz):
    loc = resolve_place("Pang Chin village (Namtu Township, Kyaukme District, Shan State)", gazetteer=gaz)
    assert loc is not None and loc.name == "Namtu" and loc.country == "MM"


def test_a_village_is_found_in_the_county_the_text_names(gaz):
    # Who's On First files Dukana under Kenya's old Eastern province; the index files it in Marsabit.
    loc = resolve_place("Dukana, Marsabit County", countries=["KE"], gazetteer=gaz)
    assert loc is not None and loc.name == "Dukana" and loc.admin1 == "Marsabit" and loc.precision == "exact"


def test_a_comma_chain_is_one_phrase_and_a_list_keeps_its_first_place(gaz):
    text = "A returnee was killed in Watamu, Dabaso, Kilifi on Monday."
    assert "Watamu, Dabaso, Kilifi" in [p[2] for p in place_phrases(text)]
    assert resolve_place("Watamu, Dabaso, Kilifi", countries=["KE"], gazetteer=gaz).name == "Watamu"
    assert resolve_place("Nairobi, Mombasa, Kisumu", countries=["KE"], gazetteer=gaz).name == "Nairobi"


def test_a_parent_in_a_chain_is_the_district_not_a_hamlet_of_its_name(gaz):
    # "Soum" is a province of Burkina Faso (and a hamlet); Pobe-Mengao lies 70 km from the province's middle.
    loc = resolve_place("Mentao (Pobe-Mengao, Soum)", gazetteer=gaz)
    assert loc is not None and loc.country == "BF" and _km(loc, 13.90, -1.77) < 25


@pytest.mark.parametrize("county, state, admin1", [("Jefferson County", "Ky.", "Kentucky"), ("Kanawha County", "W.Va.", "West Virginia")])
def test_a_county_framed_by_an_ap_state_abbreviation_stays_in_that_state(gaz, county, state, admin1):
    # "Two men were wounded in Jefferson County, Ky., on Friday": the county in Kentucky, not the
    # Texas county of the name; the abbreviation's full stop is part of the frame.
    from sitroom.extract.places import resolve_framed

    loc, parent = resolve_framed(county, within=state, gazetteer=gaz)
    assert parent is not None and parent.admin1 == admin1
    assert loc is not None and loc.country == "US" and loc.admin1 == admin1


@pytest.mark.parametrize("phrase", ["Dagon Myothit (North)", "Dagon Myothit (North) township"])
def test_a_compass_part_in_brackets_is_no_province_abroad(gaz, phrase):
    # "(North)" qualifies the township; it is not Cameroon's North Region.
    loc = _resolve(gaz, phrase, countries=("MM",))
    assert loc is None or loc.country == "MM"


def test_a_compass_township_with_its_parents_lands_in_its_region(gaz):
    sentence = "On 2 March a grenade went off in Dagon Myothit (North) township (Yangon-east District, Yangon Region)."
    phrases = [p for _, _, p in place_phrases(sentence)]
    assert phrases == ["Dagon Myothit (North) township (Yangon-east District, Yangon Region)"]
    loc = _resolve(gaz, phrases[0], countries=("MM",))
    assert loc is not None and loc.country == "MM" and loc.admin1 == "Yangon"


@pytest.mark.parametrize("phrase, admin1", [("Kitui East", "Kitui"), ("Bomet Central", "Bomet"),
                                            ("Laikipia West Sub-County", "Laikipia"),
                                            ("Kelonget village in Bomet Central", "Bomet")])
def test_a_compass_sub_county_falls_back_to_its_county(gaz, phrase, admin1):
    loc = _resolve(gaz, phrase, countries=("KE",))
    assert loc is not None and loc.country == "KE" and loc.admin1 == admin1



def test_a_kind_word_reads_the_town_of_the_name_not_a_look_alike_of_the_phrase(gaz):
    # "Taunggyi town" once matched a village spelt "Taungyun" 700 km south, by a fuzzy match of the whole phrase.
    loc = _resolve(gaz, "Taunggyi town", countries=("MM",))
    assert loc is not None and loc.name == "Taunggyi" and loc.feature == "PPL" and loc.precision == "city"


def test_parents_in_brackets_may_keep_lower_case_kind_words():
    text = "On Monday, in Paungde town (Paungde township, Pyay district, Bago-west), a bomb exploded."
    assert [p[2] for p in place_phrases(text)] == ["Paungde town (Paungde township, Pyay district, Bago-west)"]


def test_the_town_of_a_districts_name_beats_the_district_itself(gaz):
    loc = _resolve(gaz, "Kyaukme township (Kyaukme District, Shan State)", countries=("MM",))
    assert loc is not None and loc.name == "Kyaukme" and loc.feature == "PPL"


def test_a_town_far_from_its_districts_middle_is_still_found_in_its_region(gaz):
    loc = _resolve(gaz, "Mogoke town (Mogoke township, Pyinoolwin district, Mandalay region)", countries=("MM",))
    assert loc is not None and loc.name == "Mogok" and loc.admin1 == "Mandalay"


def test_a_region_word_reads_the_province_not_its_big_city(gaz):
    loc = _resolve(gaz, "Mandalay region", countries=("MM",))
    assert loc is not None and loc.precision == "admin1" and loc.name == "Mandalay"


def test_look_alike_spellings_abroad_do_not_outvote_a_chains_own_country(gaz):
    # Barani and Kossi are spelt so in Burkina Faso (a seat and a province); folded look-alikes of
    # "Kossi" in a dozen countries must not tie it.
    loc = _resolve(gaz, "Ouemboyx (Barani, Kossi)", countries=())
    assert loc is not None and loc.country == "BF"


@pytest.mark.parametrize("phrase, countries, city", [
    ("the Kenyan capital", (), "Nairobi"), ("Burkina Faso's capital", (), "Ouagadougou"),
    ("capital of Yemen", ("SA",), "Sanaa"), ("capital", ("SY",), "Damascus"),
])
def test_a_countrys_capital_named_by_the_country_or_the_articles_country(gaz, phrase, countries, city):
    loc = _resolve(gaz, phrase, countries=countries)
    assert loc is not None and loc.name == city and loc.precision == "city"


def test_the_capital_without_a_country_to_go_by_is_no_place(gaz):
    assert _resolve(gaz, "the capital", countries=()) is None


def test_place_phrases_find_a_capital_named_by_its_country_or_alone():
    text = "Hundreds marched in the Burkina Faso capital on Saturday; riots broke out in the capital of Chad and in the capital."
    assert [p[2] for p in place_phrases(text)] == ["Burkina Faso capital", "capital of Chad", "capital"]


def test_a_town_in_a_district_the_index_lacks_is_the_town_on_its_own(gaz):
    # Nyatike is no district of the index; the text still says Macalder is a town, and the index has it.
    loc = _resolve(gaz, "Macalder town in Nyatike district", countries=("KE",))
    assert loc is not None and loc.name == "Macalder" and loc.country == "KE"


def test_the_parent_after_in_keeps_its_kind_word():
    text = "Residents protested in Macalder town in Nyatike district on Monday."
    assert [p[2] for p in place_phrases(text)] == ["Macalder town in Nyatike district"]


@pytest.mark.parametrize("phrase, countries, town", [
    ("Lamu-Malindi road", ("KE",), "Lamu"), ("Isiolo-Garissa border", ("KE",), "Isiolo"),
    ("axis Fada N'Gourma-Pama", ("BF",), "Fada N'gourma"), ("Qwxzy-Malindi highway", ("KE",), "Malindi"),
])
def test_a_road_between_two_towns_is_placed_at_the_first_the_index_knows(gaz, phrase, countries, town):
    loc = _resolve(gaz, phrase, countries=countries)
    assert loc is not None and loc.name == town


def test_a_road_between_two_towns_is_a_place_phrase_but_a_hyphenated_group_name_is_not():
    text = "Al-Shabaab fighters ambushed a bus on the Lamu-Malindi road and on the axis Fada N'Gourma-Pama."
    assert [p[2] for p in place_phrases(text)] == ["Lamu-Malindi road", "axis Fada N'Gourma-Pama"]


def test_in_front_of_a_numbered_base_is_no_place_phrase():
    text = "A bomb exploded in front of No.121 army base in Taunggyi town on Monday."
    assert [p[2] for p in place_phrases(text)] == ["Taunggyi town"]


def test_a_town_before_its_township_and_parents_is_one_phrase_read_through_the_chain(gaz):
    text = "On Monday, in Kani town, Kani township (Yinmarbin District, Sagaing Region), a bomb exploded."
    (phrase,) = [p[2] for p in place_phrases(text)]
    assert phrase == "Kani town, Kani township (Yinmarbin District, Sagaing Region)"
    loc = _resolve(gaz, phrase, countries=("MM",))
    assert loc is not None and loc.name == "Kani" and abs(loc.lat - 22.44) < 0.1 and abs(loc.lon - 94.85) < 0.1
