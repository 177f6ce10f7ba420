"""API latency at 100,000 events, measured with locust on loopback while an ingest runs.

    .venv/bin/python bench/api_latency.py                    # build (cached) + measure, 60 s
    .venv/bin/python bench/api_latency.py --events 20000 --duration 20 --no-ingest
    .venv/bin/python bench/api_latency.py --ui --repeats 20  # the UI's pages in headless Chromium, p50/p95 per page
    .venv/bin/python bench/api_latency.py --smoke [--ui]    # seconds: the examples' records as 300 events, 3 s of load

`--ui` times what a user waits for: each UI page in Debian's Chromium, from the click (hash change)
to the page complete (its API calls answered, tables and map drawn; app.js stamps `data-render-ms`),
against `sitroom serve` on the built store, then the same pages' API requests in process, cold
(response cache off: the first visit after a store change) and kept (docs/benchmarks.md, "UI pages
at 100,000 events"). The store is first given a morning's arrivals: its change log is dated three
days back, then 1% of its events are saved again with a changed toll and 200 new ones added, so the
home view's "what changed" has a day's worth to show.

1. **Store.** The seeds, the examples and the 89 VOA stories go through the real pipeline once; their
   fused events and stories are then replicated and perturbed into `--events` Event records (dates
   shifted per story copy over 2008-2026, places drawn from every place the corpus produced and jittered,
   actor sets swapped between events, claims and their source spans kept, so every figure still traces
   to a stored sentence) and written with `SqlStore.save_results`, the path ingest uses. The database
   is cached under `--workdir` and rebuilt only with `--rebuild` or another `--events`.
2. **Server.** `sitroom serve --db ...` on 127.0.0.1, as a user runs it: its default number of worker
   processes (the usable cores, at most 4), or `--server-workers N`.
3. **Ingest.** A writer process loops, as an ingest does, over (a) `sitroom ingest -` of the VOA stories
   under fresh article ids (the real CLI: spaCy analysis, dedupe, fusion; `SITROOM_WORKERS=1`) into its
   own store next to the benchmarked one, and (b) a save of the benchmarked store's fused records with
   1% of its events changed plus one batch of new articles (`save_results` / `save_analyses`, the
   writes an ingest makes, in the same SQLite file the server reads). (a) cannot target the
   benchmarked store itself: its corpus stage re-fuses the stored analyses and replaces the fused
   records with the result, which would delete the replicated events on the first pass.
4. **Load.** `locust --headless` (bench/locustfile_api.py) with `--users` users, each making about
   `--rate` requests/s: the story list (the UI's summary view, and whole records as a script reads
   them) and story page (HTML and its API calls), /api/events with each filter and a deep page,
   /api/events/{id}, search. p50/p95/p99 per endpoint come from locust's CSV.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import httpx

from _script import CORPUS, EXAMPLES, add_smoke_flag, example_records
from _script import REPO as ROOT

sys.path.insert(0, str(ROOT / "src"))

from sitroom import codec  # noqa: E402
from sitroom.model import ArticleAnalysis, Ceasefire, DuplicateGroup, Event, Story  # noqa: E402

BIN = Path(sys.executable).parent
GOAL_P95_MS = 100
CHROMIUM = Path("/usr/bin/chromium")
# --smoke: the demo's reports alone (always at hand) replicated into a small store, loaded briefly.
SMOKE = {"events": 300, "duration": 4, "users": 2, "rate": 5.0, "repeats": 1, "server_workers": 1}


# -- the store ---------------------------------------------------------------------------------
def base_records(workdir: Path, smoke: bool = False) -> dict:
    """The real pipeline's output on the seeds, examples and VOA stories, or the examples alone (cached as JSON)."""
    cache = workdir / "base.json"
    if cache.exists():
        return _decode_base(json.loads(cache.read_text()))
    from sitroom.config import Settings
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store

    sources = [str(EXAMPLES)] if smoke else [str(CORPUS / "seeds"), str(EXAMPLES), str(CORPUS / "voa" / "voa_stories.jsonl")]
    missing = [s for s in sources if not Path(s).exists()]
    if missing:
        raise SystemExit(f"skipped: {missing} not found (the benchmark needs ../shared/corpus)")
    base_db = workdir / "base.db"
    base_db.unlink(missing_ok=True)
    store = open_store(str(base_db))
    settings = Settings.from_env()
    t0 = time.perf_counter()
    ingest_sources(sources, store, settings=settings)
    # The fused records as the store holds them (the runner keeps no corpus object to read them from).
    analyses = list(store.iter_analyses())
    events = [codec.from_jsonable(Event, e) for e in store.iter_events()]
    stories = [codec.from_jsonable(Story, s) for s in store.iter_stories()]
    duplicates = [codec.from_jsonable(DuplicateGroup, d) for d in store.iter_duplicates()]
    ceasefires = [codec.from_jsonable(Ceasefire, c) for c in store.list_ceasefires()]
    print(f"base corpus: {len(analyses)} articles -> {len(events)} events, {len(stories)} stories in {time.perf_counter() - t0:.0f} s",
          file=sys.stderr)
    data = {
        "analyses": codec.to_jsonable(analyses),
        "events": codec.to_jsonable(events),
        "stories": codec.to_jsonable(stories),
        "duplicates": codec.to_jsonable(duplicates),
        "ceasefires": codec.to_jsonable(ceasefires),
    }
    store.close()
    cache.write_text(json.dumps(data))
    return _decode_base(data)


