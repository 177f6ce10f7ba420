"""Fusion on the five real seed reports: one record per landmark event, dated across reports, with its evidence."""

from datetime import date

import pytest

from conftest import corpus_path
from sitroom.extract import analyse_articles
from sitroom.fuse import fuse
from sitroom.ingest.files import read_sources
from sitroom.model import Article

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


@pytest.fixture(scope="module")
def seed_events():
    articles = [a for a in read_sources([str(corpus_path("seeds"))]) if isinstance(a, Article)]
    reports = [r for a in analyse_articles(articles) for r in a.reports]
    return fuse(reports)


def test_the_deir_ez_zor_strike_is_one_record_dated_by_the_day_one_report_states(seed_events):
    # Four articles, five spellings; one says "on September 17" with no year, another's "on Saturday"
    # resolves against its 1 October publication: the stated day wins, in the story's year.
    deir = [e for e in seed_events if e.location and e.location.geonames_id == 170794 and e.sub_event_type == "air_drone_strike"]
    assert len(deir) == 1
    (strike,) = deir
    assert strike.date == date(2016, 9, 17) and strike.date_basis == "stated"
    assert "002_5a31d23e92dabe35" in strike.article_ids
    assert (strike.fatalities.best, strike.fatalities.high) == (62, 90)
    # Every report joined by a scored link the record shows.
    assert len(strike.evidence) == len(strike.report_ids) - 1
    assert all(link.agreements for link in strike.evidence)


def test_the_convoy_attack_is_one_record_and_the_50_vs_45_toll_one_event(seed_events):
    convoy = [e for e in seed_events if any("convoy" in s.sentence for s in e.sources) and e.location and e.location.name == "Aleppo"]
    assert len(convoy) == 1 and len(convoy[0].article_ids) >= 3
    # No article that reports it "on Monday" has a publication date: the Deir ez-Zor strike of
    # Saturday 17 September they also report dates their week.
    (attack,) = convoy
    assert attack.date == date(2016, 9, 19) and len(attack.article_ids) == 4
    assert (attack.fatalities.best, attack.fatalities.high) == (20, 21)
    (disputed,) = [c for c in attack.contradictions if c.field == "responsibility"]
    assert disputed.values == ("Russia", "Syria")  # the US blame on both, and both denials
    toll = [e for e in seed_events if {c.value for c in e.claims if c.field == "fatalities"} >= {45, 50}]
    assert len(toll) == 1
    assert any(c.field == "fatalities" and set(c.values) == {45, 50} for c in toll[0].contradictions)


def test_the_undated_articles_weekdays_take_the_days_their_story_fixes(seed_events):
    # "Wednesday's toll" (50 vs 45) and "clashes east of Damascus on Friday", in articles without a date.
    toll = next(e for e in seed_events if {c.value for c in e.claims if c.field == "fatalities"} >= {45, 50})
    assert toll.date == date(2016, 9, 21)
    clashes = [e for e in seed_events if any("Clashes hit areas east of Damascus" in s.sentence for s in e.sources)]
    assert [e.date for e in clashes] == [date(2016, 9, 16)]
