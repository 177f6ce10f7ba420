"""A small run of bench/api_load.py: concurrent readers on a real server while an ingest writes.

0 errors and 0 torn reads, with the readers' checks themselves shown to catch what they look for.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import api_load  # noqa: E402

pytestmark = pytest.mark.timeout(300)


@pytest.mark.slow
def test_readers_see_no_errors_and_no_torn_reads_while_an_ingest_writes(tmp_path):
    report = api_load.run(clients=8, rounds=2, min_seconds=3, workdir=tmp_path)
    assert report.writer_exit == 0
    assert report.articles_after == report.articles_before * 3  # two more rounds of the same examples
    assert report.requests > 100
    assert (report.errors, report.torn_reads) == (0, 0), report.problems


def test_page_check_flags_a_page_that_disagrees_with_its_total():
    tally = api_load.Tally()
    api_load._check_page(tally, "/api/events", {"items": [{}] * 3, "total": 10}, limit=5, offset=0)
    api_load._check_page(tally, "/api/events", {"items": [{}] * 5, "total": 10}, limit=5, offset=0)
    api_load._check_page(tally, "/api/events", {"items": [{}] * 2, "total": 7}, limit=5, offset=5)
    assert tally.torn == 1 and "3 items but total 10" in tally.problems[0]


def test_round_folders_give_fresh_ids_and_keep_broken_lines(tmp_path):
    folder = api_load.round_folder(tmp_path, 7)
    names = sorted(p.name for p in folder.iterdir())
    assert names and all(n.startswith("r7_") for n in names)
    jsonl = next(folder.glob("*.jsonl")).read_text(encoding="utf-8")
    assert '"id": "r7_' in jsonl
