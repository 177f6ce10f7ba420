"""The country a note's own villages point to beats its actors' home and look-alikes abroad."""

from __future__ import annotations

from datetime import date

from sitroom.extract import analyse_articles
from sitroom.extract.scene import place_names, places_countries
from sitroom.fuse import fuse
from sitroom.model import Article, Sentence


def _events(text: str):
    analysis = next(analyse_articles([Article(id="s", text=text, published=date(2020, 5, 10))]))
    return fuse(list(analysis.reports))


def test_villages_spelt_so_in_one_country_name_it_whatever_the_actors_home():
    assert places_countries(["Kelbo", "Belhourou"], homes=["ML"])[0] == "BF"


def test_a_name_shared_by_two_countries_decides_nothing_without_a_tie_breaker():
    assert places_countries(["Rimassa"]) == []  # a village in Burkina Faso and one in Mali
    assert places_countries(["Rimassa"], homes=["BF"])[0] == "BF"


def test_a_name_the_index_lacks_gives_no_country():
    assert places_countries(["Qwxzyville"]) == []


def test_names_a_locative_word_governs_count_as_places():
    text = "Gunmen burned a school in the village of Belhourou."
    sent = Sentence("s", 0, 0, len(text), text)
    assert "Belhourou" in place_names([sent], [])


def test_an_attack_by_a_malian_group_in_a_burkinabe_village_is_placed_in_burkina_faso():
    (event,) = _events("On 3 May, JNIM militants attacked the gendarmerie in Belhourou and killed two gendarmes.")
    assert event.location is not None and (event.location.name, event.location.country) == ("Belhourou", "BF")
    assert "Police Forces of Burkina Faso" in {a.name for a in event.actors}


def test_unnamed_gunmen_in_a_village_take_its_country():
    (event,) = _events("On 3 May, gunmen shot dead a trader at the market in Nassoumbou and burned his shop.")
    assert event.location is not None and event.location.country == "BF"
    assert {a.name for a in event.actors} >= {"Unidentified Armed Group (Burkina Faso)", "Civilians (Burkina Faso)"}


def test_a_country_the_text_names_still_wins():
    (event,) = _events("On 3 May, JNIM militants attacked a village in Mali, killing four people.")
    assert event.location is not None and event.location.country == "ML"


def test_a_village_right_after_a_locative_word_is_a_place_even_when_tagged_a_people():
    from sitroom.extract.scene import village_after_locative

    assert village_after_locative("gendarmes exchanged gunfire near the post in ", "Matiakoali", ["BF"])
    assert not village_after_locative("members of the ", "Kikuyu", ["KE"])  # a people, not the town
    assert not village_after_locative("gendarmes in ", "Matiakoali", [])


def test_an_outlet_named_after_its_country_gives_that_country():
    from sitroom.extract.scene import outlet_country

    assert outlet_country("Evening Post (Kenya)") == "KE"
    assert outlet_country("Kenyan Broadcasting Service") == "KE"
    assert outlet_country("Wire Agency") is None
    assert outlet_country("Daily Post (Kenya); Evening Post (Uganda)") is None  # they disagree


def test_a_local_papers_story_that_names_no_country_is_placed_at_home_not_abroad():
    text = "On 3 May, motorcycle taxi riders in Lari blocked the main road to protest its poor state."
    analysis = next(analyse_articles([Article(id="o", text=text, published=date(2020, 5, 10), source="Evening Post (Kenya)")]))
    (event,) = fuse(list(analysis.reports))
    assert event.location is not None and (event.location.name, event.location.country) == ("Lari", "KE")  # not Olari, Finland
    assert "Protesters (Kenya)" in {a.name for a in event.actors}


def test_the_text_beats_the_outlet():
    text = "On 3 May, gunmen shot dead a trader at the market in Nassoumbou and burned his shop."
    analysis = next(analyse_articles([Article(id="o", text=text, published=date(2020, 5, 10), source="Evening Post (Kenya)")]))
    (event,) = fuse(list(analysis.reports))
    assert event.location is not None and event.location.country == "BF"


def test_a_building_or_a_compass_word_is_no_town_abroad():
    text = "On 3 May, police raided a meeting at the University of Dori and wounded five students."
    analysis = next(analyse_articles([Article(id="u", text=text, published=date(2020, 5, 10))]))
    (event,) = fuse(list(analysis.reports))
    assert event.location is None or event.location.country != "US"  # not University, Florida


def test_a_sentence_opening_on_its_town_is_placed_there():
    text = "In Migori, demonstrators threw stones at police officers."
    analysis = next(analyse_articles([Article(id="m", text=text, published=date(2020, 5, 10), source="Evening Post (Kenya)")]))
    (event,) = fuse(list(analysis.reports))
    assert event.location is not None and (event.location.name, event.location.country) == ("Migori", "KE")


def test_a_town_named_like_a_us_city_is_the_namesake_in_the_country_the_note_names():
    # "Hays" alone points to Kansas; a note that names Yemen means Yemen's Hays.
    (event,) = _events("On 4 May, Houthi forces shelled houses in Hays city in western Yemen, killing two civilians.")
    assert event.location is not None and event.location.country == "YE"


def test_a_note_in_the_burkinabe_capital_is_placed_in_ouagadougou_not_at_the_countrys_middle():
    (event,) = _events("On 3 May, police fired tear gas at student protesters in the Burkina Faso capital.")
    assert event.location is not None and event.location.name == "Ouagadougou"


def test_a_name_after_a_persons_title_is_no_place_even_when_tagged_one():
    # "Uhuru" is also an alternate name of a place in Norway; after "President" it is a person.
    (event,) = _events("Residents protested over land titles in Macalder town in Nyatike district. "
                       "They asked President Uhuru to act.")
    assert event.location is not None and (event.location.name, event.location.country) == ("Macalder", "KE")


def test_an_actors_nationality_does_not_move_the_scene_out_of_the_country_its_villages_are_in():
    (event,) = _events("On 2 May, Turkish forces shelled the vicinity of Zannubah village near Ein Issa, killing a shepherd.")
    assert event.location is not None and event.location.country == "SY"
