"""The careful-reader gold of bench/gold: fields valid everywhere, every snippet found in its article."""

import json
import re
import sys
from datetime import date

import pytest

from conftest import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import news_events  # noqa: E402

GOLD = news_events.load_gold(ROOT / "bench" / "gold")
SUB_TYPES = {
    "battles": {"armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"},
    "explosions_remote_violence": {"chemical_weapon", "air_drone_strike", "suicide_bomb", "shelling_artillery_missile_attack",
                                   "remote_explosive_landmine_ied", "grenade"},
    "violence_against_civilians": {"sexual_violence", "attack", "abduction_forced_disappearance"},
    "protests": {"peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"},
    "riots": {"violent_demonstration", "mob_violence"},
    "strategic_developments": {"agreement", "arrests", "change_to_group_activity", "disrupted_weapons_use",
                               "headquarters_or_base_established", "looting_property_destruction",
                               "non_violent_transfer_of_territory", "other"},
}
GROUPS = {"civilians", "passengers", "security_forces", "militants_attackers", "unspecified"}
BACKGROUND_KINDS = {"cumulative_total", "anniversary", "trial", "hypothetical", "forecast", "denial", "threat", "plan",
                    "past_event", "context", "non_conflict", "other"}


def refs(item: dict) -> list[dict]:
    """Every (article id, snippet) reference an event, background statement or ceasefire carries."""
    out = list(item.get("evidence", [])) + list(item.get("figures", [])) + list(item.get("statements", []))
    return out + list(item.get("violations", [])) + ([item] if "kind" in item else [])


def all_items() -> list[dict]:
    return GOLD["events"] + GOLD["background"] + GOLD["ceasefires"]


def test_news_gold_articles_are_split_and_sourced():
    articles = GOLD["articles"]
    assert {a["split"] for a in articles.values()} == {"tune", "check"}
    assert all(a["source"].split("/")[0] in {"seeds", "voa", "geo", "ecbplus", "gva-dev"} for a in articles.values())
    held_out = set((CORPUS / "voa" / "HELDOUT.md").read_text().split()) if (CORPUS / "voa" / "HELDOUT.md").exists() else set()
    assert not held_out & set(articles), "a held-out VOA story is in the gold"


def test_news_gold_ids_are_unique_and_refer_to_covered_articles():
    ids = [item["id"] for item in all_items()]
    assert len(ids) == len(set(ids))
    for item in all_items():
        for ref in refs(item):
            assert ref["article_id"] in GOLD["articles"], (item["id"], ref["article_id"])
            assert 0 < len(ref["snippet"].split()) <= 12, (item["id"], ref["snippet"])


def test_news_gold_events_are_valid():
    for e in GOLD["events"]:
        assert e["status"] in {"must", "optional"}, e["id"]
        assert e["sub_event_type"] in SUB_TYPES[e["event_type"]], e["id"]
        assert e["evidence"], e["id"]
        if e["date"] is not None:
            date.fromisoformat(e["date"])
            assert e["date_precision"] in {"day", "week", "month"}, e["id"]
        if e["location"] is not None:
            assert re.fullmatch(r"[A-Z]{2}", e["location"]["country"]), e["id"]
            if e["location"]["lat"] is not None:
                assert -90 <= e["location"]["lat"] <= 90 and -180 <= e["location"]["lon"] <= 180, e["id"]
        for name in ("fatalities", "injured"):
            figure = e[name]
            assert figure["best"] is None or (isinstance(figure["best"], int) and figure["best"] >= 0), e["id"]
            assert set(figure["by_group"]) <= GROUPS, e["id"]
        for f in e["figures"]:
            assert f["field"] in {"fatalities", "injured"} and f["group"] in GROUPS and isinstance(f["value"], int), e["id"]
        splits = {GOLD["articles"][ref["article_id"]]["split"] for ref in e["evidence"]}
        assert len(splits) == 1, f"{e['id']} has evidence in both splits"


def test_news_gold_background_and_ceasefires_are_valid():
    for b in GOLD["background"]:
        assert b["kind"] in BACKGROUND_KINDS, b["id"]
        values = b["value"] if isinstance(b["value"], list) else [b["value"]]
        assert all(v is None or isinstance(v, int) for v in values), b["id"]
    for c in GOLD["ceasefires"]:
        for key in ("announced", "in_force_from", "ended"):
            if c[key] is not None:
                date.fromisoformat(c[key])
        assert c["evidence"], c["id"]


def test_news_gold_check_split_is_never_empty():
    must = [e for e in GOLD["events"] if e["status"] == "must"]
    check = [e for e in must if GOLD["articles"][e["evidence"][0]["article_id"]]["split"] == "check"]
    assert check and len(check) < len(must)
    assert sum(a["split"] == "check" for a in GOLD["articles"].values()) >= 12


@pytest.mark.corpus
def test_news_gold_snippets_are_found_in_their_articles():
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent: the shared corpus is needed to check the gold's snippets")
    raw = news_events.corpus_records(GOLD["articles"], CORPUS)
    missing = [
        (item["id"], ref["snippet"])
        for item in all_items()
        for ref in refs(item)
        if news_events.locate(ref["snippet"], raw[ref["article_id"]]["text"]) is None
    ]
    assert not missing, missing


def test_locate_tolerates_whitespace_and_curly_quotes():
    text = "The UN said:\n  “It’s over”, he added."
    assert news_events.locate("said: \"It's over\"", text) == (7, 26)
    assert news_events.locate("it is over", text) is None


def test_gold_files_are_one_json_object_a_line():
    for name in ("news_events.jsonl", "news_background.jsonl", "news_ceasefires.jsonl"):
        for line in (ROOT / "bench" / "gold" / name).read_text().splitlines():
            assert isinstance(json.loads(line), dict)


@pytest.mark.corpus
def test_news_gold_takes_gva_articles_from_the_dev_split_only():
    gva_gold_path = CORPUS / "gva-dev" / "gold.json"
    if not gva_gold_path.exists():
        pytest.skip(f"{gva_gold_path} is absent: the GVA gold is needed to check the split")
    import gva  # bench/gva.py: its split, by a hash of the incident id, is the one held out there

    gva_gold = json.loads(gva_gold_path.read_text())
    ours = [a for a in GOLD["articles"].values() if a["source"].startswith("gva-dev/")]
    assert ours, "the gold covers GVA development articles"
    assert all(gva.split_of(gva_gold[a["id"]]["incident"]) == "dev" and a["split"] == "tune" for a in ours)