def _decode_base(data: dict) -> dict:
    return {
        "analyses": [codec.from_jsonable(ArticleAnalysis, a) for a in data["analyses"]],
        "events": [codec.from_jsonable(Event, e) for e in data["events"]],
        "stories": [codec.from_jsonable(Story, s) for s in data["stories"]],
        "duplicates": [codec.from_jsonable(DuplicateGroup, d) for d in data["duplicates"]],
        "ceasefires": [codec.from_jsonable(Ceasefire, c) for c in data["ceasefires"]],
    }


def _hid(prefix: str, *parts: object) -> str:
    return prefix + hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:16]


def replicate(base: dict, n_events: int, seed: int = 5) -> tuple[list[Event], list[Story]]:
    """`n_events` events and their stories: copies of the base records, perturbed (see module doc)."""
    rng = random.Random(seed)
    events, stories = base["events"], base["stories"]
    places = [e.location for e in events if e.location and e.location.lat is not None]
    actor_sets = [e.actors for e in events if e.actors]
    by_story: dict[str | None, list[Event]] = {}
    for e in events:
        by_story.setdefault(e.story_id, []).append(e)
    story_of = {s.id: s for s in stories}
    out_events: list[Event] = []
    out_stories: list[Story] = []
    copy = 0
    while len(out_events) < n_events:
        for story_id, members in by_story.items():
            shift = timedelta(days=rng.randint(-2900, 3600))  # one shift per story copy: its timeline holds
            new_story = _hid("sty_", copy, story_id) if story_id else None
            new_ids = []
            for e in members:
                if len(out_events) >= n_events:
                    break
                loc = e.location
                if places and (loc is None or rng.random() < 0.6):
                    loc = rng.choice(places)
                if loc is not None and loc.lat is not None:
                    loc = replace(loc, lat=round(loc.lat + rng.uniform(-0.08, 0.08), 4), lon=round(loc.lon + rng.uniform(-0.08, 0.08), 4))
                actors = rng.choice(actor_sets) if actor_sets and rng.random() < 0.3 else e.actors
                when = e.date + shift if e.date and date(2008, 1, 1) <= e.date + shift <= date(2026, 10, 31) else e.date
                new_id = _hid("evt_", copy, e.id)
                new_ids.append(new_id)
                out_events.append(replace(e, id=new_id, story_id=new_story, date=when, location=loc, actors=actors))
            if story_id and story_id in story_of and new_ids:
                s = story_of[story_id]
                out_stories.append(replace(s, id=new_story, event_ids=tuple(new_ids)))
        copy += 1
    return out_events, out_stories


