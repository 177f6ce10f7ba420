"""Several processes ingesting into one store at once: every article stored once, no event doubled.

Two levels: processes driving the store directly (fast, many interleavings of the same writes),
and real `sitroom ingest` runs over overlapping folders (slow), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import random
from dataclasses import replace

import pytest

from sitroom import corpus
from sitroom.errors import StaleResultsError
from sitroom.extract import analyse_articles
from sitroom.ingest.sources import content_hash
from sitroom.model import Article
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
        snap = store.snapshot()
        stored = sorted(a.article.id for a in store.iter_analyses())
        # One event per stored article, as fusion of these one-incident articles would give.
        with contextlib.suppress(StaleResultsError):  # another writer stored more since: its own save has them
            store.save_results([_event(f"evt_{aid}", 2, "Karvel", 41.2, 22.4, story=None) for aid in stored], [], [], computed_from=snap)
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


def test_two_writers_racing_the_second_to_save_sees_its_results_are_stale(store, store_url):
    first, second = open_store(store_url), open_store(store_url)  # two runs, each with its own connections
    try:
        first.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")])
        first_snap = first.snapshot()
        first_read = [a.article.id for a in first.iter_analyses()]
        second_snap = second.save_analyses([_analysis("a2", "Gunmen attacked a checkpoint near Ostrin.")])
        second_read = [a.article.id for a in second.iter_analyses()]
        second.save_results([_event(f"evt_{aid}", 2, "Karvel", 41.2, 22.4) for aid in second_read], [], [], computed_from=second_snap)
        with pytest.raises(StaleResultsError, match="nothing was written"):
            first.save_results([_event(f"evt_{aid}", 2, "Karvel", 41.2, 22.4) for aid in first_read], [], [], computed_from=first_snap)
    finally:
        first.close()
        second.close()
    assert sorted(e["id"] for e in store.query_events(EventQuery(limit=10)).items) == ["evt_a1", "evt_a2"]  # the second run's records
    assert not store.results_outdated() and store.integrity_check() == []


def _articles(records: list[dict]) -> list[Article]:
    from datetime import date

    return [Article(id=r["id"], text=r["text"], title=r["title"], source=r["source"], published=date.fromisoformat(r["published"]),
                    content_hash=content_hash(r["text"] + r["title"])) for r in records]


def test_a_corpus_update_overtaken_by_another_writer_leaves_its_batch_to_the_catch_up(store, store_url, tmp_path, caplog):
    records = written_reports(n_incidents=3, seed=3)
    arts = _articles(records)
    revised = replace(arts[0], text=arts[0].text.replace("killed", "killed, rescuers said,", 1), content_hash="revised")
    assert revised.text != arts[0].text
    first, second = open_store(store_url), open_store(store_url)
    try:
        batch = list(analyse_articles(arts[:3]))
        stored = first.save_analyses(batch)
        # Before the first run's corpus update, another run stores a newer version of one of its
        # articles and more, and takes them in.
        overtaking = list(analyse_articles([revised, *arts[3:]]))
        corpus.update(second, overtaking, computed_from=second.save_analyses(overtaking), paraphrase=False)
        with caplog.at_level(logging.WARNING, logger="sitroom.corpus"):
            result = corpus.update(first, batch, computed_from=stored, paraphrase=False)
        assert (result.events_written, result.stories_written) == (0, 0)
        assert [r.getMessage() for r in caplog.records if "catch-up" in r.getMessage()], caplog.text
        assert first.results_outdated()  # the records miss what the first batch brought
        assert corpus.catch_up(first, paraphrase=False) > 0
        assert not first.results_outdated() and first.integrity_check() == []
    finally:
        first.close()
        second.close()
    clean = open_store(str(tmp_path / "clean.db"))  # one writer, the final versions in one batch
    try:
        final = list(analyse_articles([revised, *arts[1:]]))
        corpus.update(clean, final, computed_from=clean.save_analyses(final), paraphrase=False)
        expected = records_of(clean, exact_stories=False)
    finally:
        clean.close()
    assert records_of(store, exact_stories=False) == expected  # nothing lost, the revised article's version kept


def test_an_ingest_overtaken_mid_run_ends_with_the_records_of_one_clean_run(store, store_url, tmp_path, monkeypatch, caplog):
    from sitroom.config import Settings
    from sitroom.runners.local import ingest_items

    arts = _articles(written_reports(n_incidents=4, seed=5))
    mine, theirs = arts[:3], arts[3:]
    other = open_store(store_url)  # another run, with its own connections
    real_update = corpus.update

    def overtaken_update(target, analyses, **kwargs):
        """Before this run's first corpus update, the other run stores its articles (and no records)."""
        if theirs and target is store:
            other.save_analyses(list(analyse_articles(theirs)))
            theirs.clear()
        return real_update(target, analyses, **kwargs)

    monkeypatch.setattr(corpus, "update", overtaken_update)
    try:
        with caplog.at_level(logging.WARNING, logger="sitroom.corpus"):
            summary = ingest_items(mine, store, settings=Settings(batch_size=10, workers=1, paraphrase=False))
    finally:
        other.close()
    assert "catch-up" in caplog.text  # the overtaken update said so
    assert summary.new == len(mine)
    assert not store.results_outdated() and store.integrity_check() == []
    clean = open_store(str(tmp_path / "clean.db"))
    try:
        everything = list(analyse_articles(arts))
        real_update(clean, everything, computed_from=clean.save_analyses(everything), paraphrase=False)
        expected = records_of(clean, exact_stories=False)
    finally:
        clean.close()
    assert records_of(store, exact_stories=False) == expected  # the other run's article is in the records too


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
