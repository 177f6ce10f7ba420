"""Within-article reading of real news: one report per incident, each told once, none recalled from the past."""

from datetime import date

from sitroom.extract import analyse_articles
from sitroom.model import Article


def reports(text: str, published: date):
    return next(analyse_articles([Article(id="drafts", text=text, published=published)])).reports


def test_drafts_a_sentence_that_dates_the_act_again_joins_it_and_its_day_wins_over_a_captions():
    text = (
        "Candles, pictured Monday, Aug. 8, mark the spot where a fatal weekend drive-by shooting took place in Karvel.\n\n"
        "The drive-by shooting left one man dead and two other people injured on the town's west side.\n\n"
        "The shooting occurred shortly after 11 p.m. Friday, Aug. 5, on Mill Street, police said."
    )
    (report,) = reports(text, date(2016, 8, 8))
    assert report.date == date(2016, 8, 5)
    assert sorted((c.field, c.value) for c in report.claims) == [("fatalities", 1), ("injured", 2)]


def test_drafts_another_shooting_is_another_incident():
    text = (
        "Three people were shot and killed early Sunday in the parking lot of a shopping centre in Karvel.\n\n"
        "About ten minutes later, police received a report of another shooting that claimed the life of a 26-year-old man."
    )
    found = reports(text, date(2014, 10, 13))
    assert sorted(c.value for r in found for c in r.claims if c.field == "fatalities") == [1, 3]
    assert len(found) == 2


def test_drafts_the_victims_told_again_join_their_incident():
    text = (
        "Two teenagers were killed and four other people wounded in a shooting after a party in Karvel, police said.\n\n"
        "The victims were shot in the parking lot of a hall on Mill Road early Sunday."
    )
    (report,) = reports(text, date(2016, 10, 31))
    assert report.date == date(2016, 10, 30)


def test_drafts_an_incident_dated_months_before_the_article_is_recalled_not_reported():
    story = (
        "The farmers' union of Karvel met on Monday to discuss the harvest.\n\n"
        "Prices for wheat have fallen by a third this season.\n\n"
        "Gunmen shot dead two farmers near Karvel on March 3, police said.\n\n"
        "The union asked the government for more patrols on the roads.\n\n"
        "A new meeting is planned for the autumn."
    )
    assert reports(story, date(2016, 6, 20)) == ()
    assert len(reports(story, date(2016, 3, 9))) == 1


def test_drafts_a_short_note_keeps_its_incident_whatever_its_upload_date():
    # ACLED's exports publish a note on its upload, often years after the event it codes.
    assert len(reports("On 3 March, gunmen shot dead two farmers near Karvel.", date(2016, 6, 20))) == 1


def test_drafts_two_shootings_of_one_evening_at_different_hours_stay_two():
    text = (
        "The latest shooting happened at 10:53 p.m. in the south of Karvel, where a 17-year-old boy was wounded.\n\n"
        "Shortly before 8:45 p.m., a man and a woman were wounded in a shooting in the west of Karvel."
    )
    assert len(reports(text, date(2017, 3, 29))) == 2


def test_drafts_a_protest_that_escalates_in_a_later_sentence_is_one_event_of_the_escalated_kind():
    def kinds(text):
        return [(r.event_type, r.sub_event_type) for r in reports(text, date(2017, 3, 29))]

    protest = "Hundreds of teachers marched through Nairobi on Monday to demand unpaid salaries.\n\n"
    assert kinds(protest + "Later in the day, police fired tear gas to disperse the marchers near the parliament.") == [
        ("protests", "protest_with_intervention")]
    assert kinds(protest + "Some of the protesters later set fire to two police vehicles and smashed shop windows.") == [
        ("riots", "violent_demonstration")]
    assert kinds(protest + "Security forces shot dead two protesters when the crowd tried to storm the governor's office.") == [
        ("protests", "excessive_force_against_protesters")]
    assert sorted(kinds(protest + "In a separate incident, gunmen shot dead two farmers near Mombasa on Monday.")) == [
        ("protests", "peaceful_protest"), ("violence_against_civilians", "attack")]


_QUIET = ["The mayor called for calm at a news conference.", "Neighbours said the street is usually quiet.",
          "A vigil is planned for the weekend.", "Anyone with information is asked to call the police."]
_UNPLACED = "A 19-year-old man was shot and killed outside a convenience store early Sunday, police said."


def test_drafts_a_story_about_one_city_places_its_unplaced_incident_there():
    text = "\n\n".join(["Tulsa police are asking the public for help.", _UNPLACED, *_QUIET, "Tulsa has seen a rise in shootings this year."])
    (report,) = reports(text, date(2016, 10, 31))
    assert (report.location.name, report.location.country, report.location.precision) == ("Tulsa", "US", "city")


def test_drafts_a_story_that_moves_between_towns_leaves_an_unplaced_incident_unplaced():
    text = "\n\n".join(["Tulsa police are asking the public for help.", _UNPLACED,
                       "On Saturday, police arrested two men after a protest in Oklahoma City.", *_QUIET,
                       "Tulsa has seen a rise in shootings this year."])
    by_type = {r.sub_event_type: r.location for r in reports(text, date(2016, 10, 31))}
    assert by_type["attack"] is None
    assert by_type["peaceful_protest"].name == "Oklahoma City"


