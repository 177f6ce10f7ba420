"""Fusion profiles stored with the reports: read back as computed, recomputed when missing or stale, same events."""

import json
import os
import pickle

import pytest

from sitroom.config import Settings
from sitroom.corpus import profiles
from sitroom.fusion.evidence import Profile
from sitroom.ingest.sources import content_hash
from sitroom.model import Article
from sitroom.runners.local import ingest_items
from sitroom.store import open_store
from sitroom.store.base import EventQuery
from written_reports import written_reports

pytestmark = pytest.mark.slow


def _articles(records: list[dict]) -> list[Article]:
    from datetime import date

    return [
        Article(id=r["id"], text=r["text"], title=r["title"], source=r["source"], published=date.fromisoformat(r["published"]),
                content_hash=content_hash(r["text"] + r["title"]))
        for r in records
    ]


def _settings() -> Settings:
    return Settings(batch_size=4, workers=1, paraphrase=False)


def _events(store) -> list[str]:
    return sorted(json.dumps(e, sort_keys=True) for e in store.query_events(EventQuery(limit=10_000)).items)


def test_each_indexed_report_keeps_the_profile_fusion_computes_for_it(store):
    ingest_items(_articles(written_reports(3, seed=5)), store, settings=_settings())
    with store.corpus_session() as session:
        rows = session.reports(r.report.id for r in session.reports_of_articles(session.all_article_ids()))
        assert rows and session.reports_without_profile(profiles.VERSION) == []
        for row in rows:
            assert row.profile_version == profiles.VERSION
            assert row.profile is not None and profiles.load(row.profile) == Profile.of(row.report)


def test_a_stored_profile_cannot_build_anything_but_model_objects():
    class Payload:
        def __reduce__(self):
            return (os.system, ("echo unsafe",))

    with pytest.raises(pickle.UnpicklingError, match="may not build"):
        profiles.load(pickle.dumps(Payload()))
    with pytest.raises(pickle.UnpicklingError, match="holds a dict"):
        profiles.load(pickle.dumps({"report_id": "r1"}))


def test_profiles_of_older_code_are_recomputed_and_the_events_are_the_same(store, tmp_path):
    arts = _articles(written_reports(8, seed=3))
    first, rest = arts[: len(arts) // 2], arts[len(arts) // 2 :]
    fresh = open_store(str(tmp_path / "fresh.db"))
    try:
        for s in (store, fresh):
            ingest_items(first, s, settings=_settings())
        with store.corpus_session() as session:  # as if another version of fusion had stored them
            ids = [r.report.id for r in session.reports_of_articles(session.all_article_ids())]
            session.save_profiles({rid: b"not a profile" for rid in ids}, "older-code")
            assert len(session.reports_without_profile(profiles.VERSION)) == len(ids)
        for s in (store, fresh):
            ingest_items(rest, s, settings=_settings())
        assert _events(store) == _events(fresh)
        with store.corpus_session() as session:
            stale = session.reports_without_profile(profiles.VERSION)
        assert profiles.fill(store) == len(stale)
        with store.corpus_session() as session:
            assert session.reports_without_profile(profiles.VERSION) == []
            assert all(profiles.load(r.profile) == Profile.of(r.report) for r in session.reports(ids) if r.profile)
    finally:
        fresh.close()
