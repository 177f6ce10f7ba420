"""Parts of a city (neighbourhoods, sections, sides) are placed inside the article's city, never in a namesake town."""

from __future__ import annotations

from datetime import date

from sitroom.extract import analyse_articles
from sitroom.extract.city_parts import is_part, resolve_part
from sitroom.extract.places import resolve_place
from sitroom.model import Article


def _reports(text: str):
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2031, 5, 6))])
    return analysis.reports


def test_is_part_reads_neighbourhoods_sections_sides_and_the_citys_parts():
    assert is_part("the Homewood neighborhood")
    assert is_part("Chicago's Englewood neighborhood")
    assert is_part("South Side")
    assert is_part("Englewood", before="in the city's ", after=" on Sunday")
    assert is_part("Homewood", before="in the ", after=" neighborhood of the city")
    assert not is_part("Pittsburgh", before="in ", after=" on Sunday")
    assert not is_part("Idlib province")


def test_a_neighbourhood_is_looked_for_inside_the_city_it_is_framed_by():
    chicago = resolve_place("Chicago", countries=("US",))
    assert chicago is not None and chicago.admin1 == "Illinois"
    loc = resolve_part("the Austin neighborhood", city=chicago, countries=("US",))
    assert loc is not None and loc.admin1 == "Illinois"  # not the Texan capital
    poss = resolve_part("Chicago's Englewood neighborhood", city=None, countries=("US",))
    assert poss is not None and poss.admin1 == "Illinois"  # not Englewood, Colorado


def test_a_side_of_the_city_is_the_city_itself():
    chicago = resolve_place("Chicago", countries=("US",))
    assert resolve_part("the South Side", city=chicago, countries=("US",)) == chicago
    assert resolve_part("the South Side", city=None, countries=("US",)) is None  # no town called that


def test_a_neighbourhood_with_no_city_is_placed_only_in_a_state_the_story_names():
    pennsylvania = resolve_place("Pennsylvania", countries=("US",))
    assert pennsylvania is not None
    assert resolve_part("the Homewood neighborhood", city=None, countries=("US",)) is None
    alabama = resolve_place("Alabama", countries=("US",))
    assert alabama is not None
    in_alabama = resolve_part("the Homewood neighborhood", city=None, countries=("US",), admin1s=(("US", "AL"),))
    assert in_alabama is not None and in_alabama.admin1 == "Alabama"


def test_a_dateline_city_holds_the_neighbourhood_its_story_names():
    reports = _reports("PITTSBURGH (AP) — A 19-year-old man was shot and killed Sunday night in the Homewood neighborhood, police said.")
    assert reports and reports[0].location is not None
    assert (reports[0].location.name, reports[0].location.admin1) == ("Pittsburgh", "Pennsylvania")


def test_the_citys_part_is_in_the_city_the_story_is_about():
    reports = _reports(
        "Chicago police are investigating a shooting. A 31-year-old man was shot Saturday in the city's Roseland neighborhood, "
        "Chicago police said."
    )
    placed = [r.location for r in reports if r.location is not None]
    assert placed and all(loc.admin1 == "Illinois" for loc in placed)


def test_a_street_named_like_a_town_is_not_the_scene():
    from sitroom.extract.frame import street_name

    for text, name in [("shot in the 7900 block of South Marquette on Sunday", "Marquette"), ("shot on Bishop Street", "Bishop"),
                       ("shot outside 1200 Quincy Ave.", "Quincy")]:
        at = text.index(name)
        assert street_name(text, at, at + len(name))
    for text, name in [("shot in Quincy on Sunday", "Quincy"), ("shot in Marquette, Mich.", "Marquette"),
                       ("killed 12 people in Aleppo", "Aleppo")]:
        at = text.index(name)
        assert not street_name(text, at, at + len(name))
    reports = _reports("CHICAGO (AP) — A 20-year-old man was shot and killed Sunday in the 7900 block of South Marquette Road, police said.")
    assert reports and reports[0].location is not None and reports[0].location.admin1 == "Illinois"  # not Marquette, Michigan


def test_a_bare_name_in_a_city_story_is_the_citys_namesake_not_a_town_of_another_state():
    from sitroom.extract.city_parts import local_namesake

    chicago = resolve_place("Chicago", countries=("US",))
    colorado = resolve_place("Englewood", countries=("US",))
    assert chicago is not None and colorado is not None and colorado.admin1 == "Colorado"
    local = local_namesake("Englewood", colorado, chicago)
    assert local is not None and local.admin1 == "Illinois"
    assert local_namesake("Englewood, Colo.", colorado, chicago) is None  # the text says which
    assert local_namesake("Chicago", chicago, chicago) is None
