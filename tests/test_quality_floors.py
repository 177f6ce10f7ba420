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
