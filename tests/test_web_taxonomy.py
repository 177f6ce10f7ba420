"""The UI's copy of ACLED's taxonomy (static/taxonomy.js) is the one in sitroom/taxonomy.py, label for label."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.taxonomy import EVENT_TYPE_LABELS, EVENT_TYPES, SUB_EVENT_LABELS

TAXONOMY_JS = Path(__file__).resolve().parents[1] / "src" / "sitroom" / "web" / "static" / "taxonomy.js"


def _js_taxonomy() -> dict:
    """The object taxonomy.js assigns to window.SitroomTaxonomy, read as JSON."""
    text = TAXONOMY_JS.read_text(encoding="utf-8")
    start = text.index("window.SitroomTaxonomy = ") + len("window.SitroomTaxonomy = ")
    return json.loads(text[start : text.rindex(";")])


def test_web_taxonomy_js_equals_taxonomy_py():
    js = _js_taxonomy()
    assert js["types"] == EVENT_TYPE_LABELS
    assert list(js["sub_types"]) == list(EVENT_TYPES)
    for event_type, subs in EVENT_TYPES.items():
        assert list(js["sub_types"][event_type]) == list(subs), event_type  # ACLED's order, in the filter's menu
        assert js["sub_types"][event_type] == {s: SUB_EVENT_LABELS[s] for s in subs}
    assert js["sub_types"]["explosions_remote_violence"]["air_drone_strike"] == "Air/drone strike"


def test_web_index_loads_the_taxonomy_before_the_code_that_reads_it():
    index = (TAXONOMY_JS.parents[1] / "templates" / "index.html").read_text(encoding="utf-8")
    assert index.index("/static/taxonomy.js") < index.index("/static/core.js")