def build_store(db: Path, workdir: Path, n_events: int, smoke: bool = False) -> dict:
    """Write the replicated records into a fresh SQLite store at `db` through the store's save path."""
    from sitroom.store import open_store

    base = base_records(workdir, smoke)
    t0 = time.perf_counter()
    events, stories = replicate(base, n_events)
    tmp = db.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    store = open_store(str(tmp))
    store.save_analyses(base["analyses"])
    store.save_results(events, stories, base["duplicates"], base["ceasefires"])
    counts = store.counts()
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.replace(db)
    print(f"built {db}: {counts} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return counts


def load_targets(db: Path, out: Path, seed: int = 7) -> None:
    """Ids and filter values the locust users draw from, sampled from the built store."""
    import sqlite3

    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    event_ids = [r[0] for r in con.execute("SELECT id FROM events ORDER BY random() LIMIT 500")]
    story_ids = [r[0] for r in con.execute("SELECT id FROM stories ORDER BY random() LIMIT 300")]
    places = sorted({r[0].split("|")[0] for r in con.execute("SELECT place FROM events WHERE place IS NOT NULL LIMIT 20000")})
    actors = sorted({a for r in con.execute("SELECT actors FROM events WHERE actors != '' LIMIT 20000") for a in r[0].split("|")})
    types = [r[0] for r in con.execute("SELECT DISTINCT event_type FROM events")]
    con.close()
    words = ["Aleppo", "killed", "ceasefire", "air strike", "convoy", "soldiers", "Idlib", "protest", "rebels", "hospital"]
    out.write_text(json.dumps({
        "event_ids": event_ids, "story_ids": story_ids, "places": places[:200], "actors": rng.sample(actors, min(200, len(actors))),
        "types": types, "words": words,
    }))


# -- the ingest running beside the load --------------------------------------------------------
def writer(db: Path, workdir: Path, n_events: int, stop_after: float, smoke: bool = False) -> None:
    """Loop (a) a real `sitroom ingest` pass into a side store and (b) an ingest-sized write into `db`.

    Each finished step is appended to `writer.log` (JSON lines) for the report; `smoke` ingests the
    examples instead of the VOA stories.
    """
    from sitroom.store import open_store

    log = open(workdir / "writer.log", "a", buffering=1)
    base = base_records(workdir, smoke)
    events, stories = replicate(base, n_events)
    store = open_store(str(db), migrate=False)
    if smoke:
        voa = example_records()
    else:
        voa = [json.loads(line) for line in (CORPUS / "voa" / "voa_stories.jsonl").read_text().splitlines() if line.strip()]
    side_db = workdir / "ingest-side.db"
    env = {**os.environ, "SITROOM_WORKERS": "1"}
    rng = random.Random(11)
    deadline = time.monotonic() + stop_after
    n = 0
    try:
        while time.monotonic() < deadline:
            n += 1
            t0 = time.perf_counter()
            lines = "".join(json.dumps({**a, "id": f"{a.get('id', i)}_pass{n}_{os.getpid()}"}) + "\n" for i, a in enumerate(voa))
            proc = subprocess.run([str(BIN / "sitroom"), "ingest", "-", "--db", str(side_db)], input=lines, text=True,
                                  capture_output=True, env=env)
            log.write(json.dumps({"step": "sitroom ingest", "pass": n, "articles": len(voa), "rc": proc.returncode,
                                  "seconds": round(time.perf_counter() - t0, 1)}) + "\n")
            # (b) what an ingest's store stage writes: a batch of articles, then the fused records with 1% changed.
            t1 = time.perf_counter()
            batch = [replace(a, article=replace(a.article, id=f"{a.article.id}_w{n}", content_hash=f"w{n}"))
                     for a in base["analyses"][:64]]
            store.save_analyses(batch)
            for i in rng.sample(range(len(events)), len(events) // 100):
                events[i] = replace(events[i], summary=f"{events[i].summary or ''} (revised {n})")
            diff = store.save_results(events, stories, base["duplicates"], base["ceasefires"])
            log.write(json.dumps({"step": "store write", "pass": n, "articles": len(batch), "events": diff.events_written,
                                  "seconds": round(time.perf_counter() - t1, 1)}) + "\n")
    except KeyboardInterrupt:  # the benchmark is over: stop wherever the pass is
        pass
    finally:
        store.close()


def writer_summary(workdir: Path) -> str:
    """What the concurrent ingest got done during the run, from writer.log."""
    path = workdir / "writer.log"
    steps = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    ingests = [s for s in steps if s["step"] == "sitroom ingest"]
    writes = [s for s in steps if s["step"] == "store write"]
    if not steps:
        return "concurrent ingest: none finished a step during the run"
    return (f"concurrent ingest: {len(ingests)} `sitroom ingest` passes of {ingests[0]['articles'] if ingests else 0} articles "
            f"({', '.join(str(s['seconds']) + ' s' for s in ingests)}), {len(writes)} store writes of "
            f"{writes[0]['events'] if writes else 0} changed events + {writes[0]['articles'] if writes else 0} articles ({', '.join(str(s['seconds']) + ' s' for s in writes)})")


# -- the measurement ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/stats", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer within {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process and its live descendants (server workers) have used."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def children_cpu() -> float:
    """CPU time of this process's reaped children (and their reaped children)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report(csv_prefix: Path, seconds: float, counts: dict, db: Path, load: tuple[float, float, float]) -> bool:
    """Print p50/p95/p99 per endpoint from locust's stats CSV; True when every p95 meets the goal."""
    rows = list(csv.DictReader(open(f"{csv_prefix}_stats.csv")))
    print(f"\nstore: {counts['events']:,} events, {counts['stories']:,} stories, {counts['articles']:,} articles, "
          f"{db.stat().st_size / 1e6:.0f} MB; {seconds:.0f} s of load; load average during run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'endpoint':44} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    ok = True
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "ALL"
        # Locust writes "N/A" for an endpoint the smoke's few seconds of load never reached (a loaded machine).
        p95 = float(r["95%"]) if r["95%"] not in ("", "N/A") else 0.0
        if name != "ALL":
            ok &= p95 < GOAL_P95_MS
        print(f"{name:44} {int(r['Request Count']):>8} {int(r['Failure Count']):>6} {r['50%']:>7} {r['95%']:>7} {r['99%']:>7} "
              f"{r['Max Response Time'] if r['Max Response Time'] in ('', 'N/A') else format(float(r['Max Response Time']), '.0f'):>7}")
    print(f"goal p95 < {GOAL_P95_MS} ms on every endpoint: {'met' if ok else 'NOT met'}")
    return ok


def service_times(db: Path, targets: Path, repeats: int = 20) -> None:
    """Each endpoint asked `repeats` times in turn, in process: wall and CPU milliseconds per request.

    CPU time (all threads of this process) barely depends on what else the machine runs, so it is the
    figure to compare between runs on a busy machine; wall time includes waiting for a core.
    """
    import statistics

    from fastapi.testclient import TestClient

    from sitroom.api import ApiSettings, create_app
    from sitroom.store import open_store

    rng = random.Random(3)
    t = json.loads(targets.read_text())
    paths = {
        "GET / (story page HTML)": lambda: "/",
        "/api/stories/{id}": lambda: f"/api/stories/{rng.choice(t['story_ids'])}",
        "/api/contradictions?story": lambda: f"/api/contradictions?story={rng.choice(t['story_ids'])}&limit=1000",
        "/api/stats": lambda: "/api/stats",
        "/api/stories?limit=200&view=summary": lambda: "/api/stories?limit=200&view=summary",
        "/api/stories?limit=200": lambda: "/api/stories?limit=200",
        "/api/events?since&until": lambda: "/api/events?since={}&until={}".format(*_window(rng)),
        "/api/events?type": lambda: f"/api/events?type={rng.choice(t['types'])}",
        "/api/events?place": lambda: f"/api/events?place={rng.choice(t['places'])}",
        "/api/events?actor": lambda: f"/api/events?actor={rng.choice(t['actors'])}",
        "/api/events?story": lambda: f"/api/events?story={rng.choice(t['story_ids'])}",
        "/api/events?bbox": lambda: "/api/events?bbox={0:.2f},{1:.2f},{2:.2f},{3:.2f}".format(*_bbox(rng)),
        "/api/events?offset=deep": lambda: f"/api/events?offset={rng.randint(50_000, 99_000)}",
        "/api/events?after (keyset)": lambda: f"/api/events?after={rng.choice(t['event_ids'])}",
        "/api/events/{id}": lambda: f"/api/events/{rng.choice(t['event_ids'])}",
        "/api/search?q": lambda: f"/api/search?q={rng.choice(t['words'])}",
    }
    store = open_store(str(db))
    client = TestClient(create_app(store, ApiSettings()), base_url="http://127.0.0.1")
    print(f"\nservice time, one request at a time, in process ({repeats} each; load average {os.getloadavg()[0]:.2f}):")
    print(f"{'endpoint':44} {'wall ms':>8} {'CPU ms':>7} {'KB':>6}")
    for name, make in paths.items():
        walls, cpus = [], []
        for _ in range(repeats):
            path = make()
            w0, c0 = time.perf_counter(), time.process_time()
            resp = client.get(path)
            cpus.append(1000 * (time.process_time() - c0))
            walls.append(1000 * (time.perf_counter() - w0))
            if resp.status_code != 200:
                raise SystemExit(f"{path}: HTTP {resp.status_code} {resp.text[:200]}")
        print(f"{name:44} {statistics.median(walls):8.1f} {statistics.median(cpus):7.1f} {len(resp.content) / 1000:6.0f}")
    store.close()


def _window(rng: random.Random) -> tuple[str, str]:
    start = date(2008, 1, 1) + timedelta(days=rng.randint(0, 6500))
    return start.isoformat(), (start + timedelta(days=90)).isoformat()


def _bbox(rng: random.Random) -> tuple[float, float, float, float]:
    lon, lat = rng.uniform(30, 48), rng.uniform(28, 38)
    return lon, lat, lon + 2, lat + 2


GOAL_UI_P95_MS = 200


def a_morning_of_arrivals(db: Path, workdir: Path, n_events: int) -> None:
    """Date the change log three days back, then save 1% of the events with a changed toll and 200 new ones."""
    import sqlite3

    from sitroom.model import Figure
    from sitroom.store import open_store

    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE record_changes SET at = datetime('now', '-3 days')")  # bench only: age the build's log
    con.close()
    base = base_records(workdir)
    events, stories = replicate(base, n_events)
    rng = random.Random(17)
    for i in rng.sample(range(len(events)), len(events) // 100):
        e = events[i]
        best = (e.fatalities.best or 0) + rng.randint(1, 9)
        events[i] = replace(e, fatalities=Figure(best, e.fatalities.low, max(best, e.fatalities.high or best)))
    fresh = [replace(e, id=_hid("evt_", "fresh", e.id), date=date(2026, 11, 30)) for e in rng.sample(events, 200)]
    store = open_store(str(db), migrate=False)
    diff = store.save_results(events + fresh, stories, base["duplicates"], base["ceasefires"])
    store.close()
    print(f"a morning's arrivals: {diff.events_written} events written", file=sys.stderr)


def ui_page_requests(t: dict, rng: random.Random) -> dict:
    """Per UI page, a function giving the API requests that page makes (as pages.js makes them)."""
    return {
        "home (what changed, map, stories)": lambda: ["/api/changes?since=24h&limit=20&view=compact", "/api/stories?limit=20&view=summary",
                                                       "/api/events/map?limit=500"],
        "stories": lambda: ["/api/stories?limit=200&view=summary"],
        "story (summary, timeline, map, events)": lambda: (lambda s: [f"/api/stories/{s}", f"/api/contradictions?story={s}&limit=1000",
                                                                      f"/api/events/map?story={s}"])(rng.choice(t["story_ids"])),
        "event (claims, sources)": lambda: [f"/api/events/{rng.choice(t['event_ids'])}"],
        "events, newest first + map": lambda: ["/api/events?sort=-date&limit=100&offset=0", "/api/events/map?limit=500"],
        "events filtered (country, contested)": lambda: ["/api/events?country=Syria&contested=true&sort=-date&limit=100&offset=0",
                                                         "/api/events/map?country=Syria&contested=true&limit=500"],
        "events filtered (place, min killed)": lambda: (lambda p: [f"/api/events?place={p}&min_fatalities=1&sort=-date&limit=100&offset=0",
                                                                   f"/api/events/map?place={p}&min_fatalities=1&limit=500"])(rng.choice(t["places"])),
        "search": lambda: [f"/api/search?q={rng.choice(t['words'])}&limit=50"],
        "contradictions": lambda: ["/api/contradictions?sort=-date&limit=200&count=false", "/api/events?contested=true&limit=1"],
        "ceasefires": lambda: ["/api/ceasefires"],
    }


def ui_service_times(db: Path, targets: Path, repeats: int) -> list[str]:
    """Server time per UI page: its API requests answered in process one after another, cold and kept.

    Cold: with the response cache off (api/cache.py), what the first visit after a store change
    costs; kept: a repeat visit while the store is unchanged. CPU time barely depends on what else
    the machine runs, so it is the figure to compare on a busy machine; the browser's own work
    (drawing tables and the map) comes on top.
    """
    import statistics

    from fastapi.testclient import TestClient

    from sitroom.api import ApiSettings, create_app
    from sitroom.api.cache import cache_of
    from sitroom.store import open_store

    t = json.loads(targets.read_text())
    store = open_store(str(db), migrate=False)
    client = TestClient(create_app(store, ApiSettings()), base_url="http://127.0.0.1")
    cache = cache_of(store)
    kept_size = cache.max_entries
    pct = lambda xs: sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]  # noqa: E731
    lines = [f"{'UI page: its API requests, in process':44} {'cold p50':>9} {'cold p95':>9} {'kept p50':>9} {'kept p95':>9}  (wall ms)"]
    for name in ui_page_requests(t, random.Random(9)):
        walls: dict[str, list[float]] = {"cold": [], "kept": []}
        for mode in ("cold", "kept"):
            cache.max_entries = 0 if mode == "cold" else kept_size
            rng = random.Random(9)  # the same pages in both modes
            make = ui_page_requests(t, rng)[name]
            for i in range(repeats + 1):
                w0 = time.perf_counter()
                for path in make():
                    resp = client.get(path.replace("country=Syria", "country=SY"))
                    if resp.status_code != 200:
                        raise SystemExit(f"{path}: HTTP {resp.status_code} {resp.text[:200]}")
                if i:
                    walls[mode].append(1000 * (time.perf_counter() - w0))
        cold, kept = walls["cold"], walls["kept"]
        lines.append(f"{name:44} {statistics.median(cold):9.0f} {pct(cold):9.0f} {statistics.median(kept):9.0f} {pct(kept):9.0f}")
    cache.max_entries = kept_size
    store.close()
    print("\n".join(lines))
    return lines


def ui_pages(url: str, targets: Path, repeats: int, out: Path) -> bool:
    """Each UI page `repeats` times in headless Chromium; p50/p95 of the time to the page complete, and of the renderer main
    thread's CPU time over the visit. True when the p95 time < goal."""
    import statistics

    from playwright.sync_api import sync_playwright

    rng = random.Random(5)
    t = json.loads(targets.read_text())
    pages = {
        "home (what changed, map, stories)": lambda: "#/",
        "stories": lambda: "#/stories",
        "story (summary, timeline, map, events)": lambda: f"#/story/{rng.choice(t['story_ids'])}",
        "event (claims, sources)": lambda: f"#/event/{rng.choice(t['event_ids'])}",
        "events, newest first + map": lambda: "#/events",
        "events filtered (country, contested)": lambda: "#/events?country=Syria&contested=true",
        "events filtered (place, min killed)": lambda: f"#/events?place={rng.choice(t['places'])}&min_fatalities=1",
        "search": lambda: f"#/search?q={rng.choice(t['words'])}",
        "contradictions": lambda: "#/contradictions",
        "ceasefires": lambda: "#/ceasefires",
    }
    rows, ok = [], True
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        # The renderer's main-thread CPU time (Chromium's ThreadTime metric) over a visit: the browser's own work
        # (parsing the answers, building tables, drawing the map, layout, GC), which a loaded machine stretches far
        # less than the wall time from the click to the page complete.
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        thread_ms = lambda: 1000 * next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "ThreadTime")  # noqa: E731
        page.goto(url + "/#/about")
        page.wait_for_selector("main[data-rendered]")
        pct = lambda xs: sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]  # noqa: E731
        for name, make in pages.items():
            times, cpu = [], []
            for i in range(repeats + 1):
                for hash_ in ("#/about", make()):  # via the About page, so that each visit is a fresh hash change
                    if page.evaluate("location.hash") == hash_:
                        continue
                    page.evaluate("() => { delete document.getElementById('view').dataset.rendered; }")
                    t0 = thread_ms()
                    page.evaluate("h => { location.hash = h; }", hash_)
                    page.wait_for_selector("main[data-rendered]:not([aria-busy])", timeout=60_000)
                    t1 = thread_ms()
                if page.locator("main .error").count():
                    raise SystemExit(f"{hash_}: {page.locator('main .error').inner_text()}")
                if i:  # the first visit of each page warms the browser's caches, as a user's first click of the day does
                    times.append(float(page.locator("main").get_attribute("data-render-ms")))
                    cpu.append(t1 - t0)
            p95 = pct(times)
            ok &= p95 < GOAL_UI_P95_MS
            rows.append((name, statistics.median(times), p95, max(times), statistics.median(cpu), pct(cpu)))
        browser.close()
    lines = [f"{'UI page':44} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'browser CPU p50':>16} {'p95':>5}"]
    lines += [f"{n:44} {p50:7.0f} {p95:7.0f} {mx:7.0f} {c50:16.0f} {c95:5.0f}" for n, p50, p95, mx, c50, c95 in rows]
    lines.append(f"goal p95 < {GOAL_UI_P95_MS} ms on every page: {'met' if ok else 'NOT met'} ({repeats} visits each, load average {os.getloadavg()[0]:.2f})")
    print("\n".join(lines))
    out.write_text("\n".join(lines) + "\n")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "sitroom-bench-api")
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if cached")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rate", type=float, default=2.0, help="requests per second per user")
    parser.add_argument("--no-ingest", action="store_true", help="measure without the concurrent ingest")
    parser.add_argument("--server-workers", type=int, default=None,
                        help="`sitroom serve --workers N` (default: serve's own default, as a user runs it)")
    parser.add_argument("--service-time", action="store_true", help="also time each endpoint alone, in process, after the load")
    parser.add_argument("--ui", action="store_true", help="time the UI's pages in headless Chromium instead of the API under load")
    parser.add_argument("--repeats", type=int, default=20, help="--ui: visits of each page")
    add_smoke_flag(parser, f"the examples' records as {SMOKE['events']} events in a fresh folder, "
                           f"{SMOKE['duration']} s of load (--ui: {SMOKE['repeats']} visit a page)")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)  # the ingest subprocess
    args = parser.parse_args(argv)
    if args.ui and not CHROMIUM.exists():
        print(f"skipped: --ui needs Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)")
        return 0
    if not args.ui and not (BIN / "locust").exists():
        print(f"skipped: the load comes from locust, not found in {BIN}: pip install 'sitroom[bench]'")
        return 0
    if args.smoke and not args.writer:
        from sitroom.gazetteer.geonames_dump import load_dump

        with tempfile.TemporaryDirectory(prefix="sitroom-bench-api-smoke-") as tmp:
            # The demo's places, as `make demo` loads them, so that the events have places to filter by;
            # the server, the writer and the ingest it runs inherit the variable.
            os.environ["SITROOM_GAZETTEER"] = str(Path(tmp) / "gazetteer.sqlite")
            load_dump(ROOT / "examples" / "gazetteer" / "marenia.txt")
            return measure(args, Path(tmp))
    return measure(args, args.workdir)


