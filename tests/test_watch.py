"""`sitroom watch` against a real HTTP server on 127.0.0.1: conditional requests, new items only,
backoff on errors, restarts (and kills) that process nothing twice, one JSON log line per poll."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitroom.config import Settings
from sitroom.errors import ConfigError
from sitroom.ingest import IngestLimits
from sitroom.runners.watch import WatchState, default_state_path, parse_interval, watch_feeds

pytestmark = pytest.mark.timeout(180)

ROOT = Path(__file__).resolve().parents[1]
LONG = (
    "<p>Artillery shells struck three streets in eastern Karvel overnight, the town council said on Friday, "
    "and two people were wounded.</p><p>The Ostrin defence ministry did not comment on the report. Residents said "
    "the shelling lasted for about an hour and stopped before dawn.</p><p>Monitors from the Velmar mission said "
    "they would visit the area on Saturday to assess the damage and speak to witnesses.</p><p>The council asked "
    "both sides to respect the truce agreed in Velmar last month and to let repair crews reach the damaged streets.</p>"
)
PAGE = (
    "<html><head><title>{title}</title></head><body><article><p>{title}: officials in Velmar said on Thursday that "
    "{n} people were killed when a mortar round hit a checkpoint outside the town.</p><p>Karvel militias denied "
    "firing the round and accused Ostrin forces of staging the attack.</p></article></body></html>"
)


class FeedSite:
    """What the test server serves: an RSS feed with ETag/Last-Modified, pages, and injected failures."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str | None]] = []  # (guid, title, full content or None for a teaser)
        self.version = 0
        self.conditional = True  # honour If-None-Match / If-Modified-Since
        self.fail_next = 0  # answer 500 this many times
        self.broken_next = 0  # answer with an entity-expansion bomb this many times
        self.requests: list[tuple[str, str | None]] = []  # (path, If-None-Match)
        self.lock = threading.Lock()

    def add(self, guid: str, title: str, content: str | None) -> None:
        with self.lock:
            self.items.append((guid, title, content))
            self.version += 1

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    def feed(self, base: str) -> bytes:
        entries = "".join(
            f"<item><title>{title}</title><link>{base}/pages/{guid}</link><guid>{guid}</guid>"
            f"<pubDate>Fri, 07 Mar 2031 10:00:00 +0000</pubDate><description>Teaser for {title}.</description>"
            + (f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else "")
            + "</item>"
            for guid, title, content in self.items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Karvel Herald</title>'
            f"{entries}</channel></rss>"
        ).encode()


BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<rss><channel><title>&lol2;</title></channel></rss>"""


def make_handler(site: FeedSite):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html", headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with site.lock:
                site.requests.append((self.path, self.headers.get("If-None-Match")))
            if self.path == "/feed.xml":
                if site.fail_next:
                    site.fail_next -= 1
                    return self._send(500, b"internal error")
                if site.broken_next:
                    site.broken_next -= 1
                    return self._send(200, BOMB, "application/rss+xml")
                headers = {"ETag": site.etag, "Last-Modified": formatdate(1_900_000_000 + site.version, usegmt=True)}
                if site.conditional and self.headers.get("If-None-Match") == site.etag:
                    return self._send(304, headers=headers)
                return self._send(200, site.feed(f"http://127.0.0.1:{self.server.server_port}"), "application/rss+xml", headers)
            if self.path.startswith("/pages/"):
                guid = self.path.rsplit("/", 1)[1]
                return self._send(200, PAGE.format(title=f"Report {guid}", n=len(guid)).encode())
            self._send(404)

    return Handler


@pytest.fixture
def site():
    feed_site = FeedSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(feed_site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    feed_site.url = f"http://127.0.0.1:{server.server_port}/feed.xml"
    feed_site.add("full-1", "Karvel council reports overnight shelling", LONG)
    feed_site.add("teaser-2", "Checkpoint attack near Velmar", None)
    yield feed_site
    server.shutdown()
    server.server_close()


class FakeClock:
    """Time that passes only when the watcher sleeps: backoff is tested without waiting."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def run(site: FeedSite, store, state: Path, clock: FakeClock, rounds: int, **kw):
    return watch_feeds(
        [site.url], store, every=60, state_path=state, rounds=rounds, clock=clock, sleep=clock.sleep,
        limits=IngestLimits(allow_private_addresses=True, fetch_timeout=10), settings=Settings(paraphrase=False), **kw,
    )  # fmt: skip


def feed_requests(site: FeedSite) -> list[str | None]:
    return [etag for path, etag in site.requests if path == "/feed.xml"]


def test_watch_uses_conditional_requests_and_processes_only_new_items(site, store, tmp_path):
    clock, state = FakeClock(), tmp_path / "watch.json"
    first = run(site, store, state, clock, rounds=2)
    assert [r.outcome for r in first] == ["fetched", "not_modified"]
    assert (first[0].items, first[0].new, first[0].stored) == (2, 2, 2)
    assert clock.slept == [60]  # slept until the feed was due again
    assert feed_requests(site) == [None, '"v2"']  # the second poll sent the ETag and got a 304
    assert [p for p, _ in site.requests if p.startswith("/pages/")] == ["/pages/teaser-2"]  # only the teaser's page

    site.add("teaser-3", "Truce talks resume", None)
    clock.now += 60
    second = run(site, store, state, clock, rounds=1)  # a new run: a restart
    assert [(r.outcome, r.items, r.new, r.stored) for r in second] == [("fetched", 3, 1, 1)]
    assert [p for p, _ in site.requests if p.startswith("/pages/")] == ["/pages/teaser-2", "/pages/teaser-3"]
    assert store.counts()["articles"] == 3


