"""Place, actor and bbox filters: substring matches that fold case and accents, the same answers
from the trigram / R*Tree / pg_trgm indexes as from a scan, exact box edges, and stores upgraded
from before those indexes."""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

import pytest

from sitroom.model import Actor, Event, Figure, Location, SourceSpan
from sitroom.store import open_store
from sitroom.store import sqlite as sqlite_store
from sitroom.store.base import EventQuery

SPAN = SourceSpan("a1", 0, 21, "Shells hit the market")


def event(eid: str, place: Location | None, actors: tuple[Actor, ...] = (), day: int | None = 1) -> Event:
    """A minimal event at `place` with `actors` (None day: undated)."""
    return Event(
        id=eid, story_id="sty_1", event_type="explosions_remote_violence", sub_event_type="shelling_artillery_missile_attack",
        date=None if day is None else date(2024, 1, 1) + timedelta(days=day), date_precision=None if day is None else "day",
        location=place, actors=actors, fatalities=Figure(), injured=Figure(), claims=(), contradictions=(), sources=(SPAN,),
        summary=None,
    )


HAMAH = Location("Ḩamāh", "SY", "Muḩāfaz̧at Ḩamāh", 35.1318, 36.7578)
DEIR = Location("Deir ez-Zor", "SY", "Deir ez-Zor", 35.336, 40.141)
ALEPPO = Location("Aleppo", "SY", "Aleppo", 36.2021, 37.1343)
ISTANBUL = Location("İstanbul", "TR", None, 41.0138, 28.9497)
SAA = Actor("Military Forces of Syria", "actor1", ("Syrian Arab Army", "SAA"))
HTS = Actor("Hayʼat Taḩrīr al-Shām", "actor2", ("HTS",))
ODD = Actor("100% Brigade_North", "actor1")


def ids(store, **filters) -> list[str]:
    return [e["id"] for e in store.query_events(EventQuery(**filters)).items]


@pytest.fixture
def small_store(store):
    store.save_results([
        event("evt_hamah", HAMAH, (SAA,)), event("evt_deir", DEIR, (HTS,), day=2), event("evt_aleppo", ALEPPO, (SAA, HTS), day=3),
        event("evt_istanbul", ISTANBUL, (ODD,), day=4), event("evt_nowhere", None, (), day=None),
    ], [], [])
    return store


def test_place_filter_matches_inside_words_whatever_the_case_and_accents(small_store):
    assert ids(small_store, place="hamah") == ["evt_hamah"]  # diacritics folded, as search does
    assert ids(small_store, place="ḨAMĀH") == ["evt_hamah"]
    assert ids(small_store, place="fazat") == ["evt_hamah"]  # inside admin1, mid-word
    assert ids(small_store, place="EZ-ZO") == ["evt_deir"]
    assert ids(small_store, place="lepp") == ["evt_aleppo"]
    assert ids(small_store, place="istanbul") == ["evt_istanbul"]  # dotted capital I folds to i
    assert ids(small_store, place="damascus") == []


def test_actor_filter_matches_names_and_mentions_inside_words(small_store):
    assert ids(small_store, actor="arab arm") == ["evt_hamah", "evt_aleppo"]  # a mention, across a space
    assert ids(small_store, actor="TAHRIR AL") == ["evt_deir", "evt_aleppo"]
    assert ids(small_store, actor="forces of syria") == ["evt_hamah", "evt_aleppo"]


def test_filter_text_is_literal_not_a_pattern(small_store):
    assert ids(small_store, actor="100% brig") == ["evt_istanbul"]
    assert ids(small_store, actor="0%b") == []  # % is not a wildcard
    assert ids(small_store, actor="de_north") == ["evt_istanbul"]
    assert ids(small_store, actor="e_n") == ["evt_istanbul"]
    assert ids(small_store, actor="a_m") == []  # nor is _
    assert ids(small_store, place='"al') == []  # a quote is text, not FTS syntax


def test_short_filters_fall_back_to_the_scan(small_store):
    assert ids(small_store, place="TR") == ["evt_istanbul"]  # two letters: also a country code
    assert ids(small_store, place="ep") == ["evt_aleppo"]
    assert ids(small_store, actor="hT") == ["evt_deir", "evt_aleppo"]
    assert ids(small_store, actor="ā") == ["evt_hamah", "evt_deir", "evt_aleppo", "evt_istanbul"]  # folds to "a"
    assert ids(small_store, place="ez", actor="ts") == ["evt_deir"]


def test_bbox_includes_its_edges_and_nothing_past_them(store):
    lon, lat = 36.123456789, 35.987654321  # not exact in the R*Tree's 32-bit floats
    here = Location("Edge", "SY", None, lat, lon)
    store.save_results([event("evt_edge", here), event("evt_far", ALEPPO)], [], [])
    assert ids(store, bbox=(lon, lat, lon, lat)) == ["evt_edge"]  # a box that is the point itself
    assert ids(store, bbox=(lon - 1, lat - 1, lon, lat)) == ["evt_edge"]  # on the max edges
    assert ids(store, bbox=(lon, lat, lon + 1, lat + 1)) == ["evt_edge"]  # on the min edges
    assert ids(store, bbox=(lon + 1e-9, lat - 1, lon + 1, lat + 1)) == []  # just past the point
    assert ids(store, bbox=(lon - 1, lat - 1, lon + 1, lat - 1e-9)) == []
    assert ids(store, bbox=(35, 35, 38, 37)) == ["evt_edge", "evt_far"]


