"""A story about one city: an incident its sentences place nowhere happened in that city, not nowhere."""

from __future__ import annotations

from datetime import date

from sitroom.extract import analyse_articles
from sitroom.model import Article


def _places(text: str) -> list[tuple[str, str | None, str | None] | None]:
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2031, 5, 6))])
    return [(r.location.name, r.location.admin1, r.location.country) if r.location else None for r in analysis.reports]


def test_a_placeless_incident_in_a_story_about_one_city_is_placed_in_that_city():
    text = ("Police in Stockton said they had few leads on Sunday. Shootings in Stockton have risen this year, the mayor said. "
            "The city council will meet next week. Residents asked for more street lights. A vigil is planned for Tuesday evening. "
            "Schools will stay open. A 26-year-old man was shot and killed early Saturday, police said. "
            "Anyone with information is asked to call detectives.")
    found = _places(text)
    assert found and all(p == ("Stockton", "California", "US") for p in found)


def test_a_story_naming_several_cities_once_leaves_a_placeless_incident_unplaced():
    text = ("The governor visited Fresno on Monday and flew to Sacramento on Tuesday. Lawmakers in Modesto debated the budget. "
            "The council will meet next week. Residents asked for more street lights. A vigil is planned for Tuesday evening. "
            "Schools will stay open. A 26-year-old man was shot and killed early Saturday, police said.")
    found = _places(text)
    assert found and found[-1] is None  # no one city dominates: the shooting's town is not guessed
