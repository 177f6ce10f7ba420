"""Event paging (offset and keyset), story list statistics and the listing indexes, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from api_demo_data import articles, events, story
from sitroom.api import ApiSettings, create_app
from sitroom.model import ArticleAnalysis
from sitroom.store import open_store
from sitroom.store.base import Store

N_STORIES = 4


def many_events() -> tuple[list, list]:
    """The demo events copied 12 times over 4 stories, dates spread out, some undated, some sharing a date."""
    base, out, stories = events(), [], []
    for copy in range(12):
        story_id = f"sty_{copy % N_STORIES}"
        for n, e in enumerate(base):
            when = None if e.date is None else date(2016, 1, 1) + timedelta(days=(copy * 7) % 30 + n)
            out.append(replace(e, id=f"evt_{copy:02d}_{n}", story_id=story_id, date=when))
    for s in range(N_STORIES):
        members = tuple(e.id for e in out if e.story_id == f"sty_{s}")
        stories.append(replace(story(), id=f"sty_{s}", title=f"Story {s}", event_ids=members))
    return out, stories


@pytest.fixture
def paged_store(store_url):
    store = open_store(store_url)
    store.save_analyses([ArticleAnalysis(article=a, sentences=(), mentions=(), reports=()) for a in articles()])
    evs, stories = many_events()
    store.save_results(evs, stories, [])
    yield store
    store.close()


@pytest.fixture
def client(paged_store):
    return TestClient(create_app(paged_store, ApiSettings()), base_url="http://127.0.0.1")


def listing_order(evs) -> list[str]:
    return [e.id for e in sorted(evs, key=lambda e: (e.date is None, e.date or date.min, e.id))]


def test_api_events_offset_and_keyset_pages_agree(client):
    expected = listing_order(many_events()[0])
    by_offset = [e["id"] for off in range(0, 36, 5) for e in client.get(f"/api/events?limit=5&offset={off}").json()["items"]]
    assert by_offset == expected
    by_keyset, after = [], None
    while True:
        body = client.get("/api/events?limit=5" + (f"&after={after}" if after else "")).json()
        assert body["total"] == 36
        if not body["items"]:
            break
        by_keyset += [e["id"] for e in body["items"]]
        after = body["items"][-1]["id"]
    assert by_keyset == expected  # undated events come last, after the dated ones, on both paths


def test_api_events_keyset_keeps_filters(client):
    battles = [i for i in listing_order(many_events()[0]) if i.endswith("_2")]  # the demo's one battle, copied
    first = client.get("/api/events?type=battles&limit=4").json()
    rest = client.get(f"/api/events?type=battles&limit=100&after={first['items'][-1]['id']}").json()
    assert [e["id"] for e in first["items"] + rest["items"]] == battles
    assert first["total"] == rest["total"] == 12


def test_api_events_after_an_unknown_id_says_what_to_pass(client):
    resp = client.get("/api/events?after=evt_nope")
    assert resp.status_code == 400
    assert "last event of the previous page" in resp.json()["error"]["message"]


def test_api_events_total_of_short_and_past_the_end_pages(client):
    assert client.get("/api/events?limit=100").json()["total"] == 36
    assert client.get("/api/events?limit=10&offset=30").json()["total"] == 36
    past = client.get("/api/events?limit=10&offset=50").json()
    assert past["items"] == [] and past["total"] == 36


def test_store_story_stats_match_the_events(paged_store):
    ids = [f"sty_{s}" for s in range(N_STORIES)] + ["sty_none"]
    stats = paged_store.story_stats(ids)
    assert stats == Store.story_stats(paged_store, ids)  # one aggregate query == paging through each story
    assert "sty_none" not in stats
    s0 = stats["sty_0"]
    assert s0["n_events"] == 9 and s0["n_contradictions"] == 3  # three copies of the contested Deir ez-Zor strike
    assert s0["fatalities_best_total"] == 3 * (62 + 21 + 3)


def test_api_story_list_counts_in_one_query(client):
    items = {s["id"]: s for s in client.get("/api/stories").json()["items"]}
    assert set(items) == {f"sty_{s}" for s in range(N_STORIES)}
    assert items["sty_1"]["n_events"] == 9 and items["sty_1"]["n_contradictions"] == 3
    assert items["sty_1"]["first_date"] <= items["sty_1"]["last_date"]


def test_store_event_pages_read_the_listing_index(tmp_path):
    store = open_store(str(tmp_path / "plan.db"))
    with store.engine.connect() as conn:
        plan = " ".join(r[3] for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM events WHERE actors LIKE '%army%' ORDER BY date IS NULL, date, id LIMIT 100 OFFSET 5000"))
        typed = " ".join(r[3] for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM events WHERE event_type = 'battles' ORDER BY date IS NULL, date, id LIMIT 100"))
        count = " ".join(r[3] for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE actors LIKE '%army%'"))
    store.close()
    assert "COVERING INDEX ix_events_listing" in plan and "TEMP B-TREE" not in plan
    assert "COVERING INDEX ix_events_terms" in count
    assert "ix_events_type_order" in typed and "TEMP B-TREE" not in typed


def test_store_keyset_pages_seek_without_sorting(paged_store, store_url):
    if not store_url.endswith(".db"):
        pytest.skip("the query plans checked here are SQLite's")
    from sqlalchemy import event

    from sitroom.store.base import EventQuery

    statements: list[tuple[str, tuple]] = []
    record = lambda conn, cursor, sql, params, context, many: statements.append((sql, params))  # noqa: E731
    event.listen(paged_store.engine, "before_cursor_execute", record)
    dated, undated = "evt_05_1", "evt_03_2"  # after a dated event the page runs on into the undated ones
    pages = [paged_store.query_events(EventQuery(after=after, limit=30)) for after in (dated, undated)]
    event.remove(paged_store.engine, "before_cursor_execute", record)
    order = listing_order(many_events()[0])
    for after, page in zip((dated, undated), pages):
        assert [e["id"] for e in page.items] == order[order.index(after) + 1 :][:30]
    assert len(pages[0].items) == 30 and pages[0].items[-1]["date"] is None  # crossed into the undated part
    with paged_store.engine.connect() as conn:
        plans = [" ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
                 for sql, params in statements if "ORDER BY" in sql]
    assert plans and all("TEMP B-TREE" not in p and "ix_events_listing" in p for p in plans), plans


def test_api_story_list_summary_view_has_the_full_views_counts(client):
    full = client.get("/api/stories?limit=3&offset=1").json()
    summary = client.get("/api/stories?limit=3&offset=1&view=summary").json()
    keys = {"id", "title", "n_events", "n_articles", "n_contradictions", "first_date", "last_date", "fatalities_best_total"}
    assert (summary["total"], summary["limit"], summary["offset"]) == (full["total"], 3, 1)
    assert [s["id"] for s in summary["items"]] == [s["id"] for s in full["items"]]
    assert summary["items"] == [{k: s[k] for k in keys} for s in full["items"]]
    assert client.get("/api/stories?view=titles").status_code == 422


def test_api_event_pages_carry_the_stored_records_unchanged(client, paged_store):
    resp = client.get("/api/events?limit=5&place=deir")
    assert resp.headers["content-type"] == "application/json"
    body = resp.json()
    assert list(body) == ["items", "total", "limit", "offset"] and body["total"] == 12
    # Each item is the stored record as saved, plus the listing's corroboration label.
    assert [{k: v for k, v in e.items() if k != "corroboration"} for e in body["items"]] == [paged_store.get_event(e["id"]) for e in body["items"]]
    assert all(e["corroboration"] in ("single", "several", "contested") for e in body["items"])
    stories = client.get("/api/stories?limit=2").json()["items"]
    assert stories[0]["event_ids"] == paged_store.get_story(stories[0]["id"])["event_ids"]