def many_events(n: int = 600, seed: int = 4) -> list[Event]:
    """Events over a few places and actor sets, some without a place or date, for comparing query paths."""
    rng = random.Random(seed)
    places = [HAMAH, DEIR, ALEPPO, ISTANBUL, Location("Idlib", "SY", "Idlib", 35.93, 36.63), Location("Homs", "SY", "Homs", 34.73, 36.71)]
    actor_sets = [(SAA,), (HTS,), (SAA, HTS), (ODD,), ()]
    out = []
    for i in range(n):
        place = None if rng.random() < 0.05 else rng.choice(places)
        if place is not None:
            place = replace(place, lat=round(place.lat + rng.uniform(-0.5, 0.5), 5), lon=round(place.lon + rng.uniform(-0.5, 0.5), 5))
        day = None if rng.random() < 0.05 else rng.randint(0, 40)
        e = event(f"evt_{i:04d}", place, rng.choice(actor_sets), day)
        out.append(replace(e, event_type="battles", sub_event_type="armed_clash") if i % 3 == 0 else e)
    return out


def reference(events: list[Event], q: EventQuery) -> list[str]:
    """Every event matching `q`, in listing order, computed in Python from the records."""

    def fold(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s.casefold()) if not unicodedata.combining(c))

    def keep(e: Event) -> bool:
        loc = e.location
        if q.place:
            text = fold("|".join(x for x in (loc.name, loc.admin1) if x)) if loc else ""
            by_code = len(q.place) == 2 and loc is not None and loc.country == q.place.upper()
            if fold(q.place) not in text and not by_code:
                return False
        if q.actor and fold(q.actor) not in fold("|".join([a.name for a in e.actors] + [m for a in e.actors for m in a.mentions])):
            return False
        if q.bbox:
            if loc is None or loc.lat is None or not (q.bbox[0] <= loc.lon <= q.bbox[2] and q.bbox[1] <= loc.lat <= q.bbox[3]):
                return False
        if q.since and (e.date is None or e.date < q.since):
            return False
        if q.event_type and e.event_type != q.event_type:
            return False
        return True

    return [e.id for e in sorted((e for e in events if keep(e)), key=lambda e: (e.date is None, e.date or date.min, e.id))]


QUERIES = [
    EventQuery(place="hamah"), EventQuery(place="ALEP"), EventQuery(place="id"), EventQuery(place="SY"),
    EventQuery(actor="syrian arab"), EventQuery(actor="hts"), EventQuery(actor="a"), EventQuery(actor="brigade_n"),
    EventQuery(bbox=(36.0, 34.5, 37.5, 36.0)), EventQuery(bbox=(40.0, 35.0, 40.3, 35.5)),
    EventQuery(place="homs", actor="forces"), EventQuery(place="deir", bbox=(39.0, 34.0, 41.0, 36.0)),
    EventQuery(actor="tahrir", since=date(2024, 1, 20)), EventQuery(place="aleppo", event_type="battles"),
    EventQuery(actor="saa", bbox=(28.0, 34.0, 41.0, 42.0), event_type="battles"),
]


@pytest.mark.parametrize("few_matches", [0, sqlite_store._FEW_MATCHES], ids=["scan", "indexed"])
def test_indexed_and_scanned_answers_agree_on_pages_and_totals(store, monkeypatch, few_matches):
    events = many_events()
    store.save_results(events, [], [])
    monkeypatch.setattr(sqlite_store, "_FEW_MATCHES", few_matches)  # 0: every query takes the scan
    for q in QUERIES:
        expected = reference(events, q)
        for limit, offset in ((100, 0), (7, 0), (7, 35), (50, len(expected) - 3), (10, len(expected) + 5)):
            page = store.query_events(replace(q, limit=limit, offset=max(offset, 0)))
            assert page.total == len(expected), q
            assert [e["id"] for e in page.items] == expected[max(offset, 0) : max(offset, 0) + limit], (q, limit, offset)
        if len(expected) > 3:  # keyset pages continue from a dated and from an undated event
            for after in (expected[1], expected[-2]):
                page = store.query_events(replace(q, after=after, limit=5))
                assert [e["id"] for e in page.items] == expected[expected.index(after) + 1 :][:5], (q, after)
                assert page.total == len(expected)


