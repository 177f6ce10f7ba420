"""Fusion's evidence: identifiers read from report sentences, comparison levels, vetoes, dates, and the record's "why"."""

from dataclasses import replace
from datetime import date

from sitroom.fuse import fuse
from sitroom.fusion.dates import basis_of, reconcile_date
from sitroom.fusion.evidence import Profile, compare, veto
from sitroom.fusion.identifiers import identifiers
from sitroom.fusion.weights import LEVELS, Weights, estimate
from sitroom.gazetteer.folding import fold
from sitroom.model import Actor, ActorKind, Claim, Location, Report, SourceSpan

CITY = Location("Lakeport", "US", "Ohio", 41.5, -81.7, 9900100, "city")
SUBURB = Location("Brookfield", "US", "Ohio", 41.9, -81.2, 9900101, "city")  # ~60 km away


def _report(aid: str, sentence: str, *, day: int | None = 4, loc=CITY, values=(), published=None, basis=None, rid=None) -> Report:
    span = SourceSpan(aid, 0, len(sentence), sentence)
    claims = tuple(Claim("fatalities", v, span) for v in values)
    r = Report(
        id=rid or f"rep_{aid}", article_id=aid, event_type="violence_against_civilians", sub_event_type="attack",
        trigger="shot", date=date(2017, 6, day) if day else None, date_precision="day" if day else None, location=loc,
        actors=(Actor("Civilians (United States)", "actor2", kind=ActorKind.CIVILIANS),), claims=claims, sources=(span,),
        published=published or date(2017, 6, 5),
    )
    return replace(r, date_basis=basis) if basis else r


def test_identifiers_read_ages_streets_names_and_times_from_the_sentences():
    ids = identifiers(
        "A 23-year-old man was shot about 9:30 p.m. in the 8000 block of South Shore Drive; "
        "his cousin, Darnell Hayes, 19, was hit in the leg, police spokesman Tom Reilly said."
    )
    assert ids["ages"] == {23, 19}
    assert ids["streets"] == {"shore drive"}
    assert ids["blocks"] == {8000}
    assert "hayes" in ids["names"] and "reilly" not in ids["names"]  # an official is not a victim
    assert ids["minutes"] == {21 * 60 + 30}
    # One outlet's "S. Shore Dr." is the other's "South Shore Drive".
    assert identifiers("shot on S. Shore Dr. late Sunday")["streets"] == {"shore drive"}


def test_ages_and_streets_tell_look_alike_shootings_apart():
    a = Profile.of(_report("a1", "A 23-year-old man was shot in the 100 block of Elm Street on Sunday."))
    b = Profile.of(_report("a2", "Police said the man, 23, was shot on Elm Street."))
    c = Profile.of(_report("a3", "A 16-year-old girl was shot in the 4500 block of Oak Avenue on Sunday."))
    same, other = compare(a, b), compare(a, c)
    assert same["age"] == "shared" and same["street"] == "shared"
    assert other["age"] == "different" and other["street"] == "different"
    assert veto(a, c) == "address"  # two stated blocks of two different streets
    assert veto(a, b) is None


def test_two_stated_days_apart_and_two_towns_far_apart_are_vetoed():
    sunday = _report("a1", "A man was shot on June 4.", basis="stated")
    tuesday = _report("a2", "A man was shot on June 6.", day=6, basis="stated")
    assert veto(Profile.of(sunday), Profile.of(tuesday)) == "date"
    far = _report("a3", "A man was shot.", loc=SUBURB)
    assert veto(Profile.of(sunday), Profile.of(far)) == "place"


def test_weights_are_log_odds_of_the_labelled_levels():
    neutral = {c: ("missing" if "missing" in lv else "none") for c, lv in LEVELS.items()}
    same = dict(neutral, age="shared", kind="same_sub")
    other = dict(neutral, age="different", kind="same_sub")
    w = estimate([(same, True)] * 9 + [(other, True)] + [(other, False)] * 9 + [(same, False)])
    assert w.weight("age", "shared") > 2 and w.weight("age", "different") < -2
    assert abs(w.weight("age", "missing")) < 1  # seen as often in both: it says little
    assert w.score(same) > w.score(other)
    # The shipped tables have every level of every comparison.
    shipped = Weights.default()
    assert all(lv in shipped.m[c] for c, levels in LEVELS.items() for lv in levels)


