"""Actor names as ACLED writes them, from the vendored Phoenix index and the hand-written rules."""

import pytest

from sitroom.extract import actor_index
from sitroom.extract.actors import country_name, find_actors, military_of, state_of_demonym


def _names(sentence: str, country: str | None = None) -> list[str]:
    return [a.name for a in find_actors(sentence, country=country)]


def test_actor_index_is_vendored_with_states_groups_and_agents():
    kinds = {e.kind for e in actor_index.load()}
    assert {"state", "group", "military", "organisation", "agent_military", "agent_police", "agent_armed"} <= kinds
    forms = {e.form: e for e in actor_index.load()}
    assert forms["taliban"].kind == "group" and forms["taliban"].country == "AF"
    assert forms["united states"].country == "US" and forms["usa"].cased
    assert "aleppo" not in forms  # a city Phoenix lists under Syria is a place, not the state
    assert (actor_index.DATA / "LICENSE.phoenix").read_text().startswith("The MIT License")


def test_normalised_words_join_spellings():
    assert actor_index.words("People's Defense Force") == ["people", "s", "defense", "force"]
    assert actor_index.words("U.S.") == ["us"] and actor_index.words("al-Shabaab") == ["al", "shabaab"]


@pytest.mark.parametrize("sentence, country, expected", [
    ("Kenyan police fired tear gas at traders in Nakuru.", "KE", "Police Forces of Kenya"),
    ("Myanmar military troops burned houses in Kani.", "MM", "Military Forces of Myanmar"),
    ("Syria's armed forces shelled the town.", None, "Military Forces of Syria"),
    ("The U.S. military said it struck a camp.", None, "Military Forces of the United States"),
    ("Beninese soldiers patrolled the border.", None, "Military Forces of Benin"),
    ("Fulani herdsmen attacked farmers near Kalale.", "BJ", "Fulani Ethnic Militia (Benin)"),
    ("JNIM militants ambushed a convoy near Djibo.", "BF", "JNIM: Group for Support of Islam and Muslims"),
    ("Islamic State fighters attacked a checkpoint.", "IQ", "Islamic State (Iraq)"),
    ("Islamic State fighters attacked a checkpoint.", "BF", "Islamic State (Greater Sahara)"),
    ("Gunmen killed two traders.", "SO", "Unidentified Armed Group (Somalia)"),
    ("Hundreds of demonstrators marched to the ministry.", "LB", "Protesters (Lebanon)"),
])
def test_actors_are_named_as_acled_names_them(sentence, country, expected):
    assert expected in _names(sentence, country)


def test_the_taliban_are_never_an_unidentified_armed_group_anywhere():
    for country in ("AF", "PK", "BF", None):
        names = _names("Taliban fighters attacked a checkpoint overnight.", country)
        assert names == ["Taliban"], (country, names)


def test_generic_rebels_resolve_within_the_scene_country():
    assert _names("Rebels attacked the town.", "SO") == ["Unidentified Armed Group (Somalia)"]
    assert _names("Rebels attacked the town.", "CF") == ["Unidentified Armed Group (Central African Republic)"]
    assert _names("Rebels attacked the town.", "SY") == ["Opposition Rebels (Syria)"]
    assert "Syrian Opposition" not in _names("Rebels attacked the town.", "NG")


def test_a_state_claims_the_agent_after_it_and_coordinated_states_share_it():
    assert _names("Russian and Syrian jets bombed the east of the city.", "SY") == ["Military Forces of Russia", "Military Forces of Syria"]
    assert _names("Russia said its jets had bombed the camp.", "SY") == ["Russia", "Military Forces of Russia"]


def test_words_that_describe_a_place_or_an_opponent_name_no_party():
    assert _names("They shelled the rebel-held east of the city.", "SY") == []
    assert _names("Anti-Houthi fighters advanced.", "YE") == []
    assert "Military Forces of Turkey" not in _names("Pro-Turkish forces shelled the village.", "SY")
    # a company or an official the army owns or appoints is no army acting
    assert _names("A bomb hit a tower of a military owned company in Kani.", "MM") == []
    assert _names("A bomb exploded at the house of a military-appointed administrator.", "MM") == []


