"""The local runner: read → skip known → analyse → store, in batches; each stored batch goes to the corpus layer.

Per-article stages stream in batches of `Settings.batch_size`, each batch written in one
transaction, so a crash loses at most the two batches in flight and a rerun finishes the job. The
analyse stage runs in `Settings.workers` processes (`runners.pool`), or on a Dask cluster when
`runners.dask` passes its own analyser. Each stored batch is then taken in by the corpus layer
(`sitroom.corpus.update`: duplicates, events, stories, ceasefires), which re-decides only what the
batch touches; its events and duplicates do not depend on the order articles arrived in.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone

from sitroom import corpus
from sitroom.config import IngestLimits, Settings
from sitroom.ingest.files import read_sources
from sitroom.model import Article, ArticleAnalysis, IngestSummary, Rejection
from sitroom.pipeline import Batch, Pipeline, stage
from sitroom.errors import PipelineError
from sitroom.runners.pool import Analyser, InProcessAnalyser, ProcessAnalyser
from sitroom.store.base import Store

Progress = Callable[[str, int], None]  # (what, how many more) for progress bars


def analysis_pipeline(store: Store, settings: Settings, analyser: Analyser | None = None) -> Pipeline:
    """Per-article stages over a batch of read articles; `analyser` does the extraction (in process by default).

    `submit` hands the batch to the analyser and `analyse` waits for its analyses, so a runner may
    submit the next batch before it stores this one (`ingest_items` does): a cluster then has
    work queued while this process writes. Articles submitted and not yet stored count as known.
    """
    analyser = analyser or InProcessAnalyser()
    in_flight: dict[str, str] = {}  # id -> content hash of articles submitted but not yet stored

    @stage("skip_known", requires=["articles"], assigns=["articles", "unchanged"])
    def skip_known(batch: Batch) -> None:
        known = store.known_hashes(a.id for a in batch.articles)
        fresh: list[Article] = []
        seen: dict[str, str] = {}
        for a in batch.articles:
            if a.content_hash in (known.get(a.id), seen.get(a.id), in_flight.get(a.id)):
                batch.unchanged += 1
            else:
                seen[a.id] = a.content_hash
                fresh.append(a)
        batch.articles = fresh

    @stage("submit", requires=["articles"], assigns=["pending"])
    def submit(batch: Batch) -> None:
        in_flight.update((a.id, a.content_hash) for a in batch.articles)
        batch.pending = analyser.submit(batch.articles) if batch.articles else list

    @stage("analyse", requires=["pending"], assigns=["analyses"])
    def analyse(batch: Batch) -> None:
        pending, batch.pending = batch.pending, None
        if pending is None:
            raise PipelineError("the analyse stage ran on a batch that was never submitted")
        batch.analyses = pending()

    @stage("store", requires=["analyses", "rejections"])
    def persist(batch: Batch) -> None:
        stored = store.save_analyses(batch.analyses, batch.rejections)
        if batch.analyses:
            # The corpus layer takes the batch in at once: records stay current batch by batch. If
            # another writer stored articles in between, it leaves the batch to the catch-up below.
            corpus.update(store, batch.analyses, computed_from=stored, vectors=analyser.vectors,
                          paraphrase=settings.paraphrase)
        for a in batch.articles:
            if in_flight.get(a.id) == a.content_hash:
                del in_flight[a.id]

    return Pipeline([skip_known, submit, analyse, persist], provided=["articles", "rejections"])


def _batched(items: Iterable[Article | Rejection], size: int) -> Iterator[tuple[list[Article], list[Rejection]]]:
    articles: list[Article] = []
    rejections: list[Rejection] = []
    for item in items:
        if isinstance(item, Article):
            articles.append(item)
        else:
            rejections.append(item)
        if len(articles) >= size or len(rejections) >= 10 * size:
            yield articles, rejections
            articles, rejections = [], []
    if articles or rejections:
        yield articles, rejections


def ingest_items(
    items: Iterable[Article | Rejection],
    store: Store,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    analyser: Analyser | None = None,
) -> IngestSummary:
    """Run the whole pipeline over already-read articles and rejections.

    `analyser` runs the analyse stage (the Dask runner passes one); by default it is this process
    for `settings.workers == 1` and a process pool of that many workers otherwise.
    """
    settings = settings or Settings.from_env()
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    read = new = unchanged = 0
    skipped: list[Rejection] = []
    with contextlib.ExitStack() as stack:
        if analyser is None:
            analyser = (
                stack.enter_context(ProcessAnalyser(settings.workers, embed=settings.paraphrase))
                if settings.workers > 1
                else InProcessAnalyser()
            )
        stages = analysis_pipeline(store, settings, analyser).stages
        intake, finish = stages[:2], stages[2:]  # skip_known + submit | analyse + store
        previous: Batch | None = None
        # One batch ahead: batch k+1 is submitted before batch k is stored, so an analyser that
        # works elsewhere (a Dask cluster) is never idle while this process writes.
        batches = (Batch(articles=a, rejections=r) for a, r in _batched(items, settings.batch_size))
        for batch in itertools.chain(batches, [None]):
            if batch is not None:
                for st in intake:
                    st(batch)
            if previous is not None:
                for st in finish:
                    st(previous)
                read += len(previous.articles) + previous.unchanged
                new += len(previous.analyses)
                unchanged += previous.unchanged
                skipped += previous.rejections
                if progress:
                    progress("articles", len(previous.articles) + previous.unchanged + len(previous.rejections))
            previous = batch
    # An earlier run may have died between storing articles and taking them in, or another writer's
    # articles came in between a batch and its update; a store made before the corpus layer existed
    # has records but an empty layer: rebuild it once.
    if store.results_outdated():
        if progress:
            progress("fusing", 0)
        if corpus.needs_rebuild(store):
            corpus.rebuild(store, paraphrase=settings.paraphrase)
        else:
            corpus.catch_up(store, paraphrase=settings.paraphrase)
    counts = store.counts()
    return IngestSummary(read, new, unchanged, tuple(skipped), counts["events"], counts["stories"], started, time.perf_counter() - t0)


def ingest_sources(
    sources: Sequence[str],
    store: Store,
    *,
    limits: IngestLimits | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    stdin=None,
    analyser: Analyser | None = None,
) -> IngestSummary:
    """Read every source (files, folders, `-`, URLs, feeds) and run the whole pipeline."""
    settings = settings or Settings.from_env()
    limits = limits or settings.ingest_limits()
    items = read_sources(sources, config=limits, stdin=stdin)
    return ingest_items(items, store, settings=settings, progress=progress, analyser=analyser)


def ingest_articles(articles: Sequence[Article], store: Store, *, settings: Settings | None = None) -> IngestSummary:
    """Run the pipeline over articles built in memory (the API's text ingest)."""
    return ingest_items(articles, store, settings=settings)


__all__ = ["ArticleAnalysis", "ingest_articles", "ingest_items", "ingest_sources"]
