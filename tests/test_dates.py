"""Date expressions resolved against the publication date, or the article's own dates, never guessed."""

from datetime import date

import pytest

from sitroom.extract.dates import DateResolver, explicit_dates, find_date_expressions

SATURDAY = date(2016, 10, 1)  # a Saturday


@pytest.mark.parametrize("expr,expected,precision", [
    ("September 17", date(2016, 9, 17), "day"),
    ("17 September 2016", date(2016, 9, 17), "day"),
    ("Sept. 9", date(2016, 9, 9), "day"),
    ("On 9 May 2020,", date(2020, 5, 9), "day"),
    ("on September 12", date(2016, 9, 12), "day"),
    ("on Saturday", SATURDAY, "day"),  # same day allowed
    ("Friday morning", date(2016, 9, 30), "day"),
    ("this Monday", date(2016, 9, 26), "day"),
    ("Monday", date(2016, 9, 26), "day"),
    ("last Friday", date(2016, 9, 30), "day"),
    ("last Saturday", date(2016, 9, 24), "day"),
    ("yesterday", date(2016, 9, 30), "day"),
    ("today", SATURDAY, "day"),
    ("earlier this week", date(2016, 9, 26), "week"),
    ("last week", date(2016, 9, 19), "week"),
    ("this month", date(2016, 10, 1), "month"),
    ("last month", date(2016, 9, 1), "month"),
    ("early September", date(2016, 9, 1), "month"),
])
def test_resolver_reads_news_dates_against_publication(expr, expected, precision):
    got = DateResolver(SATURDAY).resolve(expr)
    assert got is not None and (got.date, got.precision) == (expected, precision)
    assert got.text == expr


def test_resolver_uses_the_year_closest_to_the_reference():
    assert DateResolver(date(2017, 1, 3)).resolve("December 28").date == date(2016, 12, 28)


def test_resolver_falls_back_to_the_latest_anchor_date():
    resolver = DateResolver(None, anchors=[date(2016, 9, 12), date(2016, 9, 20)])  # a Tuesday
    assert resolver.resolve("on Saturday").date == date(2016, 9, 17)


def test_resolver_never_guesses_without_a_reference():
    resolver = DateResolver(None)
    assert resolver.resolve("on Saturday") is None
    assert resolver.resolve("yesterday") is None
    assert resolver.resolve("September 17") is None  # no year anywhere: not invented
    assert resolver.resolve("17 September 2016").date == date(2016, 9, 17)


def test_resolver_rejects_nonsense_and_bad_reference():
    assert DateResolver(SATURDAY).resolve("") is None
    assert DateResolver(SATURDAY).resolve("the Karvel talks") is None
    with pytest.raises(ValueError):
        DateResolver("2016-10-01")


def test_explicit_dates_infer_missing_years_from_the_text():
    text = "The truce began on 12 September 2016 in Karvel. By Sept. 19 it had collapsed."
    assert explicit_dates(text) == [date(2016, 9, 12), date(2016, 9, 19)]
    assert explicit_dates("Talks resumed on March 3.") == []
    assert explicit_dates("Talks resumed on March 3.", published=date(2020, 3, 5)) == [date(2020, 3, 3)]


def test_find_date_expressions_locates_phrases_not_verbs():
    s = "Jets struck Karvel on Saturday and again earlier this week; the truce of 12 September may fail."
    found = [t for _, _, t in find_date_expressions(s)]
    assert found == ["Saturday", "earlier this week", "12 September"]
    start, end, text = find_date_expressions(s)[0]
    assert s[start:end] == text
    assert find_date_expressions("Residents may march to the square.") == []


def test_stated_and_yearless_days_are_told_apart():
    from sitroom.extract.dates import is_stated, partial_day

    assert is_stated("September 17") and is_stated("3 May 2020") and not is_stated("on Saturday")
    assert partial_day("on September 17") == "--09-17" and partial_day("17 September 2016") is None
    assert partial_day("last week") is None


def _reports(text: str, published: date | None):
    from sitroom.extract import analyse_articles
    from sitroom.model import Article

    return next(analyse_articles([Article(id="d", text=text, published=published)])).reports


def test_a_stated_day_wins_over_a_relative_one_in_one_report():
    (r,) = _reports(
        "Jets struck a market in Karvel on Saturday, September 17, killing 12 civilians.", SATURDAY)
    assert (r.date, r.date_precision, r.date_basis) == (date(2016, 9, 17), "day", "stated")