def test_acronyms_match_only_in_capitals():
    assert "Islamic State (Iraq)" in _names("IS fighters attacked.", "IQ")
    assert _names("It is what it is.", "IQ") == []
    assert _names("They told us to leave.", "US") == []


def test_the_us_dollar_is_no_party():
    assert _names("The US dollar rose against the pound.") == []


def test_country_names_follow_acled_spelling():
    assert country_name("CD") == "Democratic Republic of Congo"
    assert military_of("US") == "Military Forces of the United States"
    assert military_of("KE") == "Military Forces of Kenya"
    assert state_of_demonym("Syrian") == "Syria"
    assert state_of_demonym("Kenyan") == "Kenya"


def test_local_units_are_named_by_their_place_as_acled_does():
    assert _names("The Myingyan PDF attacked soldiers with landmines.", "MM")[0] == "People's Defense Force - Myingyan"
    assert _names("Local PDF groups bombed a tower.", "MM") == ["People's Defense Force - Local Group"]
    assert _names("PDF fighters ambushed a convoy.", "MM") == ["PDF: People's Defense Force"]
    assert _names("Local defense forces attacked a convoy.", "MM") == ["Unidentified Local Defense Forces (Myanmar)"]


def test_a_thing_owned_or_held_by_a_party_names_no_party():
    assert _names("Two unidentified men bombed the military-owned tower.", "MM") == ["Unidentified Armed Group (Myanmar)"]


def test_groups_a_source_cannot_tell_apart_take_acled_joint_name():
    joint = "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"
    assert _names("Suspected JNIM and/or ISGS militants attacked the hamlet.", "BF") == [joint]
    assert _names("ISGS or JNIM militants burned the post.", "BF") == [joint]
    assert _names("ISGS militants attacked a camp.") == ["Islamic State (Greater Sahara)"]


def test_two_groups_joined_by_and_are_two_sides():
    assert _names("JNIM and ISGS militants clashed near the wells.", "BF") == [
        "JNIM: Group for Support of Islam and Muslims", "Islamic State (Greater Sahara)"]


def test_the_unnamed_attackers_of_a_report_that_names_the_group_are_that_group():
    from datetime import date

    from sitroom.extract import analyse_articles
    from sitroom.fuse import fuse
    from sitroom.model import Article

    text = "On 3 May, suspected JNIM militants searched for a trader in Belhourou; as he was away, the assailants seized two motorbikes."
    (event,) = fuse(list(next(analyse_articles([Article(id="j", text=text, published=date(2020, 5, 10))])).reports))
    names = {a.role: a.name for a in event.actors}
    assert names["actor1"] == "JNIM: Group for Support of Islam and Muslims"
    assert not any(a.name.startswith("Unidentified Armed Group") for a in event.actors)


def test_irregular_demonyms_name_their_states():
    assert _names("French and Burkinabe forces struck a camp.") == ["Military Forces of France", "Military Forces of Burkina Faso"]
    assert _names("British troops patrolled the town.") == ["Military Forces of the United Kingdom"]


@pytest.mark.parametrize("sentence, expected", [
    ("On Friday the Wabera and Kolmey clans clashed again near Dalmo.", ["Wabera Clan Militia (Kenya)", "Kolmey Clan Militia (Kenya)"]),
    ("Two people died in fighting between the Luo and the Kuria communities at the market.", ["Luo Ethnic Militia (Kenya)", "Kuria Ethnic Militia (Kenya)"]),
    ("Kikuyu and Luo ethnic communities clash in a suburb over land.", ["Kikuyu Ethnic Militia (Kenya)", "Luo Ethnic Militia (Kenya)"]),
    ("Clashes between the Ogiek and Kipsigi groups left six dead.", ["Ogiek Ethnic Militia (Kenya)", "Kipsigi Ethnic Militia (Kenya)"]),
    # one community under the name ACLED gives its militia, whichever spelling the text uses
    ("Renewed clashes between the Kipsigis and Masai communities spread to the market.", ["Kipsigi Ethnic Militia (Kenya)", "Maasai Ethnic Militia (Kenya)"]),
    ("Kipsigis youths torched houses near the forest.", ["Kipsigi Ethnic Militia (Kenya)"]),
    ("Maasai attack a guard at a farm near the lake.", ["Maasai Ethnic Militia (Kenya)"]),
])
def test_communities_and_clans_named_by_their_names_are_their_militias(sentence, expected):
    assert _names(sentence, "KE") == expected


