"""Who did what to whom, read from the dependency parse of our own example sentences."""

from datetime import date

import pytest

from sitroom.extract import analyse_articles, roles
from sitroom.extract.actors import find_actors
from sitroom.extract.nlp import parse_sentence
from sitroom.extract.parties import find_statements
from sitroom.fuse import fuse
from sitroom.model import ActorKind, Article, Sentence


def _roles(sentence: str, trigger: str) -> tuple[list[str], list[str]]:
    i = sentence.index(trigger)
    found = roles.event_roles(parse_sentence(sentence), (i, i + len(trigger)))
    return [sentence[a:b] for a, b in found.agents], [sentence[a:b] for a, b in found.patients]


@pytest.mark.parametrize("sentence, trigger, agents, patients", [
    ("Gunmen stormed the village and killed five farmers.", "killed", ["Gunmen"], ["five farmers"]),
    ("Five farmers were killed by Pokot raiders near Tot.", "killed", ["Pokot raiders"], ["Five farmers"]),
    ("Twenty people were killed in an air strike by Russian jets.", "air strike", ["Russian jets"], ["Twenty people"]),
    ("Gunmen carried out an attack on the market.", "attack", ["Gunmen"], ["the market"]),
    ("A villager stepped on a landmine near Kani.", "landmine", [], ["A villager"]),
    ("Soldiers hit landmines planted by the rebels.", "landmines", ["the rebels"], ["Soldiers"]),
    # who died or sustained injuries suffered the harm: never its agent
    ("Two soldiers died in the blast.", "died", [], ["Two soldiers"]),
    # a trigger that opens on its auxiliary is read at its verb
    ("A trader was shot in the leg by a police officer.", "was shot", ["a police officer"], ["A trader"]),
])
def test_agent_and_patient_come_from_the_parse(sentence, trigger, agents, patients):
    assert _roles(sentence, trigger) == (agents, patients)


def _said(sentence: str, country: str = "SY") -> list[tuple]:
    sent = Sentence("a", 0, 0, len(sentence), sentence)
    actors = find_actors(sentence, country=country)
    return [(s.kind, s.by, s.against) for s in find_statements(sent, actors, parse_sentence(sentence))]


def test_blame_keeps_the_claimant_and_the_accused_apart():
    said = _said("An air attack hit the convoy near Aleppo that the United States has blamed on Russia and the Syrian military.")
    assert said == [("blame", "United States", ("Russia", "Military Forces of Syria"))]


def test_blame_in_the_passive_names_the_claimant_after_by():
    assert _said("The bombing was blamed on Al Shabaab by Kenya.", "KE") == [("blame", "Kenya", ("Al Shabaab",))]


def test_an_accusation_names_its_object_as_the_accused():
    assert _said("Turkey accused the PKK of the bombing in Hakkari.", "TR") == [("blame", "Turkey", ("PKK: Kurdistan Workers Party",))]


def test_each_denier_is_its_own_denial():
    assert _said("Russia and Syria denied any involvement in the attack.") == [("denial", "Russia", ()), ("denial", "Syria", ())]
    # A two-word name heads the subject phrase: both parties inside it still speak.
    said = _said("Russian Federation and Syria denied involvement, while the USA said it was an air strike.")
    assert [s for s in said if s[0] == "denial"] == [("denial", "Russia", ()), ("denial", "Syria", ())]


def test_a_claim_of_responsibility_needs_responsibility_or_the_attack_as_its_object():
    assert _said("Al Shabaab claimed responsibility for the bombing.", "SO") == [("claim_of_responsibility", "Al Shabaab", ())]
    assert _said("Al Shabaab claimed that the army fired first.", "SO") == []


def test_a_parse_shapes_the_record_speaker_apart_from_actor():
    text = ("Russia's defence ministry said its jets bombed an Islamic State depot in Syria near Palmyra on 3 May 2017, "
            "killing 12 militants.")
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2017, 5, 4))])
    (event,) = fuse(list(analysis.reports))
    names = {a.role: a.name for a in event.actors}
    assert names["actor1"] == "Military Forces of Russia"
    assert names.get("actor2") == "Islamic State (Syria)"


def test_parties_accusing_each_other_blame_each_other():
    said = _said("Both the government and the rebels accused each other of breaking the truce.")
    assert ("blame", "Syria", ("Opposition Rebels (Syria)",)) in said and ("blame", "Opposition Rebels (Syria)", ("Syria",)) in said