def test_a_relative_day_resolves_against_publication_with_its_basis():
    (r,) = _reports("Jets struck a market in Karvel on Thursday, killing 12 civilians.", SATURDAY)
    assert (r.date, r.date_basis) == (date(2016, 9, 29), "relative")


def test_an_undated_fresh_incident_takes_the_publication_day_and_says_so():
    (r,) = _reports("Jets struck a market in Karvel, killing 12 civilians.", SATURDAY)
    assert (r.date, r.date_precision, r.date_basis) == (SATURDAY, "day", "published")


def test_a_yearless_day_with_no_publication_date_is_kept_for_fusion_to_complete():
    (r,) = _reports("Jets struck a market in Karvel on September 17, killing 12 civilians.", None)
    assert (r.date, r.date_partial, r.date_basis) == (None, "--09-17", None)


def test_the_day_someone_spoke_is_not_the_incidents():
    (r,) = _reports("A spokesman said on Friday that jets had struck a market in Karvel on Wednesday, killing 12 civilians.", SATURDAY)
    assert r.date == date(2016, 9, 28)


@pytest.mark.parametrize("expr,expected", [
    ("between 24 and 25 March 2020", date(2020, 3, 24)),
    ("overnight 20-21 October", date(2016, 10, 20)),
    ("from 3 to 5 May", date(2016, 5, 3)),
])
def test_a_span_of_days_is_dated_by_its_first_day(expr, expected):
    got = DateResolver(date(2016, 11, 1)).resolve(expr)
    assert got is not None and (got.date, got.precision) == (expected, "day")


def test_a_day_and_year_without_a_month_is_not_given_the_publication_month():
    # the tagger's cut of "Jun 17th 2019": which month is not in the phrase
    assert DateResolver(date(2019, 11, 19)).resolve("17th 2019") is None


def test_a_yearless_day_later_in_the_year_than_publication_is_last_years():
    resolver = DateResolver(date(2019, 11, 19))
    assert resolver.resolve("On December 5th").date == date(2018, 12, 5)
    assert resolver.resolve("on November 23").date == date(2019, 11, 23)  # a few days ahead: an announced day


def test_a_short_note_dated_years_back_still_reports_its_incident():
    (r,) = _reports("On 19 September 2018, police shot dead three young men in Kawanda.", date(2020, 2, 1))
    assert (r.date, r.date_basis) == (date(2018, 9, 19), "stated")


def test_an_old_attack_recalled_in_a_longer_story_stays_background():
    text = ("Hundreds marched in Kawanda on Saturday. They remembered the victims. Organisers spoke of the past. "
            "They asked for justice. On 19 September 2018, police shot dead three young men in the town.")
    assert all(r.kind != "incident" or r.date != date(2018, 9, 19) for r in _reports(text, date(2020, 2, 1)))


@pytest.mark.parametrize("expr", ["a 14-year-old", "18-year-old", "aged 18", "14", "the 1990s", "two days", "3 MONTHS IN"])
def test_ages_numbers_and_durations_are_no_dates(expr):
    assert DateResolver(date(2016, 10, 31)).resolve(expr) is None


def test_a_yearless_day_is_of_the_past_not_months_ahead():
    assert DateResolver(date(2016, 6, 30)).resolve("Dec. 14").date == date(2015, 12, 14)
    assert DateResolver(date(2016, 9, 9)).resolve("September 12").date == date(2016, 9, 12)  # a truce due in three days
    assert DateResolver(date(2016, 12, 30)).resolve("Jan. 3").date == date(2017, 1, 3)


def test_a_month_in_a_street_name_is_no_date():
    assert find_date_expressions("The shooting on March Lane came just hours later.") == []
    assert find_date_expressions("The army attacked in March.") == [(21, 26, "March")]


def test_a_day_in_figures_reads_day_first_in_running_text_and_never_a_fraction():
    resolver = DateResolver(SATURDAY)
    sentence = "Police on 20/09 shot dead two robbers; a raid followed on the night of 22/09."
    found = [resolver.resolve(text).date for _, _, text in find_date_expressions(sentence)]
    assert found == [date(2016, 9, 20), date(2016, 9, 22)]
    # With its year it is that day whatever the publication; month first only where day first is no date.
    assert resolver.resolve("21/04/2015").date == date(2015, 4, 21)
    assert resolver.resolve("9/20").date == date(2016, 9, 20)
    assert explicit_dates("Youths burned ballot boxes on 21/04/2015 in Karvel.") == [date(2015, 4, 21)]
    # A fraction or a score is no date: nothing before it says "on" or opens a bracket.
    assert find_date_expressions("Turnout was 3/4 of the roll and the ratio 1/2.") == []
