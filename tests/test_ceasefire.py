"""Ceasefires read right: in force only when the text says so, proposals and hypotheticals apart,
who ended a truce apart from who reported it, one record per truce; truce notes equal whole analyses."""

import random
from datetime import date

import pytest

from conftest import corpus_path
from sitroom import codec
from sitroom.ceasefire import TruceNotes, track_ceasefires, truce_notes
from sitroom.extract import analyse_articles
from sitroom.fuse import fuse
from sitroom.model import Article, ceasefire_status


def _records(*texts: tuple[str, date | None]):
    articles = [Article(id=f"art{i}", text=text, source="test", published=published) for i, (text, published) in enumerate(texts)]
    return track_ceasefires(list(analyse_articles(articles)), [])[0]


def test_a_truce_is_in_force_only_when_the_text_says_so():
    (agreed,) = _records(("Yemen's government and the Houthis agreed a ceasefire on 3 April 2022 in talks in Muscat.", date(2022, 4, 4)))
    assert agreed.announced == date(2022, 4, 3) and agreed.in_force_from is None and agreed.stage == "agreed" and agreed.status == "announced"
    (running,) = _records(("A ceasefire between the two sides in Yemen went into effect on 4 April 2022.", date(2022, 4, 5)))
    assert running.in_force_from == date(2022, 4, 4) and running.stage == "in force" and running.status == "in force"


def test_a_stored_truce_reads_the_status_the_truce_has():
    # The API and the brief read a truce's status from its stored record: announced, in force, collapsed.
    truces = [
        *_records(("Yemen's government and the Houthis agreed a ceasefire on 3 April 2022 in talks in Muscat.", date(2022, 4, 4))),
        *_records(("A ceasefire between the two sides in Yemen went into effect on 4 April 2022.", date(2022, 4, 5))),
        *_records(("Syria's truce went into effect on 12 September 2016. The Syrian army announced the end of the truce "
                   "on 19 September 2016.", date(2016, 9, 20))),
    ]
    assert [c.status for c in truces] == ["announced", "in force", "collapsed"]
    stored = [codec.to_jsonable(c) for c in truces]
    assert [ceasefire_status(r["ended"], r["in_force_from"]) for r in stored] == ["announced", "in force", "collapsed"]


def test_a_party_that_has_not_agreed_makes_the_truce_proposed():
    (c,) = _records(("Mediators proposed a truce in Sudan on Monday, but the paramilitary forces have not agreed to it.", date(2023, 5, 10)))
    assert c.stage == "proposed" and c.status == "announced" and c.announced is None and c.in_force_from is None


def test_a_hypothetical_or_failed_truce_makes_no_record():
    assert _records(("Aid agencies in Sudan warned of famine in case no ceasefire is agreed before the rains.", date(2023, 6, 1))) == []
    assert _records(("Talks in Jeddah on Sudan failed to produce a ceasefire on Tuesday.", date(2023, 6, 1))) == []


def test_who_ended_a_truce_is_who_announced_the_end_not_the_monitor_reporting_it():
    (c,) = _records((
        "Syria's truce went into effect on 12 September 2016. "
        "The Syrian Observatory for Human Rights said jets struck Aleppo 40 times since the Syrian army announced "
        "the end of the truce on 19 September 2016.", date(2016, 9, 20)))
    assert c.ended == date(2016, 9, 19) and c.ended_by == "Military Forces of Syria" and c.stage == "ended" and c.status == "collapsed"


def test_an_undated_article_dates_weekdays_and_yearless_dates_from_the_truce():
    (c,) = _records(
        ("Washington and Moscow announced a ceasefire for Syria on 9 September 2016.", date(2016, 9, 10)),
        ("The truce in Syria came into effect on Monday. The Syrian army announced on Monday the end of the week-long truce.", None),
    )
    assert (c.announced, c.in_force_from, c.ended) == (date(2016, 9, 9), date(2016, 9, 12), date(2016, 9, 19))
    assert c.parties == ("United States", "Russia")


def test_two_successive_truces_in_one_country_are_two_records():
    records = _records(
        ("A ceasefire in Syria went into effect on 27 February 2016.", date(2016, 2, 28)),
        ("The Syrian army declared the end of the ceasefire in Syria on 20 April 2016.", date(2016, 4, 21)),
        ("A new ceasefire in Syria took effect on 12 September 2016.", date(2016, 9, 13)),
    )
    assert [(c.in_force_from, c.ended) for c in records] == [(date(2016, 2, 27), date(2016, 4, 20)), (date(2016, 9, 12), None)]
    assert len({c.id for c in records}) == 2


def test_violations_keep_who_alleges_them_against_whom():
    (c,) = _records(("The Syrian opposition reported on 19 September 2016 that there were 254 violations by government troops "
                     "since the truce started.", date(2016, 9, 20)))
    (v,) = c.violations
    assert (v.alleged_by, v.against, v.count) == ("Opposition Rebels (Syria)", "Military Forces of Syria", 254)