def test_drafts_a_witness_retelling_the_shooting_in_quotes_is_no_second_incident():
    # The quote names another town (where the gunmen came from): read as a record it would stand apart.
    text = (
        "Gunmen shot dead two shopkeepers at a market in Kirkuk on Monday, police said.\n\n"
        "A neighbour heard the attack from her flat above the market.\n\n"
        "\"They drove in from Mosul and started shooting at everyone,\" she said.\n\n"
        "Police said they had no suspects.\n\n"
        "The market reopened on Tuesday."
    )
    (report,) = reports(text, date(2016, 5, 3))
    assert report.location is not None and report.location.name == "Kirkuk"
    assert [(c.field, c.value) for c in report.claims] == [("fatalities", 2)]


def test_drafts_a_quoted_toll_is_still_reported():
    # Quoted words with a toll of their own are an official's report, not a retelling.
    text = (
        "\"Gunmen killed five soldiers at a checkpoint near Kirkuk on Monday,\" an army spokesman told reporters.\n\n"
        "The checkpoint lies on the main road north of the city.\n\n"
        "Traffic on the road was light on Tuesday.\n\n"
        "Shops in the city stayed open.\n\n"
        "Schools closed early."
    )
    (report,) = reports(text, date(2016, 5, 3))
    assert [(c.field, c.value) for c in report.claims] == [("fatalities", 5)]


def test_drafts_one_toll_told_twice_with_places_that_disagree_is_one_incident():
    # The lead names the district, a later line the village, and the two read as towns far apart:
    # the same dead and the same wounded make them one incident.
    text = (
        "Gunmen killed two guests and wounded three others at a wedding near Hilla on Saturday, police said.\n\n"
        "The wedding was held in a hall on the main road.\n\n"
        "Two guests were killed and three wounded when the gunmen fired on the wedding party in Karbala, a witness said.\n\n"
        "Police have made no arrests.\n\n"
        "The hall was closed on Sunday."
    )
    (report,) = reports(text, date(2016, 5, 9))
    assert sorted((c.field, c.value) for c in report.claims) == [("fatalities", 2), ("fatalities", 2), ("injured", 3), ("injured", 3)]


def test_drafts_another_shooting_with_the_same_toll_stays_another_incident():
    text = (
        "Gunmen killed two guests and wounded three others at a wedding near Hilla on Saturday, police said.\n\n"
        "The wedding was held in a hall on the main road.\n\n"
        "In another shooting, two men were killed and three wounded at a market in Karbala, a witness said.\n\n"
        "Police have made no arrests.\n\n"
        "The hall was closed on Sunday."
    )
    assert len(reports(text, date(2016, 5, 9))) == 2


def test_drafts_a_later_line_naming_the_shooting_again_joins_it_whatever_else_it_names():
    text = (
        "Three people were wounded and one man died in a shooting outside a church in Karvel on Thursday night.\n\n"
        "The owner of the shop across the street said she had put up new cameras because of crime in the neighborhood, "
        "and the cameras captured Thursday's shooting.\n\n"
        "Police said two men in cars shot at each other.\n\n"
        "Both men were hit.\n\n"
        "The church was closed on Friday."
    )
    (report,) = reports(text, date(2016, 8, 19))
    assert ("fatalities", 1) in [(c.field, c.value) for c in report.claims]


def test_drafts_arrests_made_at_a_riot_are_part_of_it():
    text = (
        "Riot police fired tear gas at hundreds of protesters who hurled stones and petrol bombs in central Karvel on Saturday.\n\n"
        "The violence began in the evening when demonstrators marched on the parliament.\n\n"
        "Police said 24 people were detained and 11 officers were injured.\n\n"
        "Shops in the centre stayed shut on Sunday.\n\n"
        "The city council met to discuss the damage."
    )
    (report,) = reports(text, date(2008, 12, 14))
    assert report.event_type == "riots"
    assert [(c.field, c.value) for c in report.claims] == [("injured", 11)]


def test_drafts_the_toll_of_the_earlier_act_a_riot_follows_is_not_the_riots():
    text = (
        "Youths hurled stones at riot police in central Karvel on Saturday, a week after a teenager was shot dead by an officer.\n\n"
        "The police fired tear gas to disperse them.\n\n"
        "Shops in the centre stayed shut on Sunday.\n\n"
        "The city council met to discuss the damage.\n\n"
        "Schools reopened on Monday."
    )
    found = reports(text, date(2008, 12, 14))
    assert found and all(c.field != "fatalities" for r in found for c in r.claims)


def test_drafts_the_surname_of_a_person_the_story_names_is_no_place():
    # "Palin" is also Palín, a town in Guatemala: the governor's church is not there.
    text = (
        "Arsonists set fire to the church that Governor Sarah Palin attends, causing heavy damage, officials said.\n\n"
        "Investigators said the fire at Palin's church was set on Friday night.\n\n"
        "Nobody was in the building at the time.\n\n"
        "The church will hold its services in a school.\n\n"
        "Palin said she was saddened by the attack."
    )
    found = reports(text, date(2008, 12, 15))
    assert found and all(r.location is None or r.location.country != "GT" for r in found)


def test_drafts_a_court_report_tells_the_cases_acts_not_news_but_a_dated_act_stays_news():
    case = (
        "A man who fatally stabbed his neighbour in Karvel has been found guilty of murder.\n\n"
        "The two men argued in the kitchen of a flat in the town.\n\n"
        "He grabbed a knife from the table and stabbed his neighbour twice in the chest at a flat in Kirkuk.\n\n"
        "He will be sentenced next month.\n\n"
        "The victim's family said they were relieved."
    )
    assert reports(case, date(2016, 11, 3)) == ()
    dated = case + "\n\nOutside the court on Wednesday, police fired tear gas at dozens of protesters."
    (report,) = reports(dated, date(2016, 11, 3))
    assert report.event_type == "protests"
