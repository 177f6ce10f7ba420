"""Tolls by victim group and scope: groups of one report add up, reports follow ACLED's lowest figure,
and only figures about the same group and scope of one incident contradict each other."""

from datetime import date

from sitroom.extract.figures import find_figures
from sitroom.fuse import fuse
from sitroom.model import Claim, Location, Report, SourceSpan
from sitroom.tolls import consistent, contradictions, figure_from_claims

KARVEL = Location("Karvel", "XM", None, 41.2, 22.4, 9900001, "city")


def claim(article: str, value: int, group: str = "unspecified", qualifier: str | None = None, scope: str = "incident", field: str = "fatalities") -> Claim:
    return Claim(field, value, SourceSpan(article, 0, 10, "a sentence"), qualifier=qualifier, group=group, scope=scope)  # type: ignore[arg-type]


def test_disjoint_groups_of_one_report_add_up():
    fig = figure_from_claims([claim("a", 5, "security_forces"), claim("a", 6, "civilians")])
    assert (fig.best, fig.low, fig.high) == (11, 11, 11)


def test_a_total_of_people_covers_the_groups_it_includes():
    fig = figure_from_claims([claim("a", 11), claim("a", 5, "security_forces"), claim("a", 6, "civilians")])
    assert fig.best == 11


def test_across_reports_the_lowest_toll_wins_and_high_spans_them():
    fig = figure_from_claims([claim("a", 62, "security_forces", "at least"), claim("b", 90, "security_forces"), claim("c", 62, "security_forces")])
    assert (fig.best, fig.low, fig.high) == (62, 62, 90)


def test_two_tolls_of_one_group_in_one_report_keep_the_lower_and_contradict():
    claims = [claim("a", 50, qualifier="at least"), claim("a", 45)]
    assert figure_from_claims(claims).best == 45
    (c,) = contradictions(claims, ())
    assert (c.field, c.values, c.group) == ("fatalities", (45, 50), "unspecified")


def test_figures_of_different_groups_never_contradict():
    claims = [claim("a", 21, qualifier="an estimated"), claim("b", 20, "civilians")]
    assert contradictions(claims, ()) == ()
    assert consistent(claims, [0, 1])
    assert not consistent([claim("a", 62, "security_forces"), claim("b", 90, "security_forces")], [0, 1])


def test_a_period_total_is_no_toll_of_the_incident():
    claims = [claim("a", 3, "security_forces"), claim("a", 300, scope="period")]
    fig = figure_from_claims(claims)
    assert (fig.best, fig.high) == (3, 3)
    assert contradictions(claims, ()) == ()
    assert figure_from_claims([claim("a", 300, scope="period")]).best is None


def test_vague_figures_count_only_when_nobody_gives_a_number():
    assert figure_from_claims([claim("a", 12, "security_forces", "dozens"), claim("b", 62, "security_forces")]).best == 62
    assert figure_from_claims([claim("a", 12, "security_forces", "dozens")]).best == 12


def test_figures_carry_their_victim_group_and_scope():
    got = [(f.value, f.group, f.scope) for f in find_figures(
        "A bomb tore through a bus in Karvel, killing 14 passengers, five soldiers and two militants.", periods=True)]
    assert got == [(14, "passengers", "incident"), (5, "security_forces", "incident"), (2, "militants", "incident")]
    assert [(f.value, f.scope) for f in find_figures("In the last year 300 militants were killed in 120 operations.", periods=True)] == [(300, "period")]
    assert find_figures("In the last year 300 militants were killed in 120 operations.") == []


def test_one_report_with_soldiers_and_civilians_fuses_to_their_sum():
    span = SourceSpan("a", 0, 60, "Gunmen killed five soldiers and six civilians in Karvel.")
    report = Report(
        id="rep_a", article_id="a", event_type="violence_against_civilians", sub_event_type="attack", trigger="killed",
        date=date(2024, 3, 2), date_precision="day", location=KARVEL, actors=(), sources=(span,),
        claims=(claim("a", 5, "security_forces"), claim("a", 6, "civilians")),
    )
    (event,) = fuse([report])
    assert event.fatalities.best == 11 and event.contradictions == ()


def test_a_state_denying_answers_a_blame_on_its_forces():
    from sitroom.model import Statement

    span = SourceSpan("a", 0, 10, "x")
    blame = Statement("blame", "United States", ("Russia", "Military Forces of Syria"), span)
    denials = [Statement("denial", "Russia", (), span), Statement("denial", "Syria", (), span)]
    (disputed,) = [c for c in contradictions((), (blame, *denials)) if c.field == "responsibility"]
    assert disputed.values == ("Russia", "Syria")
    assert set(disputed.statements) == {blame, *denials}
    # A denial by a party nobody blamed disputes nothing.
    assert not [c for c in contradictions((), (blame, Statement("denial", "Turkey", (), span))) if c.field == "responsibility"]
