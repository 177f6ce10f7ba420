"""The store's side of the corpus stage: the one-pass read of every analysis and the save of its records."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sitroom.model import Article, ArticleAnalysis, DuplicateGroup, Sentence, SourceSpan
from sitroom.store.base import PAGE_SIZE
from sitroom.store.chunked import CHUNK
from sitroom.store.sqlite import CACHE_SIZE, MMAP_SIZE, SCAN_CACHE_SIZE, one_pass_reads


def _group(i: int, kind: str = "exact") -> DuplicateGroup:
    sentence = f"Copied sentence number {i} about the convoy."
    return DuplicateGroup(kind, (SourceSpan(f"a{i}", 0, len(sentence), sentence), SourceSpan(f"b{i}", 10, 10 + len(sentence), sentence)))


def test_save_writes_every_duplicate_group_across_chunks(store) -> None:
    groups = [_group(i, "exact" if i % 3 else "near") for i in range(2 * CHUNK + 7)]
    store.save_results([], [], groups + groups[:5])  # repeats are written once
    everything = store.list_duplicates(limit=10 * CHUNK)
    assert everything.total == len(groups)
    assert sorted(map(repr, everything.items)) == sorted(repr(g.to_dict()) for g in groups)
    assert store.list_duplicates(kind="near").total == len([g for g in groups if g.kind == "near"])
    # What an export walks: every group, over pages of PAGE_SIZE, in list order (more groups than a page).
    assert len(groups) > PAGE_SIZE
    assert list(store.iter_duplicates()) == everything.items
    assert list(store.iter_duplicates("near")) == store.list_duplicates(kind="near", limit=10 * CHUNK).items
    # A later save replaces them all.
    store.save_results([], [], groups[:3])
    assert store.list_duplicates().total == 3


def _analysis(aid: str) -> ArticleAnalysis:
    body = f"Shelling hit the market in article {aid}."
    return ArticleAnalysis(Article(aid, body, content_hash=f"h-{aid}"), (Sentence(aid, 0, 0, len(body), body),), (), ())


def _mmap_size(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text("PRAGMA mmap_size")).scalar_one()


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_sqlite_corpus_pass_reads_one_pass_reads_and_gives_the_mapping_back(store) -> None:
    store.save_analyses([_analysis(f"a{i}") for i in range(3)], [])
    assert _mmap_size(store) == MMAP_SIZE
    with store.engine.connect() as conn, one_pass_reads(conn):
        assert conn.execute(text("PRAGMA mmap_size")).scalar_one() == 0
        assert conn.execute(text("PRAGMA cache_size")).scalar_one() == SCAN_CACHE_SIZE
    seen = []
    for a in store.iter_analyses():
        with store.engine.connect() as other:  # the scan holds its own pooled connection
            seen.append((a.article.id, other.execute(text("PRAGMA mmap_size")).scalar_one()))
    assert [aid for aid, _ in seen] == ["a0", "a1", "a2"]
    assert all(size == MMAP_SIZE for _, size in seen)  # other connections keep theirs
    # The scan's connection has its mapping back, also after a scan stopped half way.
    scan = store.iter_analyses()
    next(scan)
    scan.close()
    with store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw.execute("PRAGMA mmap_size").fetchone()[0] == MMAP_SIZE
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == CACHE_SIZE
