"""Per-article analysis in worker processes: the models are loaded once per worker.

The analyse stage (sentence split, a tag of the sentences that matter, then text extractors) is
CPU-bound Python, so threads would share one core; separate processes use them all. Each worker
loads the spaCy model and the place index once, in its initializer, and then analyses chunks of
articles sent to it; the calling process analyses chunks too, taking its turn in the same order.
An article's analysis depends only on that article, so the results equal an in-process run
whatever the chunking (`tests/test_runners.py` checks it).

Workers are started with `spawn`, not `fork`: the parent may already run onnxruntime or server
threads, and forking a process that holds threads can deadlock the child.
"""

from __future__ import annotations

import functools
import gc
import math
import multiprocessing
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import MappingProxyType
from typing import Protocol

import numpy as np

from sitroom.config import usable_cores
from sitroom.dedupe import paraphrase_texts
from sitroom.embeddings import SentenceEmbedder
from sitroom.extract import analyse_articles
from sitroom.extract.nlp import load_nlp
from sitroom.model import Article, ArticleAnalysis

__all__ = [
    "Analyser",
    "InProcessAnalyser",
    "ProcessAnalyser",
    "analyse_and_embed_chunk",
    "analyse_chunk",
    "analyse_in_process",
    "tapered",
    "usable_cores",
    "warm_up",
]

# What `Analyser.submit` returns: call it to wait for the analyses.
PendingAnalyses = Callable[[], list[ArticleAnalysis]]


class Analyser(Protocol):
    """Where the analyse stage runs: this process (`InProcessAnalyser`), a process pool
    (`ProcessAnalyser`) or a Dask cluster (`runners.dask.DaskAnalyser`)."""

    @property
    def vectors(self) -> Mapping[str, np.ndarray]:
        """Embeddings of the sentences dedupe compares (text -> vector), made while analysing; empty when none."""
        ...

    def submit(self, articles: Sequence[Article]) -> PendingAnalyses:
        """Start analysing `articles`; the returned function waits for their analyses, in their order."""
        ...

    def close(self) -> None:
        """Let go of what the analyser holds (workers, models); idempotent."""
        ...

# A pool worker costs about 1.5 CPU-seconds to start (a fresh interpreter, spaCy, the place index
# and the embedder) and one process analyses about 20 VOA stories a second, so below this many
# articles in a batch the calling process is done about when a worker would be ready.
MIN_ARTICLES_FOR_POOL = 48
# Articles per task: small enough that both workers stay busy to the end of a batch, large
# enough that nlp.pipe still gets full batches of paragraphs (a VOA story has about 10).
CHUNK_ARTICLES = 8
# Vectors kept for the corpus stage (1.5 KB each): past this, the corpus stage embeds the rest
# itself, so a very large run trades speed for bounded memory.
MAX_KEPT_VECTORS = 200_000


def analyse_chunk(articles: Sequence[Article]) -> list[ArticleAnalysis]:
    """Analyse a chunk of articles in this process (the unit of work sent to a worker)."""
    return list(analyse_articles(list(articles)))


def analyse_in_process(articles: Sequence[Article]) -> list[ArticleAnalysis]:
    """The one-process analyser: the whole batch in this process."""
    return analyse_chunk(articles)


def analyse_and_embed_chunk(articles: Sequence[Article]) -> tuple[list[ArticleAnalysis], dict[str, np.ndarray]]:
    """Analyse a chunk, and embed the sentences that dedupe will compare as paraphrases.

    Embedding is a quarter of an ingest's cost; done here it runs in parallel with the parse of
    other chunks instead of afterwards in the one corpus process.
    """
    analyses = analyse_chunk(articles)
    texts = sorted({t for a in analyses for t in paraphrase_texts(a)})
    vectors = _worker_embedder().embed(texts) if texts else np.zeros((0, 0), np.float32)
    return analyses, dict(zip(texts, vectors))


@functools.cache
def _worker_embedder() -> SentenceEmbedder:
    """One embedder per worker process, on one thread: the other cores run the other workers."""
    return SentenceEmbedder(threads=1)


def warm_up(embed: bool = False) -> None:
    """Load the spaCy model, the place index (and the embedder) now, so the first real chunk does not pay for them."""
    chunk = [Article(id="warm-up", text="Shelling killed two people in Aleppo on Monday, officials said.")]
    analyse_and_embed_chunk(chunk) if embed else analyse_chunk(chunk)