@pytest.mark.parametrize("path", ["listing", "scan", "indexed"])
def test_newest_first_pages_are_the_listing_turned_round_on_every_path(store, monkeypatch, path):
    """/api/events?sort=-date: the dated matches newest first, then the undated by id, whether the store sorts
    them itself (SQLite: the matches of its indexes, or of one scan when they narrow too little:
    Store.newest_first_json) or the API reads the listing backwards."""
    from sitroom.api.deps import newest_first_page

    events = many_events()
    store.save_results(events, [], [])
    if path == "listing":
        monkeypatch.setattr(type(store), "newest_first_json", lambda self, query: None)
    monkeypatch.setattr(sqlite_store, "_FEW_MATCHES", 0 if path == "scan" else sqlite_store._FEW_MATCHES)
    by_id = {e.id: e for e in events}
    for q in QUERIES:
        oldest_first = reference(events, q)
        dated = [i for i in oldest_first if by_id[i].date is not None]
        expected = dated[::-1] + [i for i in oldest_first if by_id[i].date is None]
        for limit, offset in ((100, 0), (7, 0), (7, 35), (50, max(0, len(expected) - 3))):
            page = newest_first_page(store, replace(q, limit=limit, offset=offset))
            assert page.total == len(expected), q
            assert [r.id for r in page.items] == expected[offset : offset + limit], (q, limit, offset)


def test_sqlite_text_and_box_filters_read_their_indexes(tmp_path):
    from sqlalchemy import event as sa_event

    store = open_store(str(tmp_path / "plan.db"))
    store.save_results(many_events(200), [], [])
    statements: list[tuple[str, tuple]] = []
    record = lambda conn, cursor, sql, params, context, many: statements.append((sql, params))  # noqa: E731
    sa_event.listen(store.engine, "before_cursor_execute", record)
    assert store.query_events(EventQuery(actor="arab army", bbox=(35.0, 34.0, 38.0, 37.0))).total > 0
    sa_event.remove(store.engine, "before_cursor_execute", record)
    with store.engine.connect() as conn:
        plans = [" ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
                 for sql, params in statements if "event_terms_fts" in sql]
    store.close()
    assert plans and all("VIRTUAL TABLE INDEX" in p and "event_geo" in p for p in plans), plans
    assert not any("SCAN events" in p or "ix_events_terms" in p for p in plans), plans


def test_sqlite_integrity_check_finds_events_missing_from_the_filter_index(tmp_path):
    from sqlalchemy import text

    store = open_store(str(tmp_path / "terms.db"))
    store.save_results(many_events(20), [], [])
    assert store.integrity_check() == []
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM event_terms WHERE event_id = 'evt_0003'"))
    assert "1 events have no event_terms row" in store.integrity_check()
    store.close()


def test_a_store_from_before_the_filter_indexes_upgrades(store_url):
    """A store written by revision 0005's code (lower-cased terms, spaced JSON) answers the new
    filters after migrating, and the next save of the same records rewrites nothing."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import insert

    from sitroom.store import schema, schema_version

    store = open_store(store_url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(schema_version.MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    events = many_events(60)
    rows = []
    for e in events:
        record = e.to_dict()
        payload = json.dumps(record, ensure_ascii=False, sort_keys=True)  # as 0005's code wrote it
        loc = e.location
        rows.append({
            "id": e.id, "story_id": e.story_id, "event_type": e.event_type, "sub_event_type": e.sub_event_type,
            "date": e.date.isoformat() if e.date else None, "country": loc.country if loc else None,
            "place": "|".join(x for x in (loc.name, loc.admin1) if x).lower() if loc else None,
            "actors": "|".join([a.name for a in e.actors] + [m for a in e.actors for m in a.mentions]).lower(),
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None, "fatalities_best": None,
            "payload": payload, "payload_hash": schema.record_digest(payload),
        })
    with store.engine.begin() as conn:
        conn.execute(insert(schema.events), rows)
        conn.execute(insert(schema.search_docs), [{"kind": "event", "ref_id": e.id, "title": e.id, "body": ""} for e in events])
    store.migrate()
    for q in QUERIES[:10]:
        assert [e["id"] for e in store.query_events(replace(q, limit=1000)).items] == reference(events, q), q
    assert store.integrity_check() == []
    assert store.save_results(events, [], []).events_written == 0  # records and hashes already in the new form
    store.close()


def test_story_stats_come_from_the_story_index(tmp_path):
    from sitroom.model import Contradiction

    store = open_store(str(tmp_path / "stats.db"))
    contested = replace(event("evt_a", HAMAH, day=2), contradictions=(Contradiction("fatalities", (62, 90), (0, 1)),))
    store.save_results([contested, event("evt_b", DEIR, day=5), replace(event("evt_c", ALEPPO), story_id="sty_2")], [], [])
    assert store.story_stats(["sty_1", "sty_2"]) == {
        "sty_1": {"n_events": 2, "first_date": "2024-01-03", "last_date": "2024-01-06", "fatalities_best_total": None, "n_contradictions": 1},
        "sty_2": {"n_events": 1, "first_date": "2024-01-02", "last_date": "2024-01-02", "fatalities_best_total": None, "n_contradictions": 0},
    }
    with store.engine.connect() as conn:
        plan = " ".join(r[3] for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT story_id, count(*), min(date), max(date), sum(fatalities_best), sum(n_contradictions) "
            "FROM events WHERE story_id IN ('sty_1', 'sty_2') GROUP BY story_id"))
    store.close()
    assert "COVERING INDEX ix_events_story_stats" in plan
