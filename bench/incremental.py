"""Incremental ingest: what one new article, and a thousand, cost on a store that already holds many.

    .venv/bin/python bench/incremental.py                       # a store of every distinct real text (~22k)
    .venv/bin/python bench/incremental.py --size 5000 --new 1,100,1000
    .venv/bin/python bench/incremental.py --size 1000 --copies 100 --new 1,1000   # a 100,000-article scale set
    .venv/bin/python bench/incremental.py --smoke               # 12 articles in a fresh folder, 2 new

The store is built once (kept in bench/out/incremental-<size>.db) from distinct real texts of
../shared/corpus — the VOA stories, the seeds, the gva-dev news articles, the ECB+ articles and
ACLED notes of every set (measured with, never shipped) — ingested through the CLI, so the corpus
layer holds what a user's store would. The new articles are the last `HOLD` texts of the same
pool, which no base store (built from its head) holds, so a store built once serves any `--new`.
A cached store indexed before profiles were stored (migration 0012) has them filled first
(`corpus.profiles.fill`), as a user's store is after its first updates. Then, on copies of it,
`sitroom ingest` of K of the held-back articles is timed two ways:

* the CLI, wall time of the whole command (start-up and model loading included) and the peak
  RSS of its largest process (the ingesting one; pool workers are not counted);
* in process, with the models already loaded (what `sitroom watch` and `POST /api/ingest` pay
  per batch), split into analysis and the corpus update, wall and CPU seconds (on a shared
  machine the CPU seconds are the figure to compare).

`--copies K` times a scale set instead: the base store's rows copied K times into one store
(bench/_replicate.py says how: ids suffixed, dates a week further back per copy, the duplicate index
salted so copies are distinct texts to it), cached as bench/out/incremental-<size>x<K>.db. Building
100,000 articles through the CLI takes most of a day on two cores; the copy takes minutes.

A store that recomputed the corpus stage from every stored analysis paid for all of the store on
each ingest; the corpus layer pays for what the new articles touch.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from _replicate import replicate
from _script import CORPUS, SITROOM_CLI, add_smoke_flag, corpus_missing
from _script import REPO as ROOT

OUT = ROOT / "bench" / "out"
HOLD = 1000  # the pool's last texts: never in a base store
SMOKE = {"size": 12, "new": "2", "copies": 2}
SOURCES = (CORPUS / "voa" / "voa_stories.jsonl", CORPUS / "gva-dev" / "articles.jsonl", CORPUS / "ecbplus" / "ecbplus_docs.jsonl",
           CORPUS / "acled-me-2020" / "acled_middle_east_may2020.csv", CORPUS / "acled-dev")


def acled_date(value: str | None) -> str | None:
    """An ACLED event date as ISO 8601, from either of its schemas ("3-May-20" or "2020-05-03")."""
    value = (value or "").strip()
    if not value:
        return None
    if value[:4].isdigit():
        return value[:10]
    return datetime.strptime(value, "%d-%b-%y").date().isoformat()


def pool() -> list[dict]:
    """Distinct real texts as JSONL records, in a fixed shuffled order."""
    out: list[dict] = []
    voa = CORPUS / "voa" / "voa_stories.jsonl"
    for line in voa.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append({"id": f"voa-{d['id']}", "title": d.get("title"), "text": d["text"], "published": (d.get("published") or "")[:10] or None})
    for line in (CORPUS / "gva-dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append({"id": f"gva-{d['id']}", "title": d.get("title"), "text": d["text"], "published": d.get("published")})
    for line in (CORPUS / "ecbplus" / "ecbplus_docs.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append({"id": f"ecb-{d['doc_name'].removesuffix('.xml')}", "text": d["text"]})
    for path in [CORPUS / "acled-me-2020" / "acled_middle_east_may2020.csv", *sorted((CORPUS / "acled-dev").glob("*.csv"))]:
        with path.open(encoding="utf-8") as f:
            for i, row in enumerate(csv.DictReader(f)):
                if row.get("notes"):
                    out.append({"id": f"acled-{path.stem}-{i}", "text": row["notes"], "published": acled_date(row.get("event_date"))})
    random.Random(17).shuffle(out)
    seen: set[str] = set()
    unique = []
    for r in out:
        if r["text"] not in seen and r["id"] not in seen:
            seen.add(r["text"])
            seen.add(r["id"])
            unique.append({k: v for k, v in r.items() if v})
    return unique


def cli_ingest(path: Path, db: Path) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB of the largest process, CPU seconds) of `sitroom ingest PATH --db DB -q`."""
    t0 = time.perf_counter()
    child = subprocess.Popen([*SITROOM_CLI, "ingest", str(path), "--db", str(db), "-q"], cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    # Linux: kilobytes. CPU: the command's own and its pool workers' (waited for), user and system.
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def in_process(records: list[dict], db: Path) -> tuple[float, float, float]:
    """(analysis seconds, corpus-update seconds, corpus-update CPU seconds) of ingesting `records` with the models loaded."""
    from sitroom import corpus
    from sitroom.extract import analyse_articles
    from sitroom.ingest.files import article_from_record
    from sitroom.store import open_store

    articles = [article_from_record(r, origin="bench") for r in records]
    store = open_store(str(db))
    try:
        t0 = time.perf_counter()
        analyses = list(analyse_articles(articles))
        store.save_analyses(analyses)
        t1, c1 = time.perf_counter(), time.process_time()
        corpus.update(store, analyses)
        t2, c2 = time.perf_counter(), time.process_time()
    finally:
        store.close()
    return t1 - t0, t2 - t1, c2 - c1


def fill_profiles(db: Path) -> int:
    """Store the fusion profile of every report of `db` stored without one (a base built before 0012)."""
    from sitroom.store import open_store

    try:
        from sitroom.corpus import profiles
    except ImportError:  # code from before 0012 (a "before" run with PYTHONPATH=.../src): nothing to fill
        return 0

    store = open_store(str(db))
    try:
        return profiles.fill(store)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=0, help="articles in the base store (default: the whole pool less the held-back ones)")
    parser.add_argument("--new", default="1,1000", help="how many new articles to ingest, comma-separated")
    parser.add_argument("--base", type=Path, help="time on copies of this store instead of bench/out/incremental-<size>.db (built as that is)")
    parser.add_argument("--copies", type=int, default=1, help="time on a scale set of this many copies of the base store (bench/_replicate.py)")
    add_smoke_flag(parser, f"a {SMOKE['size']}-article store built afresh in a temporary folder, copied {SMOKE['copies']} times, {SMOKE['new'].replace(',', ' and ')} new articles")
    args = parser.parse_args()
    if corpus_missing(*SOURCES):
        return
    if args.smoke:  # never the cached bench/out store: the smoke checks that building one still works
        args.size, args.new, args.copies = SMOKE["size"], SMOKE["new"], SMOKE["copies"]
        with tempfile.TemporaryDirectory(prefix="sitroom-incremental-smoke-") as tmp:
            measure(args.size, [int(x) for x in args.new.split(",")], Path(tmp), copies=args.copies)
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        measure(args.size, [int(x) for x in args.new.split(",")], OUT, args.base, args.copies)


