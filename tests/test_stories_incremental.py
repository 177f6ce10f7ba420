"""Incremental and idempotent: the seeds one article at a time or all at once give the same records.

Ids are stable, not order-free: an event keeps the id it was first given when later reports join it
(issue 15), so two stores fed in different orders name the same records differently. Records are
compared with every id replaced by what it names (an event by its sources, a story by its articles).
"""

import json

import pytest

from conftest import corpus_path

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


def _records(store) -> tuple[list[str], list[str], list[str]]:
    """Every event, story and duplicate group, ids replaced by what they name, in a fixed order."""
    from sitroom.store.base import EventQuery

    events = store.query_events(EventQuery(limit=10_000)).items
    stories = store.list_stories(limit=10_000).items
    story_name = {s["id"]: tuple(sorted(s["article_ids"])) for s in stories}
    event_name = {e["id"]: tuple(sorted((x["article_id"], x["start"]) for x in e["sources"])) for e in events}

    def named(e: dict) -> str:
        e = {**e, "id": event_name[e["id"]], "story_id": story_name.get(e["story_id"])}
        return json.dumps(e, sort_keys=True)

    def named_story(s: dict) -> str:
        s = {**s, "id": story_name[s["id"]], "event_ids": sorted(event_name[i] for i in s["event_ids"])}
        return json.dumps(s, sort_keys=True)

    duplicates = sorted(json.dumps(d, sort_keys=True) for d in store.list_duplicates(limit=10_000).items)
    return sorted(map(named, events)), sorted(map(named_story, stories)), duplicates


def test_seeds_one_at_a_time_equal_all_at_once_and_reingest_changes_nothing(tmp_path):
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store
    from sitroom.store.base import EventQuery

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
        assert events and len(stories) == 1 and len(json.loads(stories[0])["article_ids"]) == 5
        assert _records(one_by_one) == expected

        ids_before = sorted(e["id"] for e in one_by_one.query_events(EventQuery(limit=100)).items)
        again = ingest_sources([str(p) for p in seeds], one_by_one)
        assert (again.new, again.unchanged) == (0, 5)
        assert _records(one_by_one) == expected
        ids_after = sorted(e["id"] for e in one_by_one.query_events(EventQuery(limit=100)).items)
        assert ids_after == ids_before  # re-ingesting renames nothing
    finally:
        at_once.close()
        one_by_one.close()
