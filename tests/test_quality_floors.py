"""Quality floors pinned in bench/baseline.json, measured on the shared ACLED gold set."""

import csv
import json
import re
import sys

import pytest

from conftest import ROOT, corpus_path

pytestmark = pytest.mark.corpus
BASELINE = json.loads((ROOT / "bench" / "baseline.json").read_text())


def test_acled_fatality_figures_stay_above_their_floors():
    sys.path.insert(0, str(ROOT / "bench"))
    from acled_figures import CODING_RULE

    from sitroom.extract.figures import note_fatalities

    path = corpus_path("acled-me-2020", "acled_middle_east_may2020.csv")
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if not CODING_RULE.search(r["notes"])]
    hits = [note_fatalities(r["notes"]) == int(float(r["fatalities"])) for r in rows]
    positive = [h for h, r in zip(hits, rows) if float(r["fatalities"]) > 0]
    assert sum(hits) / len(hits) >= BASELINE["acled_fatalities_exact_plain_rows"]
    assert sum(positive) / len(positive) >= BASELINE["acled_fatalities_exact_positive_rows"]


def test_acled_events_stay_above_their_floors():
    """Every note through the real extraction and fusion, each coded field scored (bench/acled_events.py)."""
    corpus_path("acled-me-2020", "acled_middle_east_may2020.csv")
    sys.path.insert(0, str(ROOT / "bench"))
    import acled_events

    scores, _ = acled_events.run(acled_events.load_rows())
    rates = acled_events.rates(scores)
    floors = {
        "found": "acled_events_found",
        "type": "acled_events_event_type",
        "sub": "acled_events_sub_event_type",
        "date": "acled_events_date_exact",
        "location": "acled_events_location_25km",
        "fatalities": "acled_events_fatalities_exact",
        "fatalities_positive": "acled_events_fatalities_exact_positive",
        "actor1": "acled_events_actor1",
    }
    below = {field: round(rates[field]["rate"], 4) for field, key in floors.items() if rates[field]["rate"] < BASELINE[key]}
    assert not below, f"below their floors in bench/baseline.json: {below}"


@pytest.mark.slow
def test_acled_stream_stays_above_its_floors(tmp_path):
    """The Middle East notes as one JSONL stream through the CLI into one store (bench/acled_events.py --mode stream)."""
    corpus_path("acled-me-2020", "acled_middle_east_may2020.csv")
    sys.path.insert(0, str(ROOT / "bench"))
    import acled_events

    scores, alone, _ = acled_events.run_stream(acled_events.load_rows(), tmp_path)
    rates = acled_events.rates(scores)
    figures = {name: rates[name]["rate"] for name in ("found", "type", "sub", "date", "fatalities")}
    figures["rows_in_own_record"] = alone
    below = {name: round(value, 4) for name, value in figures.items() if value < BASELINE[f"acled_stream_{name}"]}
    assert not below, f"below their floors in bench/baseline.json: {below}"


@pytest.mark.slow
def test_news_events_stay_above_their_floors():
    """The careful-reader gold's articles through the CLI into one store (bench/news_events.py): rates must not
    fall under their floors, counts of wrong records must not rise over their ceilings."""
    corpus_path("voa", "voa_stories.jsonl")
    sys.path.insert(0, str(ROOT / "bench"))
    import news_events

    gold = news_events.load_gold()
    result, _ = news_events.measure(gold, news_events.corpus_records(gold["articles"]))
    figures = news_events.rates(result["scores"])
    below = {
        key: figures[split][name]
        for key, (split, name) in {
            "news_recall_all": ("all", "recall"), "news_precision_all": ("all", "precision"),
            "news_recall_check": ("check", "recall"), "news_precision_check": ("check", "precision"),
            "news_sub_event_type_all": ("all", "sub_event_type"), "news_date_all": ("all", "date"),
            "news_location_all": ("all", "location"), "news_fatalities_all": ("all", "fatalities"),
            "news_ceasefires_found_all": ("all", "ceasefire_found"),
        }.items()
        if (figures[split][name] or 0) < BASELINE[key]
    }
    above = {
        key: figures["all"][name]
        for key, name in {
            "news_max_duplicates_all": "duplicates", "news_max_non_casualty_numbers_all": "non_casualty_numbers",
            "news_max_background_as_incident_all": "background_as_incident",
        }.items()
        if figures["all"][name] > BASELINE[key]
    }
    assert not below and not above, f"past their floors/ceilings in bench/baseline.json: {below} {above}"


@pytest.mark.slow
def test_acled_dev_sets_stay_above_their_floors():
    """The five development regions per note, seeded samples of 300 (bench/acled_events.py --set NAME --sample 300):
    Kenya, Myanmar and Burkina Faso were tuned on; Bangladesh and Benin are held out."""
    sys.path.insert(0, str(ROOT / "bench"))
    import acled_events

    below = {}
    for name in ("kenya", "myanmar", "burkina_faso", "bangladesh", "benin"):
        corpus_path("acled-dev", f"{name}.csv")
        scores, _ = acled_events.run(acled_events.load_rows(name=name, sample=300))
        rates = acled_events.rates(scores)
        for field in ("found", "type", "sub", "actor1", "date", "location"):
            if rates[field]["rate"] < BASELINE[f"acled_dev_{name}_{field}"]:
                below[f"{name} {field}"] = round(rates[field]["rate"], 4)
    assert not below, f"below their floors in bench/baseline.json: {below}"