def test_civilians_who_attack_are_a_communal_militia_as_acled_codes_them():
    text = "On 3 May 2021, armed villagers attacked a herders' camp near Kalale in Benin, killing two people."
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2021, 5, 4))])
    names = {a.role: a.name for e in fuse(list(analysis.reports)) for a in e.actors}
    assert names["actor1"] == "Unidentified Communal Militia (Benin)"


@pytest.mark.parametrize("text, published, kinds", [
    # A state that bombs is its military; the people it kills are civilians.
    ("Russia's defence ministry said its jets bombed an Islamic State depot in Syria near Palmyra on 3 May 2017, killing 12 militants.", date(2017, 5, 4),
     {"Military Forces of Russia": ActorKind.MILITARY, "Islamic State (Syria)": ActorKind.ARMED_GROUP}),
    # Civilians who attack are a communal militia; their victims are civilians.
    ("On 3 May 2021, armed villagers attacked a herders' camp near Kalale in Benin, killing two people.", date(2021, 5, 4),
     {"Unidentified Communal Militia (Benin)": ActorKind.MILITIA, "Civilians (Benin)": ActorKind.CIVILIANS}),
])
def test_extraction_says_what_kind_of_party_each_actor_is(text, published, kinds):
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=published)])
    reported = {a.name: a.kind for r in analysis.reports for a in r.actors}
    fused = {a.name: a.kind for e in fuse(list(analysis.reports)) for a in e.actors}
    assert {n: reported.get(n) for n in kinds} == kinds
    assert {n: fused.get(n) for n in kinds} == kinds


@pytest.mark.parametrize("text, actor1, actor2", [
    # A bomb that went off with no user named: an unidentified armed group hit the police it injured.
    ("On 3 May 2021, two bombs exploded at a bus stop in Mandalay. Three police officers were injured.", "Unidentified Armed Group (Myanmar)", "Police Forces of Myanmar"),
    # A villager who steps on a mine is its victim, not a communal militia.
    ("On 3 May 2021, a villager stepped on a landmine near a village in Mandalay and lost a leg.", "Unidentified Armed Group (Myanmar)", "Civilians (Myanmar)"),
])
def test_a_device_with_no_user_named_is_an_unidentified_groups_attack_on_whom_it_hit(text, actor1, actor2):
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2021, 5, 4))])
    (event,) = fuse(list(analysis.reports))
    names = {a.role: a.name for a in event.actors}
    assert (names.get("actor1"), names.get("actor2")) == (actor1, actor2)


def test_whom_a_protest_is_about_is_no_party_to_it_but_a_riots_victims_are():
    text = "On 9 October 2019, youths protested in Kisumu, Kenya over the killing of a trader."
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2019, 10, 10))])
    (event,) = fuse(list(analysis.reports))
    assert [(a.role, a.name) for a in event.actors] == [("actor1", "Protesters (Kenya)")]
    text = "On 9 October 2019, a mob beat a trader to death in Kisumu, Kenya."
    (analysis,) = analyse_articles([Article(id="b", text=text, source="t", published=date(2019, 10, 10))])
    (event,) = fuse(list(analysis.reports))
    assert {a.role: a.name for a in event.actors}.get("actor2") == "Civilians (Kenya)"


@pytest.mark.parametrize("text, actor1", [
    # a fight whose sides go unnamed: communal wording makes them an unidentified ethnic militia (ACLED)
    ("On 3 May 2019, ethnic clashes left one person dead near Marsabit, Kenya.", "Unidentified Ethnic Militia (Kenya)"),
    ("On 3 May 2019, one person died in a clash over sand harvesting near Machakos, Kenya.", "Unidentified Armed Group (Kenya)"),
])
def test_a_battle_with_no_side_named_takes_acled_s_unidentified_party(text, actor1):
    (analysis,) = analyse_articles([Article(id="a", text=text, source="t", published=date(2019, 5, 4))])
    (event,) = fuse(list(analysis.reports))
    assert {a.role: a.name for a in event.actors}.get("actor1") == actor1


def test_who_shot_a_civilian_in_the_passive_is_actor1():
    text = "On 6 May, a trader was shot in the leg by a police officer in Magarini."
    (event,) = fuse(list(next(analyse_articles([Article(id="p", text=text, published=date(2020, 5, 10))])).reports))
    names = {a.role: a.name for a in event.actors}
    assert names["actor1"].startswith("Police Forces of") and names["actor2"].startswith("Civilians")