def test_each_sides_allegations_are_kept_apart_by_who_alleges_them():
    (c,) = _records((
        "A ceasefire between Armenia and Azerbaijan went into effect on 10 October 2020. "
        "Armenia reported on 11 October 2020 that there were 12 violations by Azerbaijan since the truce started. "
        "Azerbaijan reported on 11 October 2020 that there were 20 violations by Armenia since the truce started.", date(2020, 10, 12)))
    assert c.in_force_from == date(2020, 10, 10) and c.status == "in force"
    assert sorted((v.alleged_by, v.against, v.count) for v in c.violations) == [("Armenia", "Azerbaijan", 12), ("Azerbaijan", "Armenia", 20)]


def test_only_events_in_the_truces_country_while_it_holds_are_linked_to_it():
    articles = [
        Article(id=f"art{i}", text=text, source="test", published=published)
        for i, (text, published) in enumerate([
            ("A ceasefire in Syria went into effect on 12 September 2016.", date(2016, 9, 13)),
            ("An air strike killed 5 civilians in Aleppo, Syria on 10 September 2016.", date(2016, 9, 11)),
            ("An air strike killed 7 civilians in Aleppo, Syria on 14 September 2016.", date(2016, 9, 15)),
            ("An air strike killed 3 civilians in Mosul, Iraq on 14 September 2016.", date(2016, 9, 15)),
        ])
    ]
    analyses = list(analyse_articles(articles))
    (truce,), events = track_ceasefires(analyses, fuse([r for a in analyses for r in a.reports]))
    linked = {(e.location.name if e.location else None, e.date): e.ceasefire_id for e in events if e.fatalities.best}
    assert linked == {("Aleppo", date(2016, 9, 10)): None, ("Aleppo", date(2016, 9, 14)): truce.id, ("Mosul", date(2016, 9, 14)): None}


def test_truce_notes_round_trip_through_the_codec():
    (analysis,) = analyse_articles([Article(id="a", text="A ceasefire in Yemen went into effect on Monday.", source="t", published=None)])
    notes = truce_notes(analysis)
    assert notes is not None and notes.facts[0].said == "Monday"
    assert codec.from_jsonable(TruceNotes, codec.to_jsonable(notes)) == notes


@pytest.mark.slow
@pytest.mark.corpus
def test_ceasefire_notes_give_the_records_of_the_analyses():
    from sitroom.ingest.files import read_sources

    seeds = corpus_path("seeds")
    analyses = list(analyse_articles([a for a in read_sources([str(seeds)]) if not hasattr(a, "reason")]))
    events = fuse([r for a in analyses for r in a.reports])
    expected = track_ceasefires(analyses, events)
    assert expected[0], "the seeds report the September 2016 truce"

    notes = [truce_notes(a) for a in analyses]
    assert sum(n is not None for n in notes) >= 2  # several seeds tell of the truce
    random.Random(1).shuffle(notes)  # notes are merged in article id order, whatever order they come in
    assert track_ceasefires(notes, events) == expected


@pytest.mark.slow
@pytest.mark.corpus
def test_the_seeds_truce_is_one_record_as_a_careful_reader_signs_it():
    from sitroom.ingest.files import read_sources

    analyses = list(analyse_articles([a for a in read_sources([str(corpus_path("seeds"))]) if not hasattr(a, "reason")]))
    (c,) = track_ceasefires(analyses, fuse([r for a in analyses for r in a.reports]))[0]
    assert (c.announced, c.in_force_from, c.ended) == (date(2016, 9, 9), date(2016, 9, 12), date(2016, 9, 19))
    assert set(c.parties) == {"United States", "Russia"} and c.ended_by == "Military Forces of Syria"
    alleged = {(v.alleged_by, v.against, v.count) for v in c.violations}
    assert ("Opposition Rebels (Syria)", "Military Forces of Syria", 254) in alleged
    assert ("Syria", "Opposition Rebels (Syria)", 32) in alleged


def test_violations_in_an_article_about_no_truce_make_no_ceasefire():
    assert _records(("Rights groups in Kenya documented 300 violations by the police during the election.", date(2017, 9, 1))) == []


def test_the_sides_that_agreed_a_truce_are_its_coordinated_subject():
    (c,) = _records(("Yemen's government and the Houthis agreed a ceasefire on 3 April 2022 in talks in Muscat.", date(2022, 4, 4)))
    assert c.parties[0] == "Yemen" and len(c.parties) == 2 and "Houthi" not in c.parties[0]
    (between,) = _records(("A ceasefire between Armenia and Azerbaijan went into effect on 10 October 2020.", date(2020, 10, 11)))
    assert between.parties == ("Armenia", "Azerbaijan") and between.in_force_from == date(2020, 10, 10)
    (brokered,) = _records(("A ceasefire in Gaza brokered by Qatar and Egypt went into effect on 19 January 2025.", date(2025, 1, 20)))
    assert brokered.parties == ("Qatar", "Egypt")


