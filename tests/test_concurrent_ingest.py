"""Several processes ingesting into one store at once: every article stored once, no event doubled.

Two levels: processes driving the store directly (fast, many interleavings of the same writes),
and real `sitroom ingest` runs over overlapping folders (slow), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import random

import pytest

from sitroom.store import open_store
from sitroom.store.base import EventQuery
from test_store import _analysis, _event
from written_reports import records_of, sitroom_ingest, write_reports, written_reports

N_ARTICLES = 40


def _write_overlapping(url: str, seed: int) -> None:
    """One writer: a random ~60% of the articles in batches of 5, then fused records from what it read."""
    rng = random.Random(seed)
    store = open_store(url)
    ids = [f"a{i:02d}" for i in range(N_ARTICLES) if rng.random() < 0.6]
    rng.shuffle(ids)
    for k in range(0, len(ids), 5):
        store.save_analyses([_analysis(aid, f"Shells struck the market of Karvel, report {aid}.") for aid in ids[k : k + 5]])
        stored = sorted(a.article.id for a in store.iter_analyses())
        # One event per stored article, as fusion of these one-incident articles would give.
        store.save_results([_event(f"evt_{aid}", 2, "Karvel", 41.2, 22.4, story=None) for aid in stored], [], [])
    store.close()


@pytest.mark.parametrize("writers", [4])
def test_processes_writing_one_store_keep_every_record_once(store, store_url, writers):
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_write_overlapping, args=(store_url, seed)) for seed in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * writers
    stored = sorted(a.article.id for a in store.iter_analyses())
    assert len(stored) == len(set(stored)) and store.counts()["articles"] == len(stored)
    assert stored == sorted({f"a{i:02d}" for seed in range(writers) for i in _ids_of(seed)})
    events = store.query_events(EventQuery(limit=1000)).items
    assert sorted(e["id"] for e in events) == [f"evt_{aid}" for aid in stored]  # the last word has every article
    assert not store.results_outdated()
    assert store.integrity_check() == []


def _ids_of(seed: int) -> list[int]:
    rng = random.Random(seed)
    return [i for i in range(N_ARTICLES) if rng.random() < 0.6]


@pytest.mark.slow
def test_concurrent_cli_ingests_give_the_records_of_one_clean_run(store, store_url, tmp_path):
    reports = written_reports(n_incidents=20)  # 30 articles
    parts = {"a": reports[:18], "b": reports[8:26], "c": reports[14:] + reports[:4]}
    folders = {name: tmp_path / name for name in parts}
    for name, part in parts.items():
        write_reports(folders[name], part, per_file=6)
    runs = [sitroom_ingest(store_url, folder) for folder in folders.values()]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err[-2000:] for _, err in outputs]

    write_reports(tmp_path / "all", reports, per_file=6)
    clean_db = str(tmp_path / "clean.db")
    clean = sitroom_ingest(clean_db, tmp_path / "all")
    assert clean.wait(timeout=300) == 0, clean.stderr.read()[-2000:]
    clean_store = open_store(clean_db)
    try:
        expected = records_of(clean_store, exact_stories=False)
    finally:
        clean_store.close()
    assert len(expected["articles"]) == len(reports) and expected["events"]
    assert records_of(store, exact_stories=False) == expected
    assert not store.results_outdated() and store.integrity_check() == []
