"""Casualty figures: what counts, how vague words become numbers, and what never becomes a toll."""

import pytest

from sitroom.extract.figures import find_figures, note_fatalities


def figs(sentence, field=None):
    return [(f.field, f.value, f.qualifier) for f in find_figures(sentence) if field in (None, f.field)]


def test_figures_two_fields_share_one_verb():
    s = "The ministry said at least 40 Karvel border guards were killed in the raid and more than 70 wounded."
    found = find_figures(s, offset=100)
    assert [(f.field, f.value, f.qualifier) for f in found] == [
        ("fatalities", 40, "at least"), ("injured", 70, "more than")]
    first = found[0]
    assert first.victims == "Karvel border guards" and first.victim_kind == "military"
    assert s[first.start - 100:first.end - 100] == "at least 40" == first.text
    assert first.high is None and first.low == 40


@pytest.mark.parametrize("sentence,expected", [
    ("An estimated 17 people were killed when the market in Ostrava was shelled.", ("fatalities", 17, "an estimated")),
    ("The strike killed about 30 people, including a local doctor.", ("fatalities", 30, "about")),
    ("A drone attack on the Ostrava Front killed 55 Karvel soldiers.", ("fatalities", 55, None)),
    ("Overnight shelling killed dozens of Karvel soldiers.", ("fatalities", 12, "dozens")),
    ("A dozen villagers were killed near the dam.", ("fatalities", 12, "about")),
    ("Scores of fighters were killed in the offensive.", ("fatalities", 20, "scores")),
    ("Hundreds of civilians were wounded in the siege.", ("injured", 100, "hundreds")),
    ("Witnesses said least 35 people being killed across the district.", ("fatalities", 35, "at least")),
    ("A hospital director told reporters the death toll was 38.", ("fatalities", 38, None)),
    ("Gunmen opened fire on a bus, killing three.", ("fatalities", 3, None)),
    ("The car bomb left 7 dead outside the ministry.", ("fatalities", 7, None)),
    ("A soldier was killed at a checkpoint in Brenna.", ("fatalities", 1, None)),
    ("Twenty-one rebels died in the ambush.", ("fatalities", 21, None)),
    ("The clashes resulted in 4 fatalities.", ("fatalities", 4, None)),
    ("Police recovered the dead bodies of 6 men near the river.", ("fatalities", 6, None)),
    # a victim's age is part of the victim, not a count; "fatally shot", "shot to death" are deaths
    ("A 24-year-old man was shot and killed outside a bar in Brenna.", ("fatalities", 1, None)),
    ("A 17-year-old boy was killed in a shooting on Friday.", ("fatalities", 1, None)),
    ("Police said a woman was fatally shot in her car.", ("fatalities", 1, None)),
    ("Two guards were shot to death at the Brenna depot.", ("fatalities", 2, None)),
    ("A 30-year-old woman was wounded in the shooting.", ("injured", 1, None)),
])
def test_figures_read_common_phrasings(sentence, expected):
    assert figs(sentence)[:1] == [expected]


def test_figures_range_is_a_casualty_count_only_with_a_death_verb():
    found = find_figures("Between 30 and 45 people were killed in the blast at Karvel.")
    assert [(f.value, f.low, f.high, f.qualifier) for f in found] == [(30, 30, 45, "between")]
    assert find_figures("Between 250 to 300 rebels were due to be evacuated from Brenna on Monday.") == []


def test_figures_kill_and_injure_counts_stay_apart():
    assert figs("Mortar fire hit the square, killing 2 and injuring 5.") == [
        ("fatalities", 2, None), ("injured", 5, None)]
    assert figs("A sniper shot at the crowd, injuring 4.") == [("injured", 4, None)]
    assert figs("The blast wounded 12 shoppers.") == [("injured", 12, None)]


def test_figures_shorthand_list_with_a_second_count():
    assert figs("Four died in rebel areas: two were children, and two killed by sniper fire.", "fatalities")[-1] \
        == ("fatalities", 2, None)


def test_figures_explicit_none_reported_is_zero_but_silence_is_nothing():
    assert ("fatalities", 0, "none reported") in figs("Rockets hit Brenna; no casualties were reported.")
    assert figs("No fatalities nor injuries were reported.") == [
        ("fatalities", 0, "none reported"), ("injured", 0, "none reported")]
    assert figs("No information on casualties was given by the source.") == []
    assert figs("Government forces shelled the outskirts of Karvel.") == []


