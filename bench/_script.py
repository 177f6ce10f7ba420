"""What every script in bench/ shares: where the shared corpus is, a clean skip where it is absent, `--smoke`.

`--smoke` runs a script's real path (the same product calls, the same printed figures) on a tiny
input in a few seconds: the first few items of its corpus set, or the demo's reports in examples/
where a script can measure any news and the corpus is absent. tests/test_bench_smoke.py runs every
script so, so that none rots unseen. Smoke figures show that a script runs, not how well sitroom
does: a smoke run writes nothing to bench/baseline.json, docs/ or a cache a full run reuses.

`$SITROOM_BENCH_CORPUS` points the scripts at another copy of the corpus (the tests point it at an
empty folder to see each script skip cleanly).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("SITROOM_BENCH_CORPUS") or REPO.parent / "shared" / "corpus")
EXAMPLES = REPO / "examples" / "reports"
# A script measures the code of its own checkout, whatever the interpreter has installed.
sys.path.insert(0, str(REPO / "src"))
# The CLI run by this interpreter: a worktree or a CI checkout has no .venv/bin/sitroom of its own.
SITROOM_CLI = [sys.executable, "-m", "sitroom.cli"]


def add_smoke_flag(parser: argparse.ArgumentParser, tiny_input: str) -> None:
    """Give a script's parser `--smoke`; `tiny_input` says what it then reads, for --help."""
    parser.add_argument("--smoke", action="store_true",
                        help=f"check that the script runs: {tiny_input}, in a few seconds (figures not comparable)")


def corpus_missing(*paths: Path) -> bool:
    """True, once it has said which, when a path the script reads is absent: the script then exits 0."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found (the shared corpus is not checked out next to the repo)")
    return bool(missing)


def example_records() -> list[dict]:
    """The demo's reports (examples/reports) as JSONL records, read by sitroom's own reader."""
    from sitroom.ingest.files import read_sources
    from sitroom.model import Article

    records = []
    for item in read_sources([str(EXAMPLES)]):
        if isinstance(item, Article):  # the examples' deliberately broken line comes back as a rejection
            record = {"id": item.id, "title": item.title, "text": item.text,
                      "published": item.published.isoformat() if item.published else None}
            records.append({k: v for k, v in record.items() if v is not None})
    return records
