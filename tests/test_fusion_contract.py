"""The contract fusion keeps with the incremental layer: a function of the set of reports that decomposes.

- `cluster_reports` never depends on the order reports arrive in;
- reports that cannot meet (`can_link` of their `link_window`s is false) never share a cluster;
- the clusters of a union of two sets with no possible link between them are the clusters of each set.
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.fusion import can_link, cluster_reports, link_window, may_link
from sitroom.model import Actor, ActorKind, Claim, Location, Report, SourceSpan

TOWNS = [
    Location("Karvel", "XM", "North", 41.2, 22.4, 9900001, "city"),
    Location("Dalmo", "XM", "North", 41.26, 22.45, 9900003, "city"),
    Location("Portvale", "XM", "South", 43.0, 25.0, 9900010, "city"),
    Location("Ostrin", "YQ", None, 10.0, 10.0, 9900020, "city"),
    None,
]
SUBS = ["attack", "armed_clash", "air_drone_strike", "shelling_artillery_missile_attack", "peaceful_protest"]
PARENT = {"attack": "violence_against_civilians", "armed_clash": "battles", "air_drone_strike": "explosions_remote_violence",
          "shelling_artillery_missile_attack": "explosions_remote_violence", "peaceful_protest": "protests"}
SENTENCES = [
    "A {age}-year-old man was shot in the {block} block of Elm Street on {day}, police said.",
    "Gunmen killed {n} people near the market in the town on {day}.",
    "Shells hit the hospital, killing {n}, on {day}.",
    "Protesters gathered outside the town hall on {day}.",
]


@st.composite
def reports(draw, n_min=1, n_max=14):
    """Reports of a few made-up incidents: towns, kinds, days, tolls, ages and streets drawn at random."""
    n = draw(st.integers(n_min, n_max))
    out = []
    for i in range(n):
        sub = draw(st.sampled_from(SUBS))
        day = draw(st.one_of(st.none(), st.integers(0, 60)))
        when = date(2024, 3, 1) + timedelta(days=day) if day is not None else None
        text = draw(st.sampled_from(SENTENCES)).format(
            age=draw(st.integers(15, 30)), block=draw(st.sampled_from([100, 2000])), n=draw(st.integers(1, 5)),
            day=when.strftime("%d %B") if when else "Saturday")
        article = f"a{draw(st.integers(0, n // 2 + 1)):02d}"
        span = SourceSpan(article, 10 * i, 10 * i + len(text), text)
        values = draw(st.lists(st.integers(1, 6), max_size=2))
        out.append(Report(
            id=f"rep_{i:03d}", article_id=article, event_type=PARENT[sub], sub_event_type=sub, trigger="shot",
            date=when, date_precision="day" if when else None, location=draw(st.sampled_from(TOWNS)),
            actors=(Actor("Civilians", "actor2", kind=ActorKind.CIVILIANS),),
            claims=tuple(Claim("fatalities", v, span) for v in values), sources=(span,),
            keywords=tuple(draw(st.lists(st.sampled_from(["market", "hospital", "home"]), max_size=1))),
            published=date(2024, 3, 1) + timedelta(days=draw(st.integers(0, 62))),
        ))
    return out


def _as_ids(clusters) -> set[frozenset[str]]:
    return {frozenset(r.id for r in c) for c in clusters}


@settings(max_examples=30, deadline=None)
@given(reports(), st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_the_order_of_reports(rs, rnd):
    shuffled = rs[:]
    rnd.shuffle(shuffled)
    assert _as_ids(cluster_reports(shuffled)) == _as_ids(cluster_reports(rs))


@settings(max_examples=30, deadline=None)
@given(reports())
def test_reports_that_cannot_meet_never_share_a_cluster(rs):
    for cluster in cluster_reports(rs):
        # Every member meets some other member (clusters grow along links only) ...
        if len(cluster) > 1:
            for r in cluster:
                assert any(can_link(link_window(r), link_window(o)) for o in cluster if o is not r)
        # ... and no cluster holds two reports of one article.
        assert len({r.article_id for r in cluster}) == len(cluster)


def _shift(rs, days: int, tag: str):
    """The same reports moved `days` later, with ids and articles of their own."""
    from dataclasses import replace

    out = []
    for r in rs:
        art = f"{tag}{r.article_id}"
        sources = tuple(replace(s, article_id=art) for s in r.sources)
        claims = tuple(replace(c, source=replace(c.source, article_id=art)) for c in r.claims)
        out.append(replace(r, id=f"{tag}{r.id}", article_id=art, sources=sources, claims=claims,
                           date=r.date + timedelta(days=days) if r.date else None,
                           published=r.published + timedelta(days=days) if r.published else None))
    return out


@settings(max_examples=25, deadline=None)
@given(reports(n_max=10), reports(n_max=10))
def test_clusters_of_a_union_with_no_possible_link_are_the_union_of_clusters(first, second):
    # Move the second set a year on: no window of one overlaps a window of the other ...
    later = _shift([r for r in second if r.date or r.published], 365, "z")
    assert not any(can_link(link_window(a), link_window(b)) for a in first for b in later if link_window(a)[2] and link_window(b)[2])
    first = [r for r in first if r.date or r.published]
    together = _as_ids(cluster_reports(first + later))
    assert together == _as_ids(cluster_reports(first)) | _as_ids(cluster_reports(later))


def test_link_window_scales_with_precision_and_opens_without_a_date():
    span = SourceSpan("a1", 0, 5, "text.")
    base = Report("rep_1", "a1", "battles", "armed_clash", "clash", date(2024, 5, 10), "day", TOWNS[0], (), (), (span,))
    fam, country, lo, hi = link_window(base)
    assert (fam, country) == ("violence", "XM") and (hi - lo).days == 20
    from dataclasses import replace

    month = link_window(replace(base, date_precision="month"))
    assert (month[3] - month[2]).days > (hi - lo).days
    undated = link_window(replace(base, date=None, date_precision=None, published=date(2024, 5, 12)))
    assert undated[2] < date(2024, 5, 12) <= undated[3]
    assert link_window(replace(base, date=None, date_precision=None))[2:] == (None, None)
    assert can_link(link_window(base), undated)
    assert not can_link(link_window(base), link_window(replace(base, location=TOWNS[3])))  # another country


def test_may_link_is_false_for_reports_that_cannot_meet():
    span = SourceSpan("a1", 0, 5, "text.")
    a = Report("rep_1", "a1", "battles", "armed_clash", "clash", date(2024, 5, 10), "day", TOWNS[0], (), (), (span,))
    from dataclasses import replace

    b = replace(a, id="rep_2", article_id="a2", date=date(2024, 9, 1))
    assert not may_link(a, b)
