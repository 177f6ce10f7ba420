"""Memory of the corpus stage alone, stage by stage, over an already-ingested store.

    .venv/bin/python bench/corpus_memory.py /tmp/set3000.db            # RSS per stage
    .venv/bin/python bench/corpus_memory.py /tmp/set3000.db --tracemalloc 8

`bench/scale.py` gives the peak of a whole ingest; this script says which corpus stage holds the
memory. It copies the store (the `save` stage writes to it), then runs `corpus_pipeline` as an
ingest does, with the sentence vectors the analysis workers would have handed over: they are
computed once and cached next to the store (`STORE.vectors.npz`), so that the dedupe stage
compares vectors instead of loading the embedder, as in a pooled ingest.

Printed per stage: the RSS when it ends, the peak RSS while it ran (sampled every 20 ms) and its
seconds; with `--tracemalloc N`, the N allocation sites holding the most memory when each stage
ends (tracemalloc slows the run several-fold and counts only Python allocations).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """This process's resident set size now, in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * _PAGE / 2**20


def file_backed_mb() -> float:
    """The part of the RSS that maps files (the store's memory-mapped pages, libraries), in MB."""
    with open("/proc/self/status") as fh:
        found = re.search(r"^RssFile:\s+(\d+) kB", fh.read(), re.M)
    return int(found.group(1)) / 1024 if found else 0.0


class PeakSampler:
    """Samples RSS in a thread; `take()` returns the peak since the last call."""

    def __init__(self, interval: float = 0.02) -> None:
        self._interval = interval
        self._peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._peak = max(self._peak, rss_mb())

    def take(self) -> float:
        """The peak RSS since the previous call (or the start), in MB."""
        peak, self._peak = max(self._peak, rss_mb()), rss_mb()
        return peak

    def stop(self) -> None:
        """End the sampling thread."""
        self._stop.set()
        self._thread.join()


def worker_vectors(db: Path) -> dict[str, np.ndarray]:
    """The vectors the analysis workers would have computed for this store, cached in DB.vectors.npz."""
    from sitroom.dedupe import paraphrase_texts
    from sitroom.embeddings import SentenceEmbedder
    from sitroom.store import open_store

    cache = db.with_suffix(".vectors.npz")
    if cache.exists():
        data = np.load(cache, allow_pickle=False)
        return dict(zip(data["texts"].tolist(), data["vectors"]))
    store = open_store(f"sqlite:///{db}")
    texts = sorted({t for a in store.iter_analyses() for t in paraphrase_texts(a)})
    vectors = SentenceEmbedder(threads=2).embed(texts)
    np.savez(cache, texts=np.asarray(texts), vectors=vectors)
    return dict(zip(texts, vectors))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="a SQLite store that `sitroom ingest` filled")
    parser.add_argument("--tracemalloc", type=int, default=0, metavar="N", help="show the N largest allocation sites per stage")
    parser.add_argument("--no-vectors", action="store_true", help="no worker vectors: dedupe embeds in this process")
    args = parser.parse_args()
    if not args.store.exists():
        print(f"skipped: {args.store} does not exist (ingest a set first, e.g. with bench/scale.py's make_set)")
        return 0

    from sitroom.config import Settings
    from sitroom.pipeline import Batch
    from sitroom.runners.local import corpus_pipeline
    from sitroom.store import open_store

    vectors = None if args.no_vectors else worker_vectors(args.store)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copy(args.store, db)
        store = open_store(f"sqlite:///{db}")
        articles = store.counts()["articles"]
        print(f"{args.store}: {articles:,} articles, {len(vectors or ()):,} worker vectors; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        if args.tracemalloc:
            import tracemalloc

            tracemalloc.start(4)
        sampler = PeakSampler()
        baseline = sampler.take()
        print(f"{'stage':<12} {'RSS after':>10} {'of it files':>12} {'peak':>9} {'seconds':>8}   "
              f"(before the corpus stage: {baseline:,.0f} MB)")
        timer = [time.perf_counter()]
        overall = [baseline]

        def report(previous: str) -> None:
            peak = sampler.take()
            overall[0] = max(overall[0], peak)
            now = time.perf_counter()
            print(f"{previous:<12} {rss_mb():>7,.0f} MB {file_backed_mb():>9,.0f} MB {peak:>6,.0f} MB {now - timer[0]:>8.1f}",
                  flush=True)
            timer[0] = now
            if args.tracemalloc:
                import tracemalloc

                snapshot = tracemalloc.take_snapshot()
                for stat in snapshot.statistics("lineno")[: args.tracemalloc]:
                    frame = stat.traceback[0]
                    print(f"    {stat.size / 2**20:8.1f} MB  {Path(frame.filename).name}:{frame.lineno}")

        pipeline = corpus_pipeline(store, Settings.from_env(), vectors)
        current: list[str] = []

        def on_stage(name: str) -> None:
            if current:
                report(current[0])
            current[:] = [name]

        batch = pipeline.run(Batch(), on_stage=on_stage)
        report(current[0])
        sampler.stop()
        print(f"peak {overall[0]:,.0f} MB = {overall[0] / articles:.3f} MB per article; "
              f"{len(batch.events):,} events, {len(batch.stories):,} stories, {len(batch.duplicates):,} duplicate groups; "
              f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
