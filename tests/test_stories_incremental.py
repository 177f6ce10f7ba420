"""Incremental and idempotent: the seeds one article at a time or all at once give the same records."""

import pytest

from conftest import corpus_path

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


def _records(store) -> tuple[list[dict], list[dict], list[dict]]:
    """Every event, story and duplicate group, in a fixed order."""
    from sitroom.store.base import EventQuery

    events = sorted(store.query_events(EventQuery(limit=10_000)).items, key=lambda e: e["id"])
    stories = sorted(store.list_stories(limit=10_000).items, key=lambda s: s["id"])
    duplicates = sorted(store.list_duplicates(limit=10_000).items, key=repr)
    return events, stories, duplicates


def test_seeds_one_at_a_time_equal_all_at_once_and_reingest_changes_nothing(tmp_path):
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store

    seeds = sorted(corpus_path("seeds").glob("*.txt"))
    assert len(seeds) == 5
    at_once = open_store(str(tmp_path / "at_once.db"))
    one_by_one = open_store(str(tmp_path / "one_by_one.db"))
    try:
        ingest_sources([str(p) for p in seeds], at_once)
        for path in reversed(seeds):  # another order than the folder's, one article per run
            ingest_sources([str(path)], one_by_one)
        expected = _records(at_once)
        events, stories, _ = expected
        assert events and len(stories) == 1 and len(stories[0]["article_ids"]) == 5
        assert _records(one_by_one) == expected

        again = ingest_sources([str(p) for p in seeds], one_by_one)
        assert (again.new, again.unchanged) == (0, 5)
        assert _records(one_by_one) == expected
    finally:
        at_once.close()
        one_by_one.close()
