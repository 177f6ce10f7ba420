"""The Dask runner: per-article analysis on a dask.distributed cluster, corpus stages here.

    sitroom ingest SOURCE... --runner dask --scheduler tcp://host:8786   # an existing cluster
    sitroom ingest SOURCE... --runner dask --scheduler local             # a LocalCluster on this machine

Reading, `skip_known`, storing and the corpus stages (dedupe → fuse → ceasefires → stories →
save) run in this process exactly as in `runners.local`; only the analyse stage, which is most of
the cost, is mapped over the cluster's workers in chunks of articles. Each worker loads the spaCy
model and the place index once (`runners.pool.warm_up`, run on every worker when we connect).
An analysis depends only on its article, so the records equal the local runner's on the same
input (`tests/test_dask_runner.py`).

Workers of an existing cluster need sitroom installed (same version) and, for places outside the
built-in index, the same `SITROOM_GAZETTEER` file. Dask is an optional extra: this module imports
it only when a runner is built, and fails with the install command when it is missing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sitroom.config import Settings
from sitroom.errors import MissingExtra
from sitroom.model import Article, ArticleAnalysis, IngestSummary
from sitroom.runners.local import Progress, ingest_sources
from sitroom.runners.pool import (
    PendingAnalyses,
    analyse_and_embed_chunk,
    analyse_chunk,
    keep_vectors,
    tapered,
    warm_up,
)

from sitroom.store.base import Store

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["DaskAnalyser", "connect", "ingest_sources_dask"]


def _distributed() -> Any:
    """The `distributed` package, or MissingExtra naming the install command."""
    try:
        import distributed
    except ImportError as exc:
        raise MissingExtra("The Dask runner", "dask") from exc
    return distributed


@contextlib.contextmanager
def connect(scheduler: str, *, workers: int = 2) -> Iterator[Client]:
    """A Client of the scheduler at `scheduler`, or of a LocalCluster of `workers` processes for 'local'."""
    distributed = _distributed()
    if scheduler == "local":
        # One thread per worker: the analysis is CPU-bound Python, so threads in one worker would
        # share the GIL; processes are what scale. No dashboard: it needs bokeh and a free port.
        cluster = distributed.LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None
        )
        try:
            with distributed.Client(cluster) as client:
                yield client
        finally:
            cluster.close()
    else:
        with distributed.Client(scheduler) as client:
            yield client


class DaskAnalyser:
    """Analyses each batch on the cluster, in chunks; results come back in the batch's order.

    With `embed`, workers also embed the sentences dedupe will compare; `vectors` collects them.
    """

    def __init__(self, client: Client, *, embed: bool = False) -> None:
        self.client = client
        self.embed = embed
        self.vectors: dict[str, np.ndarray] = {}
        client.run(warm_up, embed)  # every worker loads its models now, not inside the first batch

    def __call__(self, articles: Sequence[Article]) -> list[ArticleAnalysis]:
        """The analyses of `articles`, in their order."""
        return self.submit(articles)()

    def submit(self, articles: Sequence[Article]) -> PendingAnalyses:
        """Send `articles` to the cluster now; the returned function waits for their analyses.

        The scheduler runs earlier submissions first, so a batch submitted while the previous one
        is still running queues behind it and keeps the workers busy across the hand-over.
        """
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        task = analyse_and_embed_chunk if self.embed else analyse_chunk
        futures = self.client.map(task, tapered(articles, workers), pure=False)

        def gather() -> list[ArticleAnalysis]:
            out: list[ArticleAnalysis] = []
            for result in self.client.gather(futures):
                if self.embed:
                    part, vectors = result
                    keep_vectors(self.vectors, vectors)
                else:
                    part = result
                out.extend(part)
            return out

        return gather

    def close(self) -> None:
        """Nothing to let go: the client belongs to `connect`, which closes it."""


def ingest_sources_dask(
    sources: Sequence[str],
    store: Store,
    *,
    scheduler: str = "local",
    settings: Settings | None = None,
    progress: Progress | None = None,
    limits=None,
    stdin=None,
) -> IngestSummary:
    """Read every source and run the whole pipeline, with the analysis on the Dask cluster at `scheduler`."""
    settings = settings or Settings.from_env()
    with connect(scheduler, workers=settings.workers) as client:
        return ingest_sources(
            sources,
            store,
            limits=limits,
            settings=settings,
            progress=progress,
            stdin=stdin,
            analyser=DaskAnalyser(client, embed=settings.paraphrase),
        )
