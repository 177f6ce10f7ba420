"""End-to-end ingest throughput on ../shared/corpus/voa, against a bare spaCy parse of the same texts.

    .venv/bin/python bench/throughput.py [--limit N] [--workers N] [--repeat K] [--smoke]

Prints articles/s for sitroom (read → clean → extract → dedupe → fuse → stories → store, into a
fresh SQLite file) with 1 worker (in process) and with N worker processes (default: the usable
cores), and for the bare parse the same way: `nlp.pipe` of sitroom's own spaCy pipeline
(tok2vec + senter + ner + entity ruler) over the same paragraphs, in this process and with
`n_process=N`. The ratios compare like with like: sitroom on 1 process against the bare parse on
1 process, sitroom on N against the bare parse on N. Worker start-up (a fresh interpreter and
the model per worker) is counted in both N-process figures. CPU seconds (this process and its
ended children) are printed beside wall time: on a shared machine they move far less. `--repeat K` texts repeats the
stories K times under new ids to measure a longer, steadier run. Skips without the corpus, except `--smoke`:
the first 3 stories (the examples' reports without the corpus), one process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from _script import CORPUS, add_smoke_flag, corpus_missing, example_records

VOA = CORPUS / "voa" / "voa_stories.jsonl"
SMOKE_STORIES = 3


def load_lines(limit: int, repeat: int) -> list[str]:
    """The VOA stories as JSONL lines (the examples' reports where the corpus is absent), repeated `repeat` times under new ids."""
    if VOA.exists():
        lines = VOA.read_text(encoding="utf-8").splitlines()
    else:
        lines = [json.dumps(record) for record in example_records()]
    if limit:
        lines = lines[:limit]
    out = []
    for k in range(repeat):
        for line in lines:
            record = json.loads(line)
            if k:
                record["id"] = f"{record['id']}-r{k}"
            out.append(json.dumps(record))
    return out


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have ended (pool workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare_parse(paragraphs: list[str], processes: int) -> tuple[float, float]:
    """Wall and CPU seconds for sitroom's spaCy pipeline alone over `paragraphs` (worker start-up included)."""
    from sitroom.extract.nlp import load_nlp

    nlp = load_nlp()
    t0, c0 = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(paragraphs, batch_size=32, n_process=processes):
        pass
    return time.perf_counter() - t0, cpu_seconds() - c0


def sitroom_ingest(lines: list[str], workers: int) -> tuple[float, float, object]:
    """Wall and CPU seconds for a whole ingest of `lines` into a fresh SQLite store, and its summary."""
    from sitroom.config import Settings
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "voa.jsonl"
        src.write_text("\n".join(lines) + "\n", encoding="utf-8")
        store = open_store(str(Path(tmp) / "bench.db"))
        t0, c0 = time.perf_counter(), cpu_seconds()
        summary = ingest_sources([str(src)], store, settings=Settings(paraphrase=True, workers=workers))
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        store.close()
    return seconds, cpu, summary


def main() -> int:
    from sitroom.runners.pool import usable_cores

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories")
    parser.add_argument("--workers", type=int, default=usable_cores(), help="worker processes for the parallel run")
    parser.add_argument("--repeat", type=int, default=1, help="repeat the stories K times under new ids")
    add_smoke_flag(parser, f"the first {SMOKE_STORIES} stories (the examples without the corpus), one process")
    args = parser.parse_args()
    if args.smoke:
        args.limit, args.workers, args.repeat = SMOKE_STORIES, 1, 1
    elif corpus_missing(VOA):
        return 0
    lines = load_lines(args.limit, max(1, args.repeat))
    texts = [json.loads(line)["text"] for line in lines]
    words = sum(len(t.split()) for t in texts)
    n = len(texts)

    from sitroom.extract.nlp import load_nlp, paragraphs

    paras = [p for t in texts for _, p in paragraphs(t)]
    list(load_nlp().pipe(["warm up the model once"]))
    print(f"articles: {n} ({words:,} words, {len(paras):,} paragraphs); load average {os.getloadavg()[0]:.2f}")
    counts = [1] + ([args.workers] if args.workers > 1 else [])
    for procs in counts:
        parse_s, parse_cpu = bare_parse(paras, procs)
        total_s, total_cpu, summary = sitroom_ingest(lines, procs)
        print(f"-- {procs} process{'es' if procs > 1 else ''}: events {summary.events}, stories {summary.stories}")
        print(f"   bare spaCy parse (nlp.pipe, n_process={procs}): {parse_s:6.2f} s = {n / parse_s:5.1f} articles/s"
              f"  (CPU {parse_cpu:.1f} s)")
        print(f"   sitroom end to end (workers={procs}):        {total_s:6.2f} s = {n / total_s:5.1f} articles/s"
              f"  (CPU {total_cpu:.1f} s)")
        print(f"   ratio sitroom / bare parse: wall {total_s / parse_s:.2f}, CPU {total_cpu / (parse_cpu or float('nan')):.2f}"
              f"  (load average {os.getloadavg()[0]:.2f})", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
