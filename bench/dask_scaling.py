"""Dask runner: analysis speed-up from 1 to N workers of a LocalCluster, on the VOA stories.

    .venv/bin/python bench/dask_scaling.py [--workers 1,2] [--repeat K] [--batch 64]

For each worker count, starts a LocalCluster (one process, one thread per worker), loads the
models on every worker (not timed: a long-lived cluster pays it once), then times the analyse
stage over the stories in batches of `--batch`, as `sitroom ingest --runner dask` sends them.
The corpus stages run in the client and do not change with the worker count, so they are left
out. Prints articles/s per worker count, the speed-up against the first count, and the CPU
seconds the workers spent (steadier than wall time on a shared machine). Skips without the
corpus or without the `dask` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

VOA = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl"


def worker_cpu_seconds(client) -> float:
    """User + system CPU seconds spent so far by every worker process of the cluster."""

    def cpu() -> float:
        times = os.times()
        return times.user + times.system

    return sum(client.run(cpu).values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--repeat", type=int, default=2, help="analyse the stories K times (default 2)")
    parser.add_argument("--batch", type=int, default=64, help="articles per batch sent to the cluster")
    args = parser.parse_args()
    if not VOA.exists():
        print(f"skipped: {VOA} is absent (the shared corpus is needed)")
        return 0
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("skipped: the Dask runner needs pip install 'sitroom[dask]'")
        return 0
    from sitroom.ingest.files import read_sources
    from sitroom.model import Article
    from sitroom.runners.dask import DaskAnalyser, connect

    stories = [a for a in read_sources([str(VOA)]) if isinstance(a, Article)] * max(1, args.repeat)
    counts = [int(w) for w in args.workers.split(",")]
    print(f"{len(stories)} articles; load average {os.getloadavg()[0]:.2f}", flush=True)
    base = None
    for workers in counts:
        with connect("local", workers=workers) as client:
            analyser = DaskAnalyser(client)
            cpu0 = worker_cpu_seconds(client)
            t0 = time.perf_counter()
            done = 0
            for lo in range(0, len(stories), args.batch):
                done += len(analyser(stories[lo : lo + args.batch]))
            seconds = time.perf_counter() - t0
            cpu = worker_cpu_seconds(client) - cpu0
        rate = done / seconds
        base = base or rate
        print(f"{workers} worker(s): {seconds:6.1f} s = {rate:5.1f} articles/s, speed-up ×{rate / base:.2f}; "
              f"workers' CPU {cpu:.1f} s; load average {os.getloadavg()[0]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
