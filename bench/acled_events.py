"""ACLED benchmark on every set: each `notes` text as one article, its events against the coded row.

Run from anywhere: `python bench/acled_events.py [--set NAME|all] [--mode note|stream|both] [--sample N]
[-v FIELD] [--why-location N] [--limit N] [--json] [--out DIR] [--smoke]` (`--smoke`: the first 5 rows of each set).

Sets: `acled-me-2020` (../shared/corpus/acled-me-2020, the default) and the five of
../shared/corpus/acled-dev (kenya, bangladesh, myanmar, burkina_faso, benin). Each note becomes an
article published on the date of the row's `timestamp` (else its `event_date`). In the dev exports the
timestamp is ACLED's upload, often years after the event (94% of the Kenya rows), so a yearless note
("On 09 October, ...") gets the upload's year: `--published event_date` publishes on the event date
instead, to see the reading apart from that anchoring.

- **per note** (`--mode note`): every note goes through the real extraction (`analyse_articles`) and
  fusion (`fuse`) over that article's reports alone, in process;
- **as one stream** (`--mode stream`): the notes as one JSONL file ingested into one store through the
  CLI (`sitroom ingest notes.jsonl --db STORE`), as a user would; each row is then scored on the record
  that holds its note, and a row is "in a record of its own" when that record holds no other row's note
  (each ACLED row is a distinct event by ACLED's curation, so fusion should merge none of them).

The row's *primary* event is the one whose date equals the row's date if any, then the one with the
most fatalities, then the first in the text; every field is scored on it:

- found: the note yields at least one event;
- event_type / sub_event_type: equal to ACLED's (labels compared after snake-casing); sub_event_type
  also as weighted F1 over rows (per ACLED sub-type, weighted by its rows; a row without an event
  predicts "none"): the "news snippets typed into ACLED's sub-event types" figure;
- date: exact; also apart on the rows whose event the note itself dates (date_basis stated or
  relative), since an undated note can only take its publication date, here ACLED's upload;
- location: within 25 km of ACLED's coordinates (great-circle);
- fatalities: `best` equal to ACLED's figure, rows whose note states a coding rule scored apart;
- actor1 / actor2: sitroom's canonical name equal to ACLED's once years in brackets are dropped
  ("Military Forces of Syria (2000-)" = "Military Forces of Syria"), actor2 only where ACLED
  codes one.

`-v FIELD` lists the misses of one field (type, sub, date, location, fatalities, actor1, actor2, found).
`--why-location N` counts the first N location misses (per note) by why they miss (`MISS_CLASSES`:
no event; ACLED's place not named in the note, or only its admin units; the name not in the index
within 25 km, or there but not its likeliest reading; not extracted; placed in another country, at an
admin unit only, or at another place of the note); with `-v location` it lists them with their class.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

from _script import CORPUS, REPO, SITROOM_CLI, add_smoke_flag, corpus_missing

CSV = CORPUS / "acled-me-2020" / "acled_middle_east_may2020.csv"
SETS = {
    "acled-me-2020": CSV,
    **{name: CORPUS / "acled-dev" / f"{name}.csv" for name in ("kenya", "bangladesh", "myanmar", "burkina_faso", "benin")},
}
SMOKE_ROWS = 5
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


def row_date(row: dict) -> date:
    """A row's event date, in either of ACLED's schemas ("9-May-20" or "2020-05-09")."""
    value = row["event_date"].strip()
    return date.fromisoformat(value) if value[:4].isdigit() else datetime.strptime(value, "%d-%b-%y").date()


PUBLISHED = {"basis": "timestamp"}  # --published event_date switches every set to the event's own date


def published(row: dict) -> date:
    """The date a note's article is published on: the row's `timestamp`, else its event date."""
    stamp = (row.get("timestamp") or "").strip()
    if PUBLISHED["basis"] == "event_date" or not stamp:
        return row_date(row)
    return datetime.fromtimestamp(float(stamp), tz=timezone.utc).date()


def score_row(row: dict, events: list) -> RowScore:
    """Score every field of one row against its primary event."""
    event = primary_event(events, row_date(row))
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
    hits["date"] = event.date == row_date(row)
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


def load_rows(limit: int | None = None, name: str = "acled-me-2020", sample: int | None = None, seed: int = 14) -> list[dict]:
    """The rows of one set with a note, in file order (a seeded sample of N rows with `sample`)."""
    rows = [r for r in csv.DictReader(SETS[name].open(encoding="utf-8")) if (r.get("notes") or "").strip()]
    for n, row in enumerate(rows):
        row["_article"] = f"acled-{name}-{row.get('data_id') or n}-{n}"  # event_id_cnty repeats in some exports
        for column in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"):
            if (row.get(column) or "").strip() == "NA":  # the R-made dev exports write a missing actor as "NA"
                row[column] = ""
            row.setdefault(column, "")  # the Bangladesh export has no actor2 columns at all
    if sample and sample < len(rows):
        keep = set(random.Random(seed).sample(range(len(rows)), sample))
        rows = [r for n, r in enumerate(rows) if n in keep]
    return rows[:limit] if limit else rows


def article_id(row: dict) -> str:
    """The article id a row's note is ingested under."""
    return row.get("_article") or f"acled-{row['event_id_cnty']}"


