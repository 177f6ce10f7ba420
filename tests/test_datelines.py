"""Datelines: the town a story is filed from places the sentences that name no place, and nothing more."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.extract import analyse_articles
from sitroom.extract.datelines import find_dateline
from sitroom.geoparse import geoparse
from sitroom.model import Article


@pytest.mark.parametrize(
    ("text", "city", "region"),
    [
        ("KENT, Wash. -- A man was shot on Sunday.", "KENT", "Wash."),
        ("POCATELLO, Idaho (AP) - Two people were hurt.", "POCATELLO", "Idaho"),
        ("NORTH LAS VEGAS (KSNV) — A teenager was shot.", "NORTH LAS VEGAS", None),
        ("  DAYTON — Police said.", "DAYTON", None),
    ],
)
def test_find_dateline_reads_the_city_and_its_state(text, city, region):
    dateline = find_dateline(text)
    assert dateline is not None and dateline.city == city and dateline.region == region
    assert text[dateline.city_start : dateline.city_end] == city


@pytest.mark.parametrize(
    "text",
    ["BREAKING — Shots were fired.", "A man was shot - police said.", "US — talks resume.", "Police in Kent said a man - 24 - was shot."],
)
def test_find_dateline_ignores_labels_and_sentences(text):
    assert find_dateline(text) is None


def _reports(text: str):
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2031, 5, 6))])
    return analysis.reports


def test_a_local_story_is_placed_in_the_town_its_dateline_names():
    reports = _reports("KENT, Wash. -- A 24-year-old man was shot early Sunday outside an apartment complex, police said.")
    assert [(r.location.name, r.location.admin1, r.location.country) for r in reports] == [("Kent", "Washington", "US")]


def test_a_wire_story_keeps_the_place_its_sentence_names_not_the_dateline():
    reports = _reports("WASHINGTON — The Pentagon said Tuesday that an air strike killed 12 militants in northern Syria's Idlib province.")
    assert reports and all(r.location is not None and r.location.country == "SY" for r in reports)


def test_geoparse_lists_the_dateline_town_with_its_span():
    places = geoparse("KENT, Wash. -- A man was shot on Sunday.")
    assert [(p.text, p.start, p.end, p.location.name) for p in places][:2] == [("KENT", 0, 4, "Kent"), ("Wash.", 6, 11, "Washington")]



def test_a_dateline_after_a_web_page_line_still_places_the_story():
    text = ("Please enable Javascript to watch this video  KANSAS CITY, Mo. -- A store owner said she was afraid. "
            "Her cousin lives in Omaha and her son studies in Denver. A man was shot dead outside the store on Friday, police said.")
    assert [(r.location.name, r.location.admin1) for r in _reports(text) if r.location] == [("Kansas City", "Missouri")]