def import_corpus_modules() -> None:
    """Import what the corpus stage imports late (SciPy's sparse matrices take a third of a CPU second).

    Run in a thread of the parent while the workers parse: the parent would otherwise sit idle
    there and pay for these imports afterwards, on the one-process path.
    """
    from scipy import sparse  # noqa: F401


class InProcessAnalyser:
    """The one-process analyser: a batch is analysed here, when its analyses are asked for."""

    vectors: Mapping[str, np.ndarray] = MappingProxyType({})  # the corpus stage embeds what it needs

    def submit(self, articles: Sequence[Article]) -> PendingAnalyses:
        return functools.partial(analyse_in_process, list(articles))

    def close(self) -> None:
        pass


def tapered(articles: Sequence[Article], workers: int, size: int = CHUNK_ARTICLES) -> list[list[Article]]:
    """Chunks that shrink towards the end of the batch (guided scheduling).

    Each is about a 2·workers-th of what is left, at most `size`: early chunks are big (few
    hand-overs), the last ones small, so no process waits long for another's last chunk at the
    batch's end.
    """
    out, start = [], 0
    while start < len(articles):
        n = max(1, min(size, math.ceil((len(articles) - start) / (2 * max(1, workers)))))
        out.append(list(articles[start : start + n]))
        start += n
    return out


def keep_vectors(kept: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> None:
    """Add workers' vectors to `kept`, up to MAX_KEPT_VECTORS."""
    for text, vector in new.items():
        if len(kept) >= MAX_KEPT_VECTORS:
            return
        kept[text] = vector


class ProcessAnalyser:
    """Analyses batches on `workers` processes: this one and a pool of `workers - 1`.

    The calling process works too: it would otherwise wait idle on the pool, and one worker
    fewer is one interpreter, spaCy and embedder fewer to start (about 1.5 CPU-seconds). The pool
    starts on the first batch large enough to need it. With `embed`, each chunk's cited
    sentences are embedded where it is analysed; `vectors` collects them.
    """

    def __init__(self, workers: int, *, min_articles: int = MIN_ARTICLES_FOR_POOL, embed: bool = False) -> None:
        if workers < 2:
            raise ValueError("a process pool needs at least 2 workers; use analyse_in_process for 1")
        self.workers = workers
        self.min_articles = min_articles
        self.embed = embed
        self.vectors: dict[str, np.ndarray] = {}
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, articles: Sequence[Article]) -> PendingAnalyses:
        """The batch is analysed (here and on the pool) when its analyses are asked for."""
        return functools.partial(self, list(articles))

    def __call__(self, articles: Sequence[Article]) -> list[ArticleAnalysis]:
        """The analyses of `articles`, in their order."""
        if len(articles) < self.min_articles and self._pool is None:
            return analyse_in_process(articles)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers - 1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=warm_up,
                initargs=(self.embed,),
            )
            threading.Thread(target=import_corpus_modules, name="sitroom-import-corpus-modules", daemon=True).start()
        work = analyse_and_embed_chunk if self.embed else analyse_chunk
        chunks = tapered(articles, self.workers)
        results: list = [None] * len(chunks)
        waiting: dict[Future, int] = {}
        ahead = 2 * (self.workers - 1)  # chunks queued per pool worker, so none waits between two
        taken = 0  # chunks are handed out in order, the big ones first, to the pool and to this process
        while taken < len(chunks) or waiting:
            while taken < len(chunks) and len(waiting) < ahead:
                waiting[self._pool.submit(work, chunks[taken])] = taken
                taken += 1
            if taken < len(chunks):
                results[taken] = work(chunks[taken])
                taken += 1
                done = [f for f in waiting if f.done()]
            else:
                done = list(wait(waiting, return_when=FIRST_COMPLETED).done)
            for future in done:
                results[waiting.pop(future)] = future.result()
        out: list[ArticleAnalysis] = []
        for result in results:
            part, vectors = result if self.embed else (result, {})
            out.extend(part)
            keep_vectors(self.vectors, vectors)
        return out

    def close(self) -> None:
        """Stop the workers and let this process's models go (idempotent).

        The corpus stage that follows runs in this process and needs neither the tagger nor the
        embedder; dropping them returns about 100 MB before its peak.
        """
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            load_nlp.cache_clear()
            _worker_embedder.cache_clear()
            gc.collect()

    def __enter__(self) -> ProcessAnalyser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
