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


@pytest.mark.slow
def test_serve_with_two_worker_processes_answers_on_loopback(tmp_path):
    """`sitroom serve --workers 2` as a user starts it: two processes answer, SIGINT stops them all."""
    import http.client
    import signal
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import psutil

    db = tmp_path / "srv.db"
    build_store(db).close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sitroom = Path(sys.executable).parent / "sitroom"
    server = subprocess.Popen([str(sitroom), "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline, stats = time.monotonic() + 60, None
        while time.monotonic() < deadline and stats is None:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5).json()
            except httpx.HTTPError:
                time.sleep(0.2)
        assert stats is not None and stats["events"] == 3
        assert httpx.get(f"http://127.0.0.1:{port}/api/events/{EV_DEIR}", timeout=5).json()["fatalities"]["best"] == 62
        # Keep-alive requests are not held back by Nagle's algorithm (TCP_NODELAY on accepted
        # connections): each takes a few ms, not the ~40 ms of a delayed ACK (uvicorn#3149).
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        took = []
        for _ in range(12):
            start = time.perf_counter()
            conn.request("GET", "/api/stats")
            conn.getresponse().read()
            took.append(time.perf_counter() - start)
        conn.close()
        assert sorted(took[2:])[len(took[2:]) // 2] < 0.03, took
        children = psutil.Process(server.pid).children()
        assert len([p for p in children if "spawn_main" in " ".join(p.cmdline())]) == 2  # uvicorn's worker processes
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "with 2 processes" in err


def test_a_serving_process_keeps_its_start_up_objects_out_of_full_collections(tmp_path, monkeypatch):
    """A worker's app freezes what start-up made: a full collection then walks what requests allocate,
    not the ~160,000 objects of its modules and app (110 ms of CPU on one home page visit in seven)."""
    import gc

    from sitroom.api.app import create_app_from_env

    monkeypatch.delenv("SITROOM_SERVE_DB", raising=False)
    monkeypatch.setenv("SITROOM_DB", str(tmp_path / "served.db"))
    gc.unfreeze()
    try:
        app = create_app_from_env()
        frozen = gc.get_freeze_count()
        walked = len(gc.get_objects())
        app.state.store.close()
    finally:
        gc.unfreeze()
    assert frozen > 10_000 and walked < frozen / 10, (frozen, walked)
