"""A real uvicorn server on 127.0.0.1 answering over HTTP, with the OpenAPI docs working offline."""

from __future__ import annotations

import httpx
import pytest

from api_demo_data import EV_DEIR, LiveServer, build_store
from sitroom.api import ApiSettings, create_app


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("srv") / "srv.db")
    with LiveServer(create_app(store, ApiSettings(token="tok"))) as server:
        yield server
    store.close()


def test_server_answers_stats_and_events(live):
    with httpx.Client(base_url=live.url, timeout=10) as http:
        stats = http.get("/api/stats")
        assert stats.status_code == 200 and stats.json()["events"] == 3
        assert stats.headers["x-content-type-options"] == "nosniff"
        assert http.get(f"/api/events/{EV_DEIR}").json()["fatalities"]["best"] == 62
        missing = http.get("/api/events/nope")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_server_docs_load_their_assets_locally(live):
    with httpx.Client(base_url=live.url, timeout=10) as http:
        docs = http.get("/docs")
        assert docs.status_code == 200
        for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css"):
            assert asset in docs.text
            resp = http.get(asset)
            assert resp.status_code == 200 and len(resp.content) > 10_000
        assert http.get("/api/openapi.json").json()["info"]["title"] == "sitroom"


def test_server_streams_exports_and_guards_writes(live):
    with httpx.Client(base_url=live.url, timeout=10) as http:
        with http.stream("GET", "/api/export/events?format=csv") as resp:
            head = next(resp.iter_lines())
        assert head.startswith("event_id_cnty,event_date,year")
        assert http.post("/api/ingest", json={"text": "x"}).status_code == 401
