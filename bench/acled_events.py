"""Per-row ACLED benchmark: each `notes` text as one article, its events against the coded row.

Run from anywhere: `python bench/acled_events.py [-v FIELD] [--limit N] [--json]`.

Each note of ../shared/corpus/acled-me-2020 becomes an article published on the date of the row's
`timestamp`; it goes through the real extraction (`analyse_articles`) and fusion (`fuse`, over that
article's reports alone, since every ACLED row is its own event). The row's *primary* event is the
one whose date equals the row's date if any, then the one with the most fatalities, then the
first in the text; every field is scored on it:

- found: the note yields at least one event;
- event_type / sub_event_type: equal to ACLED's (labels compared after snake-casing);
- date: exact;
- location: within 25 km of ACLED's coordinates (great-circle);
- fatalities: `best` equal to ACLED's figure, rows whose note states a coding rule scored apart;
- actor1 / actor2: sitroom's canonical name equal to ACLED's once years in brackets are dropped
  ("Military Forces of Syria (2000-)" = "Military Forces of Syria"), actor2 only where ACLED
  codes one.

`-v FIELD` lists the misses of one field (type, sub, date, location, fatalities, actor1, actor2, found).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CSV = REPO.parent / "shared" / "corpus" / "acled-me-2020" / "acled_middle_east_may2020.csv"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from acled_figures import CODING_RULE  # noqa: E402

FIELDS = ("found", "type", "sub", "date", "location", "fatalities", "actor1", "actor2")


def snake(label: str) -> str:
    """ACLED's display label in sitroom's spelling: 'Air/drone strike' → 'air_drone_strike'."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def actor_key(name: str) -> str:
    """An actor name without its years in brackets, case-folded, for comparison."""
    return re.sub(r"\s*\(\d{4}-(?:\d{4})?\)", "", name or "").strip().casefold()


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


@dataclass
class RowScore:
    """What one ACLED row scored on each field (None: not scored for this row)."""

    row: dict
    event: object | None
    hits: dict[str, bool | None]


def primary_event(events: list, row_date: date):
    """The event a row is scored against: same date first, then most fatalities, then first in text."""
    if not events:
        return None
    return min(
        events,
        key=lambda e: (
            e.date != row_date,
            -(e.fatalities.best or 0),
            min((s.start for s in e.sources), default=0),
        ),
    )


def score_row(row: dict, events: list) -> RowScore:
    """Score every field of one row against its primary event."""
    row_date = datetime.strptime(row["event_date"], "%d-%b-%y").date()
    event = primary_event(events, row_date)
    hits: dict[str, bool | None] = {name: None for name in FIELDS}
    hits["found"] = event is not None
    ruled = bool(CODING_RULE.search(row["notes"]))
    if event is None:
        for name in ("type", "sub", "date", "location", "actor1"):
            hits[name] = False
        hits["fatalities"] = None if ruled else int(float(row["fatalities"])) == 0
        hits["actor2"] = False if row["actor2"] else None
        return RowScore(row, None, hits)
    hits["type"] = event.event_type == snake(row["event_type"])
    hits["sub"] = event.sub_event_type == snake(row["sub_event_type"])
    hits["date"] = event.date == row_date
    loc = event.location
    hits["location"] = bool(
        loc and loc.lat is not None and loc.lon is not None
        and km_between(loc.lat, loc.lon, float(row["latitude"]), float(row["longitude"])) <= 25.0
    )
    if not ruled:
        hits["fatalities"] = (event.fatalities.best or 0) == int(float(row["fatalities"]))
    names = {a.role: a.name for a in reversed(event.actors)}
    hits["actor1"] = actor_key(names.get("actor1", "")) == actor_key(row["actor1"])
    if row["actor2"]:
        hits["actor2"] = actor_key(names.get("actor2", "")) == actor_key(row["actor2"])
    return RowScore(row, event, hits)


def load_rows(limit: int | None = None) -> list[dict]:
    """The ACLED rows, in file order."""
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    return rows[:limit] if limit else rows


def run(rows: list[dict]) -> tuple[list[RowScore], float]:
    """Analyse every note as an article and score each row; returns the scores and seconds taken."""
    from sitroom.extract import analyse_articles
    from sitroom.extract.nlp import load_nlp
    from sitroom.fuse import fuse
    from sitroom.model import Article

    load_nlp()  # model loading is a one-off; the timing is per note
    articles = [
        Article(
            id=f"acled-{row['event_id_cnty']}",
            text=row["notes"],
            source=row["source"],
            published=datetime.fromtimestamp(float(row["timestamp"]), tz=timezone.utc).date(),
        )
        for row in rows
    ]
    t0 = time.perf_counter()
    scores = []
    for row, analysis in zip(rows, analyse_articles(articles)):
        scores.append(score_row(row, fuse(list(analysis.reports))))
    return scores, time.perf_counter() - t0