def run(rows: list[dict]) -> tuple[list[RowScore], float]:
    """Analyse every note as an article and score each row; returns the scores and seconds taken."""
    from sitroom.extract import analyse_articles
    from sitroom.extract.nlp import load_nlp
    from sitroom.fuse import fuse
    from sitroom.model import Article

    load_nlp()  # model loading is a one-off; the timing is per note
    articles = [Article(id=article_id(row), text=row["notes"], source=row["source"], published=published(row)) for row in rows]
    t0 = time.perf_counter()
    scores = []
    for row, analysis in zip(rows, analyse_articles(articles)):
        scores.append(score_row(row, fuse(list(analysis.reports))))
    return scores, time.perf_counter() - t0


def rates(scores: list[RowScore]) -> dict[str, dict]:
    """Per field: rows scored, hits, rate; fatalities also on rows whose coded figure is > 0; sub-type weighted F1."""
    out: dict[str, dict] = {}
    for name in FIELDS:
        scored = [s.hits[name] for s in scores if s.hits[name] is not None]
        out[name] = {"rows": len(scored), "hits": sum(scored), "rate": sum(scored) / len(scored) if scored else 0.0}
    positive = [s.hits["fatalities"] for s in scores if s.hits["fatalities"] is not None and float(s.row["fatalities"]) > 0]
    out["fatalities_positive"] = {"rows": len(positive), "hits": sum(positive), "rate": sum(positive) / len(positive) if positive else 0.0}
    # The reading apart from the anchoring: rows whose primary event is dated by the note's own words
    # (stated or relative), not by the publication date an undated note falls back on.
    dated = [s.hits["date"] for s in scores if s.event is not None and getattr(s.event, "date_basis", None) in ("stated", "relative")]
    out["date_dated"] = {"rows": len(dated), "hits": sum(dated), "rate": sum(dated) / len(dated) if dated else 0.0}
    out["sub_weighted_f1"] = {"rows": len(scores), "rate": weighted_f1(scores)}
    return out


