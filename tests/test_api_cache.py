"""The UI's heaviest reads are kept until the store changes, and never served stale (api/cache.py), on both backends."""

from __future__ import annotations

from dataclasses import replace

from api_demo_data import EV_DEIR, build_store, ceasefire, events, story
from fastapi.testclient import TestClient

from sitroom.api import ApiSettings, create_app
from sitroom.api.cache import cache_of
from sitroom.model import Figure


def _killed(body: dict, event_id: str) -> int:
    return next(e for e in body["items"] if e["id"] == event_id)["fatalities"]["best"]


def test_api_cache_serves_the_same_answer_until_a_save_changes_the_records(store_url):
    store = build_store(store_url)
    try:
        client = TestClient(create_app(store, ApiSettings()), base_url="http://127.0.0.1")
        cache = cache_of(store)
        pages = ["/api/events?sort=-date&limit=100", "/api/events/map?limit=500", "/api/events?sort=-date&country=SY&contested=true",
                 "/api/contradictions?sort=-date&limit=200&count=false"]
        first = [client.get(p).json() for p in pages]
        misses = cache.misses
        assert [client.get(p).json() for p in pages] == first and cache.misses == misses and cache.hits >= 4  # kept
        assert _killed(first[0], EV_DEIR) == 62
        # A later save raises the toll: every kept answer is made again, none is served stale.
        evs = events()
        store.save_results([replace(evs[0], fatalities=Figure(70, 62, 90)), *evs[1:]], [story()], [], [ceasefire()])
        after = [client.get(p).json() for p in pages]
        assert cache.misses == misses + 4
        assert _killed(after[0], EV_DEIR) == 70 and _killed(after[2], EV_DEIR) == 70
        assert next(p for p in after[1]["points"] if p["place"] == "Deir ez-Zor")["killed"] == 70
        # A save that changes nothing keeps them.
        store.save_results([replace(evs[0], fatalities=Figure(70, 62, 90)), *evs[1:]], [story()], [], [ceasefire()])
        assert [client.get(p).json() for p in pages] == after and cache.misses == misses + 4
        # Sources that come to agree: the contradictions page no longer lists it (no kept answer says otherwise).
        assert [c["event_id"] for c in after[3]["items"]] == [EV_DEIR]
        store.save_results([replace(evs[0], fatalities=Figure(70, 62, 90), contradictions=()), *evs[1:]], [story()], [], [ceasefire()])
        assert client.get(pages[3]).json()["items"] == []
    finally:
        store.close()


def test_api_cache_keys_on_every_filter(store_url):
    store = build_store(store_url)
    try:
        client = TestClient(create_app(store, ApiSettings()), base_url="http://127.0.0.1")
        everything = client.get("/api/events?sort=-date").json()
        contested = client.get("/api/events?sort=-date&contested=true").json()
        second = client.get("/api/events?sort=-date&limit=1&offset=1").json()
        assert everything["total"] == 3 and [e["id"] for e in contested["items"]] == [EV_DEIR]
        assert [e["id"] for e in second["items"]] == [EV_DEIR]  # newest first: the convoy, then Deir ez-Zor
        assert client.get("/api/events/map?story=nope").json()["total"] == 0
        assert client.get("/api/events/map").json()["total"] == 3
    finally:
        store.close()


def test_api_changes_are_kept_until_a_save_and_match_their_own_window(store_url):
    """The home page's /api/changes: a repeat visit is served kept; a save that changes a toll is shown at once."""
    store = build_store(store_url)
    try:
        client = TestClient(create_app(store, ApiSettings()), base_url="http://127.0.0.1")
        cache = cache_of(store)
        page = "/api/changes?since=24h&limit=20&view=compact"
        first = client.get(page).json()
        misses, hits = cache.misses, cache.hits
        again = client.get(page).json()
        assert again == first and cache.misses == misses and cache.hits == hits + 1  # kept: the same window, start and end included
        toll = lambda body: next(d["record"]["fatalities"]["best"] for d in body["new_events"] if d["id"] == EV_DEIR)  # noqa: E731
        assert toll(first) == 62
        evs = events()
        store.save_results([replace(evs[0], fatalities=Figure(70, 62, 90)), *evs[1:]], [story()], [], [ceasefire()])
        after = client.get(page).json()
        assert cache.misses == misses + 1 and after["end"] >= first["end"]
        assert toll(after) == 70  # the new toll at once, not a kept answer's
    finally:
        store.close()
