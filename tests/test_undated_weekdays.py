"""Weekdays in articles without a publication date: dated from the news the article shares with dated reports."""

from datetime import date

import pytest

from sitroom.config import Settings
from sitroom.extract import dates
from sitroom.ingest.sources import content_hash
from sitroom.model import Article
from sitroom.runners.local import ingest_items
from sitroom.store import open_store
from sitroom.store.base import EventQuery

# Our own sentences: a dated report of a market strike, and an undated one that retells it ("on
# Thursday") and goes on to a shelling "on Saturday" that nothing else dates.
_DATED = ("An air strike hit the market in Kafr Nabl on Thursday, killing 12 people, the White Helmets said.")
_UNDATED = ("Twelve people were killed when an air strike hit the market in Kafr Nabl on Thursday. "
            "On Saturday, shelling hit the hospital in Maarat al-Numan, killing three civilians.")


def _article(aid: str, text: str, published: date | None) -> Article:
    return Article(id=aid, text=text, title=aid, source="test", published=published, content_hash=content_hash(text + aid))


def test_a_weekday_with_nothing_to_count_back_from_is_kept_as_a_partial_date():
    assert dates.partial_weekday("on Monday") == "W-1"
    assert dates.partial_weekday("this Sunday") == "W-7"
    assert dates.partial_weekday("next Monday") is None  # looks ahead: not a day the news happened
    assert dates.is_partial_weekday("W-3") and not dates.is_partial_weekday("--09-17") and not dates.is_partial_weekday(None)


def test_a_partial_weekday_is_the_day_of_that_name_from_two_days_before_the_anchor_to_four_after():
    saturday = date(2016, 9, 17)
    assert dates.weekday_near("W-1", saturday) == date(2016, 9, 19)  # "on Monday": the Monday after
    assert dates.weekday_near("W-5", saturday) == date(2016, 9, 16)  # "on Friday": the day before
    assert dates.weekday_near("W-6", saturday) == saturday
    assert dates.weekday_near("W-3", saturday) == date(2016, 9, 21)


def _dated_events(db: str) -> dict[str, tuple[str | None, list[str]]]:
    store = open_store(db)
    try:
        events = store.query_events(EventQuery(limit=100)).items
    finally:
        store.close()
    return {e["sub_event_type"]: (e["date"], sorted(e["article_ids"])) for e in events}


@pytest.mark.slow
def test_an_undated_articles_weekdays_are_dated_by_the_news_it_shares_whatever_the_order(tmp_path):
    settings = Settings(batch_size=8, workers=1, paraphrase=False)
    dated = _article("dated", _DATED, date(2024, 3, 9))  # a Saturday: "on Thursday" is 7 March
    undated = _article("undated", _UNDATED, None)
    together, apart = str(tmp_path / "together.db"), str(tmp_path / "apart.db")
    store = open_store(together)
    try:
        ingest_items([dated, undated], store, settings=settings)
    finally:
        store.close()
    store = open_store(apart)
    try:
        ingest_items([undated], store, settings=settings)  # alone it dates nothing
        assert {when for when, _ in _dated_events(apart).values()} == {None}
        ingest_items([dated], store, settings=settings)  # the dated report arrives later
    finally:
        store.close()
    got = _dated_events(together)
    assert got["air_drone_strike"] == ("2024-03-07", ["dated", "undated"])  # the market strike, one record of both
    assert got["shelling_artillery_missile_attack"] == ("2024-03-09", ["undated"])  # the undated article's Saturday, two days after its anchor
    assert _dated_events(apart) == got
