"""End to end: ingest real and example reports, export, re-ingest; what a user would check."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, corpus_path
from sitroom.clean import clean_text

pytestmark = pytest.mark.slow
SITROOM = [sys.executable, "-m", "sitroom.cli"]


def run(*args: str, db: Path, env=None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess."""
    import os

    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([*SITROOM, *args, "--db", str(db)], capture_output=True, text=True, cwd=ROOT, env=full_env, input=stdin, timeout=600)


def events_of(db: Path) -> list[dict]:
    out = run("export", "events", db=db)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    seeds = corpus_path("seeds")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    result = run("ingest", str(seeds), db=db)
    assert result.returncode == 0, result.stderr
    assert "read 5 articles (5 new, 0 unchanged)" in result.stderr
    return db


def _is_deir_ez_zor_strike(e: dict) -> bool:
    loc = e["location"] or {}
    return loc.get("geonames_id") == 170794 and e["event_type"] == "explosions_remote_violence"


def _is_convoy_attack(e: dict) -> bool:
    return any("convoy" in s["sentence"] for s in e["sources"]) and (e["location"] or {}).get("name") == "Aleppo"


def test_seeds_each_landmark_event_appears_exactly_once(seeds_db):
    events = events_of(seeds_db)
    deir = [e for e in events if _is_deir_ez_zor_strike(e)]
    convoy = [e for e in events if _is_convoy_attack(e)]
    assert len(deir) == 1 and len(convoy) == 1
    assert deir[0]["sub_event_type"] == "air_drone_strike"
    assert {"000_dfa8b9e320b93668", "002_5a31d23e92dabe35", "004_7ded493974dae726"} <= set(deir[0]["article_ids"])
    assert deir[0]["fatalities"]["best"] == 62 and deir[0]["fatalities"]["high"] == 90
    assert any(c["field"] == "fatalities" and 62 in c["values"] and 90 in c["values"] for c in deir[0]["contradictions"])
    assert deir[0]["actors"][0]["name"] == "Military Forces of the United States"
    assert {c["value"] for c in convoy[0]["claims"] if c["field"] == "fatalities"} >= {20, 21}


def test_seeds_every_claim_is_traced_to_its_sentence(seeds_db):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in corpus_path("seeds").glob("*.txt")}
    cleaned = {k: clean_text(v).text for k, v in texts.items()}
    claims = [c for e in events_of(seeds_db) for c in e["claims"]]
    assert claims
    number_words = {2: "two", 3: "three", 4: "four", 12: "dozen", 20: "twenty"}
    for c in claims:
        src = c["source"]
        text = cleaned[src["article_id"]]
        # The span is the figure as written, at its place in the article, inside the sentence cited.
        assert text[src["start"] : src["end"]] == c["text"]
        sentence_at = [i for i in range(len(text)) if text.startswith(src["sentence"], i)]
        assert any(i <= src["start"] and src["end"] <= i + len(src["sentence"]) for i in sentence_at), c
        # The value is the number the figure writes, in digits or in words.
        written = c["text"].lower()
        assert str(c["value"]) in written or number_words.get(c["value"], "-") in written, c


def test_seeds_never_turn_non_casualty_numbers_into_fatalities(seeds_db):
    values = {c["value"] for e in events_of(seeds_db) for c in e["claims"]}
    for not_a_toll in (18, 2012, 2016, 250, 300, 250000, 300000, 39, 28, 254, 32, 40, 35, 14):
        assert not_a_toll not in values


def test_seeds_reingest_changes_nothing(seeds_db):
    before = events_of(seeds_db)
    again = run("ingest", str(corpus_path("seeds")), db=seeds_db)
    assert again.returncode == 0
    assert "0 new, 5 unchanged" in again.stderr
    assert events_of(seeds_db) == before


