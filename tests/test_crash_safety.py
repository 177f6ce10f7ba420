"""kill -9 during `sitroom ingest`, again and again: the store stays sound and a rerun finishes the job.

Each episode starts from an empty store and ingests the same corpus (written reports, the
examples, the seeds when present) in a subprocess that is SIGKILLed after a random delay drawn
over the length of a clean run, so kills land in start-up, migration, reading, analysis, batch
writes, fusion and the final save. After every kill the store must pass its integrity check;
a run that finishes before its kill ends the episode, and its records must equal those of one
clean, uninterrupted run: no article lost, no event doubled, nothing else different.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLES, ROOT, fresh_postgres_database
from sitroom.store import open_store
from sitroom.store.base import EventQuery
from written_reports import CLI_ENV, records_of, sitroom_ingest, write_reports, written_reports

pytestmark = pytest.mark.slow

MIN_KILLS = 20
MAX_ROUNDS = 80  # bounds the loop whatever the timing
SEED = 20240302


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    """The sources every run ingests: 30 written reports, the examples and, when present, the seeds."""
    written = tmp_path_factory.mktemp("written")
    write_reports(written, written_reports(n_incidents=20), per_file=5)
    sources = [written, EXAMPLES / "reports"]
    if (CORPUS / "seeds").is_dir():
        sources.append(CORPUS / "seeds")
    return sources


@pytest.fixture(scope="module")
def clean_run(corpus, tmp_path_factory) -> tuple[dict, float, str]:
    """The records of one uninterrupted run, how long that run took (seconds), and its store."""
    db = str(tmp_path_factory.mktemp("clean") / "clean.db")
    started = time.monotonic()
    run = sitroom_ingest(db, *corpus)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err[-3000:]
    seconds = time.monotonic() - started
    store = open_store(db)
    try:
        return records_of(store, exact_stories=False), seconds, db
    finally:
        store.close()


@contextlib.contextmanager
def _empty_store_url(backend: str, tmp_path: Path, episode: int):
    """Where an episode's store lives: a new SQLite file or a new PostgreSQL database."""
    if backend == "sqlite":
        yield str(tmp_path / f"episode-{episode}.db")
    else:
        with fresh_postgres_database() as url:
            yield url


def _check_sound(url: str, backend: str, total_articles: int) -> int:
    """After a kill: integrity check clean, and no article stored twice or beyond the corpus.

    Returns how many articles the store holds.
    """
    if backend == "sqlite" and not Path(url).exists():
        return 0  # killed before the store was created
    store = open_store(url, migrate=False)
    try:
        if "store_state" not in _tables(store):
            return 0  # killed before the first migration committed: nothing was ever written
        assert store.integrity_check() == []
        ids = [a.article.id for a in store.iter_analyses()]
        assert len(ids) == len(set(ids)) <= total_articles
        return len(ids)
    finally:
        store.close()


def _tables(store) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(store.engine).get_table_names())


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_kill_9_at_random_points_never_loses_or_doubles_records(backend, corpus, clean_run, tmp_path):
    expected, clean_seconds, clean_db = clean_run
    total_articles = len(expected["articles"])
    rng = random.Random(SEED)
    kills = finished_episodes = 0
    stored_at_kill: list[int] = []
    with contextlib.ExitStack() as stores:
        url = stores.enter_context(_empty_store_url(backend, tmp_path, 0))
        for _ in range(MAX_ROUNDS):
            if kills >= MIN_KILLS:
                break
            delay = rng.uniform(0.0, 1.1 * clean_seconds)
            run = sitroom_ingest(url, *corpus, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
            try:
                run.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)  # the run and anything it started, at once
                run.wait()
                run.stderr.close()
                kills += 1
                stored_at_kill.append(_check_sound(url, backend, total_articles))
                continue
            err = run.stderr.read()
            run.stderr.close()
            assert run.returncode == 0, err[-3000:]
            _assert_same_records(url, expected)  # the rerun finished the job
            finished_episodes += 1
            url = stores.enter_context(_empty_store_url(backend, tmp_path, finished_episodes))
        else:
            pytest.fail(f"only {kills} kills in {MAX_ROUNDS} rounds")
        final = sitroom_ingest(url, *corpus)
        _, err = final.communicate(timeout=300)
        assert final.returncode == 0, err[-3000:]
        _assert_same_records(url, expected)
        clean_copy = str(tmp_path / "clean-copy.db")
        shutil.copyfile(clean_db, clean_copy)
        _assert_same_after_rebuild(url, clean_copy)
    assert kills >= MIN_KILLS
    # Kills landed both while articles were being read, analysed and stored, and after all were
    # stored (fusion, stories and the final save). Judged by what the store held, not by the
    # delay: on a loaded machine a run's length changes between the clean run and the episodes.
    assert min(stored_at_kill) < total_articles, stored_at_kill
    assert max(stored_at_kill) == total_articles, stored_at_kill
    late = sum(n == total_articles for n in stored_at_kill)
    print(f"{backend}: {kills} kills survived over {finished_episodes + 1} episodes, {late} after every article was "
          f"stored (clean run {clean_seconds:.1f} s)")


def _assert_same_after_rebuild(url: str, clean_url: str) -> None:
    """After `sitroom rebuild` of both, the killed-and-rerun store and the clean one hold the same stories too."""
    rebuilt = {}
    for name, target in (("episode", url), ("clean", clean_url)):
        run = subprocess.run([sys.executable, "-m", "sitroom.cli", "rebuild", "--db", target], capture_output=True, text=True, cwd=ROOT,
                             env={**os.environ, **CLI_ENV}, timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
        store = open_store(target)
        try:
            rebuilt[name] = records_of(store)
        finally:
            store.close()
    assert rebuilt["episode"] == rebuilt["clean"], "stories differ from a clean run's even after rebuild"


def _assert_same_records(url: str, expected: dict) -> None:
    store = open_store(url)
    try:
        assert store.integrity_check() == []
        assert not store.results_outdated()
        got = records_of(store, exact_stories=False)
    finally:
        store.close()
    assert got["articles"] == expected["articles"], "an article was lost or added"
    assert len(got["events"]) == len(expected["events"]), "events lost or doubled"
    for kind, records in expected.items():
        assert got[kind] == records, f"{kind} differ from those of a clean run"


def test_rerun_after_a_kill_between_articles_and_fused_records_updates_the_records(store, tmp_path):
    from sitroom.config import Settings
    from sitroom.ingest.files import read_sources
    from sitroom.model import Article
    from sitroom.extract import analyse_articles
    from sitroom.runners.local import ingest_items

    settings = Settings(batch_size=4, workers=1, paraphrase=False)
    reports = written_reports(n_incidents=6)
    first, second = write_reports(tmp_path / "first", reports[:4]), write_reports(tmp_path / "second", reports[4:])
    ingest_items(read_sources([str(p) for p in first]), store, settings=settings)
    assert not store.results_outdated()
    # The next run stores its articles' analyses, then is killed before the corpus layer takes them
    # in: the articles' transaction committed, the corpus update's never ran.
    later = [a for a in read_sources([str(p) for p in second]) if isinstance(a, Article)]
    store.save_analyses(list(analyse_articles(later)), [])
    assert store.results_outdated()
    ingest_items(read_sources([str(p) for p in first + second]), store, settings=settings)  # the rerun
    covered = {aid for e in store.query_events(EventQuery(limit=1000)).items for aid in e["article_ids"]}
    assert {a.id for a in later} <= covered
    assert not store.results_outdated()
