"""The local runner: read → skip known → analyse → store, in batches, then dedupe → fuse → stories.

Per-article stages stream in batches of `Settings.batch_size`, each batch written in one
transaction, so a crash loses at most the two batches in flight and a rerun finishes the job. The
analyse stage runs in `Settings.workers` processes (`runners.pool`), or on a Dask cluster when
`runners.dask` passes its own analyser. Corpus stages then recompute the fused records from
every stored analysis; their results depend only on the set of articles, never on the order
they arrived in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from sitroom.config import Settings
from sitroom.model import Article, ArticleAnalysis, IngestSummary, Rejection, Report, SourceSpan
from sitroom.pipeline import Batch, Pipeline, stage
from sitroom.runners.pool import Analyser, ProcessAnalyser, analyse_in_process, submit_to
from sitroom.store.base import Store

if TYPE_CHECKING:
    from sitroom.ceasefire import TruceNotes
    from sitroom.dedupe import DuplicateIndex
    from sitroom.stories import StoryDigest

Progress = Callable[[str, int], None]  # (what, how many more) for progress bars
T = TypeVar("T")


def analysis_pipeline(store: Store, settings: Settings, analyser: Analyser = analyse_in_process) -> Pipeline:
    """Per-article stages over a batch of read articles; `analyser` does the extraction (in process by default).

    `submit` hands the batch to the analyser and `analyse` waits for its analyses, so a runner may
    submit the next batch before it stores this one (`ingest_items` does): a cluster then has
    work queued while this process writes. Articles submitted and not yet stored count as known.
    """
    in_flight: dict[str, str] = {}  # id -> content hash of articles submitted but not yet stored

    @stage("skip_known", requires=["articles"], assigns=["articles", "unchanged"])
    def skip_known(batch: Batch) -> None:
        known = store.known_hashes(a.id for a in batch.articles)
        fresh, seen = [], {}
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
        batch.pending = submit_to(analyser, batch.articles) if batch.articles else list

    @stage("analyse", requires=["pending"], assigns=["analyses"])
    def analyse(batch: Batch) -> None:
        batch.analyses = batch.pending()
        batch.pending = None

    @stage("store", requires=["analyses", "rejections"])
    def persist(batch: Batch) -> None:
        store.save_analyses(batch.analyses, batch.rejections)
        for a in batch.articles:
            if in_flight.get(a.id) == a.content_hash:
                del in_flight[a.id]

    return Pipeline([skip_known, submit, analyse, persist], provided=["articles", "rejections"])


@dataclass
class CorpusDigest:
    """What the corpus stages keep of every stored analysis, gathered in one streaming pass.

    An analysis (text, every sentence, mention, report and quote) takes about 60 KB in memory;
    fusion needs its reports, the ceasefire tracker its truce sentences (few articles have any),
    story building its view texts, and dedupe sees its sentences as they stream past. So each
    analysis is read, reduced to these and let go.
    """

    duplicates: DuplicateIndex
    reports: list[Report] = field(default_factory=list)
    # (article id, start) -> sentence index, for the sentences reports cite (fusion's evidence keys)
    cited_sentences: dict[tuple[str, int], int] = field(default_factory=dict)
    truces: list[TruceNotes] = field(default_factory=list)
    stories: list[StoryDigest] = field(default_factory=list)
    # One bytes object per distinct set of view texts: word-for-word copies (wire re-posts) share it.
    _story_views: dict[bytes, bytes] = field(default_factory=dict, repr=False)

    def add(self, a: ArticleAnalysis) -> None:
        """Take what the corpus stages need from one analysis."""
        from sitroom.ceasefire import truce_notes
        from sitroom.dedupe import cited_sentence_keys
        from sitroom.stories import StoryDigest

        self.duplicates.add(a.sentences, paraphrase_keys=cited_sentence_keys(a))
        self.reports.extend(_shared_strings(r, self.duplicates.interned) for r in a.reports)
        cited = {(sp.article_id, sp.start) for r in a.reports for sp in (*r.sources, *(c.source for c in r.claims))}
        for s in a.sentences:
            if (s.article_id, s.start) in cited:
                self.cited_sentences[(sys.intern(s.article_id), s.start)] = s.index
        notes = truce_notes(a)
        if notes is not None:
            self.truces.append(notes)
        story = StoryDigest.of(a)
        shared = self._story_views.setdefault(story.packed, story.packed)
        self.stories.append(story if shared is story.packed else replace(story, packed=shared))


def _shared_strings(value: T, sentence_text: Callable[[str], str]) -> T:
    """`value` (a report, or a part of one) rebuilt so that its strings are shared, equal as before.

    Every report repeats its article id in each span, and cites sentences whose text the dedupe
    index holds already; decoded from JSON, each is a string of its own. Sentences come from
    `sentence_text` (the index's copy), other strings are interned; what is not a string, a tuple
    or a dataclass is kept as it is.
    """
    if isinstance(value, str):
        return sys.intern(value)  # type: ignore[return-value]
    if isinstance(value, SourceSpan):
        return SourceSpan(sys.intern(value.article_id), value.start, value.end, sentence_text(value.sentence))  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_shared_strings(v, sentence_text) for v in value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{f.name: _shared_strings(getattr(value, f.name), sentence_text) for f in dataclasses.fields(value)})
    return value


def corpus_pipeline(store: Store, settings: Settings, vectors: Mapping[str, np.ndarray] | None = None) -> Pipeline:
    """Corpus stages: from every stored analysis to duplicates, events, stories and ceasefires.

    `vectors` holds sentence embeddings the analysis workers already computed (text -> vector).
    The stored analyses are streamed once (`load`) and reduced to a `CorpusDigest`; each later
    stage drops what it alone needed, so that memory holds digests, not analyses.
    """

    @stage("load", assigns=["corpus_digest"])
    def load(batch: Batch) -> None:
        from sitroom.dedupe import DuplicateIndex
        from sitroom.embeddings import PrecomputedEmbedder

        embedder = PrecomputedEmbedder(vectors) if vectors else None
        index = DuplicateIndex(embedder=embedder, paraphrase_threshold=0.8 if settings.paraphrase else None)
        digest = CorpusDigest(index)
        for a in store.iter_analyses():
            digest.add(a)
        batch.corpus_digest = digest

    @stage("dedupe", requires=["corpus_digest"], assigns=["duplicates", "evidence_key"])
    def dedupe(batch: Batch) -> None:
        digest: CorpusDigest = batch.corpus_digest  # type: ignore[assignment]
        cited = {(article_id, index) for (article_id, _), index in digest.cited_sentences.items()}
        result = digest.duplicates.result(evidence_for=cited)
        del digest.duplicates  # the index (every sentence) is the largest part of the digest
        batch.duplicates = result.groups  # compact: passages are made as the save writes them
        batch.evidence_key = dict(result.evidence_key)

    @stage("fuse", requires=["corpus_digest", "evidence_key"], assigns=["events"])
    def fuse_stage(batch: Batch) -> None:
        from sitroom.fuse import fuse

        digest: CorpusDigest = batch.corpus_digest  # type: ignore[assignment]
        batch.events = fuse(digest.reports, batch.evidence_key, digest.cited_sentences)
        digest.reports, digest.cited_sentences = [], {}
        batch.evidence_key = {}

    @stage("ceasefires", requires=["corpus_digest", "events"], assigns=["ceasefires", "events"])
    def ceasefires(batch: Batch) -> None:
        from sitroom.ceasefire import track_ceasefires

        digest: CorpusDigest = batch.corpus_digest  # type: ignore[assignment]
        batch.ceasefires, batch.events = track_ceasefires(digest.truces, batch.events)

    @stage("stories", requires=["corpus_digest", "events"], assigns=["stories", "events"])
    def stories(batch: Batch) -> None:
        from sitroom.stories import build_stories

        digest: CorpusDigest = batch.corpus_digest  # type: ignore[assignment]
        batch.stories, batch.events = build_stories(digest.stories, batch.events)
        batch.corpus_digest = None

    @stage("save", requires=["events", "stories", "duplicates", "ceasefires"])
    def save(batch: Batch) -> None:
        store.save_results(batch.events, batch.stories, batch.duplicates, batch.ceasefires)

    return Pipeline([load, dedupe, fuse_stage, ceasefires, stories, save], provided=["sources"])


def _batched(items: Iterable[Article | Rejection], size: int) -> Iterator[tuple[list[Article], list[Rejection]]]:
    articles: list[Article] = []
    rejections: list[Rejection] = []
    for item in items:
        (articles if isinstance(item, Article) else rejections).append(item)  # type: ignore[arg-type]
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
                else analyse_in_process
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
    events = stories = 0
    # Also re-fuse when an earlier run died between storing articles and saving the fused records.
    if new or not store.counts()["events"] or store.results_outdated():
        if progress:
            progress("fusing", 0)
        vectors = getattr(analyser, "vectors", None)  # embeddings the workers computed, if any
        corpus = corpus_pipeline(store, settings, vectors).run(Batch())
        events, stories = len(corpus.events), len(corpus.stories)
    else:
        counts = store.counts()
        events, stories = counts["events"], counts["stories"]
    return IngestSummary(read, new, unchanged, tuple(skipped), events, stories, started, time.perf_counter() - t0)


def ingest_sources(
    sources: Sequence[str],
    store: Store,
    *,
    limits=None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    stdin=None,
    analyser: Analyser | None = None,
) -> IngestSummary:
    """Read every source (files, folders, `-`, URLs, feeds) and run the whole pipeline."""
    from sitroom.ingest import IngestLimits
    from sitroom.ingest.files import read_sources

    settings = settings or Settings.from_env()
    limits = limits or IngestLimits(allow_private_addresses=settings.allow_private_urls)
    items = read_sources(sources, config=limits, stdin=stdin)
    return ingest_items(items, store, settings=settings, progress=progress, analyser=analyser)


def ingest_articles(articles: Sequence[Article], store: Store, *, settings: Settings | None = None) -> IngestSummary:
    """Run the pipeline over articles built in memory (the API's text ingest)."""
    return ingest_items(articles, store, settings=settings)


__all__ = ["ArticleAnalysis", "ingest_articles", "ingest_items", "ingest_sources"]
