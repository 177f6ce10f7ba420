"""A follow-up article (an arrest, a death in hospital, a vigil) dates its shooting, not its own news."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.extract import analyse_articles
from sitroom.extract.dates import DateResolver
from sitroom.extract.follow_ups import after_incident, follow_up_date
from sitroom.extract.incident_dates import date_of
from sitroom.model import Article
from sitroom.spans import Sentence

FRIDAY = date(2031, 10, 3)


def _date(text: str, published: date = FRIDAY):
    when, precision, _, _ = date_of(Sentence("a", 0, 0, len(text), text), [], DateResolver(published), relative_weak=False)
    return when, precision


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("Dale Corvin, 24, was arrested Thursday in the shooting.", "Thursday"),
        ("A vigil was held Sunday for the boy killed in the shooting.", "Sunday"),
        ("The man wounded at the party died Monday of his injuries.", "Monday"),
        ("On Wednesday, police arrested a teenager in the killing of a store clerk.", "Wednesday"),
    ],
)
def test_the_day_of_an_arrest_a_vigil_or_a_later_death_is_the_follow_ups(text, expr):
    assert follow_up_date(text, expr)


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("A man was shot and killed Tuesday on Elm Street.", "Tuesday"),
        ("Police said Corvin was charged Wednesday in the Aug. 5 shooting.", "Aug. 5"),
        ("On 3 May 2031, police arrested five protesters in the capital.", "3 May 2031"),
        ("A woman died Monday in a crash on the highway.", "Monday"),
    ],
)
def test_the_incidents_own_day_stays_its_own(text, expr):
    assert not follow_up_date(text, expr)


def test_an_arrest_story_gives_the_shooting_the_day_it_names_not_the_arrests():
    assert _date("Police said Corvin was charged Wednesday in the Aug. 5 shooting.") == (date(2031, 8, 5), "day")
    assert _date("Dale Corvin, 24, was arrested Thursday in the shooting.") == (None, None)


def test_a_death_days_after_a_shooting_dates_the_shooting_before_it():
    when, precision = _date("A man died Tuesday, days after being shot on Elm Street.")
    assert precision == "week" and when < date(2031, 9, 30)  # before Tuesday 30 September, the death's day
    assert _date("A man shot Saturday died Monday at the hospital.") == (date(2031, 9, 27), "day")


def test_weeks_after_the_shooting_counts_back_from_the_publication():
    when, precision = _date("Four weeks after a backyard massacre in Karvel, police have a suspect.")
    assert (when, precision) == (date(2031, 9, 5), "week")
    assert after_incident("Two days after the shooting, the school reopened.", FRIDAY) == (date(2031, 10, 1), "day")
    assert after_incident("The school reopened on Monday.", FRIDAY) is None


def test_last_months_shooting_is_dated_to_the_month():
    assert _date("A 30-year-old man was arrested after his daughter was accidentally shot in the leg last month.") == (date(2031, 9, 1), "month")


def _reports(text: str, published: date):
    return next(analyse_articles([Article(id="follow", text=text, published=published)])).reports


def test_an_arrest_story_weeks_later_still_reports_its_shooting_dated_by_its_text():
    story = (
        "Police arrested a man Tuesday in the shooting that killed a 19-year-old woman in Karvel in July.\n\n"
        "Dale Corvin, 24, was charged with murder, police said.\n\n"
        "The woman was shot on July 4 outside a home on Mill Street.\n\n"
        "Neighbors said the street had been quiet since.\n\n"
        "Corvin is being held without bond."
    )
    (report,) = [r for r in _reports(story, date(2031, 9, 17)) if r.kind == "incident"]
    assert (report.date, report.date_precision) == (date(2031, 7, 4), "day")

