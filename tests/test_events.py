"""Event typing and report building as an analyst would check them: ACLED's taxonomy, one report per incident."""

from datetime import date

import pytest

from sitroom.extract.events import classify
from sitroom.model import Article


def typed(sentence: str) -> tuple[str, str] | None:
    t = classify(sentence)
    return (t.event_type, t.sub_event_type) if t else None


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # The month of May is not the modal verb "may".
        ("On 9 May 2020, regime forces shelled Kinda in Idleb using artillery fire.", ("explosions_remote_violence", "shelling_artillery_missile_attack")),
        ("On 5 May 2020, miners held a protest in Zarand against plans to privatize the mine.", ("protests", "peaceful_protest")),
        ("On 6 May 2020, protesters gathered outside the court in Karvel and demanded the release of activists.", ("protests", "peaceful_protest")),
        ("Gunmen shot and killed a fighter of the Karvel Brigade at a checkpoint.", ("battles", "armed_clash")),
        ("Gunmen shot dead two farmers in their fields near Ostrin.", ("violence_against_civilians", "attack")),
        ("Dozens of youths clashed with police in Dalmo and hurled rocks at them.", ("riots", "mob_violence")),
        ("Rioters demonstrating against prices clashed with soldiers in Karvel.", ("riots", "violent_demonstration")),
        ("Militia forces fired 14.5mm machine guns at residential areas of Ostrin.", ("explosions_remote_violence", "shelling_artillery_missile_attack")),
        ("Forces exchanged artillery with rebels on the Dalmo front.", ("battles", "armed_clash")),
        ("Police seized 8 hand-grenades and two rifles near Karvel.", ("strategic_developments", "disrupted_weapons_use")),
        ("Families whose sons have been kidnapped held a sit-in protest in Karvel.", ("protests", "peaceful_protest")),
        ("Soldiers fired rubber bullets at fishermen off the coast of Dalmo.", ("violence_against_civilians", "attack")),
    ],
)
def test_sentences_are_typed_as_acled_codes_them(sentence, expected):
    assert typed(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels would attack the town if the talks failed.",
        "Between 250 and 300 rebels were due to be evacuated from Waer on Monday.",
        "The rebels said they had seen no such withdrawal from the government side.",
    ],
)
def test_forecasts_negations_and_background_are_not_events(sentence):
    assert classify(sentence) is None


def test_reinforcements_amid_clashes_are_a_group_movement_not_a_clash():
    assert typed("Reinforcements were brought in amid the ongoing clashes.") == ("strategic_developments", "change_to_group_activity")


def test_an_article_with_three_incidents_yields_three_reports_each_with_its_place_date_and_toll():
    from sitroom.extract import analyse_articles

    text = (
        "On 3 May 2020, an air strike killed 12 civilians in Aleppo.\n\n"
        "On 5 May 2020, rebels shelled Idlib, killing four soldiers.\n\n"
        "On 7 May 2020, about 300 people protested in Damascus against rising prices."
    )
    analysis = next(analyse_articles([Article(id="multi", text=text, published=date(2020, 5, 8))]))
    reports = sorted(analysis.reports, key=lambda r: r.date)
    assert [(r.date, r.location.name if r.location else None, r.event_type) for r in reports] == [
        (date(2020, 5, 3), "Aleppo", "explosions_remote_violence"),
        (date(2020, 5, 5), "Idlib", "explosions_remote_violence"),
        (date(2020, 5, 7), "Damascus", "protests"),
    ]
    tolls = [[c.value for c in r.claims if c.field == "fatalities"] for r in reports]
    assert tolls[:2] == [[12], [4]]


def test_an_undated_follow_up_sentence_takes_the_date_of_the_incident_before_it():
    from sitroom.extract import analyse_articles

    text = "On 3 May 2020, soldiers raided the town of Jericho. They shot a man in the foot; he was hospitalized."
    analysis = next(analyse_articles([Article(id="d", text=text, published=date(2020, 5, 4))]))
    assert analysis.reports and all(r.date == date(2020, 5, 3) for r in analysis.reports)


@pytest.mark.parametrize(
    "sentence",
    [
        "Authorities reported 144 coronavirus-related deaths Sunday.",
        "No deaths were recorded, but collapsing buildings injured 15 people.",
        "Tariffs are aimed at cutting the fentanyl deaths that have occurred in the country.",
    ],
)
def test_deaths_from_disease_drugs_and_disasters_are_not_political_violence(sentence):
    assert classify(sentence) is None


