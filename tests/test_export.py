"""Export writers: JSONL, ACLED-style CSV and GeoJSON from contract-shaped event records."""

from __future__ import annotations

import csv
import io
import json

import pytest

from api_demo_data import EV_DEIR, EV_UNDATED, events
from sitroom import export


@pytest.fixture
def records() -> list[dict]:
    return [e.to_dict() for e in events()]


def test_export_csv_uses_acled_names_and_codes(records):
    out = io.StringIO()
    assert export.write_events(records, "csv", out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[:20] == list(export.CSV_COLUMNS[:20])
    deir = rows[0]
    assert deir["event_id_cnty"] == EV_DEIR and deir["event_date"] == "2016-09-17" and deir["year"] == "2016"
    assert deir["time_precision"] == "1" and deir["geo_precision"] == "2"
    assert deir["event_type"] == "Explosions/Remote violence" and deir["sub_event_type"] == "Air/drone strike"
    assert deir["actor1"] == "Military Forces of the United States" and deir["actor2"] == "Military Forces of Syria"
    assert (deir["country"], deir["iso"], deir["country_code"]) == ("Syria", "760", "SY")
    assert (deir["fatalities"], deir["fatalities_low"], deir["fatalities_high"], deir["injured_best"]) == ("62", "62", "90", "100")
    assert deir["n_sources"] == "2" and deir["notes"].startswith("A US-led coalition")
    assert deir["source"] == "000_dfa8b9e320b93668; 002_5a31d23e92dabe35"
    undated = rows[2]
    assert undated["event_date"] == "" and undated["year"] == "" and undated["time_precision"] == "" and undated["latitude"] == ""
    assert undated["geo_precision"] == "3"


def test_export_csv_leaves_unknown_fatalities_empty_not_zero(records):
    records[1]["fatalities"] = {"best": None, "low": None, "high": None}
    row = export.csv_row(records[1])
    assert row["fatalities"] == "" and row["fatalities_high"] == ""


def test_export_csv_source_names_outlets_when_given(records):
    row = export.csv_row(records[0], {"000_dfa8b9e320b93668": "Reuters", "002_5a31d23e92dabe35": "AFP"})
    assert row["source"] == "Reuters; AFP"


def test_export_csv_survives_commas_quotes_and_newlines(records):
    records[0]["summary"] = 'He said "no", then\nleft, again'
    out = io.StringIO()
    export.write_events(records[:1], "csv", out)
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["notes"] == 'He said "no", then\nleft, again'


def test_export_geojson_points_are_lon_lat_and_skips_are_counted(records):
    out = io.StringIO()
    export.write_events(records, "geojson", out)
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [40.141, 35.336]}
    assert first["properties"]["id"] == EV_DEIR
    assert data["sitroom"]["events_without_coordinates"] == 1
    assert EV_UNDATED not in {f["id"] for f in data["features"]}


def test_export_geojson_of_nothing_is_valid():
    out = io.StringIO()
    export.write_events([], "geojson", out)
    assert json.loads(out.getvalue())["features"] == []


def test_export_jsonl_round_trips(records):
    out = io.StringIO()
    assert export.write_jsonl(records, out) == 3
    assert [json.loads(line) for line in out.getvalue().splitlines()] == records


def test_export_unknown_format_says_what_to_use(records):
    with pytest.raises(ValueError, match="use one of jsonl, csv, geojson"):
        export.write_events(records, "xml", io.StringIO())  # type: ignore[arg-type]


def test_export_stories_in_event_date_order():
    stories = [{"id": "s", "event_ids": ["c", "a", "b"]}]
    dates = {"a": "2016-09-17", "b": None, "c": "2016-09-19"}
    assert next(export.stories_in_event_order(stories, dates))["event_ids"] == ["a", "c", "b"]


def test_export_every_acled_subtype_has_a_label():
    from sitroom.model import EVENT_TYPES

    assert set(export.ACLED_EVENT_TYPES) == set(EVENT_TYPES)
    assert set(export.ACLED_SUB_EVENT_TYPES) == {s for subs in EVENT_TYPES.values() for s in subs}