def test_dates_stated_beat_relative_and_earlier_publications_beat_later():
    explicit = _report("a1", "shot on June 4", day=4, basis="stated", published=date(2017, 6, 20))
    relative = _report("a2", "shot on Saturday", day=10, basis="relative", published=date(2017, 6, 12))
    earlier = _report("a3", "shot on Saturday", day=3, basis="relative", published=date(2017, 6, 5))
    assert reconcile_date([relative, explicit, earlier]) == (date(2017, 6, 4), "day")
    assert basis_of([relative, explicit]) == "stated"
    # Two relative readings: the one resolved against the earlier publication wins.
    assert reconcile_date([relative, earlier]) == (date(2017, 6, 3), "day")
    # A day beats a month of the same basis.
    month = replace(relative, id="rep_m", date=date(2017, 6, 1), date_precision="month")
    assert reconcile_date([month, earlier])[1] == "day"


def test_a_day_stated_without_a_year_takes_the_year_of_its_story():
    # One report says "on September 17" with nothing to fix the year; another, dated 1 October
    # by its "on Saturday", gives the story's year: the stated day wins, in that year.
    partial = replace(_report("a1", "The strike on September 17 killed 62 soldiers.", day=None), date_partial="--09-17", published=None)
    relative = replace(_report("a2", "The raid on Saturday killed dozens.", basis="relative"), date=date(2016, 10, 1))
    assert reconcile_date([partial, relative]) == (date(2016, 9, 17), "day")
    assert basis_of([partial, relative]) == "stated"
    # A basis inferred from the sentence when none was recorded: the day is spelled out.
    unrecorded = replace(_report("a3", "A man was shot on June 4 near the park."), date_basis=None)
    assert basis_of([unrecorded]) == "stated"


def test_the_record_says_why_its_reports_are_one_event():
    first = _report("a1", "A 23-year-old man was shot in the 100 block of Elm Street on Sunday.", values=(1,))
    second = _report("a2", "The man, 23, died after he was shot on Elm Street, police said.", values=(1,))
    (event,) = fuse([first, second])
    (link,) = event.evidence
    assert set(link.articles) == {"a1", "a2"}
    comparisons = {a.comparison: a for a in link.agreements}
    assert comparisons["age"].level == "shared" and comparisons["age"].weight > 0
    assert link.score == round(Weights.default().score(compare(Profile.of(first), Profile.of(second))), 2)
    record = event.to_dict()
    assert record["evidence"][0]["agreements"][0].keys() == {"comparison", "level", "weight"}


def test_look_alike_shootings_of_one_city_with_other_victims_or_a_week_apart_stay_apart():
    # Two shootings in Lakeport: a 23-year-old man on June 4, a 41-year-old woman; then one on June 14.
    man = Profile.of(_report("a1", "A 23-year-old man was shot Sunday night, police said.", basis="relative"))
    woman = Profile.of(_report("a2", "A 41-year-old woman was shot Sunday, police said.", basis="relative"))
    later = Profile.of(_report("a3", "A man was shot Wednesday night, police said.", day=14, basis="relative"))
    again = Profile.of(_report("a4", "Police said the man, 23, was shot on Sunday.", basis="relative"))
    assert veto(man, woman) == "victims"
    assert veto(man, later) == "days"
    assert veto(man, again) is None
    # The same victim named by both outlets overrules a follow-up dated by its own later day.
    named = Profile.of(_report("a5", "Darnell Hayes, 23, was shot.", basis="stated"))
    follow_up = Profile.of(_report("a6", "Darnell Hayes, who is 24, was shot, his family said.", day=15, basis="relative"))
    assert veto(named, follow_up) is None


def test_an_unidentified_gunman_is_no_evidence_of_one_incident():
    gunman = Actor("Unidentified Armed Group (United States)", "actor1", kind=ActorKind.ARMED_GROUP)
    police = Actor("Police Forces of the United States", "actor1", kind=ActorKind.POLICE)
    a, b = (replace(_report(x, "A man was shot."), actors=(gunman,)) for x in ("a1", "a2"))
    levels = compare(Profile.of(a), Profile.of(b))
    assert levels["party"] == "missing" and levels["roles"] == "missing"
    c, d = (replace(_report(x, "Police shot a man."), actors=(police,)) for x in ("a3", "a4"))
    levels = compare(Profile.of(c), Profile.of(d))
    assert levels["party"] == "shared" and levels["roles"] == "same"


def test_an_armed_group_named_in_both_notes_is_no_shared_person():
    front = Actor("Karvel Liberation Front", "actor1", ("Karvel Liberation Front",), kind=ActorKind.ARMED_GROUP)
    a = replace(_report("a1", "Fighters of the Karvel Liberation Front shot two traders."), actors=(front,))
    b = replace(_report("a2", "The Karvel Liberation Front shot a farmer on another road."), actors=(front,))
    assert compare(Profile.of(a), Profile.of(b))["name"] == "missing"
    # A victim's name is still a person's: "Darnell Hayes" in both links them.
    c, d = (replace(_report(x, "Darnell Hayes was shot by the Karvel Liberation Front."), actors=(front,)) for x in ("a3", "a4"))
    assert compare(Profile.of(c), Profile.of(d))["name"] == "shared"


