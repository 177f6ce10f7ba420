"""Sources as a reader sees them: the class of a claim's source, an event's corroboration, safe links."""

from __future__ import annotations

import pytest

from sitroom.sources import annotate_event, claim_positions, corroboration, positions_text, safe_url, source_class


@pytest.mark.parametrize(
    ("speaker", "outlet", "expected"),
    [
        ("Russia's military", None, "party"),
        ("the Syrian army", None, "party"),
        ("Taliban spokesman", None, "party"),
        ("defence ministry", None, "party"),
        ("Syrian Observatory for Human Rights", None, "monitor"),  # a monitor, though its name holds a country's
        ("United Nations", None, "monitor"),
        ("U.N. officials", None, "monitor"),
        ("Amnesty International", None, "monitor"),
        ("Assad", None, "government"),
        ("Russia", None, "government"),
        ("the health ministry", None, "government"),
        ("Reuters", None, "media"),
        ("a witness", None, "other"),
        ("residents", None, "other"),
        ("officials who spoke on condition of anonymity", None, "government"),  # "who" is not the WHO
        (None, "Reuters", "media"),  # the outlet's own reporting
        (None, "SANA", "government"),  # a state outlet's own reporting
    ],
)
def test_sources_class_of_a_claim(speaker, outlet, expected):
    assert source_class(speaker, outlet) == expected


def test_sources_corroboration_is_airwars_style():
    assert corroboration({"independent_sources": 1, "contradictions": []}) == "single"
    assert corroboration({"independent_sources": 3, "contradictions": []}) == "several"
    assert corroboration({"independent_sources": 3, "contradictions": [{"field": "fatalities"}]}) == "contested"
    assert corroboration({"article_ids": ["a", "b"]}) == "several"  # no count stored: its distinct articles


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://example.org/a", "https://example.org/a"), ("http://x.test/p?q=1", "http://x.test/p?q=1"),
     ("javascript:alert(1)", None), ("JAVASCRIPT:alert(1)", None), ("file:///etc/passwd", None), ("data:text/html,x", None),
     ("/home/user/report.txt", None), ("https://", None), ("", None), (None, None)],
)
def test_sources_only_http_links_are_links(url, expected):
    assert safe_url(url) == expected


def test_sources_annotate_adds_keys_and_renames_none():
    event = {"id": "e", "independent_sources": 2, "contradictions": [],
             "claims": [{"field": "fatalities", "value": 3, "attributed_to": None, "source": {"article_id": "a1"}}]}
    out = annotate_event(event, {"a1": "SANA"})
    assert out["corroboration"] == "several" and out["claims"][0]["source_class"] == "government"
    assert set(out) - set(event) == {"corroboration"} and "source_class" not in event["claims"][0]  # the input is untouched


def test_sources_claim_positions_name_each_value_once_with_its_claimants():
    claims = [{"field": "fatalities", "value": 62, "attributed_to": "Russia's military"},
              {"field": "fatalities", "value": 62, "attributed_to": "Syrian army"},
              {"field": "fatalities", "value": 90, "attributed_to": "SOHR"},
              {"field": "fatalities", "value": 62, "attributed_to": "Russia's military"},
              {"field": "fatalities", "value": 80, "low": 80, "high": 100, "attributed_to": None}]
    contra = {"field": "fatalities", "values": [62, 62, 90, 62, 80], "claims": [0, 1, 2, 3, 4]}
    positions = claim_positions(contra, claims)
    assert positions == [{"value": 62, "claimed_by": ["Russia's military", "Syrian army"], "claims": [0, 1, 3]},
                         {"value": 90, "claimed_by": ["SOHR"], "claims": [2]},
                         {"value": "80–100", "claimed_by": ["unattributed"], "claims": [4]}]
    assert positions_text(positions) == "62 (Russia's military, Syrian army) vs 90 (SOHR) vs 80–100 (unattributed)"
    blame = {"field": "responsibility", "values": ["coalition", "coalition", "Russia"], "claims": [],
             "statements": [{"kind": "blame", "by": "Syria", "against": ["coalition"]}, {"kind": "blame", "by": "US", "against": ["Russia"]}]}
    assert positions_text(claim_positions(blame, claims)) == "coalition (Syria) vs Russia (US)"


def test_sources_claim_positions_name_one_speaker_once_however_written():
    claims = [{"field": "fatalities", "value": 12, "attributed_to": "Karvel health directorate"},
              {"field": "fatalities", "value": 12, "attributed_to": "the Karvel  health directorate"},
              {"field": "fatalities", "value": 12, "attributed_to": "Karvel Rescue Network"},
              {"field": "fatalities", "value": 19, "attributed_to": "The Karvel Rescue Network"}]
    contra = {"field": "fatalities", "values": [12, 12, 12, 19], "claims": [0, 1, 2, 3]}
    assert positions_text(claim_positions(contra, claims)) == (
        "12 (Karvel health directorate, Karvel Rescue Network) vs 19 (The Karvel Rescue Network)")
    assert claim_positions(contra, claims)[0]["claims"] == [0, 1, 2]  # every claim still opens its sentence


def test_sources_annotate_gives_each_contradiction_its_positions():
    event = {"id": "e", "claims": [{"field": "fatalities", "value": 4, "attributed_to": "officials", "source": {"article_id": "a"}},
                                   {"field": "fatalities", "value": 4, "attributed_to": "the army", "source": {"article_id": "a"}},
                                   {"field": "fatalities", "value": 6, "attributed_to": "a monitor", "source": {"article_id": "a"}}],
             "contradictions": [{"field": "fatalities", "values": [4, 4, 6], "claims": [0, 1, 2]}]}
    served = annotate_event(event)
    assert [(p["value"], p["claimed_by"]) for p in served["contradictions"][0]["positions"]] == [(4, ["officials", "the army"]), (6, ["a monitor"])]
    assert "positions" not in event["contradictions"][0]  # the stored record is untouched
