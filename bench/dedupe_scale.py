"""Time exact + near-copy deduplication on many short synthetic documents, in the store's index.

    python bench/dedupe_scale.py                 # 10k and 100k documents
    python bench/dedupe_scale.py --full          # ... and 1M
    python bench/dedupe_scale.py --sizes 50000 --corpus   # draw sentences from the VOA corpus
    python bench/dedupe_scale.py --smoke         # 1,000 documents in batches of 200

Documents are one to three sentences built from templates written here (or drawn from
../shared/corpus/voa/voa_stories.jsonl with --corpus). About 10% are verbatim copies of an
earlier document, 5% restyled copies (case, quotes, punctuation) and 10% copies with one word
changed, so the expected groups are known and recall is printed next to the timings.
Paraphrase detection is not timed: it is bound by the embedding model (see embeddings.py). The
documents go batch by batch into the duplicate index a store keeps (`sitroom.corpus.duplicates`),
each batch one transaction, as ingest feeds it.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

from _script import CORPUS, add_smoke_flag  # first: it puts this checkout's src/ on the path

from sitroom.model import Sentence, SentenceRef

VOA = CORPUS / "voa" / "voa_stories.jsonl"
SMOKE = {"sizes": [1_000], "batch": 200}

ACTORS = ["Government forces", "Rebel fighters", "Militants", "Police", "Coalition aircraft", "Unidentified gunmen",
          "Army units", "Opposition groups", "Security forces", "Tribal fighters", "Drone operators", "Protesters"]
VERBS = ["shelled", "attacked", "raided", "struck", "surrounded", "bombed", "seized", "entered", "withdrew from",
         "fired rockets at", "blockaded", "stormed"]
PLACES = ["Aleppo", "Idlib", "Homs", "Hama", "Deir ez-Zor", "Raqqa", "Daraa", "Mosul", "Kirkuk", "Sanaa", "Taiz",
          "Hodeidah", "Benghazi", "Sirte", "Misrata", "Gao", "Timbuktu", "Mogadishu", "Kismayo", "Goma", "Bunia",
          "Juba", "Malakal", "Marib", "Tripoli", "Kidal", "Beni", "Baidoa"]
WHEN = ["on Monday", "on Tuesday", "early on Wednesday", "late on Thursday", "on Friday night", "over the weekend",
        "at dawn on Saturday", "overnight", "on Sunday afternoon", "last week"]
AFTER = ["killing at least {n} people", "wounding {n} civilians", "according to local officials",
         "a monitoring group said", "residents told reporters", "in the heaviest fighting in months",
         "despite a ceasefire agreed {w} days earlier", "forcing {n} families to flee", "officials said {n} died"]
SOURCES = ["the health ministry", "a local council", "the UN office", "a rights group", "the army spokesman",
           "hospital staff", "an opposition monitor", "the provincial governor"]
REACT = ["{s} said the toll could rise.", "{s} called for an investigation.", "{s} denied any involvement.",
         "{s} blamed the other side for the violence.", "{s} said {n} aid trucks were turned back."]


def template_sentence(rng: random.Random) -> str:
    """One made-up but news-like sentence."""
    n, w = rng.randint(2, 300), rng.randint(2, 14)
    if rng.random() < 0.75:
        return (f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(PLACES)} {rng.choice(WHEN)}, "
                f"{rng.choice(AFTER).format(n=n, w=w)}.")
    return rng.choice(REACT).format(s=rng.choice(SOURCES).capitalize(), n=n)


def corpus_sentences(limit: int = 200_000) -> list[str]:
    """Sentences of at least five words from the VOA corpus, read in place."""
    import re

    out: list[str] = []
    with VOA.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            out += [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]
            if len(out) >= limit:
                break
    return out


def perturb(text: str, rng: random.Random) -> str:
    """Replace one word of at least four letters with another word."""
    words = text.split(" ")
    slots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not slots:
        return text + " again"
    words[rng.choice(slots)] = rng.choice(["reportedly", "allegedly", "nearby", "northern", "heavily"])
    return " ".join(words)


def make_documents(n: int, seed: int, pool: list[str] | None) -> tuple[list[str], list[tuple[int, int]]]:
    """`n` short documents and the (copy, original) index pairs that were planted."""
    rng = random.Random(seed)
    docs: list[str] = []
    copies: list[tuple[int, int]] = []
    for i in range(n):
        r = rng.random()
        if i > 10 and r < 0.25:
            j = rng.randrange(len(docs))
            source = docs[j]
            copies.append((i, j))
            if r < 0.10:
                docs.append(source)
            elif r < 0.15:
                docs.append("\u201c" + source.upper().replace(",", "") + "\u201d")
            else:
                docs.append(perturb(source, rng))
            continue
        k = rng.choice((1, 2, 2, 3))
        docs.append(" ".join(rng.choice(pool) if pool else template_sentence(rng) for _ in range(k)))
    return docs, copies


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (ru_maxrss is KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int, batch: int, pool: list[str] | None, per_article: int = 1) -> None:
    """Feed one size to the store's duplicate index (a fresh SQLite store), batch by batch as ingest does, and report."""
    import tempfile

    from sitroom.corpus import duplicates as index
    from sitroom.model import Article, ArticleAnalysis
    from sitroom.store import open_store

    docs, copies = make_documents(n, seed=n, pool=pool)
    # Document i is sentence i % per_article of article i // per_article (one article each by default).
    ident = lambda i: (f"d{i // per_article:07d}", i % per_article)  # noqa: E731
    articles: dict[str, list[Sentence]] = {}
    for i, t in enumerate(docs):
        aid, k = ident(i)
        articles.setdefault(aid, []).append(Sentence(aid, k, 0, len(t), t))
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"{tmp}/dedupe.db")
        ids = sorted(articles)
        started = time.perf_counter()
        step = max(1, batch // per_article)
        for lo in range(0, len(ids), step):
            with store.corpus_session() as session:
                session.paraphrase = False
                found = [ArticleAnalysis(Article(a, " ".join(s.text for s in articles[a]), content_hash=a), tuple(articles[a]), (), ())
                         for a in ids[lo : lo + step]]
                index.add_articles(session, found)
        seconds = time.perf_counter() - started
        with store.corpus_session() as session:
            keys = index.evidence_keys(session, ids).groups
            units = session.next_unit_id() - 1
        store.close()  # checkpoints the write-ahead log into the file
        size_mb = Path(f"{tmp}/dedupe.db").stat().st_size / 2**20
    found = sum(keys.get(SentenceRef(*ident(i))) == keys.get(SentenceRef(*ident(j))) for i, j in copies)
    print(
        f"{n:>9,} docs  {seconds:8.1f} s  {n / seconds:9,.0f} docs/s  peak RSS {peak_rss_mb():7,.0f} MB  "
        f"planted copies found {found:,}/{len(copies):,}  store {size_mb:,.0f} MB for {units:,} distinct texts",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=None, help="document counts (default 10k 100k)")
    parser.add_argument("--full", action="store_true", help="also run 1,000,000 documents")
    parser.add_argument("--batch", type=int, default=5_000, help="documents per batch (one transaction each)")
    parser.add_argument("--per-article", type=int, default=1, help="documents per article (30: news-like articles)")
    parser.add_argument("--corpus", action="store_true", help="draw sentences from the VOA corpus when present")
    add_smoke_flag(parser, f"{SMOKE['sizes'][0]:,} documents in batches of {SMOKE['batch']}")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.batch, args.full = SMOKE["sizes"], SMOKE["batch"], False
    sizes = args.sizes or [10_000, 100_000] + ([1_000_000] if args.full else [])
    pool = None
    if args.corpus:
        if VOA.is_file():
            pool = corpus_sentences()
            print(f"drawing from {len(pool):,} VOA sentences", file=sys.stderr)
        else:
            print(f"no corpus at {VOA}; using templates", file=sys.stderr)
    for n in sizes:
        run(n, args.batch, pool, args.per_article)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
