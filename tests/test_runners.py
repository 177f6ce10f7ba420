"""Runners: the process pool gives the same analyses and records as one process."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from conftest import EXAMPLES, corpus_path
from sitroom.config import Settings
from sitroom.model import Article
from sitroom.runners.pool import ProcessAnalyser, analyse_in_process, tapered, usable_cores


def _read(*sources) -> list[Article]:
    from sitroom.ingest.files import read_sources

    return [a for a in read_sources([str(s) for s in sources]) if isinstance(a, Article)]


def records(store) -> dict[str, list[dict]]:
    """Every fused record the store holds, in the contract's shapes."""
    from sitroom.store.base import EventQuery

    return {
        "events": store.query_events(EventQuery(limit=10_000)).items,
        "stories": store.list_stories(limit=10_000).items,
        "duplicates": store.list_duplicates(limit=10_000).items,
        "ceasefires": store.list_ceasefires(),
    }


def test_tapered_chunks_keep_order_feed_every_worker_and_shrink_towards_the_end():
    articles = [Article(id=f"a{i}", text="x") for i in range(64)]
    parts = tapered(articles, workers=2, size=8)
    assert [a for p in parts for a in p] == articles
    sizes = [len(p) for p in parts]
    assert max(sizes) == 8 and sizes == sorted(sizes, reverse=True)
    assert sizes[-1] == 1  # the last hand-over is one article: nobody waits long for it
    assert [len(p) for p in tapered(articles[:3], workers=2)] == [1, 1, 1]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="CPU affinity is Linux's")
def test_usable_cores_are_the_ones_this_process_may_run_on():
    # A container or `taskset` that grants one core means one worker, whatever the machine has.
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        assert usable_cores() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert usable_cores() == len(allowed)


def test_process_pool_refuses_one_worker():
    with pytest.raises(ValueError, match="at least 2 workers"):
        ProcessAnalyser(1)


@pytest.mark.slow
def test_process_pool_analyses_equal_in_process():
    articles = _read(corpus_path("seeds"), EXAMPLES / "reports")
    assert len(articles) >= 8
    expected = analyse_in_process(articles)
    with ProcessAnalyser(2, min_articles=1) as pool:
        got = pool(articles)
    assert [a.article.id for a in got] == [a.id for a in articles]
    assert got == expected


@pytest.mark.slow
def test_ingest_with_two_workers_gives_the_records_of_one(tmp_path):
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store

    sources = [str(corpus_path("seeds")), str(EXAMPLES / "reports")]
    results = []
    for workers in (1, 2):
        store = open_store(str(tmp_path / f"w{workers}.db"))
        settings = replace(Settings(), workers=workers)
        if workers > 1:
            with ProcessAnalyser(workers, min_articles=1, embed=True) as pool:
                summary = ingest_sources(sources, store, settings=settings, analyser=pool)
                assert pool.vectors  # the workers embedded the cited sentences
        else:
            summary = ingest_sources(sources, store, settings=settings)
        results.append((summary.new, summary.events, records(store)))
        store.close()
    assert results[0][0] > 0 and results[0][1] > 0
    assert results[0] == results[1]


@pytest.mark.slow
def test_precomputed_embedder_answers_known_texts_and_embeds_the_rest():
    import numpy as np

    from sitroom.embeddings import PrecomputedEmbedder, SentenceEmbedder

    model = SentenceEmbedder.default()
    known = "Shelling killed twelve people in the old city on Monday."
    unknown = "The convoy was hit near Urem al-Kubra west of Aleppo."
    marker = np.zeros(384, np.float32)
    marker[0] = 1.0  # not what the model would give: proves the stored vector is used
    got = PrecomputedEmbedder({known: marker}, fallback=model).embed([unknown, known])
    assert np.array_equal(got[1], marker)
    assert np.allclose(got[0], model.embed([unknown])[0], atol=1e-5)


class _ThreadAnalyser:
    """Analyses in a background thread from `submit` on, and notes what the store held at each submit."""

    def __init__(self, store) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.store = store
        self.stored_at_submit: list[int] = []
        self.vectors: dict = {}
        self._pool = ThreadPoolExecutor(1)

    def submit(self, articles):
        self.stored_at_submit.append(self.store.counts()["articles"])
        return self._pool.submit(analyse_in_process, list(articles)).result

    def close(self):
        self._pool.shutdown()


def test_next_batch_is_submitted_before_this_one_is_stored_and_repeats_count_once(tmp_path):
    from sitroom.runners.local import ingest_items
    from sitroom.store import open_store

    articles = _read(EXAMPLES / "reports")
    assert len(articles) >= 4
    # The second article comes again in the next batch, while the first batch is still in flight.
    items = [articles[0], articles[1], articles[1], *articles[2:]]
    settings = replace(Settings(), batch_size=2, workers=1)
    plain_store, ahead_store = open_store(str(tmp_path / "plain.db")), open_store(str(tmp_path / "ahead.db"))
    try:
        plain = ingest_items(items, plain_store, settings=settings)
        analyser = _ThreadAnalyser(ahead_store)
        ahead = ingest_items(items, ahead_store, settings=settings, analyser=analyser)
        # Batch 2 went to the analyser while batch 1 was not stored yet.
        assert analyser.stored_at_submit[:2] == [0, 0]
        assert (ahead.read, ahead.new, ahead.unchanged, ahead.events, ahead.stories) == (
            plain.read, plain.new, plain.unchanged, plain.events, plain.stories
        )
        assert ahead.unchanged == 1 and ahead.new == len(articles)
        assert records(ahead_store) == records(plain_store)
    finally:
        plain_store.close()
        ahead_store.close()