def test_seeds_export_csv_and_geojson_open_in_standard_tools(seeds_db):
    out = run("export", "events", "--format", "csv", db=seeds_db)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and {"event_date", "event_type", "sub_event_type", "actor1", "actor2", "latitude", "longitude", "fatalities", "notes"} <= set(rows[0])
    geo = json.loads(run("export", "events", "--format", "geojson", db=seeds_db).stdout)
    assert geo["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2 for f in geo["features"])


def test_seeds_export_stories_and_duplicates(seeds_db):
    stories = [json.loads(x) for x in run("export", "stories", db=seeds_db).stdout.splitlines()]
    assert stories and all(set(s) >= {"id", "title", "summary", "article_ids", "event_ids"} for s in stories)
    assert max(len(s["article_ids"]) for s in stories) == 5
    for s in stories:
        for item in s["summary"]:
            assert item["sources"], "every summary sentence cites a source"
    dups = [json.loads(x) for x in run("export", "duplicates", db=seeds_db).stdout.splitlines()]
    cleaned = {p.stem: clean_text(p.read_text(encoding="utf-8")).text for p in corpus_path("seeds").glob("*.txt")}
    passages = [p for d in dups for p in d["passages"]]
    # Each passage is a view into its article: the sentence stands at its offsets, in two articles or more.
    assert passages and all(cleaned[p["article_id"]][p["start"] : p["end"]] == p["sentence"] for p in passages)
    assert all(len({p["article_id"] for p in d["passages"]}) >= 2 for d in dups)
    assert any(p["sentence"].startswith("Kerry called for Russian Federation") for p in passages)


def test_examples_show_copies_paraphrases_and_contradictions(tmp_path):
    env = {"SITROOM_GAZETTEER": str(tmp_path / "gaz.sqlite")}
    db = tmp_path / "demo.db"
    loaded = subprocess.run([*SITROOM, "gazetteer", "load", str(EXAMPLES / "gazetteer" / "marenia.txt")], capture_output=True, text=True, env={**__import__("os").environ, **env})
    assert loaded.returncode == 0, loaded.stderr
    result = run("ingest", str(EXAMPLES / "reports"), db=db, env=env)
    assert result.returncode == 0, result.stderr
    assert "skipped 1" in result.stderr and "not valid JSON" in result.stderr
    events = [json.loads(x) for x in run("export", "events", db=db, env=env).stdout.splitlines()]
    market = [e for e in events if (e["location"] or {}).get("name") == "Karvel"]
    assert len(market) == 1
    m = market[0]
    assert m["fatalities"] == {"best": 12, "low": 12, "high": 19}
    assert {tuple(c["values"]) for c in m["contradictions"] if c["field"] == "fatalities"} == {(12, 19)}
    assert any(c["field"] == "responsibility" for c in m["contradictions"])
    dalmo = [e for e in events if (e["location"] or {}).get("name") == "Dalmo"]
    assert len(dalmo) == 1 and dalmo[0]["fatalities"]["best"] == 2
    kinds = {json.loads(x)["kind"] for x in run("export", "duplicates", db=db, env=env).stdout.splitlines()}
    assert kinds & {"exact", "paraphrase"}


def test_cli_exit_codes(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("ingest", str(empty), db=tmp_path / "x.db").returncode == 1
    bad = run("ingest", str(empty), db=tmp_path / "missing-dir" / "x.db")
    assert bad.returncode == 2 and "does not exist" in bad.stderr
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    only_bad = run("ingest", str(binary), db=tmp_path / "y.db")
    assert only_bad.returncode == 1 and "binary" in only_bad.stderr


def test_cli_ingests_jsonl_from_stdin(tmp_path):
    line = json.dumps({"id": "stdin-1", "text": "Gunmen killed three villagers near Ostrin on Monday, police said.", "published": "2024-03-04"})
    result = run("ingest", "-", db=tmp_path / "s.db", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    assert "read 1 articles" in result.stderr


def test_seeds_search_finds_the_deir_ez_zor_strike_under_every_spelling(seeds_db):
    """The incremental corpus pass writes event search rows with their folded spellings, as rebuild does."""
    from sitroom.store import open_store

    deir = next(e["id"] for e in events_of(seeds_db) if _is_deir_ez_zor_strike(e))
    store = open_store(f"sqlite:///{seeds_db}")
    try:
        found = [{h.id for h in store.search(q, limit=200) if h.kind == "event"} for q in
                 ("Deir ez-Zor", "Deir el-Zour", "Deir al-Zor", "Deir Ezzor", "Dayr az Zawr")]
    finally:
        store.close()
    assert all(deir in hits for hits in found), found
    assert all(hits == found[0] for hits in found)