def test_two_villages_of_a_province_placed_at_its_seat_are_two_sites():
    # Both notes land on Ostrin, the seat named as its province: each names a village the other does not.
    seat = Location("Ostrin", "SY", "Ostrin", 35.9, 36.6, 9900200, "city")
    a = replace(_report("a1", "Forces shelled Bara in the countryside of Ostrin.", loc=seat), place_names=("bara", "ostrin"))
    b = replace(_report("a2", "Forces shelled Sfuhen in the countryside of Ostrin.", loc=seat), place_names=("sfuhen", "ostrin"))
    assert veto(Profile.of(a), Profile.of(b)) == "sites"
    # In a city that is no province's namesake, two districts named differently may be one incident's.
    c = replace(_report("a3", "A man was shot in Brookside.", basis="stated"), place_names=("brukside",))
    d = replace(_report("a4", "A man was shot near Elm Park.", basis="stated"), place_names=("elmpark",))
    assert veto(Profile.of(c), Profile.of(d)) is None


def test_a_district_or_a_seat_named_in_both_notes_does_not_make_one_place():
    seat = Location("Ostrin", "SY", "Ostrin", 35.9, 36.6, 9900200, "city")
    village = Location("Bara", "SY", "Ostrin", 35.6, 36.3, 9900201, "exact")  # ~40 km from the seat
    # "shelled Bara in the countryside of Ostrin" and "shelled Sfuhen ..." (a village the gazetteer lacks,
    # placed at the seat): naming the seat that every note of the province names identifies neither.
    a = replace(_report("a1", "Forces shelled Bara in the countryside of Ostrin.", loc=village), place_names=("bara", "ostrin"))
    b = replace(_report("a2", "Forces shelled Sfuhen in the countryside of Ostrin.", loc=seat), place_names=("sfuhen", "ostrin"))
    assert veto(Profile.of(a), Profile.of(b)) is not None
    # Two notes placed at one district (a GeoNames ADM2 read as a place) share a district, not a town.
    district = Location("Karvel", "YE", "Dalmo", 15.4, 45.3, 9900300, "city", "ADM2")
    c, d = (_report(x, "Jets struck the Karvel district.", loc=district) for x in ("a3", "a4"))
    assert compare(Profile.of(c), Profile.of(d))["place"] == "same_region"


def test_a_crowd_named_by_its_country_is_no_shared_party():
    crowd = Actor("Protesters (Kenya)", "actor1", ("traders",), kind=ActorKind.PROTESTERS)
    a, b = (replace(_report(x, "Traders protested in Lakeport."), actors=(crowd,)) for x in ("a1", "a2"))
    levels = compare(Profile.of(a), Profile.of(b))
    assert levels["party"] == "missing" and levels["roles"] == "missing"


def test_a_seat_whose_province_adds_city_or_county_to_its_name_is_still_its_seat():
    seat = Location("Karvel", "KE", "Karvel City", -1.28, 36.8, 9900400, "city")
    a = replace(_report("a1", "Traders protested at Gikomba market in Karvel.", loc=seat), place_names=("gikomba", "karvel"))
    b = replace(_report("a2", "Students protested at Chiromo campus in Karvel.", loc=seat), place_names=("chiromo", "karvel"))
    assert veto(Profile.of(a), Profile.of(b)) == "sites"


def test_a_seat_named_by_a_report_the_geocoder_put_in_another_province_overrules_the_places():
    # "Jets struck army positions near Zarqovan airport": the geocoder took "Zarqovan" for a namesake village
    # in another province, 250 km away; the other report is placed at Zarqovan itself, a province's seat.
    seat = Location("Zarqovan", "SY", "Zarqovan", 35.3, 40.1, 9900200, "city")
    namesake = Location("Dayr Zarqovan", "SY", "Karvel", 36.3, 37.6, 9900210, "exact")
    a = replace(_report("a1", "Jets struck army positions near Zarqovan airport.", loc=namesake, basis="stated"),
                place_names=(fold("Zarqovan"),))
    b = replace(_report("a2", "Jets struck army positions at Zarqovan.", loc=seat, basis="relative"), place_names=(fold("Zarqovan"),))
    assert veto(Profile.of(a), Profile.of(b)) is None  # the text names the other's town: one strike