def measure(size: int, sizes: list[int], out: Path, base: Path | None = None, copies: int = 1) -> None:
    """Build (or reuse) a base store of `size` articles in `out`, then time ingesting each of `sizes` new ones."""
    records = pool()
    if max(sizes) > HOLD:
        raise SystemExit(f"at most {HOLD} new articles: the pool holds that many back")
    held = records[-HOLD:]
    rest = records[:-HOLD]
    size = size or len(rest)
    base_records = rest[:size]
    base = base or out / f"incremental-{size}.db"
    if not base.exists():
        t, _, _ = cli_ingest(write_jsonl(base_records, out / f"incremental-{size}.jsonl"), base)
        print(f"base store: {size} articles ingested in {t:.0f} s", file=sys.stderr)
    filled = fill_profiles(base)
    if filled:
        print(f"base store: {filled} report profiles filled (indexed before 0012)", file=sys.stderr)
    if copies > 1:
        scale = out / f"{base.stem}x{copies}.db"
        if not scale.exists():
            t0 = time.perf_counter()
            counts = replicate(base, scale, copies, progress=lambda line: print(line, file=sys.stderr))
            print(f"scale set: {copies} copies of {base.name} in {time.perf_counter() - t0:.0f} s: {counts}", file=sys.stderr)
        base, size = scale, size * copies
    print(f"store of {size} articles ({base})")
    print("| new articles | CLI wall | CLI CPU | CLI peak RSS | in process: analysis | in process: corpus update | update CPU | load |")
    print("|---|---|---|---|---|---|---|---|")
    for k in sizes:
        copy = out / f"incremental-run-{os.getpid()}.db"  # one per run: two runs may share bench/out
        shutil.copy(base, copy)
        wall, rss, cli_cpu = cli_ingest(write_jsonl(held[:k], out / f"incremental-new-{os.getpid()}.jsonl"), copy)
        shutil.copy(base, copy)
        analysis, update, cpu = in_process(held[:k], copy)
        print(f"| {k} | {wall:.1f} s | {cli_cpu:.1f} s | {rss:.0f} MB | {analysis:.2f} s | {update:.2f} s | {cpu:.2f} s | {os.getloadavg()[0]:.1f} |")
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        (out / f"incremental-new-{os.getpid()}.jsonl").unlink(missing_ok=True)


if __name__ == "__main__":
    os.environ.setdefault("SITROOM_WORKERS", "2")
    main()
