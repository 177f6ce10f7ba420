"""End-to-end ingest throughput on ../shared/corpus/voa, against a bare spaCy parse of the same texts.

    .venv/bin/python bench/throughput.py [--limit N]

Prints articles/s for sitroom (read → clean → extract → fuse → store, into a fresh SQLite file) and
for `nlp.pipe` alone over the same texts, and their ratio. Skips with a message without the corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

VOA = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories")
    args = parser.parse_args()
    if not VOA.exists():
        print(f"skipped: {VOA} is absent (the shared corpus is needed)")
        return 0
    lines = VOA.read_text(encoding="utf-8").splitlines()
    if args.limit:
        lines = lines[: args.limit]
    texts = [json.loads(line)["text"] for line in lines]
    words = sum(len(t.split()) for t in texts)

    from sitroom.extract.nlp import load_nlp, paragraphs

    nlp = load_nlp()
    list(nlp.pipe(["warm up the model once"]))
    t0 = time.perf_counter()
    for _ in nlp.pipe([p for t in texts for _, p in paragraphs(t)], batch_size=32):
        pass
    parse_s = time.perf_counter() - t0

    from sitroom.config import Settings
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "voa.jsonl"
        src.write_text("\n".join(lines) + "\n", encoding="utf-8")
        store = open_store(str(Path(tmp) / "bench.db"))
        t0 = time.perf_counter()
        summary = ingest_sources([str(src)], store, settings=Settings(paraphrase=True))
        total_s = time.perf_counter() - t0
        store.close()
    n = len(texts)
    print(f"articles: {n} ({words} words); events: {summary.events}; stories: {summary.stories}")
    print(f"bare spaCy parse: {parse_s:.2f} s = {n / parse_s:.1f} articles/s")
    print(f"sitroom end to end: {total_s:.2f} s = {n / total_s:.1f} articles/s")
    print(f"ratio sitroom / bare parse: {total_s / parse_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
