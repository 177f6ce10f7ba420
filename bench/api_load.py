"""The API under load while an ingest writes to the same SQLite store: requests, errors, torn reads.

    .venv/bin/python bench/api_load.py                          # 16 clients, 5 ingest rounds
    .venv/bin/python bench/api_load.py --clients 32 --rounds 10 --min-seconds 60
    .venv/bin/python bench/api_load.py --smoke                   # 1 client, 1 round, seconds

1. **Store.** A fresh SQLite store, seeded by ingesting examples/reports once.
2. **Server.** `sitroom serve --db ...` (uvicorn, one process) on 127.0.0.1 and a free port.
3. **Writer.** Another process ingests the examples again `--rounds` times under new article ids
   (the real pipeline: spaCy analysis, dedupe, fusion; each round commits its articles and then
   rewrites the fused events and stories), so readers see records change under them.
4. **Readers.** `--clients` concurrent httpx clients (asyncio) ask for events, event pages,
   events by id, stories, story pages, articles, search and stats until the writer is done (and at
   least `--min-seconds`).

Counted: requests served; **errors** (a 5xx, a refused or broken connection, or a non-JSON or
unexpected answer to a valid request); **torn reads**, any answer that could only come from a
half-written store: a page whose `total` disagrees with its items, an event whose source article
does not resolve (articles are only ever added), a story page whose `n_events` differs from its
events, an event missing a contract field, or counts of articles or rejections that go down
between two answers to the same client. A story id from an earlier list may legitimately vanish
when a new article re-clusters stories: those 404s are counted apart, as `vanished`.
Prints the figures (and the load average) as one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from _script import EXAMPLES, add_smoke_flag
from _script import REPO as ROOT

SMOKE = {"clients": 1, "rounds": 1, "min_seconds": 1.0}
EVENT_FIELDS = ("id", "event_type", "sub_event_type", "date", "location", "actors", "fatalities", "injured",
                "claims", "contradictions", "sources")  # fmt: skip
SEARCH_WORDS = ["killed", "shelling", "ceasefire", "Karvel", "truce", "' OR '1'='1", "<script>", "army"]


@dataclass
class Tally:
    """What the readers saw."""

    requests: int = 0
    errors: int = 0
    torn: int = 0
    vanished: int = 0
    latencies: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the first few errors and torn reads, for the report

    def problem(self, kind: str, what: str) -> None:
        if kind == "error":
            self.errors += 1
        else:
            self.torn += 1
        if len(self.problems) < 20:
            self.problems.append(f"{kind}: {what}")


# ----------------------------------------------------------------------------- store and writer


def round_folder(base: Path, n: int) -> Path:
    """The examples under fresh ids for ingest round `n` (file names for .txt/.html, record ids for .jsonl)."""
    folder = base / f"round{n:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(EXAMPLES.iterdir()):
        if src.suffix == ".jsonl":
            with (folder / f"r{n}_{src.name}").open("w", encoding="utf-8") as out:
                for line in src.read_text(encoding="utf-8").splitlines():
                    try:
                        record = json.loads(line)
                        line = json.dumps({**record, "id": f"r{n}_{record['id']}"})
                    except (ValueError, KeyError, TypeError):
                        pass  # the examples' deliberately broken lines stay broken: rejected every round
                    out.write(line + "\n")
        else:
            shutil.copy(src, folder / f"r{n}_{src.name}")
    return folder


def write_rounds(db: str, folders: list[str], pause: float = 0.0) -> None:
    """Ingest each folder in turn into `db` (the writer; run in its own process or thread)."""
    from sitroom.config import Settings
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store

    store = open_store(db)
    try:
        settings = Settings(paraphrase=False, batch_size=2)  # small batches: more commits for readers to race
        for folder in folders:
            ingest_sources([folder], store, settings=settings)
            time.sleep(pause)
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int, env: dict | None = None) -> subprocess.Popen:
    """`sitroom serve` on 127.0.0.1:port, returned once it answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitroom.cli", "serve", "--db", db, "--port", str(port)],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"sitroom serve exited with {proc.returncode}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("sitroom serve did not answer within 60 s")


