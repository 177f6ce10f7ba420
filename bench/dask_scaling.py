"""Dask runner: analysis speed-up from 1 to N workers of a LocalCluster, on the VOA stories.

    .venv/bin/python bench/dask_scaling.py [--workers 1,2] [--repeat K] [--rounds R] [--batch 64] [--smoke]

Starts one LocalCluster per worker count (one process, one thread per worker) and loads the
models on every worker and analyses the stories once on each (not timed: a long-lived cluster
pays for its models and first pass once). Then, for R rounds, times
the analyse stage over the stories on each cluster in turn, in batches of `--batch` as `sitroom
ingest --runner dask` sends them (each batch submitted before the previous one is collected).
Taking the counts in turn, round after round, keeps a drift in the machine's speed from passing
for a speed-up. The corpus stages run in the client and do not change with the worker count, so
they are left out. Prints each round's articles/s and speed-up against the first count, the
median speed-up, and the CPU seconds the workers spent (steadier than wall time on a shared
machine). Skips without the `dask` extra, and without the corpus except `--smoke`: the first 5 stories
(the examples' reports without the corpus), one worker, one round.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time

from _script import CORPUS, EXAMPLES, add_smoke_flag, corpus_missing

VOA = CORPUS / "voa" / "voa_stories.jsonl"
SMOKE = {"stories": 5, "workers": "1", "repeat": 1, "rounds": 1}


def worker_cpu_seconds(client) -> float:
    """User + system CPU seconds spent so far by every worker process of the cluster."""

    def cpu() -> float:
        times = os.times()
        return times.user + times.system

    return sum(client.run(cpu).values())


def analyse_all(analyser, stories, batch: int) -> int:
    """Analyse `stories` in batches, one batch ahead as `sitroom ingest` does; the number analysed."""
    done, pending = 0, None
    for lo in range(0, len(stories), batch):
        ahead = analyser.submit(stories[lo : lo + batch])
        if pending is not None:
            done += len(pending())
        pending = ahead
    return done + (len(pending()) if pending is not None else 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--repeat", type=int, default=2, help="analyse the stories K times per round (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per worker count, taken in turn (default 5)")
    parser.add_argument("--batch", type=int, default=64, help="articles per batch sent to the cluster")
    add_smoke_flag(parser, f"the first {SMOKE['stories']} stories (the examples without the corpus), one worker, one round")
    args = parser.parse_args()
    if args.smoke:
        args.workers, args.repeat, args.rounds = SMOKE["workers"], SMOKE["repeat"], SMOKE["rounds"]
    elif corpus_missing(VOA):
        return 0
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("skipped: the Dask runner needs pip install 'sitroom[dask]'")
        return 0
    from sitroom.ingest.files import read_sources
    from sitroom.model import Article
    from sitroom.runners.dask import DaskAnalyser, connect

    source = VOA if VOA.exists() else EXAMPLES
    stories = [a for a in read_sources([str(source)]) if isinstance(a, Article)]
    stories = stories[: SMOKE["stories"]] if args.smoke else stories
    stories *= max(1, args.repeat)
    counts = [int(w) for w in args.workers.split(",")]
    print(f"{len(stories)} articles a round; load average {os.getloadavg()[0]:.2f}", flush=True)
    with contextlib.ExitStack() as stack:
        clients = {w: stack.enter_context(connect("local", workers=w)) for w in counts}
        analysers = {w: DaskAnalyser(c) for w, c in clients.items()}
        rates: dict[int, list[float]] = {w: [] for w in counts}
        cpu: dict[int, float] = dict.fromkeys(counts, 0.0)
        for w in counts:  # an untimed round: the first pass over new texts fills the workers' caches (spaCy's vocabulary)
            analyse_all(analysers[w], stories, args.batch)
        for r in range(args.rounds):
            for w in counts:
                cpu0 = worker_cpu_seconds(clients[w])
                t0 = time.perf_counter()
                done = analyse_all(analysers[w], stories, args.batch)
                seconds = time.perf_counter() - t0
                cpu[w] += worker_cpu_seconds(clients[w]) - cpu0
                rates[w].append(done / seconds)
                print(f"round {r + 1}, {w} worker(s): {seconds:6.1f} s = {done / seconds:5.1f} articles/s, "
                      f"speed-up ×{rates[w][-1] / rates[counts[0]][-1]:.2f}; load average {os.getloadavg()[0]:.2f}", flush=True)
    base = counts[0]
    for w in counts:
        ups = sorted(a / b for a, b in zip(rates[w], rates[base]))
        print(f"{w} worker(s): median {statistics.median(rates[w]):5.1f} articles/s, median speed-up ×{statistics.median(ups):.2f} "
              f"(rounds {', '.join(f'×{u:.2f}' for u in ups)}); workers' CPU {cpu[w]:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
