"""ECB+ through the real pipeline: story clustering and cross-document event coreference.

Run from anywhere: `python bench/ecbplus.py [--topics all|test] [--db PATH] [-v] [--smoke]` (`--smoke`: topic 36 alone).

Every ECB+ document goes in as a JSONL article (`{"id", "text"}`, the reader users have) and runs
through the whole pipeline into a SQLite store. Then:

- **stories** are scored against the 86 gold stories (`cluster_id`: a topic's seminal event;
  each topic pairs two look-alike real events) with B-cubed. The story constants were tuned on
  the odd-numbered topics; the even-numbered topics are the held-out half, reported apart.
- **event coreference**: each gold ACTION mention (types `ACTION_*` and `NEG_ACTION_*`, clustered
  by `instance_id`, mentions without one being singletons) is given the sitroom event whose
  sources cite the sentence holding it; a mention in no event's sentence is a singleton. Scored
  with MUC, B-cubed, CEAF-e and their CoNLL mean (bench/coref_scores.py, over `scorch`).

`--neighbours 50,10` also re-clusters the stored articles with each keeping only that many nearest
pairs (as an article of a 100,000-article corpus keeps 50), with the pieces joined again on their
exact group means as sitroom does, and without (average link over the kept pairs alone).

`--topics test` keeps the usual test split of ECB+ (topics 36-45, Cybulska & Vossen 2015), the one
published event-coreference results are reported on. `--db PATH` keeps the store so that a rerun
only re-fuses (the analyses are reused); without it a temporary store is used.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from _script import CORPUS as SHARED_CORPUS
from _script import REPO, add_smoke_flag, corpus_missing

CORPUS = SHARED_CORPUS / "ecbplus" / "ecbplus_docs.jsonl"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from coref_scores import Score, b_cubed, ceaf_e, muc  # noqa: E402

TEST_TOPICS = range(36, 46)
SMOKE_TOPICS = (36,)  # one topic: its two look-alike events, about 20 documents
EVENT_TYPES = ("ACTION_", "NEG_ACTION_")


@dataclass(frozen=True)
class CorefResult:
    """Event-coreference scores of one response against the gold mentions."""

    mentions: int
    covered: int  # gold mentions that fell in a sentence some sitroom event cites
    muc: Score
    b_cubed: Score
    ceaf_e: Score

    @property
    def conll_f1(self) -> float:
        """Mean of the MUC, B-cubed and CEAF-e F1."""
        return (self.muc.f1 + self.b_cubed.f1 + self.ceaf_e.f1) / 3


def doc_id(doc: dict) -> str:
    """The article id a document gets: its file name without `.xml`."""
    return doc["doc_name"].removesuffix(".xml")


def load_documents(path: Path = CORPUS, topics=None) -> list[dict]:
    """The ECB+ documents, optionally only those of some topics."""
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [d for d in docs if topics is None or d["topic"] in topics]


def run_pipeline(docs: list[dict], db: str) -> tuple[list[dict], list[dict], dict[str, str]]:
    """Ingest the documents as JSONL records; the stored stories, events, and cleaned texts."""
    from sitroom.ingest.files import article_from_record
    from sitroom.model import Article
    from sitroom import corpus
    from sitroom.config import Settings
    from sitroom.runners.local import ingest_items
    from sitroom.store import open_store
    from sitroom.store.base import EventQuery

    articles: list[Article] = [article_from_record({"id": doc_id(d), "text": d["text"]}, origin="ecbplus") for d in docs]
    store = open_store(db)
    try:
        summary = ingest_items(articles, store)
        if summary.new == 0:  # a kept store: re-fuse so that changed fusion or story code counts
            corpus.rebuild(store, paraphrase=Settings.from_env().paraphrase)
        stories = store.list_stories(limit=1_000_000).items
        events = store.query_events(EventQuery(limit=10_000_000)).items
    finally:
        store.close()
    return stories, events, {a.id: a.text for a in articles}


def story_scores(docs: list[dict], stories: list[dict], topics=None) -> tuple[Score, int, int]:
    """B-cubed of the stories against the gold stories, over the documents of `topics` (all if None)."""
    story_of = {aid: s["id"] for s in stories for aid in s["article_ids"]}
    kept = [d for d in docs if topics is None or d["topic"] in topics]
    key = {doc_id(d): d["cluster_id"] for d in kept}
    response = {doc_id(d): story_of.get(doc_id(d), "missing:" + doc_id(d)) for d in kept}
    return b_cubed(key, response), len(set(key.values())), len(set(response.values()))


def neighbour_budget_scores(docs: list[dict], db: str, budgets: list[int]) -> list[tuple[int, tuple[Score, int], tuple[Score, int]]]:
    """Story B-cubed (and story count) when each article keeps only `k` nearest pairs, for each k:
    as sitroom clusters (pieces joined on exact group means), and average link over the kept pairs alone."""
    from sitroom import stories as st
    from sitroom.store import open_store

    store = open_store(db)
    try:
        digests = st._digests(list(store.iter_analyses()))
    finally:
        store.close()

    def scored(groups: list[list[str]]) -> tuple[Score, int]:
        score, _, n = story_scores(docs, [{"id": str(k), "article_ids": g} for k, g in enumerate(groups)])
        return score, n

    out = []
    for k in budgets:
        regrouped = st.cluster_articles(digests, neighbours=k)
        sims = st.article_similarities(digests, k)
        labels = st.average_link(len(digests), sims, st.STORY_THRESHOLD)
        labels = st.average_link(len(digests), sims, st.JOIN_THRESHOLD, start=labels, small=st.SMALL_STORY)
        pieces: dict[int, list[str]] = {}
        for d, label in zip(digests, labels):
            pieces.setdefault(label, []).append(d.article_id)
        out.append((k, scored(regrouped), scored(list(pieces.values()))))
    return out


def line_spans(doc: dict, text: str) -> list[tuple[int, int] | None]:
    """Where each gold sentence (a line of the document) lies in the cleaned article text."""
    spans: list[tuple[int, int] | None] = []
    at = 0
    for line in doc["text"].split("\n"):
        line = line.strip()
        found = text.find(line, at) if line else -1
        if found < 0 and line:
            found = text.find(line)
        if found < 0:
            spans.append(None)  # cleaned away (a headline taken as title, boilerplate)
            continue
        spans.append((found, found + len(line)))
        at = found + len(line)
    return spans


def event_coreference(docs: list[dict], events: list[dict], texts: dict[str, str], topics=None) -> CorefResult:
    """Gold ACTION mentions clustered by `instance_id` against the sitroom events citing their sentences."""
    cited: dict[str, list[tuple[int, int, str]]] = {}
    for e in events:
        for s in e["sources"]:
            cited.setdefault(s["article_id"], []).append((s["start"], s["end"], e["id"]))
    key: dict[tuple[str, str], str] = {}
    response: dict[tuple[str, str], str] = {}
    for d in docs:
        if topics is not None and d["topic"] not in topics:
            continue
        aid = doc_id(d)
        spans = line_spans(d, texts[aid])
        for m in d["mentions"]:
            if not m["type"].startswith(EVENT_TYPES):
                continue
            mention = (aid, m["m_id"])
            key[mention] = m.get("instance_id") or f"gold-singleton:{aid}:{m['m_id']}"
            span = spans[m["sent"]] if m["sent"] < len(spans) else None
            event = _event_at(cited.get(aid, []), span) if span else None
            response[mention] = event or f"singleton:{aid}:{m['m_id']}"
    covered = sum(1 for v in response.values() if not v.startswith("singleton:"))
    return CorefResult(len(key), covered, muc(key, response), b_cubed(key, response), ceaf_e(key, response))


def _event_at(cited: list[tuple[int, int, str]], span: tuple[int, int]) -> str | None:
    """The event whose sources overlap this sentence most (ties: smallest id)."""
    overlap: Counter[str] = Counter()
    for start, end, event_id in cited:
        shared = min(end, span[1]) - max(start, span[0])
        if shared > 0:
            overlap[event_id] += shared
    return min(overlap, key=lambda e: (-overlap[e], e)) if overlap else None


def singleton_baseline(docs: list[dict], topics=None) -> CorefResult:
    """Every gold mention alone: the floor any linking must beat on B-cubed and CEAF-e."""
    texts = {doc_id(d): "" for d in docs}
    return event_coreference(docs, [], texts, topics)


def _print_coref(label: str, r: CorefResult) -> None:
    print(f"  {label}: {r.mentions} mentions, {r.covered} ({r.covered / max(r.mentions, 1):.1%}) in a sitroom event")
    print(f"    MUC     {r.muc}\n    B-cubed {r.b_cubed}\n    CEAF-e  {r.ceaf_e}\n    CoNLL F1 {r.conll_f1:.3f}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", choices=("all", "test"), default="all", help="all 43 topics, or the test split (36-45)")
    parser.add_argument("--db", help="keep the store here (reruns reuse its analyses)")
    parser.add_argument("--neighbours", help="comma-separated pair budgets per article to re-cluster the stories with")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list stories that mix gold stories")
    add_smoke_flag(parser, f"topic {SMOKE_TOPICS[0]} alone")
    args = parser.parse_args(argv)
    if corpus_missing(CORPUS):
        return 0
    if args.smoke:
        args.topics, topics, label = "smoke", SMOKE_TOPICS, f"topic {SMOKE_TOPICS[0]} (smoke)"
    else:
        topics, label = (TEST_TOPICS if args.topics == "test" else None), f"{args.topics} topics"
    docs = load_documents(topics=topics)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "ecbplus.db")
        t0 = time.perf_counter()
        stories, events, texts = run_pipeline(docs, db)
        elapsed = time.perf_counter() - t0
        budgets = [int(k) for k in args.neighbours.split(",")] if args.neighbours else []
        by_budget = neighbour_budget_scores(docs, db, budgets) if budgets else []
    print(f"ECB+ {label}: {len(docs)} documents through the pipeline in {elapsed:.1f} s; {len(events)} events")
    score, gold_n, stories_n = story_scores(docs, stories)
    print(f"stories: {stories_n} (gold {gold_n}); B-cubed {score}")
    if args.topics == "all":
        for label, keep in (("odd topics (tuning half)", range(1, 46, 2)), ("even topics (held out)", range(2, 46, 2)), ("test topics 36-45", TEST_TOPICS)):
            half, g, s = story_scores(docs, stories, keep)
            print(f"  {label}: {s} stories (gold {g}); B-cubed {half}")
    for k, regrouped, sparse_only in by_budget:
        print(f"stories, {k} nearest pairs an article: joined on group means {regrouped[1]} stories, B-cubed {regrouped[0]}; "
              f"kept pairs alone {sparse_only[1]} stories, B-cubed {sparse_only[0]}")
    print("event coreference (ACTION mentions, instance_id):")
    _print_coref(label, event_coreference(docs, events, texts))
    if args.topics == "all":
        _print_coref("test topics 36-45", event_coreference(docs, events, texts, TEST_TOPICS))
    _print_coref("baseline, every mention alone", singleton_baseline(docs))
    if args.verbose:
        gold_of = {doc_id(d): d["cluster_id"] for d in docs}
        for s in stories:
            mix = Counter(gold_of[a] for a in s["article_ids"] if a in gold_of)
            if len(mix) > 1:
                print(f"  mixed story {s['id']}: {dict(mix)}  {s['title']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