# ----------------------------------------------------------------------------- readers


async def _get(client: httpx.AsyncClient, tally: Tally, path: str, params: dict | None = None, ok=(200,)) -> dict | None:
    started = time.perf_counter()
    try:
        resp = await client.get(path, params=params)
    except httpx.HTTPError as exc:
        tally.requests += 1
        tally.problem("error", f"GET {path} {params or ''}: {type(exc).__name__} {exc}")
        return None
    tally.requests += 1
    tally.latencies.append(time.perf_counter() - started)
    if resp.status_code == 404 and 404 in ok:
        return None
    if resp.status_code not in (200,) or not resp.headers.get("content-type", "").startswith("application/json"):
        tally.problem("error", f"GET {path} {params or ''}: HTTP {resp.status_code} {resp.text[:200]}")
        return None
    try:
        return resp.json()
    except ValueError:
        tally.problem("error", f"GET {path}: the body is not JSON")
        return None


def _check_page(tally: Tally, path: str, body: dict, limit: int, offset: int) -> None:
    items, total = body["items"], body["total"]
    expected = max(0, min(limit, total - offset))
    if len(items) != expected:
        tally.problem("torn", f"{path} offset={offset}: {len(items)} items but total {total} (expected {expected})")


async def reader(client: httpx.AsyncClient, tally: Tally, until: asyncio.Event, seed: int) -> None:
    """One client: a random mix of the UI's and a script's reads, each answer checked."""
    rng = random.Random(seed)
    last_counts: dict[str, int] = {}
    known_articles: set[str] = set()
    while not until.is_set():
        choice = rng.random()
        if choice < 0.30:
            offset = rng.choice([0, 0, 0, 5, 20])
            body = await _get(client, tally, "/api/events", {"limit": 50, "offset": offset})
            if body:
                _check_page(tally, "/api/events", body, 50, offset)
                for event in body["items"]:
                    missing = [f for f in EVENT_FIELDS if f not in event]
                    if missing:
                        tally.problem("torn", f"event {event.get('id')} lacks {missing}")
                    for source in event.get("sources") or ():
                        aid = source["article_id"]
                        if aid not in known_articles:
                            if await _get(client, tally, f"/api/articles/{aid}", ok=(200, 404)) is None:
                                tally.problem("torn", f"event {event['id']} cites article {aid}, which does not resolve")
                            else:
                                known_articles.add(aid)
                if body["items"]:
                    one = rng.choice(body["items"])["id"]
                    await _get(client, tally, f"/api/events/{one}", ok=(200, 404))
        elif choice < 0.50:
            body = await _get(client, tally, "/api/stories", {"limit": 20})
            if body:
                _check_page(tally, "/api/stories", body, 20, 0)
                if body["items"]:
                    sid = rng.choice(body["items"])["id"]
                    story = await _get(client, tally, f"/api/stories/{sid}", ok=(200, 404))
                    if story is None:
                        tally.vanished += 1
                    elif story["n_events"] != len(story["events"]):
                        tally.problem("torn", f"story {sid}: n_events {story['n_events']} but {len(story['events'])} events")
        elif choice < 0.65:
            word = rng.choice(SEARCH_WORDS)
            body = await _get(client, tally, "/api/search", {"q": word, "limit": 20})
            if body and len(body["items"]) != body["total"]:
                tally.problem("torn", f"search {word!r}: total {body['total']} for {len(body['items'])} items")
        elif choice < 0.80:
            body = await _get(client, tally, "/api/stats")
            if body:
                for key in ("articles", "rejections"):  # only ever added by an ingest
                    if key in body and body[key] < last_counts.get(key, 0):
                        tally.problem("torn", f"/api/stats {key} went down: {last_counts[key]} -> {body[key]}")
                    if key in body:
                        last_counts[key] = body[key]
        elif choice < 0.90:
            body = await _get(client, tally, "/api/articles", {"limit": 20})
            if body:
                _check_page(tally, "/api/articles", body, 20, 0)
        else:
            body = await _get(client, tally, "/api/contradictions", {"limit": 50})
            if body:
                _check_page(tally, "/api/contradictions", body, 50, 0)


