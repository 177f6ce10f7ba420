"""The situation brief: events by date with figures and claimants, contradictions, ceasefires, escaping."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

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
    text = make_brief(store, None, None, "md", days=timedelta(days=1))
    assert "window: events dated 2016-09-18 to 2016-09-19" in text
    assert "Aleppo" in text and "### 2016-09-17" not in text
    later = make_brief(store, None, None, "md", days=timedelta(days=1), as_of=date(2017, 1, 1))
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


# -- what changed, by arrival time ---------------------------------------------------------------


def test_brief_since_shows_changed_figures_and_new_events(tmp_path):
    """Saved once, then again a moment later with the Deir ez-Zor toll raised and one more event: a window
    that starts between the two saves lists only the second save's changes."""
    import time
    from dataclasses import replace as dc_replace

    from api_demo_data import ceasefire, events, story

    from sitroom.model import Figure

    s = build_store(tmp_path / "changes.db")
    try:
        first = datetime.fromisoformat(s.changes_since("0000")[-1].at)
        time.sleep(1.1)  # the change log is stamped to the second
        evs = events()
        raised = dc_replace(evs[0], fatalities=Figure(70, 62, 90))
        extra = dc_replace(evs[1], id="evt_new_shelling", sub_event_type="shelling_artillery_missile_attack",
                           date=date(2016, 9, 20), summary="Shelling hit a market in Aleppo.")
        s.save_results([raised, evs[1], evs[2], extra], [story()], [], [ceasefire()])
        second = datetime.fromisoformat(s.changes_since("0000")[-1].at)
        assert second > first
        text = make_brief(s, timedelta(seconds=60), None, "md", now=second + timedelta(seconds=60))  # starts at the second save
        assert "1 new events, 1 changed, 0 new contradictions" in text
        assert "Changed: fatalities 62 → 70" in text
        assert "The toll of the air/drone strike in Deir ez-Zor went from 62 to 70" in text
        new_part = text.split("## New events")[1].split("## Changed events")[0]
        assert "Shelling/artillery/missile attack" in new_part and "Air/drone strike" not in new_part
    finally:
        s.close()


def test_brief_since_lists_what_arrived_in_its_window(store):
    now = datetime.fromisoformat(store.changes_since("0000")[-1].at) + timedelta(minutes=5)
    text = make_brief(store, timedelta(hours=24), None, "md", now=now)
    start, end = (now - timedelta(hours=24)).strftime("%Y-%m-%d %H:%M"), now.strftime("%Y-%m-%d %H:%M")
    assert f"Window: reports that arrived {start} UTC to {end} UTC · 3 new events, 0 changed, 1 new contradictions" in text
    top = text.split("## Top line")[1].split("##")[0]
    sentences = [line for line in top.splitlines() if line.startswith("- ")]
    assert 1 <= len(sentences) <= 5 and all("[" in line for line in sentences), sentences  # every sentence cites
    assert "3 new events reported" in top and "Deir ez-Zor" in top
    assert "Sources disagree on the fatalities" in top
    assert text.index("## New events") < text.index("## Contradictions") < text.index("## Sources")
    # A window that ends before anything arrived lists nothing, and says so in its header.
    empty = make_brief(store, timedelta(hours=1), None, "md", now=now - timedelta(days=2))
    assert "0 new events, 0 changed" in empty and "Nothing changed in the record in this window." in empty
    assert "No new events in this window." in empty
    assert "No event changed its figures, place or date in this window." in empty
    assert "Air/drone strike" not in empty


def test_brief_html_links_every_citation_to_its_source(store):
    now = datetime.fromisoformat(store.changes_since("0000")[-1].at) + timedelta(minutes=5)
    page = make_brief(store, timedelta(hours=24), None, "html", now=now)
    cited = set(re.findall(r'<a href="#src-(\d+)" class="cite">\[\1\]</a>', page))
    anchors = set(re.findall(r'<li id="src-(\d+)"', page))
    assert cited and cited == anchors
    assert not re.search(r"(?<!>)\[\d+\](?!</a>)", page.split('<ol class="sources">')[0])  # no bare [n] before the sources
    assert '<a href="https://example.org/a1" rel="noopener noreferrer">original</a>' in page
    assert "javascript:" not in page


def test_brief_contradictions_name_each_value_once_with_who_claims_it(tmp_path):
    """Two claimants of 62 and one of 90: `62 (both) vs 90 (one)`, never `62 vs 62 vs 90`, in the section and the top line."""
    from dataclasses import replace as dc_replace

    from api_demo_data import A1, TEXT1, ceasefire, events, span, story

    from sitroom.model import Claim, Contradiction

    s = build_store(tmp_path / "positions.db")
    try:
        evs = events()
        deir = evs[0]
        also = Claim("fatalities", 62, span(A1, TEXT1, "at least 62 Syrian soldiers were killed"), attributed_to="the Syrian army")
        deir = dc_replace(deir, claims=deir.claims + (also,), contradictions=(Contradiction("fatalities", (62, 90, 62), (0, 2, 3)),))
        s.save_results([deir, *evs[1:]], [story()], [], [ceasefire()])
        text = make_brief(s, None, STORY, "md")
        assert "fatalities: 62 (Russia's military, the Syrian army) [1] vs 90 (Syrian Observatory for Human Rights) [2]" in text
        assert "62 vs 62" not in text and "62 (the Syrian army)" not in text
        now = datetime.fromisoformat(s.changes_since("0000")[-1].at) + timedelta(minutes=5)
        top = make_brief(s, timedelta(hours=24), None, "md", now=now).split("## Top line")[1].split("##")[0]
        assert "(62 (Russia's military, the Syrian army) vs 90 (Syrian Observatory for Human Rights))" in top
    finally:
        s.close()