def rates(scores: list[RowScore]) -> dict[str, dict]:
    """Per field: rows scored, hits, rate; fatalities also on rows whose coded figure is > 0."""
    out: dict[str, dict] = {}
    for name in FIELDS:
        scored = [s.hits[name] for s in scores if s.hits[name] is not None]
        out[name] = {"rows": len(scored), "hits": sum(scored), "rate": sum(scored) / len(scored) if scored else 0.0}
    positive = [s.hits["fatalities"] for s in scores if s.hits["fatalities"] is not None and float(s.row["fatalities"]) > 0]
    out["fatalities_positive"] = {"rows": len(positive), "hits": sum(positive), "rate": sum(positive) / len(positive) if positive else 0.0}
    return out


GOALS = {"found": 0.98, "type": 0.90, "sub": 0.80, "date": 0.95, "location": 0.85, "fatalities": 0.90, "fatalities_positive": 0.85}
LABELS = {
    "found": "an event found", "type": "event_type", "sub": "sub_event_type", "date": "date exact",
    "location": "location within 25 km", "fatalities": "fatalities best exact (no coding rule)",
    "fatalities_positive": "  of which coded fatalities > 0", "actor1": "actor1 as ACLED names it",
    "actor2": "actor2 as ACLED names it (rows with one)",
}


COUNTRY_CODES = {"Yemen": "YE", "Syria": "SY", "Lebanon": "LB", "Turkey": "TR", "Iraq": "IQ", "Iran": "IR",
                 "Palestine": "PS", "Israel": "IL", "Saudi Arabia": "SA"}


def gazetteer_ceiling(rows: list[dict]) -> tuple[float, float]:
    """How far the offline gazetteer can go: ACLED's own place name, looked up in its country, lands
    within 25 km (first figure), or that or the row's admin1 does (second figure)."""
    from sitroom.gazetteer import Gazetteer

    g = Gazetteer.default()
    named = either = 0
    for row in rows:
        country = (COUNTRY_CODES.get(row["country"], ""),)
        point = (float(row["latitude"]), float(row["longitude"]))

        def near(loc) -> bool:
            return bool(loc and loc.lat is not None and km_between(*point, loc.lat, loc.lon) <= 25.0)

        hit = near(g.lookup(row["location"], countries=country))
        named += hit
        either += hit or near(g.lookup(row["admin1"], countries=country, prefer="admin1"))
    return named / len(rows), either / len(rows)


def main() -> int:
    """Print the per-field rates (or JSON) and, with -v FIELD, the misses of that field."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", dest="field", choices=FIELDS, help="list the misses of this field")
    parser.add_argument("--limit", type=int, help="score only the first N rows")
    parser.add_argument("--json", action="store_true", help="print the rates as JSON")
    parser.add_argument("--ceiling", action="store_true", help="also print what the offline gazetteer allows for location")
    args = parser.parse_args()
    if not CSV.exists():
        print(f"skipped: {CSV} not found (the shared corpus is not checked out next to the repo)")
        return 0
    rows = load_rows(args.limit)
    scores, seconds = run(rows)
    result = rates(scores)
    if args.json:
        print(json.dumps({**result, "seconds_per_note": seconds / len(rows)}, indent=2))
    else:
        print(f"{len(rows)} ACLED rows (Middle East, 27 Apr - 9 May 2020), one article per note")
        for name, label in LABELS.items():
            r = result[name]
            goal = f"  (goal {GOALS[name]:.0%})" if name in GOALS else ""
            print(f"{label:44s} {r['hits']:5d}/{r['rows']:<5d} {r['rate']:6.1%}{goal}")
        print(f"speed: {seconds / len(rows) * 1000:.1f} ms per note (parse + extract + fuse, 1 process)")
    if args.ceiling:
        named, either = gazetteer_ceiling(rows)
        print(f"gazetteer ceiling: ACLED's own place name resolves within 25 km for {named:.1%} of rows; "
              f"with its admin1 as fallback {either:.1%}")
    if args.field:
        for s in scores:
            if s.hits[args.field] is False:
                e = s.event
                got = (
                    f"{e.event_type}/{e.sub_event_type} {e.date} {e.location.name if e.location else None} "
                    f"best={e.fatalities.best} actors={[(a.role, a.name) for a in e.actors]}" if e else "no event"
                )
                r = s.row
                print(f"--- gold {snake(r['event_type'])}/{snake(r['sub_event_type'])} {r['event_date']} "
                      f"{r['location']} fat={r['fatalities']} a1={r['actor1']!r} a2={r['actor2']!r}\n    got  {got}\n    {r['notes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