async def load(base_url: str, clients: int, writer_done, min_seconds: float, max_seconds: float) -> tuple[Tally, float]:
    """Run `clients` readers until the writer is done (and at least `min_seconds`); (tally, seconds)."""
    tally, until = Tally(), asyncio.Event()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        started = time.monotonic()
        tasks = [asyncio.create_task(reader(client, tally, until, seed)) for seed in range(clients)]
        while True:
            await asyncio.sleep(0.2)
            elapsed = time.monotonic() - started
            if (writer_done() and elapsed >= min_seconds) or elapsed >= max_seconds:
                break
        until.set()
        await asyncio.gather(*tasks)
    return tally, time.monotonic() - started


@dataclass
class LoadReport:
    """The figures a run prints."""

    clients: int
    ingest_rounds: int
    seconds: float
    requests: int
    errors: int
    torn_reads: int
    vanished_stories: int
    requests_per_second: float
    latency_p50_ms: float
    latency_p95_ms: float
    articles_before: int
    articles_after: int
    events_after: int
    writer_exit: int | None
    load_average: tuple[float, float, float]
    problems: list[str]


def run(clients: int = 16, rounds: int = 5, min_seconds: float = 10.0, max_seconds: float = 600.0,
        workdir: Path | None = None) -> LoadReport:  # fmt: skip
    """Seed a store, serve it, ingest `rounds` times in another process while `clients` read it."""
    from sitroom.store import open_store

    base = Path(workdir or tempfile.mkdtemp(prefix="sitroom-load-"))
    db = str(base / "load.db")
    env = {"SITROOM_PARAPHRASE": "0", "SITROOM_GAZETTEER": str(base / "gazetteer.sqlite")}
    os.environ.update(env)
    write_rounds(db, [str(round_folder(base, 0))])  # the seed
    store = open_store(db)
    before = store.counts()["articles"]
    store.close()
    folders = [str(round_folder(base, n)) for n in range(1, rounds + 1)]
    server = start_server(db, port := free_port(), env)
    writer = multiprocessing.get_context("spawn").Process(target=write_rounds, args=(db, folders, 0.5))
    try:
        writer.start()
        tally, seconds = asyncio.run(
            load(f"http://127.0.0.1:{port}", clients, lambda: not writer.is_alive(), min_seconds, max_seconds)
        )
        writer.join(timeout=600)
    finally:
        if writer.is_alive():
            writer.kill()
        server.terminate()
        server.wait(timeout=30)
    store = open_store(db)
    counts = store.counts()
    store.close()
    lat = sorted(tally.latencies) or [0.0]
    return LoadReport(
        clients=clients, ingest_rounds=rounds, seconds=round(seconds, 1), requests=tally.requests, errors=tally.errors,
        torn_reads=tally.torn, vanished_stories=tally.vanished, requests_per_second=round(tally.requests / seconds, 1),
        latency_p50_ms=round(statistics.median(lat) * 1000, 1), latency_p95_ms=round(lat[int(0.95 * (len(lat) - 1))] * 1000, 1),
        articles_before=before, articles_after=counts["articles"], events_after=counts["events"],
        writer_exit=writer.exitcode, load_average=tuple(round(x, 2) for x in os.getloadavg()), problems=tally.problems,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent reading clients")
    parser.add_argument("--rounds", type=int, default=5, help="ingest rounds of the examples under new ids")
    parser.add_argument("--min-seconds", type=float, default=10.0, help="read for at least this long")
    parser.add_argument("--workdir", type=Path, help="where the store goes (default: a new temp folder)")
    add_smoke_flag(parser, f"{SMOKE['clients']} reading client, {SMOKE['rounds']} ingest round of the examples")
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.rounds, args.min_seconds = SMOKE["clients"], SMOKE["rounds"], SMOKE["min_seconds"]
    report = run(args.clients, args.rounds, args.min_seconds, workdir=args.workdir)
    print(json.dumps(asdict(report), indent=2))
    sys.exit(0 if report.errors == 0 and report.torn_reads == 0 and report.writer_exit == 0 else 1)


if __name__ == "__main__":
    main()