def weighted_f1(scores: list[RowScore]) -> float:
    """F1 of the primary event's sub-event type per ACLED sub-type, weighted by that sub-type's rows."""
    gold = [snake(s.row["sub_event_type"]) for s in scores]
    pred = [s.event.sub_event_type if s.event is not None else "none" for s in scores]
    support, predicted = Counter(gold), Counter(pred)
    right = Counter(g for g, p in zip(gold, pred) if g == p)
    total = 0.0
    for label, n in support.items():
        precision = right[label] / predicted[label] if predicted[label] else 0.0
        recall = right[label] / n
        total += n * (2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return total / len(gold) if gold else 0.0


def record_view(record: dict, article: str) -> SimpleNamespace:
    """An exported event record seen as the fields score_row reads, its sources limited to one article."""
    loc = record.get("location")
    return SimpleNamespace(
        event_type=record["event_type"],
        sub_event_type=record["sub_event_type"],
        date=date.fromisoformat(record["date"]) if record.get("date") else None,
        date_basis=record.get("date_basis"),
        location=SimpleNamespace(name=loc.get("name"), lat=loc.get("lat"), lon=loc.get("lon")) if loc else None,
        fatalities=SimpleNamespace(best=(record.get("fatalities") or {}).get("best")),
        sources=[SimpleNamespace(start=s["start"]) for s in record["sources"] if s["article_id"] == article],
        actors=[SimpleNamespace(role=a["role"], name=a["name"]) for a in record.get("actors", [])],
        articles=frozenset(s["article_id"] for s in record["sources"]),
    )


def run_stream(rows: list[dict], workdir: Path) -> tuple[list[RowScore], float, float]:
    """The notes as one JSONL stream into one store through the CLI; each row scored on the record holding
    its note. Returns the scores, the share of rows in a record of their own, and seconds taken."""
    notes = workdir / "notes.jsonl"
    with notes.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({"id": article_id(row), "text": row["notes"], "source": row["source"], "published": published(row).isoformat()}) + "\n")
    db = workdir / "stream.db"
    t0 = time.perf_counter()
    subprocess.run([*SITROOM_CLI, "ingest", str(notes), "--db", str(db), "--quiet"], check=True)
    seconds = time.perf_counter() - t0
    subprocess.run([*SITROOM_CLI, "export", "events", "--db", str(db), "-o", str(workdir / "events.jsonl")], check=True, capture_output=True)
    holding: dict[str, list[dict]] = {}
    for line in (workdir / "events.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        for aid in {s["article_id"] for s in record["sources"]}:
            holding.setdefault(aid, []).append(record)
    scores, alone = [], 0
    for row in rows:
        aid = article_id(row)
        score = score_row(row, [record_view(r, aid) for r in holding.get(aid, [])])
        scores.append(score)
        alone += score.event is not None and score.event.articles == {aid}
    return scores, alone / len(rows) if rows else 0.0, seconds


GOALS = {"found": 0.97, "type": 0.90, "sub": 0.85, "date": 0.95, "location": 0.85, "fatalities": 0.92, "fatalities_positive": 0.88,
         "actor1": 0.80, "sub_weighted_f1": 0.84}
LABELS = {
    "found": "an event found", "type": "event_type", "sub": "sub_event_type", "date": "date exact",
    "date_dated": "  of which the note dates (stated, relative)",
    "location": "location within 25 km", "fatalities": "fatalities best exact (no coding rule)",
    "fatalities_positive": "  of which coded fatalities > 0", "actor1": "actor1 as ACLED names it",
    "actor2": "actor2 as ACLED names it (rows with one)", "sub_weighted_f1": "sub_event_type weighted F1 (over rows)",
}


COUNTRY_CODES = {"Yemen": "YE", "Syria": "SY", "Lebanon": "LB", "Turkey": "TR", "Iraq": "IQ", "Iran": "IR",
                 "Palestine": "PS", "Israel": "IL", "Saudi Arabia": "SA", "Kenya": "KE", "Bangladesh": "BD",
                 "Myanmar": "MM", "Burkina Faso": "BF", "Benin": "BJ"}


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


MISS_CLASSES = (
    "no event", "note names no place", "note names only an admin unit", "name not in gazetteer",
    "wrong homonym", "note's place not extracted", "placed in another country", "only an admin unit resolved",
    "another place of the note", "other",
)


def _named(name: str, note_key: str) -> bool:
    """Whether a place name (light normal form, whole words) occurs in a note's light normal form."""
    from sitroom.gazetteer.folding import simple

    key = simple(name)
    return len(key) >= 3 and f" {key} " in note_key


def classify_location_miss(s: RowScore) -> str:
    """Why a row's event is not within 25 km of ACLED's point: one of MISS_CLASSES."""
    from sitroom.gazetteer import Gazetteer
    from sitroom.gazetteer.folding import fold, simple

    g = Gazetteer.default()
    row = s.row
    cc = COUNTRY_CODES.get(row["country"], "")
    point = (float(row["latitude"]), float(row["longitude"]))
    if s.event is None:
        return "no event"
    note_key = f" {simple(row['notes'])} "
    loc = s.event.location
    if not _named(row["location"], note_key):
        admins = [row.get(c) or "" for c in ("admin3", "admin2", "admin1")]
        return "note names only an admin unit" if any(_named(a, note_key) for a in admins if a) else "note names no place"
    own = g.lookup(row["location"], countries=(cc,))
    if not (own and own.lat is not None and km_between(*point, own.lat, own.lon) <= 25.0):
        near = [c for c in g.candidates(row["location"]) if c.lat is not None and km_between(*point, c.lat, c.lon) <= 25.0]
        return "wrong homonym" if near else "name not in gazetteer"
    if loc is None:
        return "note's place not extracted"
    if loc.country and loc.country != cc:
        return "placed in another country"
    if loc.precision in ("admin1", "country"):
        return "only an admin unit resolved"
    if loc.name and fold(loc.name) != fold(row["location"]):
        return "another place of the note"
    return "other"


def classify_misses(scores: list[RowScore], limit: int, show: bool) -> Counter:
    """The location misses of the first `limit` missed rows, counted by class (and listed with `show`)."""
    counts: Counter = Counter()
    for s in [s for s in scores if s.hits["location"] is False][:limit]:
        why = classify_location_miss(s)
        counts[why] += 1
        if show:
            loc = s.event.location if s.event else None
            got = f"{loc.name} {loc.country} {loc.precision}" if loc else None
            print(f"  [{why}] gold {s.row['location']} ({s.row['admin1']}) got {got}: {s.row['notes'][:160]}")
    return counts


def print_rates(title: str, note: dict | None, stream: dict | None, alone: float | None) -> None:
    """One set's table: each field per note and as one stream, next to each other."""
    print(title)
    print(f"{'':44s} {'per note':>20s} {'one stream':>20s}")
    for name, label in LABELS.items():
        cells = []
        for result in (note, stream):
            if result is None:
                cells.append(f"{'-':>20s}")
            elif name == "sub_weighted_f1":
                cells.append(f"{result[name]['rate']:>20.3f}")
            else:
                r = result[name]
                cells.append(f"{r['hits']:7d}/{r['rows']:<5d} {r['rate']:6.1%}")
        goal = f"  (goal {GOALS[name]:.0%})" if name in GOALS and name != "sub_weighted_f1" else ("  (goal 0.84)" if name in GOALS else "")
        print(f"{label:44s} " + " ".join(cells) + goal)
    if alone is not None:
        print(f"{'rows in a record of their own (stream)':44s} {'':>20s} {alone:>20.1%}  (goal 97%)")


def list_misses(scores: list[RowScore], field: str) -> None:
    """Print the rows that miss one field, with what sitroom made of them."""
    for s in scores:
        if s.hits[field] is False:
            e = s.event
            got = (
                f"{e.event_type}/{e.sub_event_type} {e.date} {e.location.name if e.location else None} "
                f"best={e.fatalities.best} actors={[(a.role, a.name) for a in e.actors]}" if e else "no event"
            )
            r = s.row
            print(f"--- gold {snake(r['event_type'])}/{snake(r['sub_event_type'])} {r['event_date']} "
                  f"{r['location']} fat={r['fatalities']} a1={r['actor1']!r} a2={r['actor2']!r}\n    got  {got}\n    {r['notes']}")


def main() -> int:
    """Print the per-field rates of each set (or JSON), per note and/or as one stream."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="acled-me-2020", choices=[*SETS, "all"], help="which ACLED set (default acled-me-2020)")
    parser.add_argument("--mode", default="note", choices=("note", "stream", "both"), help="per note in process, one stream through the CLI, or both")
    parser.add_argument("--sample", type=int, help="score a seeded random sample of N rows of each set")
    parser.add_argument("--seed", type=int, default=14, help="seed of --sample")
    parser.add_argument("-v", dest="field", choices=FIELDS, help="list the misses of this field")
    parser.add_argument("--limit", type=int, help="score only the first N rows")
    parser.add_argument("--json", action="store_true", help="print the rates as JSON")
    parser.add_argument("--out", type=Path, help="also write each set's rates as JSON into this folder")
    parser.add_argument("--why-location", type=int, metavar="N",
                        help="classify the first N location misses (per note) by why they miss")
    parser.add_argument("--ceiling", action="store_true", help="also print what the offline gazetteer allows for location")
    parser.add_argument("--published", choices=("timestamp", "event_date"), default="timestamp",
                        help="publish each note on its row's timestamp (ACLED's upload, the default) or on the event date "
                             "(isolates reading a yearless 'On 9 October' from anchoring it to the right year)")
    add_smoke_flag(parser, f"the first {SMOKE_ROWS} rows of each set")
    args = parser.parse_args()
    if args.smoke:
        args.limit = min(args.limit or SMOKE_ROWS, SMOKE_ROWS)
    PUBLISHED["basis"] = args.published
    names = list(SETS) if args.set == "all" else [args.set]
    if corpus_missing(*(SETS[n] for n in names)):
        return 0
    report = {}
    for name in names:
        rows = load_rows(args.limit, name=name, sample=args.sample, seed=args.seed)
        entry: dict = {"rows": len(rows)}
        note = stream = alone = None
        if args.mode in ("note", "both"):
            scores, seconds = run(rows)
            note = rates(scores)
            entry["per_note"] = {**note, "seconds_per_note": seconds / len(rows)}
        if args.mode in ("stream", "both"):
            with tempfile.TemporaryDirectory(prefix=f"acled-{name}-") as tmp:
                stream_scores, alone, seconds = run_stream(rows, Path(tmp))
            stream = rates(stream_scores)
            entry["stream"] = {**stream, "rows_in_own_record": alone, "ingest_seconds": seconds}
        report[name] = entry
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            suffix = (f"-sample{args.sample}" if args.sample else "") + ("-published-event-date" if args.published == "event_date" else "")
            (args.out / f"{name}{suffix}-{args.mode}.json").write_text(json.dumps(entry, indent=2))
        if not args.json:
            print_rates(f"{name}: {len(rows)} rows with notes, one article per note", note, stream, alone)
            if "per_note" in entry:
                print(f"speed: {entry['per_note']['seconds_per_note'] * 1000:.1f} ms per note (parse + extract + fuse, 1 process)")
            if "stream" in entry:
                print(f"stream ingest: {entry['stream']['ingest_seconds']:.0f} s through the CLI")
            print()
        if args.ceiling:
            named, either = gazetteer_ceiling(rows)
            print(f"gazetteer ceiling: ACLED's own place name resolves within 25 km for {named:.1%} of rows; "
                  f"with its admin1 as fallback {either:.1%}")
        if args.why_location and note is not None:
            counts = classify_misses(scores, args.why_location, show=args.field == "location")
            total = sum(counts.values())
            print(f"why location misses ({total} of them):")
            for why in MISS_CLASSES:
                if counts[why]:
                    print(f"  {why:36s} {counts[why]:4d}  {counts[why] / total:6.1%}")
        elif args.field:
            list_misses(stream_scores if note is None else scores, args.field)
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
