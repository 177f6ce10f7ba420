"""The SQL store: migrations, round trips, change-only writes, filters and full-text search."""

from datetime import date

from sitroom.model import (
    Actor, Article, ArticleAnalysis, Claim, DuplicateGroup, Event, Figure, Location, Rejection,
    Report, Sentence, SourceSpan, Story, SummarySentence,
)
from sitroom.store.base import EventQuery


def _analysis(aid: str, text: str) -> ArticleAnalysis:
    art = Article(id=aid, text=text, title=f"Title {aid}", published=date(2024, 3, 2), content_hash=f"h-{aid}")
    sent = Sentence(aid, 0, 0, len(text), text)
    span = sent.span()
    rep = Report(
        id=f"rep_{aid}", article_id=aid, event_type="explosions_remote_violence",
        sub_event_type="shelling_artillery_missile_attack", trigger="shells", date=date(2024, 3, 2),
        date_precision="day", location=Location("Karvel", "XM", None, 41.2, 22.4, 1, "city"),
        actors=(Actor("Civilians", "actor2"),), claims=(Claim("fatalities", 12, span, "at least"),), sources=(span,),
    )
    return ArticleAnalysis(art, (sent,), (), (rep,))


def _event(eid: str, day: int, place: str, lat: float, lon: float, story: str | None = "sty_1") -> Event:
    span = SourceSpan("a1", 0, 20, "Shells hit the market")
    return Event(
        id=eid, story_id=story, event_type="explosions_remote_violence", sub_event_type="shelling_artillery_missile_attack",
        date=date(2024, 3, day), date_precision="day", location=Location(place, "XM", None, lat, lon, None, "city"),
        actors=(Actor("Northern Front", "actor1", ("the Front",)),), fatalities=Figure(12, 12, 19), injured=Figure(),
        claims=(Claim("fatalities", 12, span),), contradictions=(), sources=(span,), summary=f"Shelling in {place}",
    )


def test_store_round_trips_analyses(store):
    a = _analysis("a1", "At least 12 civilians were killed when shells hit the market.")
    store.save_analyses([a], [Rejection("bad.jsonl:2", "malformed", "line 2 is not JSON")])
    back = list(store.iter_analyses())
    assert back == [a]
    assert store.known_hashes(["a1", "zz"]) == {"a1": "h-a1"}
    assert store.list_rejections().items[0]["origin"] == "bad.jsonl:2"
    assert store.integrity_check() == []


def test_store_writes_only_changed_records(store):
    events = [_event("evt_1", 2, "Karvel", 41.2, 22.4), _event("evt_2", 5, "Ostrin", 41.3, 22.5)]
    story = Story("sty_1", "Market shelling", (SummarySentence("Shells hit.", (events[0].sources[0],)),), ("a1",), ("evt_1", "evt_2"))
    group = DuplicateGroup("exact", (SourceSpan("a1", 0, 1, "x"), SourceSpan("a2", 0, 1, "x")))
    first = store.save_results(events, [story], [group])
    assert (first.events_written, first.events_removed) == (2, 0)
    again = store.save_results(events, [story], [group])
    assert (again.events_written, again.events_removed) == (0, 0)
    third = store.save_results(events[:1], [story], [group])
    assert (third.events_written, third.events_removed) == (0, 1)
    assert store.counts()["events"] == 1
    assert store.list_duplicates().items == [group.to_dict()]


def test_store_saves_many_events_a_chunk_at_a_time_and_rewrites_only_the_changed(store):
    from dataclasses import replace

    from sitroom.store.chunked import CHUNK

    events = [_event(f"evt_{i:04d}", 1 + i % 28, f"Town{i}", 41.0, 22.0) for i in range(2 * CHUNK + 7)]
    first = store.save_results(events, [], [])
    assert (first.events_written, first.events_removed) == (len(events), 0)
    assert store.counts()["events"] == len(events)
    # One event changes, ten are gone: one row rewritten, ten removed, search follows.
    changed = replace(events[CHUNK + 3], summary="Shelling in Quarrytown")
    later = [*events[:CHUNK + 3], changed, *events[CHUNK + 4 : -10]]
    again = store.save_results(later, [], [])
    assert (again.events_written, again.events_removed) == (1, 10)
    assert store.counts()["events"] == len(events) - 10
    assert [h.id for h in store.search("Quarrytown") if h.kind == "event"] == [changed.id]
    assert not [h for h in store.search(f"Town{len(events) - 1}") if h.kind == "event"]


