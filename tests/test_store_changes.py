"""The change log: what each save created, updated, removed or merged, and aliases of merged ids."""

from dataclasses import replace
from datetime import date

from sitroom.model import Actor, Ceasefire, Claim, Event, Figure, Location, SourceSpan, Story, SummarySentence


def _event(eid: str, killed: int, place: str = "Karvel") -> Event:
    span = SourceSpan("a1", 0, 20, "Shells hit the market")
    return Event(
        id=eid, story_id="sty_1", event_type="explosions_remote_violence", sub_event_type="shelling_artillery_missile_attack",
        date=date(2024, 3, 2), date_precision="day", location=Location(place, "XM", None, 41.2, 22.4, None, "city"),
        actors=(Actor("Northern Front", "actor1"),), fatalities=Figure(killed, killed, killed), injured=Figure(),
        claims=(Claim("fatalities", killed, span),), contradictions=(), sources=(span,), summary=f"Shelling in {place}",
    )


def _truce(ended: date | None) -> Ceasefire:
    span = SourceSpan("a1", 0, 20, "The truce took effect")
    return Ceasefire("cf_1", "Karvel truce", ("Northern Front",), date(2024, 3, 1), date(2024, 3, 2), ended, None, (), (span,))


def _story(event_ids: tuple[str, ...]) -> Story:
    return Story("sty_1", "Market shelling", (SummarySentence("Shells hit.", (SourceSpan("a1", 0, 5, "Shells"),)),), ("a1",), event_ids)


def test_change_log_lists_new_then_changed_figures_and_truce_status(store):
    store.save_results([_event("evt_1", 12)], [_story(("evt_1",))], [], [_truce(None)])
    first = store.changes_since("")
    assert {(c.kind, c.record_id, c.change) for c in first} == {
        ("event", "evt_1", "new"), ("story", "sty_1", "new"), ("ceasefire", "cf_1", "new"),
    }
    mark = first[-1].at
    store.save_results([_event("evt_1", 15)], [_story(("evt_1",))], [], [_truce(date(2024, 3, 9))])
    later = [c for c in store.changes_since(mark) if c.change != "new"]
    by_kind = {c.kind: c for c in later}
    assert set(by_kind) == {"event", "ceasefire"}  # the story did not change
    assert "fatalities" in by_kind["event"].fields and by_kind["event"].detail["fatalities"] == [12, 15]
    assert by_kind["ceasefire"].detail["ended"] == [None, "2024-03-09"]


def test_saving_the_same_records_again_logs_nothing(store):
    store.save_results([_event("evt_1", 12)], [], [])
    n = len(store.changes_since(""))
    store.save_results([_event("evt_1", 12)], [], [])
    assert len(store.changes_since("")) == n


def test_first_seen_survives_a_rewrite_and_changed_at_moves(store):
    from sqlalchemy import select

    from sitroom.store import schema

    store.save_results([_event("evt_1", 12)], [], [])
    with store.engine.connect() as conn:
        first_seen, changed = conn.execute(select(schema.events.c.first_seen, schema.events.c.changed_at)).one()
    with store.engine.connect() as conn:
        conn.execute(schema.events.update().values(first_seen="2000-01-01T00:00:00+00:00"))
        conn.commit()
    store.save_results([replace(_event("evt_1", 13))], [], [])
    with store.engine.connect() as conn:
        first_seen2, changed2 = conn.execute(select(schema.events.c.first_seen, schema.events.c.changed_at)).one()
    assert first_seen2 == "2000-01-01T00:00:00+00:00" and changed2 >= changed


def test_a_merged_event_is_logged_as_merged_and_its_id_resolves_to_the_survivor(store):
    store.save_results([_event("evt_old", 12), _event("evt_dup", 12, "Ostrin")], [], [])
    store.save_results([_event("evt_old", 12)], [], [], aliases={"event": {"evt_dup": "evt_old"}})
    gone = [c for c in store.changes_since("") if c.record_id == "evt_dup" and c.change != "new"]
    assert [c.change for c in gone] == ["merged"]
    assert store.resolve_alias("event", "evt_dup") == "evt_old"
    assert store.resolve_alias("event", "evt_old") is None
    # A later merge of the survivor forwards the old alias too: one step from any old id.
    store.save_results([_event("evt_new", 12)], [], [], aliases={"event": {"evt_old": "evt_new"}})
    assert store.resolve_alias("event", "evt_dup") == "evt_new"
    assert store.resolve_alias("event", "evt_old") == "evt_new"


def test_a_removed_event_is_logged_as_removed(store):
    store.save_results([_event("evt_1", 12), _event("evt_2", 3, "Ostrin")], [], [])
    store.save_results([_event("evt_1", 12)], [], [])
    assert [c.change for c in store.changes_since("") if c.record_id == "evt_2"] == ["new", "removed"]
    assert store.resolve_alias("event", "evt_2") is None


def test_the_api_redirects_a_merged_event_id_to_the_event_that_absorbed_it(store):
    from fastapi.testclient import TestClient

    from sitroom.api import ApiSettings, create_app

    store.save_results([_event("evt_old", 12), _event("evt_dup", 12, "Ostrin")], [], [])
    store.save_results([_event("evt_old", 12)], [], [], aliases={"event": {"evt_dup": "evt_old"}})
    client = TestClient(create_app(store, ApiSettings()), base_url="http://127.0.0.1")
    moved = client.get("/api/events/evt_dup", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/api/events/evt_old"
    assert client.get("/api/events/evt_dup").json()["id"] == "evt_old"
    assert client.get("/api/events/evt_never").status_code == 404