def test_restart_against_a_server_without_conditional_requests_reprocesses_nothing(site, store, tmp_path):
    clock, state = FakeClock(), tmp_path / "watch.json"
    run(site, store, state, clock, rounds=1)
    site.conditional = False
    pages_before = len(site.requests)
    clock.now += 60
    (again,) = run(site, store, state, clock, rounds=1)
    assert (again.outcome, again.items, again.new, again.stored) == ("fetched", 2, 0, 0)
    assert len(site.requests) == pages_before + 1  # the feed only: no item page fetched again
    assert store.counts()["articles"] == 2


def test_errors_back_off_exponentially_are_recorded_once_and_reset_on_success(site, store, tmp_path, caplog):
    clock, state = FakeClock(), tmp_path / "watch.json"
    site.fail_next = 3
    site.broken_next = 1
    with caplog.at_level(logging.INFO, logger="sitroom.runners.watch"):
        results = watch_feeds(
            [site.url], store, every=60, max_backoff=300, state_path=state, rounds=6, clock=clock, sleep=clock.sleep,
            limits=IngestLimits(allow_private_addresses=True), settings=Settings(paraphrase=False),
        )  # fmt: skip
    assert [r.outcome for r in results] == ["error", "error", "error", "error", "fetched", "not_modified"]
    assert [r.failures for r in results[:4]] == [1, 2, 3, 4]
    assert "HTTP 500" in results[0].error and "refused a feed that declares a DTD" in results[3].error
    assert clock.slept == [120, 240, 300, 300, 60]  # 60 x 2, x 4, then the 300 s cap; back to 60 once healthy
    rejections = store.list_rejections().items
    assert [r["origin"] for r in rejections] == [site.url] and "HTTP 500" in rejections[0]["reason"]
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "sitroom.runners.watch"]
    assert [line["outcome"] for line in lines] == [r.outcome for r in results]
    assert lines[0]["failures"] == 1 and "next_poll" in lines[0] and lines[4]["new"] == 2


def test_once_respects_a_backoff_saved_by_an_earlier_run(site, store, tmp_path):
    clock, state = FakeClock(), tmp_path / "watch.json"
    site.fail_next = 1
    assert [r.outcome for r in run(site, store, state, clock, rounds=1)] == ["error"]
    assert run(site, store, state, clock, rounds=1) == []  # still backing off: nothing polled
    assert WatchState(state).feed(site.url).failures == 1
    clock.now += 120
    assert [r.outcome for r in run(site, store, state, clock, rounds=1)] == ["fetched"]
    assert WatchState(state).feed(site.url).failures == 0


def test_state_file_and_interval_parsing(tmp_path):
    assert default_state_path("sqlite:////data/x.db") == Path("/data/x.db.watch.json")
    assert default_state_path("postgresql+psycopg://u@h/db") == Path("sitroom-watch.json")
    assert [parse_interval(t) for t in ("30s", "10m", "2h", "1d", "45")] == [30, 600, 7200, 86400, 45]
    for bad in ("0m", "-1m", "ten minutes", "5y"):
        with pytest.raises(ConfigError, match="--every"):
            parse_interval(bad)
    broken = tmp_path / "state.json"
    broken.write_text("{not json")
    with pytest.raises(ConfigError, match="move it aside"):
        WatchState(broken)


def _sitroom(*args: str, env: dict, log: Path) -> subprocess.Popen:
    # Output to a file, not a pipe: nobody reads a pipe while the watcher runs, and a full one would block it.
    with log.open("a") as out:
        return subprocess.Popen([sys.executable, "-m", "sitroom.cli", *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)  # fmt: skip


@pytest.mark.slow
def test_watch_killed_mid_run_resumes_without_reprocessing(site, tmp_path):
    """SIGKILL the CLI while it watches, restart it: the store is sound and nothing is processed twice."""
    db, state = tmp_path / "w.db", tmp_path / "w.db.watch.json"
    env = {**os.environ, "SITROOM_ALLOW_PRIVATE_ADDRESSES": "1", "SITROOM_PARAPHRASE": "0"}
    kills = 0
    for round_ in range(3):
        site.add(f"teaser-k{round_}", f"Shelling report {round_}", None)
        proc = _sitroom("watch", site.url, "--db", str(db), "--every", "1s", env=env, log=tmp_path / f"run{round_}.log")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until this round's item is processed
            if proc.poll() is not None or (state.exists() and len(WatchState(state).feed(site.url).seen) == 3 + round_):
                break
            time.sleep(0.2)
        time.sleep(0.5 * round_)  # kill at a different point of the next poll each time
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        kills += 1
    final = _sitroom("watch", site.url, "--db", str(db), "--once", env=env, log=tmp_path / "final.log")
    assert final.wait(timeout=120) == 0, (tmp_path / "final.log").read_text()
    log_text = (tmp_path / "final.log").read_text()
    lines = [json.loads(line.split(" ", 2)[2]) for line in log_text.splitlines() if '"outcome"' in line]
    assert lines and all(line.get("new", 0) == 0 for line in lines), log_text
    from sitroom.store import open_store

    store = open_store(str(db))
    try:
        assert store.counts()["articles"] == 2 + 3 and store.integrity_check() == []
    finally:
        store.close()
    assert kills == 3