def test_store_filters_events(store):
    events = [_event("evt_1", 2, "Karvel", 41.2, 22.4), _event("evt_2", 5, "Ostrin", 41.3, 22.5, story="sty_2")]
    store.save_results(events, [], [])
    assert [e["id"] for e in store.query_events(EventQuery(since=date(2024, 3, 3))).items] == ["evt_2"]
    assert [e["id"] for e in store.query_events(EventQuery(place="karvel")).items] == ["evt_1"]
    assert [e["id"] for e in store.query_events(EventQuery(actor="the front")).items] == ["evt_1", "evt_2"]
    assert [e["id"] for e in store.query_events(EventQuery(bbox=(22.45, 41.25, 22.6, 41.4))).items] == ["evt_2"]
    assert [e["id"] for e in store.query_events(EventQuery(story_id="sty_2")).items] == ["evt_2"]
    page = store.query_events(EventQuery(limit=1))
    assert page.total == 2 and len(page.items) == 1


def test_store_full_text_search_treats_input_as_words(store):
    store.save_analyses([_analysis("a1", "Shells struck the central market of Karvel on Saturday.")])
    hits = store.search("karvel market")
    assert hits and hits[0].id == "a1" and "[" in hits[0].snippet
    assert store.search('market" OR 1=1 --') != None  # noqa: E711 - quotes never become query syntax
    assert store.search("") == []


def test_open_store_reports_a_missing_folder(tmp_path):
    import pytest

    from sitroom.errors import StoreError
    from sitroom.store import open_store

    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nope" / "x.db"))


def test_store_orders_undated_records_last_on_every_backend(store):
    undated = _analysis("a0", "Shells hit Karvel.")
    undated = ArticleAnalysis(Article(id="a0", text="Shells hit Karvel.", content_hash="h-a0"), undated.sentences, (), ())
    store.save_analyses([undated, _analysis("a1", "Shells hit Ostrin."), _analysis("a2", "Shells hit Dalmo.")])
    assert [a["id"] for a in store.list_articles().items] == ["a1", "a2", "a0"]
    events = [_event("evt_1", 2, "Karvel", 41.2, 22.4, story="sty_1"), _event("evt_2", 5, "Ostrin", 41.3, 22.5, story="sty_2")]
    stories = [
        Story("sty_1", "Karvel", (), ("a1",), ("evt_1",)),
        Story("sty_2", "Ostrin", (), ("a2",), ("evt_2",)),
        Story("sty_0", "No dated event", (), ("a0",), ()),
    ]
    store.save_results(events, stories, [])
    assert [s["id"] for s in store.list_stories().items] == ["sty_2", "sty_1", "sty_0"]


def test_store_full_text_search_finds_events_and_stories(store):
    events = [_event("evt_1", 2, "Karvel", 41.2, 22.4), _event("evt_2", 5, "Ostrin", 41.3, 22.5)]
    story = Story("sty_1", "Market shelling in Karvel", (SummarySentence("Shells hit the market.", (events[0].sources[0],)),), ("a1",), ("evt_1",))
    store.save_results(events, [story], [])
    hits = store.search("Ostrin")
    assert [(h.kind, h.id) for h in hits] == [("event", "evt_2")]
    assert {(h.kind, h.id) for h in store.search("Karvel")} == {("event", "evt_1"), ("story", "sty_1")}
    assert store.search("Karvel Ostrin") == []  # every word must match
    store.save_results(events[1:], [], [])  # removed records leave the index too
    assert store.search("Karvel") == []
    assert store.integrity_check() == []