def measure(args: argparse.Namespace, workdir: Path) -> int:
    """Build or reuse the store in `workdir`, serve it and measure (the API under load, or the UI's pages)."""
    if args.smoke and not args.writer:  # the writer is told its own duration
        for name, value in SMOKE.items():
            setattr(args, name, value)
    args.workdir = workdir
    args.workdir.mkdir(parents=True, exist_ok=True)
    db = args.workdir / f"api-{args.events}.db"
    run_db = args.workdir / "run.db"  # what the server reads and the writer writes: a copy of the cached store
    if args.writer:
        writer(run_db, args.workdir, args.events, args.duration, args.smoke)
        return 0
    if args.rebuild or not db.exists():
        build_store(db, args.workdir, args.events, args.smoke)
    from sitroom.store import open_store

    open_store(str(db)).close()  # a store cached by an older sitroom: migrate it once, not each run's copy
    import sqlite3

    con = sqlite3.connect(db)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("events", "stories", "articles")}
    con.close()
    # Every run starts from the same store: the writer's changes go to the copy.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{run_db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, run_db)
    for stale in ("ingest-side.db", "ingest-side.db-wal", "ingest-side.db-shm", "writer.log"):
        (args.workdir / stale).unlink(missing_ok=True)
    targets = args.workdir / "targets.json"
    load_targets(run_db, targets)
    if args.ui:
        a_morning_of_arrivals(run_db, args.workdir, args.events)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        serve = [str(BIN / "sitroom"), "serve", "--db", str(run_db), "--port", str(port)]
        if args.server_workers:
            serve += ["--workers", str(args.server_workers)]
        server = subprocess.Popen(serve)
        try:
            wait_ready(url)
            ok = ui_pages(url, targets, args.repeats, args.workdir / "ui-pages.txt")
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        ui_service_times(run_db, targets, args.repeats)
        print(f"store: {counts['events']:,} events, {counts['stories']:,} stories, {counts['articles']:,} articles")
        return 0 if ok else 1

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    settle = 3 if args.smoke else 8
    writer_exit = None
    try:
        serve = [str(BIN / "sitroom"), "serve", "--db", str(run_db), "--port", str(port)]
        if args.server_workers:
            serve += ["--workers", str(args.server_workers)]
        server = subprocess.Popen(serve)
        procs.append(server)
        wait_ready(url)
        if not args.no_ingest:
            procs.append(subprocess.Popen([sys.executable, __file__, "--writer", "--events", str(args.events),
                                           "--workdir", str(args.workdir), "--duration", str(args.duration + 30),
                                           *(["--smoke"] if args.smoke else [])]))
            time.sleep(settle)  # let the ingest get past start-up and into its work
        prefix = args.workdir / "locust"
        env = {**os.environ, "SITROOM_BENCH_TARGETS": str(targets), "SITROOM_BENCH_RATE": str(args.rate)}
        load_before = os.getloadavg()
        server_cpu0, reaped0 = cpu_seconds(server.pid), children_cpu()
        t0 = time.monotonic()
        subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile_api.py"), "--headless", "--host", url,
                        "-u", str(args.users), "-r", str(args.users), "-t", f"{args.duration}s", "--csv", str(prefix),
                        "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=open(args.workdir / "locust.log", "w"))
        seconds = time.monotonic() - t0
        load = os.getloadavg()
        server_total = cpu_seconds(server.pid)  # since it started; all of it is counted once it is reaped
        locust_cpu, server_cpu = children_cpu() - reaped0, server_total - server_cpu0
        if not args.no_ingest:
            writer_exit = procs[1].poll()  # None: still writing, as it should be until it is told to stop
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGINT)
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    report(prefix, seconds, counts, db, load)
    n_requests = sum(int(r["Request Count"]) for r in csv.DictReader(open(f"{prefix}_stats.csv")) if r["Name"] == "Aggregated")
    print(f"load average before the run (other work on the machine): {load_before[0]:.2f}; CPU used during the load, "
          f"in cores: server {server_cpu / seconds:.2f} ({1000 * server_cpu / max(n_requests, 1):.1f} ms per request), "
          f"locust {locust_cpu / seconds:.2f}")
    if not args.no_ingest:
        writer_cpu = children_cpu() - reaped0 - locust_cpu - server_total
        print(f"{writer_summary(args.workdir)}; the ingest used {writer_cpu:.0f} CPU-s in all "
              f"({writer_cpu / (seconds + settle):.2f} cores over the run)")
        if writer_exit:
            print(f"the concurrent ingest failed (exit {writer_exit}) during the load: its traceback is above")
            return 1
    else:
        print("no concurrent ingest (--no-ingest)")
    if args.service_time:
        service_times(run_db, targets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
