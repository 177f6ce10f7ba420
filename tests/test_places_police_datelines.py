"""US local news: a town's police name the town, a state dateline names the country, "Del Mar" is no month."""

from __future__ import annotations

from datetime import date

from sitroom.extract import analyse_articles
from sitroom.extract.dates import DateResolver, find_date_expressions
from sitroom.model import Article


def _places(text: str) -> list[str | None]:
    (analysis,) = analyse_articles([Article(id="p", text=text, published=date(2016, 5, 2))])
    return [r.location.name if r.location else None for r in analysis.reports if r.kind == "incident"]


def test_a_towns_police_place_the_shooting_they_investigate_in_the_town():
    text = ("Hamden police are investigating an overnight shooting on a busy avenue.\n\n"
            "Officers found a man with a gunshot wound outside a bar, police said.")
    assert _places(text) == ["Hamden"]


def test_a_state_dateline_places_a_story_that_names_only_the_state():
    text = ("FORT WAYNE, Ind. (WANE) – Fort Wayne police found three people dead inside a home early Sunday morning.\n\n"
            "Officers responded to the home around 4 a.m.")
    assert _places(text) == ["Fort Wayne"]


def test_a_months_short_name_without_its_period_is_a_word():
    assert find_date_expressions("Police responded near Monroe and Avenida Del Mar.") == []
    assert DateResolver(date(2016, 5, 2)).resolve("Del Mar") is None
    assert DateResolver(date(2016, 5, 2)).resolve("in Mar. 2016").date == date(2016, 3, 1)
    assert DateResolver(date(2016, 5, 2)).resolve("in March").date == date(2016, 3, 1)