def test_store_replaces_an_article_and_its_search_entry(store):
    store.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")])
    store.save_analyses([_analysis("a1", "Gunmen attacked a checkpoint near Ostrin.")])
    assert store.counts()["articles"] == 1
    assert store.search("Karvel") == [] and [h.id for h in store.search("checkpoint")] == ["a1"]
    assert store.integrity_check() == []


def test_store_integrity_check_finds_broken_links_and_search_entries(store):
    from sqlalchemy import text

    store.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")])
    store.save_results([_event("evt_1", 2, "Karvel", 41.2, 22.4)], [], [])
    assert store.integrity_check() == []
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO event_articles (event_id, article_id) VALUES ('evt_gone', 'a1')"))
        conn.execute(text("DELETE FROM search_docs WHERE kind = 'event'"))
    problems = store.integrity_check()
    assert "1 event_articles rows point at missing events" in problems
    assert "1 events have no search entry" in problems


def test_store_knows_when_fused_records_are_out_of_date(store):
    assert not store.results_outdated()
    store.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")])
    assert store.results_outdated()  # as a run that died before fusing leaves it
    loaded = list(store.iter_analyses())
    store.save_results([_event("evt_1", 2, "Karvel", 41.2, 22.4)], [], [])
    assert loaded and not store.results_outdated()


def test_store_refuses_results_computed_before_newer_articles(store):
    import pytest

    from sitroom.errors import StaleResultsError

    store.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")])
    snap = store.snapshot()
    list(store.iter_analyses())  # this run reads one article ...
    store.save_analyses([_analysis("a2", "Gunmen attacked a checkpoint near Ostrin.")])  # ... another run stores a second
    with pytest.raises(StaleResultsError, match="another writer has changed the store") as refused:
        store.save_results([_event("evt_1", 2, "Karvel", 41.2, 22.4)], [], [], computed_from=snap)
    assert refused.value.computed_from == snap and refused.value.current == store.snapshot()
    assert store.counts()["events"] == 0 and store.results_outdated()
    snap = store.snapshot()
    list(store.iter_analyses())  # the second run reads both and saves
    fresh = store.save_results(
        [_event("evt_1", 2, "Karvel", 41.2, 22.4), _event("evt_2", 5, "Ostrin", 41.3, 22.5)], [], [], computed_from=snap
    )
    assert fresh.events_written == 2 and not store.results_outdated()


def test_store_snapshot_is_what_a_write_of_articles_left(store):
    before = store.snapshot()
    stored = store.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")])
    assert stored == store.snapshot() and stored.articles_version == before.articles_version + 1
    assert store.save_analyses([], [Rejection("bad.jsonl:2", "malformed", "line 2 is not JSON")]) == stored  # no articles, no change


def test_store_records_a_rejected_input_once_across_reruns(store):
    bad = Rejection("bad.jsonl:2", "malformed", "line 2 is not JSON")
    store.save_analyses([], [bad, bad])
    store.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")], [bad, Rejection("bad.jsonl:3", "malformed", "line 3 is not JSON")])
    assert [r["origin"] for r in store.list_rejections().items] == ["bad.jsonl:3", "bad.jsonl:2"]


def test_sqlite_integrity_check_finds_a_full_text_index_out_of_step(tmp_path):
    from sqlalchemy import text

    from sitroom.store import open_store

    store = open_store(str(tmp_path / "fts.db"))
    store.save_analyses([_analysis("a1", "Shells struck the market of Karvel.")])
    with store.engine.begin() as conn:  # change indexed text behind the index's back
        conn.execute(text("DROP TRIGGER search_docs_au"))
        conn.execute(text("UPDATE search_docs SET body = 'other words entirely'"))
    assert any("full-text index" in p for p in store.integrity_check())
    store.close()


def test_store_full_text_search_folds_diacritics_on_every_backend(store):
    store.save_analyses([_analysis("a1", "Shelling hit Ḩamāh and Dayr az Zawr on Saturday.")])
    assert [h.id for h in store.search("Hamah")] == ["a1"]
    assert [h.id for h in store.search("Ḩamāh")] == ["a1"]
    assert [h.id for h in store.search("hamah shelling")] == ["a1"]
