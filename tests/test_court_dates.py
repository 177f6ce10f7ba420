"""A follow-up article's court dates (a plea, an arraignment, a sentence) do not date the shooting it reports."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.extract.dates import DateResolver
from sitroom.extract.incident_dates import court_date, date_of
from sitroom.spans import Sentence


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("On Sept. 27, 2016, Marcus Reed pleaded guilty to the shooting of his neighbor.", "Sept. 27, 2016"),
        ("Reed was sentenced on Monday to 20 years for the shooting.", "Monday"),
        ("He pleaded not guilty Tuesday to murder in the shooting.", "Tuesday"),
        ("Reed is scheduled to appear in court on Friday.", "Friday"),
    ],
)
def test_court_date_reads_the_day_of_a_plea_a_sentence_or_a_hearing(text, expr):
    assert court_date(text, expr)


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("A man was shot on Saturday night on Elm Street.", "Saturday"),
        ("On 3 May 2020, police arrested five protesters in the capital.", "3 May 2020"),
        ("On Sunday, a 23-year-old man was shot and killed, police said.", "Sunday"),
        ("The man charged with the shooting on Saturday was identified.", "Saturday"),
    ],
)
def test_court_date_leaves_the_incidents_own_day(text, expr):
    assert not court_date(text, expr)


def test_a_plea_sentence_gives_its_shooting_no_date():
    text = "On Sept. 27, 2031, Marcus Reed pleaded guilty to the shooting of his neighbor."
    resolver = DateResolver(date(2031, 10, 3))
    when, _, _, _ = date_of(Sentence("a", 0, 0, len(text), text), [], resolver, relative_weak=False)
    assert when is None  # not 27 September: that is the plea's day
    text = "On Sept. 27, 2031, a man shot his neighbor on Elm Street."
    when, precision, basis, _ = date_of(Sentence("a", 0, 0, len(text), text), [], resolver, relative_weak=False)
    assert (when, precision, basis) == (date(2031, 9, 27), "day", "stated")
