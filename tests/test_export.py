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


# -- ACLED's full column set, spreadsheet safety, flat GeoJSON -------------------------------------


def test_export_csv_keeps_old_columns_in_place_and_adds_acled_ones(records):
    old = ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
           "actor2", "assoc_actor_2", "country", "iso", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
           "notes", "fatalities", "fatalities_low", "fatalities_high", "injured_best", "injured_low", "injured_high",
           "country_code", "story_id", "n_sources", "article_ids")
    assert export.CSV_COLUMNS[: len(old)] == old  # scripts that read by position keep working
    for col in ("inter1", "inter2", "interaction", "civilian_targeting", "region", "admin2", "admin3", "source_scale",
                "timestamp", "disorder_type", "url", "sources"):
        assert col in export.CSV_COLUMNS, col


def test_export_csv_acled_codes_are_derived_from_actors_and_country(records):
    info = {
        "000_dfa8b9e320b93668": {"outlet": "Reuters", "title": "US, Russia say", "published": "2016-10-01",
                                 "url": "https://example.org/a1", "ingested_at": "2026-12-01T08:00:00+00:00"},
        "002_5a31d23e92dabe35": {"outlet": "AFP", "url": "javascript:alert(1)", "ingested_at": "2026-12-01T09:30:00+00:00"},
    }
    deir = export.csv_row(records[0], info)
    # US forces in Syria are external forces (8), Syria's own army state forces (1): interaction 18.
    assert (deir["inter1"], deir["inter2"], deir["interaction"]) == (8, 1, 18)
    assert deir["region"] == "Middle East" and deir["disorder_type"] == "Political violence"
    assert deir["civilian_targeting"] == "" and deir["source_scale"] == "International"
    assert deir["timestamp"] == 1796117400  # the newest report's arrival, 2026-12-01 09:30 UTC
    assert deir["url"] == "https://example.org/a1"  # the javascript: link is never exported as a URL
    cited = json.loads(deir["sources"])
    assert [c["outlet"] for c in cited] == ["Reuters", "AFP"] and cited[1]["url"] is None
    assert deir["corroboration"] == "contested"
    convoy = export.csv_row(records[1])
    assert convoy["inter2"] == 7 and convoy["civilian_targeting"] == "Civilian targeting"
    assert convoy["timestamp"] == "" and convoy["corroboration"] == "single"


def test_export_csv_neutralises_formulas_but_not_numbers(records):
    records[0]["summary"] = "=HYPERLINK(\"http://evil.example\",\"click\")"
    records[0]["actors"][0]["name"] = "@SUM(A1)"
    records[0]["location"]["lon"] = -3.5
    records[1]["summary"] = "\tcmd"
    records[2]["summary"] = "-2+3"
    out = io.StringIO()
    export.write_events(records, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["notes"].startswith("'=HYPERLINK") and rows[0]["actor1"] == "'@SUM(A1)"
    assert rows[0]["longitude"] == "-3.5"  # a number stays a number
    assert rows[1]["notes"] == "'\tcmd" and rows[2]["notes"] == "'-2+3"
    for start in export.FORMULA_STARTS:
        assert export.neutralise(start + "x") == "'" + start + "x"
    assert export.neutralise("plain") == "plain" and export.neutralise(-5) == -5


def test_export_csv_excel_starts_with_a_bom_and_stays_utf8(records):
    records[0]["summary"] = "Dayr az Zawr — Ḩamāh"
    out = io.StringIO()
    export.write_events(records, "csv", out, excel=True)
    text = out.getvalue()
    assert text.startswith("\ufeffevent_id_cnty,") and text.count("\ufeff") == 1
    plain = io.StringIO()
    export.write_events(records, "csv", plain)
    assert not plain.getvalue().startswith("\ufeff") and "Ḩamāh" in plain.getvalue()


def test_export_geojson_properties_are_flat(records):
    out = io.StringIO()
    export.write_events(records, "geojson", out)
    props = json.loads(out.getvalue())["features"][0]["properties"]
    assert all(v is None or isinstance(v, (str, int, float, bool)) for v in props.values()), props
    assert props["fatalities"] == 62 and props["contested"] is True and props["corroboration"] == "contested"
    assert props["place"] == "Deir ez-Zor" and props["country"] == "Syria" and props["country_level"] is False
    assert props["sub_event_type_label"] == "Air/drone strike"


def test_export_source_scale_reads_each_outlet_against_the_events_place():
    from sitroom.sources import source_scale

    nairobi = {"name": "Nairobi", "admin1": "Nairobi Area", "country": "KE"}
    assert source_scale(["Star (Kenya)"], nairobi) == "National"
    assert source_scale(["https://www.nation.co.ke/news/attack"], nairobi) == "National"  # the country's domain
    assert source_scale(["The Nairobi Evening Post"], nairobi) == "Subnational"  # named after the event's town
    assert source_scale(["Uganda Monitor", "Star (Kenya)"], nairobi) == "National-Regional"  # ACLED's order, narrowest first
    assert source_scale(["Reuters", "Star (Kenya)"], nairobi) == "National-International"
    assert source_scale(["bbc.co.uk"], nairobi) == "International"
    assert source_scale(["Whatsapp", "example.tv"], nairobi) == ""  # nothing told: empty, not a guess


def test_an_article_without_an_outlet_is_cited_by_its_links_site_never_a_javascript_host():
    sources = export.article_sources([
        {"id": "a1", "url": "https://www.voanews.com/a/convoy-hit/123.html"},
        {"id": "a2", "url": "javascript://evil.example/%0aalert(1)"},
        {"id": "a3", "source": "Reuters", "url": "https://example.org/x"},
    ])
    assert [sources[i]["outlet"] for i in ("a1", "a2", "a3")] == ["voanews.com", "a2", "Reuters"]