@pytest.mark.parametrize("sentence", [
    "Rebels have held the eastern quarter of Karvel since 2012.",
    "A 33-year-old shepherd from Brenna was arrested on Tuesday.",
    "The talks opened on September 17 in Ostrava.",
    "The agency said 18 of its trucks were destroyed near Brenna.",
    "Some 250,000 residents of east Karvel remain under siege.",
    "Forces encircled the district, trapping an estimated 300,000 civilians there.",
    "Turnout in the province reached 39 per cent.",
    "Jets carried out more than 40 strikes since the truce ended.",
    "Monitors logged 254 violations of the ceasefire.",
    "The observatory said 14 air strikes had hit the old town.",
    "Between 250 to 300 fighters were due to be evacuated on Monday.",
    "A group of 12 countries endorsed the plan within 48 hours.",
    "Protesters hung three flags on the compound for two days.",
    "The war has killed hundreds of thousands of people since 2011.",
    "Ostrava has been mired in a conflict that killed 400,000 people since 2011.",
    "Armed men tried to kill a local commander as he left the mosque.",
    "A resident died from coronavirus the previous day.",
    "Video of Karvel mother of 13 Lena Brask shot and killed at a bus stop was shown in court.",
    "She had been upset by the death of one of her four cats.",
    "The raid on the farm in Dalmo killed two of the family's goats.",
])
def test_figures_never_turn_other_numbers_into_casualties(sentence):
    assert [f for f in find_figures(sentence) if f.value > 0] == []


def test_note_fatalities_adds_victim_groups_and_keeps_the_lowest_report():
    assert note_fatalities("On 2 May, shelling hit Brenna, killing 2 soldiers and 3 civilians.") == 5
    assert note_fatalities("On 2 May, an IED hit a patrol, killing 1 soldier and injuring 1 other. "
                           "Other sources report that 2 soldiers were killed.") == 1
    assert note_fatalities("On 3 May, between 40 and 50 people were killed in Karvel. "
                           "Among the dead, 9 fighters and 7 children.") == 40
    assert note_fatalities("On 4 May, gunmen shot dead a teacher in Brenna.") == 1
    assert note_fatalities("On 5 May, artillery hit farms near Karvel. No fatalities were reported.") == 0


def test_figures_are_fast_enough_for_every_sentence():
    import time

    s = "Russian jets struck Karvel on Saturday, killing at least 62 soldiers and wounding more than 100 others."
    t0 = time.perf_counter()
    for _ in range(200):
        find_figures(s)
    assert (time.perf_counter() - t0) / 200 < 0.002


@pytest.mark.parametrize("sentence, expected", [
    ("A woman and her son were killed when a shell hit their house in Karvel.", [("fatalities", 2, None)]),
    ("An eight-month-old baby and a man were shot and killed in a parked car in Dalmo.", [("fatalities", 2, None)]),
    ("Police said Anna Berg and Tomas Lind were killed in the blast.", [("fatalities", 2, None)]),
    ("His mother and sister were found dead at home in Brenna on Saturday.", [("fatalities", 2, None)]),
])
def test_figures_count_victims_named_one_by_one(sentence, expected):
    assert figs(sentence) == expected


def test_figures_split_a_shot_group_by_fate():
    assert sorted(figs("Three people were shot in Dalmo on Monday, one fatally.")) == [("fatalities", 1, None), ("injured", 2, None)]
    assert sorted(figs("Four men were shot outside the bar, two of them fatally.")) == [("fatalities", 2, None), ("injured", 2, None)]


def test_figures_read_the_count_past_a_dash_or_including_aside():
    assert figs("Two teenagers -- a 14-year-old and an 18-year-old -- were fatally shot in Karvel.", "fatalities") == [("fatalities", 2, None)]
    assert figs("Two guards including a 19-year-old, were killed at the gate.", "fatalities") == [("fatalities", 2, None)]


def test_figures_of_a_round_up_of_shootings_count_a_period():
    for sentence in ("Five people were wounded in shootings across the city on Tuesday.",
                     "A series of weekend shootings left six people dead in Karvel.",
                     "Five people were killed within four hours on Saturday in Dalmo."):
        found = find_figures(sentence, periods=True)
        assert found and all(f.scope == "period" for f in found), sentence
    assert [f.scope for f in find_figures("Two people were wounded in a shooting in Karvel on Tuesday.")] == ["incident"]


def test_figures_claimed_the_life_of_is_a_death():
    assert figs("Another shooting claimed the life of a 26-year-old man in Dalmo.") == [("fatalities", 1, None)]


def test_figures_the_number_of_dead_is_a_toll():
    assert figs("The number of dead in Karvel rose to 17 on Monday, officials said.") == [("fatalities", 17, None)]


def test_figures_a_part_of_the_dead_is_no_toll_but_one_of_them_killed_is():
    assert figs("Two of the people killed in Karvel were children.") == []
    assert figs("Police said one of the people shot to death was a student.") == []
    assert figs("One of the guards was killed in the attack on the gate.") == [("fatalities", 1, None)]