def test_unnamed_sides_are_no_parties():
    # "the warring sides in Sudan" are not the state of Sudan: nothing invented
    (c,) = _records(("The warring sides in Sudan signed a truce on 24 April 2023.", date(2023, 4, 25)))
    assert c.parties == () and c.announced == date(2023, 4, 24)


def test_violations_in_reported_speech_keep_claimant_and_accused_apart():
    (c,) = _records((
        "A ceasefire between Armenia and Azerbaijan went into effect on 10 October 2020. "
        "Armenia said on 11 October 2020 that Azerbaijan had committed 12 violations of the truce. "
        "Azerbaijan said Armenia had violated the ceasefire 20 times.", date(2020, 10, 12)))
    got = sorted((v.alleged_by, v.against, v.count) for v in c.violations)
    assert got == [("Armenia", "Azerbaijan", 12), ("Azerbaijan", "Armenia", 20)]
    assert next(v.date for v in c.violations if v.alleged_by == "Armenia") == date(2020, 10, 11)


def test_an_accusation_of_an_attack_despite_the_truce_is_a_violation_without_a_count():
    (c,) = _records((
        "A truce in Ukraine went into effect on 1 March 2024. "
        "Kyiv accused Russian forces of shelling Kharkiv despite the truce.", date(2024, 3, 2)))
    assert [(v.alleged_by, v.against, v.count) for v in c.violations] == [("Ukraine", "Military Forces of Russia", None)]


def test_a_monitor_counts_violations_and_accuses_no_one():
    (c,) = _records((
        "A truce in Ukraine went into effect on 1 March 2024. "
        "Forty violations were recorded by the monitoring mission on 3 March 2024.", date(2024, 3, 4)))
    assert [(v.alleged_by, v.against, v.count, v.date) for v in c.violations] == [("monitoring mission", None, 40, date(2024, 3, 3))]


def test_a_denied_or_negated_violation_is_no_allegation():
    (c,) = _records((
        "A ceasefire in Lebanon went into effect on 27 November 2024. "
        "Israel said Hezbollah had not violated the truce. Hezbollah denied it had breached the ceasefire. "
        "The monitoring mission recorded no violations of the ceasefire.", date(2024, 11, 28)))
    assert c.violations == () and c.status == "in force"


def test_a_truce_as_history_or_hope_makes_no_record():
    assert _records(("The 2016 truce in Syria collapsed within a week, residents of Aleppo recalled.", date(2020, 3, 1))) == []
    assert _records(("A previous ceasefire in Libya broke down in April.", date(2020, 9, 1))) == []
    assert _records(("The UN secretary general called for an immediate ceasefire in Sudan.", date(2023, 5, 1))) == []
    assert _records(("Residents of Gaza hope for a truce before the holiday.", date(2024, 3, 1))) == []
    # the same year as the article is this truce, not history
    (c,) = _records(("The 2016 truce in Syria collapsed on 19 September 2016.", date(2016, 9, 20)))
    assert c.ended == date(2016, 9, 19)


def test_a_truce_effective_from_midnight_is_in_force_on_that_day():
    (c,) = _records(("The government of Chad and the rebels agreed a ceasefire in Chad effective from midnight on 22 May 2023.", date(2023, 5, 21)))
    assert c.in_force_from == date(2023, 5, 22) and c.stages == ("agreed", "in force")


def test_a_call_for_a_truce_beside_one_in_force_keeps_the_one_in_force():
    (c,) = _records(("The UN, which had called for a ceasefire, welcomed the truce that took effect in Yemen on 4 April 2022.", date(2022, 4, 5)))
    assert c.in_force_from == date(2022, 4, 4)
    # what a deal calls for is its terms: a proposed truce, not a hope
    (deal,) = _records(("The deal calls for a ceasefire in Gaza from Sunday.", date(2025, 1, 16)))
    assert deal.stage == "proposed"


def test_a_truce_named_by_last_years_date_may_still_hold():
    (c,) = _records(("The December 2016 ceasefire in Syria took effect on 30 December 2016 and was holding on 3 January 2017.", date(2017, 1, 4)))
    assert c.in_force_from == date(2016, 12, 30)


def test_sides_accusing_each_other_allege_against_each_other_not_against_each_other_as_a_party():
    (c,) = _records((
        "A ceasefire in Yemen went into effect on 4 April 2022. "
        "Clashes on 6 April 2022 were the worst since then, with both the Houthis and the government accusing each other of violating the truce.",
        date(2022, 4, 7)))
    assert all(v.alleged_by and v.against and v.against != "each other" for v in c.violations) and len(c.violations) == 2
    assert {v.alleged_by for v in c.violations} == {v.against for v in c.violations}
