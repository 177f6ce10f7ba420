"""A new article's story neighbours come from the words few stored articles share (store/sql.py, COMMON_WORD_DOCS).

Ranking every article that holds any of a new article's words cost time in proportion to the store;
a word held by the cap's number of documents or more no longer finds neighbours, and below the cap
nothing changes. The cap is lowered here so that a handful of articles reaches it.
"""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.model import Article, ArticleAnalysis
from sitroom.store import sql

SHELLING = [f"Shelling hit the market of town {n} on Monday, residents said." for n in range(6)]
CONVOY = "An aid convoy was ambushed near Zarqawiya; the drivers escaped unhurt."


def _stored(store, texts: dict[str, str]) -> None:
    store.save_analyses([
        ArticleAnalysis(Article(i, t, title=None, source="Test Wire", published=date(2020, 5, 4), content_hash=i), (), (), ())
        for i, t in texts.items()
    ])


def _neighbours(store, words: list[str]) -> list[str]:
    with store.corpus_session() as session:
        return session.articles_sharing_terms(words, 10)


def test_below_the_cap_a_shared_word_finds_every_article_that_holds_it(store) -> None:
    _stored(store, {f"shell-{n}": t for n, t in enumerate(SHELLING)} | {"convoy": CONVOY})
    assert sorted(_neighbours(store, ["market"])) == [f"shell-{n}" for n in range(6)]


def test_a_word_as_common_as_the_cap_finds_no_neighbours_and_rarer_words_still_do(store, monkeypatch: pytest.MonkeyPatch) -> None:
    _stored(store, {f"shell-{n}": t for n, t in enumerate(SHELLING)} | {"convoy": CONVOY})
    monkeypatch.setattr(sql, "COMMON_WORD_DOCS", 6)
    assert _neighbours(store, ["market"]) == []  # six documents hold it: too common to rank by
    assert _neighbours(store, ["market", "zarqawiya"]) == ["convoy"]
    assert _neighbours(store, ["market", "town", "unhurt"]) == ["convoy"]
