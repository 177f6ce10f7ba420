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
