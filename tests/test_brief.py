"""The situation brief: events by date with figures and claimants, contradictions, ceasefires, escaping."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from api_demo_data import STORY, build_store
from sitroom.brief import make_brief


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_store(tmp_path_factory.mktemp("brief") / "brief.db")
    yield s
    s.close()


def test_brief_md_lists_events_figures_and_who_claims_them(store):
    text = make_brief(store, None, STORY, "md")
    assert text.startswith("# Situation brief: Syria truce collapses after Deir ez-Zor strike")
    assert text.index("### 2016-09-17") < text.index("### 2016-09-19") < text.index("### Date not reported")
    assert "Fatalities: 62 (reports range 62–90) — at least 62, per Russia's military [1]; 90, per Syrian Observatory for Human Rights [2]" in text
    assert "Injured: 100 — more than 100, per Russia's military [1]" in text
    assert "fatalities: 62 (Russia's military) [1] vs 90 (Syrian Observatory for Human Rights) [2]" in text
    assert "September 2016 Syria ceasefire: collapsed" in text
    assert "2016-09-19: 199 violations by government forces, alleged by Rebels [2]" in text
    assert "[1] 000_dfa8b9e320b93668 · US, Russia say Syria's truce not dead" in text


def test_brief_window_counts_back_from_newest_event(store):
    text = make_brief(store, timedelta(days=1), None, "md")
    assert "window: 2016-09-18 to 2016-09-19" in text
    assert "Aleppo" in text and "### 2016-09-17" not in text
    later = make_brief(store, timedelta(days=1), None, "md", as_of=date(2017, 1, 1))
    assert "No events in this window." in later


def test_brief_html_escapes_article_text(store):
    page = make_brief(store, None, None, "html")
    assert page.startswith("<!doctype html>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>outlet</b>" not in page


def test_brief_md_escapes_markup(store):
    text = make_brief(store, None, None, "md")
    assert "<script>" not in text and "\\<script\\>" in text


def test_brief_rejects_unknown_format(store):
    with pytest.raises(ValueError, match="use 'md' or 'html'"):
        make_brief(store, None, None, "pdf")  # type: ignore[arg-type]