def test_an_incident_years_before_the_article_is_background_not_news():
    from sitroom.extract import analyse_articles

    text = (
        "Gunmen attacked a police post in Karvel on Monday, killing three officers.\n\n"
        "The single biggest attack, in 2009, killed at least 25 people and injured 60 others."
    )
    analysis = next(analyse_articles([Article(id="bg", text=text, published=date(2025, 3, 12))]))
    tolls = sorted(c.value for r in analysis.reports for c in r.claims if c.field == "fatalities")
    assert tolls == [3]


@pytest.mark.parametrize(
    "sentence",
    [
        "Since 2019 the insurgency has killed more than 2,000 people in the province.",
        "In the last year 300 militants were killed in 120 operations, the army said.",
        "Families gathered in Karvel on the fifth anniversary of the bombing that killed 40 people.",
        "A court in Karvel sentenced three men to life in prison for the 2015 bombing that killed 20 people.",
        "If the army storms the town, hundreds of civilians could be killed.",
        "Aid agencies said the offensive will kill thousands of civilians in Dalmo.",
        "Officials in Dalmo said no one was killed.",
        "The army denied that any attack had taken place in Karvel.",
        "The militants threatened to attack schools that teach girls.",
        "The group had planned to bomb the parliament during the session.",
        "Dozens of people have died in clashes in the north over the past month.",
        "Ten years ago, a bomb killed 30 people at the same market in Karvel.",
        "Thousands of people have been killed in the conflict, the agency said.",
        "The conflict in the region has left more than 10,000 people dead.",
        "Since the coup, security forces have killed more than 1,500 protesters.",
    ],
)
def test_background_statements_are_never_incidents(sentence):
    assert classify(sentence) is None


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Police arrested three men who were planning to bomb a church in Karvel.", ("strategic_developments", "arrests")),
        ("Gunmen killed five soldiers at a checkpoint near Dalmo, a town rebels have held since 2012.", ("battles", "armed_clash")),
        ("The bombing in Karvel on Monday, the deadliest attack since 2019, killed 30 people.", ("explosions_remote_violence", "air_drone_strike")),
        ("Workers went on strike over unpaid salaries in Karvel.", ("protests", "peaceful_protest")),
    ],
)
def test_incidents_next_to_background_words_stay_incidents(sentence, expected):
    assert typed(sentence) == expected


def test_a_cumulative_toll_and_a_threat_are_kept_as_context_not_as_events():
    from sitroom.extract import analyse_articles

    text = (
        "Militants attacked an army post in Karvel on Monday, killing four soldiers.\n\n"
        "Since 2019 the insurgency has killed more than 2,000 people in the province.\n\n"
        "The group threatened to attack schools in Dalmo."
    )
    analysis = next(analyse_articles([Article(id="ctx", text=text, published=date(2025, 3, 12))]))
    assert [[c.value for c in r.claims] for r in analysis.reports] == [[4]]
    kinds = {r.context: r for r in analysis.context}
    assert set(kinds) == {"period_total", "threat"} and all(r.kind == "context" for r in analysis.context)
    (total,) = kinds["period_total"].claims
    assert (total.value, total.scope, total.qualifier) == (2000, "period", "more than")


def test_one_articles_two_tolls_of_one_incident_are_one_report():
    from sitroom.extract import analyse_articles

    text = (
        "At least 50 people were killed on Wednesday when jets struck the eastern districts of Aleppo, an activist said. "
        "A hospital director told reporters the death toll was 45."
    )
    analysis = next(analyse_articles([Article(id="two", text=text, published=date(2016, 9, 22))]))
    assert [sorted(c.value for c in r.claims) for r in analysis.reports] == [[45, 50]]