def test_a_community_word_alone_or_a_nation_names_no_communal_militia():
    assert not any("Militia" in n for n in _names("Human Rights groups and the Red Crescent condemned the killing.", "KE"))
    assert not any("Clan Militia" in n for n in _names("Rival Somali clans clashed near the border.", "KE"))
    assert not any("Militia" in n for n in _names("The Borana elders met the governor.", "KE"))


def test_sahel_groups_take_acled_names():
    assert _names("Katiba Macina fighters burned a school near Djenne.", "ML") == ["JNIM: Group for Support of Islam and Muslims"]
    assert _names("Volunteer fighters repelled an attack near Djibo.", "BF") == ["VDP: Volunteer for Defense of Homeland"]
    assert "VDP: Volunteer for Defense of Homeland" not in _names("Volunteer fighters repaired the road near Gao.", "ML")
    assert _names("Defense and security forces killed two militants near Arbinda.", "BF")[0] == "Military Forces of Burkina Faso"


@pytest.mark.parametrize("sentence, expected", [
    ("The Ayadaw Revolutionary Alliance (ARA) attacked a convoy near Kani.", ["ARA: Ayadaw Revolutionary Alliance"]),
    ("Fighters of the Taang National Liberation Army (TNLA) attacked a base.", ["TNLA: Taang National Liberation Army"]),
    ("Supporters of the Orange Democratic Movement (ODM) marched in Kisumu.", ["ODM: Orange Democratic Movement"]),
])
def test_a_group_named_with_its_acronym_is_named_acled_s_way(sentence, expected):
    assert _names(sentence, "MM") == expected


def test_an_acronym_that_is_no_armed_group_or_a_states_own_force_keeps_its_reading():
    assert not any(":" in n for n in _names("The Kenya Defence Forces (KDF) killed two militants.", "KE"))
    assert not any(":" in n for n in _names("The Kenya Red Cross (KRC) said two people died.", "KE"))


def _parties(text: str) -> dict[str, str]:
    from datetime import date

    from sitroom.extract import analyse_articles
    from sitroom.fuse import fuse
    from sitroom.model import Article

    (event,) = fuse(list(next(analyse_articles([Article(id="d", text=text, published=date(2021, 5, 20))])).reports))
    return {a.role: a.name for a in event.actors}


def test_forces_a_bomb_went_off_near_did_not_set_it():
    names = _parties("On 11 May 2021, in Bahan township (Yangon Region), there was an explosion near an office "
                     "where soldiers and the police were on guard. Casualties unknown.")
    assert names["actor1"] == "Unidentified Armed Group (Myanmar)"


def test_a_named_group_that_planted_the_device_set_it():
    names = _parties("On 11 May 2021, an IED planted by presumed Ansaroul Islam militants struck an army vehicle near Baraboule.")
    assert names["actor1"] == "Ansaroul Islam"


def test_the_group_that_claims_an_unattributed_bombing_is_its_actor1():
    from datetime import date

    from sitroom.extract import analyse_articles
    from sitroom.model import Article

    def actor1(text: str) -> str:
        (analysis,) = analyse_articles([Article(id="n1", text=text, source="s", published=date(2021, 9, 1))])
        (report,) = analysis.reports
        return next(a.name for a in report.actors if a.role == "actor1")

    bombing = "On 3 May 2021, a bomb exploded near the market in Karvel, Somalia."
    assert actor1(bombing) == "Unidentified Armed Group (Somalia)"
    assert actor1(bombing + " Al Shabaab later claimed responsibility for the blast.") == "Al Shabaab"
    assert actor1(bombing + " Responsibility was claimed by Al Shabaab.") == "Al Shabaab"
    # No claim made: the doer stays unidentified.
    assert actor1(bombing + " Al Shabaab has not claimed responsibility.") == "Unidentified Armed Group (Somalia)"
