"""Fusion: reports of one incident become one event; look-alike incidents stay apart."""

from dataclasses import replace
from datetime import date

from sitroom.fuse import figure_from_claims, fuse
from sitroom.model import Actor, ActorKind, Claim, DuplicateKeys, Location, Report, SentenceRef, SourceSpan

KARVEL = Location("Karvel", "XM", None, 41.2, 22.4, 9900001, "city")
DALMO = Location("Dalmo", "XM", None, 41.05, 22.3, 9900003, "exact")
FAR = Location("Portvale", "XM", None, 43.0, 25.0, 9900010, "city")


def _report(aid, sub="shelling_artillery_missile_attack", loc=KARVEL, day=2, values=(), keywords=("market",), et="explosions_remote_violence"):
    span = SourceSpan(aid, 0, 30, f"sentence of {aid}")
    claims = tuple(Claim("fatalities", v, span, attributed_to=f"source {aid}") for v in values)
    return Report(
        id=f"rep_{aid}", article_id=aid, event_type=et, sub_event_type=sub, trigger="shells",
        date=date(2024, 3, day) if day else None, date_precision="day" if day else None, location=loc,
        actors=(Actor("Civilians", "actor2", kind=ActorKind.CIVILIANS),), claims=claims, sources=(span,), keywords=keywords,
    )


def test_fuse_merges_reports_of_one_incident_and_keeps_every_claim():
    events = fuse([_report("a1", values=(12,)), _report("a2", values=(19,)), _report("a3", day=None, values=(12,))])
    assert len(events) == 1
    e = events[0]
    assert sorted(c.value for c in e.claims) == [12, 12, 19]
    assert (e.fatalities.best, e.fatalities.low, e.fatalities.high) == (12, 12, 19)
    assert e.contradictions[0].values == (12, 19)
    assert e.independent_sources == 3 and not e.single_source


def test_fuse_keeps_distinct_incidents_apart():
    events = fuse([
        _report("a1", values=(12,)),
        _report("a2", sub="remote_explosive_landmine_ied", loc=DALMO, keywords=()),  # another weapon
        _report("a3", loc=FAR),  # another town
        _report("a4", day=28, keywords=("market",)),  # weeks apart... on 28 March
        _report("a5", keywords=("hospital",)),  # another target
    ])
    assert len(events) == 5


def test_fuse_counts_a_copied_sentence_once():
    r1, r2 = _report("a1", values=(12,)), _report("a2", values=(12,))
    refs = {("a1", 0): SentenceRef("a1", 0), ("a2", 0): SentenceRef("a2", 0)}  # both sentences start at offset 0
    (event,) = fuse([r1, r2], DuplicateKeys({ref: "g1" for ref in refs.values()}, refs))
    assert event.independent_sources == 1 and event.single_source
    assert len(event.claims) == 1


def test_figures_follow_acleds_conservative_rule():
    span = SourceSpan("a", 0, 1, "s")
    claims = [Claim("fatalities", 12, span, "dozens"), Claim("fatalities", 62, span, "at least"), Claim("fatalities", 90, span)]
    fig = figure_from_claims(claims)
    assert (fig.best, fig.low, fig.high) == (62, 62, 90)
    assert figure_from_claims([Claim("fatalities", 12, span, "dozens")]).best == 12
    assert figure_from_claims([]).best is None


def test_fuse_is_independent_of_input_order():
    reports = [_report("a1", values=(12,)), _report("a2", values=(19,)), _report("a3", loc=FAR)]
    assert fuse(reports) == fuse(list(reversed(reports)))


def test_fuse_keeps_irreconcilable_tolls_in_one_town_apart_unless_corroborated():
    # "At least 50 killed" and a flat "four killed", both air strikes on Karvel with no date, party or
    # place phrase in common: two incidents, not one with a "4 vs 50" dispute.
    fifty = _report("a1", values=(50,), day=None, keywords=("neighbourhood",))
    four = _report("a2", values=(4,), day=None, keywords=("neighbourhood",))
    fifty = replace(fifty, claims=tuple(replace(c, qualifier="at least") for c in fifty.claims))
    events = fuse([fifty, four])
    assert sorted(e.fatalities.best for e in events) == [4, 50]
    assert not any(e.contradictions for e in events)
    # The same tolls with a named perpetrator in common are one incident whose toll is disputed.
    army = Actor("Military Forces of Xmar", "actor1")
    (event,) = fuse([replace(fifty, actors=(army,)), replace(four, actors=(army,))])
    assert event.contradictions[0].values == (4, 50)


def test_fuse_never_joins_two_reports_of_one_article():
    # One article's two incidents (merged per incident upstream) stay apart even when a third
    # article's report looks like both.
    first = _report("a1", values=(3,))
    second = replace(_report("a1", values=(3,)), id="rep_a1_second")
    events = fuse([first, second, _report("a2", values=(3,))])
    assert len(events) == 2
    assert sorted(len(e.report_ids) for e in events) == [1, 2]


def test_wire_copies_fuse_into_one_event_but_one_articles_two_reports_stay_apart():
    # 40 outlets carry one wire story: 40 reports alike but for their article.
    copies = [_report(f"w{i:02d}", values=(7,)) for i in range(40)]
    (event,) = fuse(copies)
    assert len(event.report_ids) == 40 and event.fatalities.best == 7
    # One article telling of two alike incidents (two reports) never becomes one event with itself.
    twin = replace(_report("w00", values=(7,)), id="rep_w00_second")
    events = fuse([*copies, twin])
    assert len(events) == 2
    assert all(len({r.split("_")[1] for r in e.report_ids}) == len(e.report_ids) for e in events)


def test_copies_too_vague_to_link_stay_apart_as_before():
    # A kind and a day alone do not make one event, however many articles repeat them.
    vague = [_report(f"v{i}", loc=None, keywords=(), values=()) for i in range(5)]
    vague = [replace(r, actors=()) for r in vague]
    assert len(fuse(vague)) == 5


def test_a_placeless_report_links_within_weeks_only():
    placed = _report("p1", values=(12,))
    near = replace(_report("p2", loc=None, values=(12,)), keywords=("market",))
    far = replace(_report("p3", loc=None, values=(12,)), date=date(2024, 6, 1))  # three months later
    events = fuse([placed, near, far])
    assert sorted(len(e.report_ids) for e in events) == [1, 2]
    assert any(set(e.report_ids) == {"rep_p1", "rep_p2"} for e in events)


def test_fusion_does_not_depend_on_the_order_reports_arrive_in():
    import random

    reports = [_report(f"o{i:02d}", day=1 + i % 9, values=(i % 4 + 5,), loc=(KARVEL, DALMO, None)[i % 3]) for i in range(60)]
    first = [e.id for e in fuse(reports)]
    for seed in range(3):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert [e.id for e in fuse(shuffled)] == first
