"""Search that forgives spelling, on SQLite and PostgreSQL alike: five spellings of one town, the
three names of a truce, a phrase, and hits that say when and where.

The articles are sentences we wrote, in the patterns real copy uses.
"""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.model import (
    Actor,
    Article,
    ArticleAnalysis,
    Claim,
    Event,
    Figure,
    Location,
    SourceSpan,
    Story,
    SummarySentence,
)
from sitroom.store.search import folded_names, parse_query

SPELLINGS = ("Deir ez-Zor", "Deir el-Zour", "Deir al-Zor", "Deir Ezzor", "Dayr az Zawr")
ARTICLES = [
    ("s1", "Jets hit army posts near Deir ez-Zor airport on Saturday, killing dozens of soldiers."),
    ("s2", "A monitoring group said the raid on Deir el-Zour killed at least 60 troops."),
    ("s3", "Officials in Deir al-Zor buried the dead on Sunday."),
    ("s4", "Residents of Deir Ezzor said the bombing lasted two hours."),
    ("s5", "The strike near Dayr az Zawr was the deadliest of the month."),
    ("t1", "The ceasefire collapsed after a week of fighting in the north."),
    ("t2", "Both sides accused each other of breaking the cease-fire within hours."),
    ("t3", "The truce brokered by the two powers was declared over on Monday."),
    ("c1", "Gunmen attacked an aid convoy carrying flour west of Aleppo, burning twelve trucks."),
    ("c2", "Aid agencies said a convoy of refugees left the camp; no one was hurt."),  # both words, not the phrase
    ("h1", "Shelling destroyed dozens of homes in the old quarter."),  # "homes" must not match the town of Homs
]


def _span(article_id: str, text: str, needle: str) -> SourceSpan:
    start = text.index(needle)
    return SourceSpan(article_id, start, start + len(needle), text)


@pytest.fixture
def search_store(store):
    texts = dict(ARTICLES)
    store.save_analyses([
        ArticleAnalysis(Article(i, t, title=None, source="Test Wire", published=date(2016, 9, 18), content_hash=i), (), (), ())
        for i, t in ARTICLES
    ])
    strike = Event(
        id="evt_deir", story_id="sty_s", event_type="explosions_remote_violence", sub_event_type="air_drone_strike",
        date=date(2016, 9, 17), date_precision="day",
        location=Location("Deir ez-Zor", "SY", "Deir ez-Zor", 35.33, 40.14, 170794, "city"),
        actors=(Actor("Military Forces of Syria", "actor2"),), fatalities=Figure(60, 60, 60), injured=Figure(),
        claims=(Claim("fatalities", 60, _span("s2", texts["s2"], "at least 60 troops"), attributed_to="A monitoring group"),),
        contradictions=(), sources=(_span("s1", texts["s1"], "Jets hit army posts"),),
        summary="Jets hit army posts near Deir ez-Zor airport.",
    )
    convoy = Event(
        id="evt_convoy", story_id="sty_s", event_type="violence_against_civilians", sub_event_type="attack",
        date=date(2016, 9, 19), date_precision="day", location=Location("Aleppo", "SY", "Aleppo", 36.2, 37.15, 170063, "city"),
        actors=(), fatalities=Figure(), injured=Figure(), claims=(), contradictions=(),
        sources=(_span("c1", texts["c1"], "Gunmen attacked an aid convoy"),), summary="Gunmen attacked an aid convoy west of Aleppo.",
    )
    story = Story("sty_s", "Strikes and a broken truce", (SummarySentence("The truce broke down.", ()),), ("s1", "t3"), ("evt_deir", "evt_convoy"))
    store.save_results([strike, convoy], [story], [])
    return store


def _found(store, query: str) -> set[tuple[str, str]]:
    return {(h.kind, h.id) for h in store.search(query, limit=100)}


def test_search_five_spellings_find_the_same_records(search_store):
    found = [_found(search_store, q) for q in SPELLINGS]
    expected = {("article", f"s{i}") for i in range(1, 6)} | {("event", "evt_deir")}
    for query, hits in zip(SPELLINGS, found):
        assert hits == expected, (query, hits ^ expected)
    assert _found(search_store, "deir ezzor") == expected  # typed in lower case too


def test_search_ceasefire_cease_fire_and_truce_find_the_same_records(search_store):
    expected = {("article", "t1"), ("article", "t2"), ("article", "t3"), ("story", "sty_s")}
    for query in ("ceasefire", "cease-fire", "truce", "Ceasefire", "cease fire"):
        assert _found(search_store, query) == expected, query


def test_search_phrase_finds_the_convoy_attack_not_loose_words(search_store):
    assert _found(search_store, '"aid convoy"') == {("article", "c1"), ("event", "evt_convoy")}
    assert ("article", "c2") in _found(search_store, "aid convoy")  # unquoted: every word, anywhere


def test_search_folds_only_names(search_store):
    assert _found(search_store, "Homs") == set()  # "homes" is a word, not a spelling of Homs
    assert ("article", "h1") in _found(search_store, "homes")


def test_search_hits_show_date_and_place(search_store):
    hits = {(h.kind, h.id): h for h in search_store.search("Dayr az Zawr", limit=20)}
    event = hits["event", "evt_deir"]
    assert event.date == "2016-09-17" and event.place == "Deir ez-Zor, SY"
    article = hits["article", "s5"]
    assert article.date == "2016-09-18" and article.outlet == "Test Wire"
    assert "[" in hits["article", "s1"].snippet or hits["article", "s1"].snippet  # a snippet of the text


def test_search_user_input_never_becomes_query_syntax(search_store):
    for query in ('" OR *', "NEAR(a b)", "title:x", "a AND", "'; DROP TABLE x; --", "\\", "(((", "ez-", "-", "the of and"):
        search_store.search(query)  # no syntax error on either backend


def test_search_folded_names_skip_articles_and_unglue_them():
    assert folded_names("Deir ez-Zor") == folded_names("Dayr az Zawr").replace("zqzur", "zqzur")
    keys = folded_names("Deir Ezzor").split()
    assert "zqder" in keys and "zqzur" in keys
    assert folded_names("the homes were hit") == ""  # lower-case words are not names
    assert [len(c.alternatives) for c in parse_query("ceasefire")] == [7]
