"""The corpus layer: records kept in the store and updated per batch, the same in any order, ids stable."""

import json
import random

import pytest

from sitroom import corpus
from sitroom.config import Settings
from sitroom.runners.local import ingest_items
from sitroom.store.base import EventQuery
from written_reports import as_articles, written_reports

pytestmark = pytest.mark.slow


def _settings(batch: int) -> Settings:
    return Settings(batch_size=batch, workers=1, paraphrase=False)


def _canonical_events(store) -> list[str]:
    """Every event without its ids: what must not depend on the order articles arrived in."""
    out = []
    for e in store.query_events(EventQuery(limit=10_000)).items:
        e = {k: v for k, v in e.items() if k not in ("id", "story_id")}
        out.append(json.dumps(e, sort_keys=True))
    return sorted(out)


def _story_members(store) -> list[list[str]]:
    return sorted(sorted(s["article_ids"]) for s in store.list_stories(limit=10_000).items)


def _duplicates(store) -> list[str]:
    return sorted(json.dumps(d, sort_keys=True) for d in store.list_duplicates(limit=10_000).items)


def test_corpus_layer_gives_the_same_events_for_any_order_and_batch_size(tmp_path):
    from sitroom.store import open_store

    records = written_reports(14, seed=3)
    expected = None
    rng = random.Random(5)
    for run, (order, batch) in enumerate([("as written", 64), ("reversed", 3), ("shuffled", 1)]):
        arts = as_articles(records)
        if order == "reversed":
            arts.reverse()
        elif order == "shuffled":
            rng.shuffle(arts)
        store = open_store(str(tmp_path / f"run{run}.db"))
        try:
            ingest_items(arts, store, settings=_settings(batch))
            got = (_canonical_events(store), _duplicates(store), _story_members(store))
            assert got[0], "the written incidents make events"
            if expected is None:
                expected = got
            else:
                assert got[0] == expected[0]
                assert got[1] == expected[1]
                assert got[2] == expected[2]
            assert store.integrity_check() == []
        finally:
            store.close()


def test_rebuild_gives_the_records_incremental_ingest_gave_ids_included(store):
    arts = as_articles(written_reports(12, seed=11))
    random.Random(2).shuffle(arts)
    try:
        ingest_items(arts, store, settings=_settings(2))
        events = store.query_events(EventQuery(limit=10_000)).items
        duplicates = _duplicates(store)
        stories = _story_members(store)
        _assert_summaries_cite_the_weightiest_events(store)
        corpus.rebuild(store, paraphrase=False)
        assert store.query_events(EventQuery(limit=10_000)).items == events
        assert _duplicates(store) == duplicates
        assert _story_members(store) == stories
        assert store.integrity_check() == []
    finally:
        store.close()


def _assert_summaries_cite_the_weightiest_events(store) -> None:
    """Each story's summary is what summarising all its events gives (the layer rebuilds only the weightiest)."""
    from datetime import date

    from sitroom.corpus.events import events_of
    from sitroom.stories import summarise

    stories = store.list_stories(limit=10_000).items
    with store.corpus_session() as session:
        for s in stories:
            events = sorted(events_of(session, s["event_ids"]), key=lambda e: (e.date or date.max, e.id))
            assert [x.to_dict() for x in summarise(events)] == s["summary"]


def test_an_event_keeps_its_id_when_an_earlier_sorting_report_joins_it(store):
    records = [r for r in written_reports(2, seed=1) if r["id"].startswith("written_00")]
    assert len(records) == 2  # one incident, told by two outlets
    late, early = as_articles(sorted(records, key=lambda r: r["id"], reverse=True))
    try:
        ingest_items([late], store, settings=_settings(8))
        (first,) = store.query_events(EventQuery(limit=10)).items
        ingest_items([early], store, settings=_settings(8))
        (joined,) = store.query_events(EventQuery(limit=10)).items
        assert joined["id"] == first["id"]
        assert sorted(joined["article_ids"]) == sorted([late.id, early.id])
        changes = [c for c in store.changes_since("") if c.kind == "event"]
        assert [c.change for c in changes] == ["new", "updated"]
        assert "article_ids" in changes[-1].fields
    finally:
        store.close()


def test_a_run_that_died_before_taking_its_articles_in_is_caught_up(tmp_path):
    from sitroom.extract import analyse_articles
    from sitroom.store import open_store

    arts = as_articles(written_reports(4, seed=9))
    store = open_store(str(tmp_path / "crash.db"))
    try:
        store.save_analyses(list(analyse_articles(arts)))  # stored, never taken in: the run died here
        assert store.results_outdated() and store.counts()["events"] == 0
        ingest_items([], store, settings=_settings(8))
        assert not store.results_outdated()
        assert store.counts()["events"] > 0
    finally:
        store.close()