@pytest.mark.parametrize(
    "note, expected",
    [
        ("Workers go on strike over unpaid salaries.", ("protests", "peaceful_protest")),
        ("Mob kills man suspected of stealing goats", ("riots", "mob_violence")),
        ("Cattle raiders kill two herders near the river", ("violence_against_civilians", "attack")),
        ("Armed bandits attack travellers on the highway", ("violence_against_civilians", "attack")),
        ("Students go on a rampage and smash school windows", ("riots", "violent_demonstration")),
        ("Police tear-gas traders protesting new levies.", ("protests", "protest_with_intervention")),
    ],
)
def test_terse_old_style_notes_yield_their_event(note, expected):
    from sitroom.extract import analyse_articles

    (report,) = next(analyse_articles([Article(id="note", text=note, published=date(2012, 5, 4))])).reports
    assert (report.event_type, report.sub_event_type) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Supporters of a local councillor assaulted a journalist outside the town hall in Karvel.", ("riots", "mob_violence")),
        ("Residents of Karvel were shot at by unknown gunmen on the market road.", ("violence_against_civilians", "attack")),
        ("Members of two student factions clashed with sticks at the university in Dalmo.", ("riots", "mob_violence")),
    ],
)
def test_a_crowds_violence_is_mob_violence_and_its_victims_stay_victims(sentence, expected):
    assert typed(sentence) == expected


def test_an_accident_reports_blast_told_again_is_no_explosive_attack():
    from sitroom.extract import analyse_articles

    text = (
        "A blast at a bakery in the northern city of Karvel injured 12 people and may have been caused by a gas leak, "
        "local media reported on Sunday.\n\n"
        "The explosion was heard across the old town and shattered the windows of nearby shops."
    )
    analysis = next(analyse_articles([Article(id="gas", text=text, published=date(2021, 3, 7))]))
    assert [r.sub_event_type for r in analysis.reports] == []


def test_a_bomb_in_an_accident_framed_article_is_still_an_attack():
    from sitroom.extract import analyse_articles

    text = (
        "Officials first said a fire at a market in Karvel was caused by an electrical fault.\n\n"
        "Police later said militants had planted a bomb there, and the explosion killed four traders on Sunday."
    )
    analysis = next(analyse_articles([Article(id="bomb", text=text, published=date(2021, 3, 7))]))
    assert [r.event_type for r in analysis.reports] == ["explosions_remote_violence"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Rights monitors said there were 140 cases of abduction reported in three provinces of Karvel last year.",
        '"In this battle we are fighting for every child turned away from school," the mother said.',
        "Lawmakers are angry with the government over its offensive against the militia in the north.",
        "She met the parents of a student who died soon after his release from being detained in Dalmo.",
    ],
)
def test_tallies_figures_of_speech_and_stances_are_not_incidents(sentence):
    assert classify(sentence) is None


def test_people_seized_are_arrested():
    assert typed("Forty alleged gang members seized on Monday in Ostrin were held at the central prison.") == ("strategic_developments", "arrests")


def test_a_bombing_told_again_by_a_hospital_is_one_incident_of_its_first_kind():
    from sitroom.extract import analyse_articles

    text = (
        "A car bomb exploded near a police station in Karvel on Monday, killing 12 people, officials said.\n\n"
        "Witnesses said the explosion destroyed several shops.\n\n"
        "Hospital officials said at least 30 people were wounded in the bombing."
    )
    (report,) = next(analyse_articles([Article(id="one", text=text, published=date(2021, 3, 10))])).reports
    assert report.sub_event_type == "remote_explosive_landmine_ied"  # "the bombing" names the car bomb again
    assert sorted((c.field, c.value) for c in report.claims) == [("fatalities", 12), ("injured", 30)]


def test_a_strike_told_twice_without_place_or_day_is_the_articles_incident():
    from sitroom.extract import analyse_articles

    text = (
        "Hours after the nurses' strike began, dozens of patients were left without care.\n\n"
        "The ministry said talks with the union had stalled. The union wants more nurses hired. "
        "Its leaders met the health minister last month.\n\n"
        "As the strike continued across the country, clinics turned patients away."
    )
    reports = next(analyse_articles([Article(id="strike", text=text)])).reports
    assert [(r.sub_event_type, len(r.sources)) for r in reports] == [("peaceful_protest", 2)]


def test_one_vague_mention_of_a_strike_is_no_incident():
    from sitroom.extract import analyse_articles

    text = (
        "Hours after the nurses' strike began, dozens of patients were left without care.\n\n"
        "The ministry said talks with the union had stalled. The union wants more nurses hired. "
        "Its leaders met the health minister last month.\n\n"
        "Clinics turned patients away, the union said."
    )
    assert next(analyse_articles([Article(id="strike1", text=text)])).reports == ()
