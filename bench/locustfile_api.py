"""Locust users for bench/api_latency.py: what a reader of the web UI and a script asking the API do.

Run by api_latency.py, which sets SITROOM_BENCH_TARGETS (ids and filter values sampled from the store)
and SITROOM_BENCH_RATE (requests per second per user).
"""

from __future__ import annotations

import json
import os
import random
from datetime import date, timedelta

from locust import FastHttpUser, constant_throughput, task

TARGETS = json.loads(open(os.environ["SITROOM_BENCH_TARGETS"]).read())
RATE = float(os.environ.get("SITROOM_BENCH_RATE", "2"))


def _window() -> tuple[str, str]:
    start = date(2008, 1, 1) + timedelta(days=random.randint(0, 6500))
    return start.isoformat(), (start + timedelta(days=90)).isoformat()


class Reader(FastHttpUser):
    """One analyst: story pages, event lists with each filter, single events, search."""

    wait_time = constant_throughput(RATE)

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")

    @task(3)
    def story_page(self) -> None:
        """The story page: its HTML, then the calls app.js makes for it."""
        story = random.choice(TARGETS["story_ids"])
        self._get("/", "GET / (story page HTML)")
        self._get(f"/api/stories/{story}", "/api/stories/{id}")
        self._get(f"/api/contradictions?story={story}&limit=1000", "/api/contradictions?story")
        self._get("/api/stats", "/api/stats")

    @task(1)
    def story_list(self) -> None:
        """The web UI's story list (app.js): only the fields it shows."""
        self._get("/api/stories?limit=200&view=summary", "/api/stories?limit=200&view=summary")

    @task(1)
    def story_records(self) -> None:
        """A script reading whole story records, 200 at a time."""
        self._get("/api/stories?limit=200", "/api/stories?limit=200")

    @task(1)
    def events_by_date(self) -> None:
        since, until = _window()
        self._get(f"/api/events?since={since}&until={until}", "/api/events?since&until")

    @task(1)
    def events_by_type(self) -> None:
        self._get(f"/api/events?type={random.choice(TARGETS['types'])}", "/api/events?type")

    @task(1)
    def events_by_place(self) -> None:
        self._get(f"/api/events?place={random.choice(TARGETS['places'])}", "/api/events?place")

    @task(1)
    def events_by_actor(self) -> None:
        self._get(f"/api/events?actor={random.choice(TARGETS['actors'])}", "/api/events?actor")

    @task(1)
    def events_by_story(self) -> None:
        self._get(f"/api/events?story={random.choice(TARGETS['story_ids'])}", "/api/events?story")

    @task(1)
    def events_in_bbox(self) -> None:
        lon, lat = random.uniform(30, 48), random.uniform(28, 38)
        self._get(f"/api/events?bbox={lon:.2f},{lat:.2f},{lon + 2:.2f},{lat + 2:.2f}", "/api/events?bbox")

    @task(1)
    def events_deep_page(self) -> None:
        self._get(f"/api/events?offset={random.randint(50_000, 99_000)}", "/api/events?offset=deep")

    @task(1)
    def events_keyset_page(self) -> None:
        """The same deep pages as above, asked for the keyset way: after the last id seen."""
        self._get(f"/api/events?after={random.choice(TARGETS['event_ids'])}", "/api/events?after (keyset)")

    @task(3)
    def one_event(self) -> None:
        self._get(f"/api/events/{random.choice(TARGETS['event_ids'])}", "/api/events/{id}")

    @task(2)
    def search(self) -> None:
        self._get(f"/api/search?q={random.choice(TARGETS['words'])}", "/api/search?q")
