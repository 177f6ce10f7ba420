"""Real news against a careful reader's gold: sitroom run the way a user runs it, scored event by event.

Run from anywhere: `python bench/news_events.py [-v] [--per-article] [--smoke] [--json]`.

Every article the gold covers (bench/gold/news_articles.json) is ingested into ONE store through the
CLI (`sitroom ingest <seeds .txt files> <VOA lines>.jsonl <TR-News lines>.jsonl … --db STORE`, one JSONL file per corpus), the
events are exported (`sitroom export events`), and the records are scored against the gold
(bench/gold/README.md says how it was made). `--per-article` puts each article in a store of its own
instead (in process, one pipeline per article), for contrast with the one-store run.

Matching: a record matches a gold event when one of its source spans overlaps an evidence snippet of
that event (the snippet located in the stored article text); pairs are taken best first (most evidence
snippets covered, then same sub-type), one to one. Then:

- recall: matched must-events / must-events;
- precision: records matched to a must-event / records that count (records matched to an optional
  event, or only duplicating one, count neither way); a second record of a matched event is a
  duplicate and counts against precision, as does a record that matches nothing;
- on matched must-events: sub-type, date exact (gold events with a day date), location within 25 km,
  fatalities `best` equal (no figure in the gold = no figure in the record), actor1;
- non-casualty numbers: a fatality or injury claim whose value is no casualty figure the gold lists
  for that article (years, ages, trucks, residents …);
- background as incidents: a background statement (period totals, anniversaries, trials, plans …)
  cited by a record that matches no gold event, or by any record's casualty claim;
- ceasefires: gold truces found (a ceasefire record citing one of their snippets), and on each its
  announced / in force / ended dates and who ended it; extra ceasefire records.

Scores are printed for the `tune` split (the extraction engineers may read it), the `check` split
(nobody tunes on it) and both; `-v` lists every miss, false positive and wrong field of the tune split
with its sentence (`--list check|all` for the others: for measuring, not for tuning). `--reuse STORE`
rescores a store kept by `--keep DIR` without ingesting again.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from _script import CORPUS, REPO, SITROOM_CLI, add_smoke_flag, corpus_missing

GOLD = REPO / "bench" / "gold"
sys.path.insert(0, str(REPO / "src"))

from sitroom.store import open_store  # noqa: E402

SMOKE_ARTICLES = ("002_5a31d23e92dabe35", "004_7ded493974dae726")
SPLITS = ("tune", "check", "all")
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


# ---------------------------------------------------------------- gold


def load_gold(gold_dir: Path = GOLD) -> dict:
    """The gold files: articles (id -> entry), events, background statements, ceasefires."""
    articles = {a["id"]: a for a in json.loads((gold_dir / "news_articles.json").read_text())["articles"]}

    def lines(name: str) -> list[dict]:
        return [json.loads(line) for line in (gold_dir / name).read_text().splitlines() if line.strip()]

    return {
        "articles": articles,
        "events": lines("news_events.jsonl"),
        "background": lines("news_background.jsonl"),
        "ceasefires": lines("news_ceasefires.jsonl"),
    }


def corpus_records(articles: dict[str, dict], corpus: Path = CORPUS) -> dict[str, dict]:
    """The raw text of every covered article, as the corpus holds it: id -> {"text", "line"|"path"}."""
    out: dict[str, dict] = {}
    by_file: dict[str, set[str]] = defaultdict(set)
    for aid, entry in articles.items():
        by_file[entry["source"]].add(aid)
    for source, ids in by_file.items():
        path = corpus / source
        if path.suffix == ".txt":
            (aid,) = ids
            out[aid] = {"text": path.read_text(encoding="utf-8"), "path": path}
            continue
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            aid = record_id(record)
            if aid in ids:
                if "id" not in record:  # ECB+ keeps its gold annotations on the line: a user would feed the text only
                    line = json.dumps({"id": aid, "text": record["text"], "url": record.get("url")}, ensure_ascii=False)
                out[aid] = {"text": record["text"], "line": line if line.endswith("\n") else line + "\n", "corpus": source.split("/")[0]}
    missing = set(articles) - set(out)
    if missing:
        raise SystemExit(f"gold articles not found in {corpus}: {sorted(missing)}")
    return out


def record_id(record: dict) -> str:
    """A corpus line's article id: its `id`, or for ECB+ "ecbplus-" + its document name."""
    return record.get("id") or "ecbplus-" + record["doc_name"].removesuffix(".xml")


def locate(snippet: str, text: str) -> tuple[int, int] | None:
    """Where a snippet lies in a text, tolerant of whitespace runs and curly quotes; None when absent."""
    words = snippet.translate(QUOTES).split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, text.translate(QUOTES), re.IGNORECASE)
    return (match.start(), match.end()) if match else None


# ---------------------------------------------------------------- running sitroom


def ingest_one_store(raw: dict[str, dict], workdir: Path) -> tuple[Path, float]:
    """All covered articles into one store through the CLI, as a user would; returns the store and seconds."""
    sources: list[str] = []
    jsonl: dict[str, list[str]] = defaultdict(list)
    for aid, rec in raw.items():
        if "path" in rec:
            sources.append(str(rec["path"]))
        else:
            jsonl[rec["corpus"]].append(rec["line"])
    for name, lines in jsonl.items():
        path = workdir / f"{name}.jsonl"
        path.write_text("".join(lines), encoding="utf-8")
        sources.append(str(path))
    db = workdir / "news.db"
    t0 = time.perf_counter()
    subprocess.run([*SITROOM_CLI, "ingest", *sources, "--db", str(db), "--quiet"], check=True)
    return db, time.perf_counter() - t0


def export_events(db: Path) -> list[dict]:
    """`sitroom export events` of a store, parsed."""
    out = subprocess.run([*SITROOM_CLI, "export", "events", "--db", str(db)], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def stored_state(db: Path, ids) -> tuple[dict[str, str], list[dict]]:
    """The stored (cleaned) text of each article and the store's ceasefire records."""
    store = open_store(str(db))
    try:
        texts = {aid: (store.get_article(aid) or {}).get("text") or "" for aid in ids}
        return texts, store.list_ceasefires()
    finally:
        store.close()


def run_per_article(raw: dict[str, dict], workdir: Path) -> tuple[list[dict], dict[str, str], list[dict], float]:
    """Each article into a store of its own (in process); the records, texts and ceasefires of all."""
    from dataclasses import replace

    from sitroom.config import Settings
    from sitroom.runners.local import ingest_sources
    from sitroom.store.base import EventQuery

    settings = replace(Settings.from_env(), workers=1)  # one process: a pool per one-article store costs more than it saves
    records: list[dict] = []
    texts: dict[str, str] = {}
    ceasefires: list[dict] = []
    t0 = time.perf_counter()
    for n, (aid, rec) in enumerate(raw.items()):
        source = rec.get("path")
        if source is None:
            source = workdir / f"article{n}.jsonl"
            source.write_text(rec["line"], encoding="utf-8")
        store = open_store(str(workdir / f"article{n}.db"))
        try:
            ingest_sources([str(source)], store, settings=settings)
            page = store.query_events(EventQuery(limit=1000))
            records.extend(page.items)
            texts[aid] = (store.get_article(aid) or {}).get("text") or ""
            ceasefires.extend(store.list_ceasefires())
        finally:
            store.close()
    return records, texts, ceasefires, time.perf_counter() - t0


# ---------------------------------------------------------------- scoring


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def actor_key(name: str | None) -> str:
    """An actor name without its years in brackets, case-folded."""
    return re.sub(r"\s*\(\d{4}-(?:\d{4})?\)", "", name or "").strip().casefold()


@dataclass
class Located:
    """Gold snippets located in the stored texts: (article id, start, end) per item, and the misses."""

    spans: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    unlocated: list[tuple[str, str, str]] = field(default_factory=list)


def locate_all(items: list[dict], key: str, texts: dict[str, str]) -> Located:
    """Locate every evidence snippet of every gold item (events, ceasefires) or its own snippet (background)."""
    out = Located()
    for item in items:
        refs = item.get(key) if key else [item]
        spans = []
        for ref in refs:
            where = locate(ref["snippet"], texts.get(ref["article_id"], ""))
            if where is None:
                out.unlocated.append((item["id"], ref["article_id"], ref["snippet"]))
            else:
                spans.append((ref["article_id"], *where))
        out.spans[item["id"]] = spans
    return out


def covers(sources: list[dict], spans: list[tuple[str, int, int]]) -> int:
    """How many of the spans some source span overlaps."""
    return sum(any(s["article_id"] == aid and s["start"] < end and start < s["end"] for s in sources) for aid, start, end in spans)


def split_of(item_articles, articles: dict[str, dict]) -> str:
    """The split of a set of article ids: 'check' as soon as one is a check article (so that a record fused
    across the splits is never listed with the tune items, which whoever tunes sitroom reads)."""
    splits = {articles[a]["split"] for a in item_articles if a in articles}
    return "check" if "check" in splits else "tune"


def match(records: list[dict], events: list[dict], ev_spans: dict[str, list]) -> tuple[dict[int, str], dict[int, str]]:
    """One-to-one record -> gold event, best pairs first; and the duplicates (record -> the event it repeats)."""
    by_id = {e["id"]: e for e in events}
    pairs = []
    for i, r in enumerate(records):
        for e in events:
            n = covers(r["sources"], ev_spans[e["id"]])
            if n:
                pairs.append((-n, r["sub_event_type"] != e["sub_event_type"], r["event_type"] != e["event_type"], i, e["id"]))
    pairs.sort()
    matched: dict[int, str] = {}
    taken: set[str] = set()
    for _, _, _, i, eid in pairs:
        if i not in matched and eid not in taken:
            matched[i] = eid
            taken.add(eid)
    duplicates = {}
    for _, _, _, i, eid in pairs:
        if i not in matched and i not in duplicates and by_id[eid]:
            duplicates[i] = eid
    return matched, duplicates


def casualty_values(gold: dict) -> dict[str, set[int]]:
    """Per article, every casualty figure the gold lists there (event figures and background totals)."""
    values: dict[str, set[int]] = defaultdict(set)
    for e in gold["events"]:
        for f in e.get("figures", []):
            values[f["article_id"]].add(int(f["value"]))
    for b in gold["background"]:
        for value in background_values(b):
            values[b["article_id"]].add(value)
    return values


def background_values(statement: dict) -> list[int]:
    """The casualty figures a background statement gives (its `value`: none, one or a list)."""
    value = statement.get("value")
    return [] if value is None else [int(v) for v in (value if isinstance(value, list) else [value])]


def score(records: list[dict], texts: dict[str, str], ceasefires: list[dict], gold: dict) -> dict:
    """Every figure of the bench, per split, plus the itemised misses for -v."""
    articles = gold["articles"]
    events = gold["events"]
    ev_loc = locate_all(events, "evidence", texts)
    bg_loc = locate_all(gold["background"], "", texts)
    cf_loc = locate_all(gold["ceasefires"], "evidence", texts)
    matched, duplicates = match(records, events, ev_loc.spans)
    by_id = {e["id"]: e for e in events}
    rec_of = {eid: i for i, eid in matched.items()}
    out = {s: defaultdict(lambda: [0, 0]) for s in SPLITS}
    items: list[tuple[str, str, str]] = []  # (split, kind, text) for -v

    def tally(split: str, name: str, hit: bool) -> None:
        for s in (split, "all"):
            out[s][name][0] += bool(hit)
            out[s][name][1] += 1

    for e in events:
        if e["status"] != "must":
            continue
        split = split_of({ev["article_id"] for ev in e["evidence"]}, articles)
        i = rec_of.get(e["id"])
        tally(split, "recall", i is not None)
        first = e["evidence"][0]
        if i is None:
            items.append((split, "MISS", f"{e['id']} {e['sub_event_type']} {e.get('date')} :: [{first['article_id']}] {first['snippet']}"))
            continue
        r = records[i]
        checks = {"sub_event_type": r["sub_event_type"] == e["sub_event_type"]}
        if e.get("date") and e.get("date_precision") == "day":
            checks["date"] = r.get("date") == e["date"]
        loc, gloc = r.get("location") or {}, e.get("location") or {}
        if gloc.get("lat") is not None:
            checks["location"] = loc.get("lat") is not None and km_between(loc["lat"], loc["lon"], gloc["lat"], gloc["lon"]) <= 25.0
        checks["fatalities"] = (r.get("fatalities") or {}).get("best") == (e.get("fatalities") or {}).get("best")
        if e.get("actor1"):
            names = {a["role"]: a["name"] for a in reversed(r.get("actors", []))}
            checks["actor1"] = actor_key(names.get("actor1")) == actor_key(e["actor1"])
        for name, hit in checks.items():
            tally(split, name, hit)
            if not hit:
                got = {
                    "sub_event_type": r["sub_event_type"], "date": r.get("date"),
                    "location": (loc.get("name"), loc.get("lat"), loc.get("lon")),
                    "fatalities": (r.get("fatalities") or {}).get("best"),
                    "actor1": [a["name"] for a in r.get("actors", []) if a["role"] == "actor1"],
                }[name]
                want = {"sub_event_type": e["sub_event_type"], "date": e.get("date"), "location": gloc.get("name"),
                        "fatalities": (e.get("fatalities") or {}).get("best"), "actor1": e.get("actor1")}[name]
                items.append((split, f"WRONG {name}", f"{e['id']}: gold {want!r} got {got!r} :: [{first['article_id']}] {first['snippet']}"))

    bg_cited = set()
    claim_spans = []
    for r in records:
        for c in r.get("claims", []):
            if c.get("field") in ("fatalities", "injured"):
                claim_spans.append(c["source"])
    for b in gold["background"]:
        spans = bg_loc.spans[b["id"]]
        if spans and covers(claim_spans, spans):
            bg_cited.add(b["id"])
    for i, r in enumerate(records):
        split = split_of({s["article_id"] for s in r["sources"]}, articles)
        if i in matched:
            if by_id[matched[i]]["status"] == "must":
                tally(split, "precision", True)
            continue
        if i in duplicates:
            if by_id[duplicates[i]]["status"] == "must":
                tally(split, "precision", False)
                tally(split, "duplicates", True)
                items.append((split, "DUPLICATE", f"of {duplicates[i]}: {r['sub_event_type']} {r.get('date')} :: {r['sources'][0]['sentence'][:160]}"))
            continue
        tally(split, "precision", False)
        hit_bg = [b["id"] for b in gold["background"] if covers(r["sources"], bg_loc.spans[b["id"]])]
        bg_cited.update(hit_bg)
        label = f"FALSE POSITIVE{' (background ' + ', '.join(hit_bg) + ')' if hit_bg else ''}"
        items.append((split, label, f"{r['sub_event_type']} {r.get('date')} best={(r.get('fatalities') or {}).get('best')} :: [{r['sources'][0]['article_id']}] {r['sources'][0]['sentence'][:160]}"))
    for b in gold["background"]:
        split = articles[b["article_id"]]["split"]
        tally(split, "background_as_incident", b["id"] in bg_cited)
        if b["id"] in bg_cited:
            items.append((split, "BACKGROUND AS INCIDENT", f"{b['id']} ({b['kind']}) :: [{b['article_id']}] {b['snippet']}"))

    known = casualty_values(gold)
    for r in records:
        for c in r.get("claims", []):
            if c.get("field") not in ("fatalities", "injured") or c.get("value") is None:
                continue
            aid = c["source"]["article_id"]
            bad = int(c["value"]) != 0 and int(c["value"]) not in known.get(aid, set())  # "no injuries" is a count
            split = articles.get(aid, {}).get("split", "tune")
            tally(split, "non_casualty_numbers", bad)
            if bad:
                items.append((split, "NON-CASUALTY NUMBER", f"{c['field']}={c['value']} ({c.get('text')!r}) :: [{aid}] {c['source']['sentence'][:160]}"))

    cf_matched: dict[str, dict] = {}
    for gc in gold["ceasefires"]:
        split = split_of({ev["article_id"] for ev in gc["evidence"]}, articles)
        found = [c for c in ceasefires if covers(c.get("sources", []), cf_loc.spans[gc["id"]])]
        best = max(found, key=lambda c: covers(c.get("sources", []), cf_loc.spans[gc["id"]]), default=None)
        tally(split, "ceasefire_found", best is not None)
        if best is None:
            items.append((split, "CEASEFIRE MISSED", gc["id"]))
            continue
        cf_matched[best["id"]] = gc
        for name, key in (("announced", "announced"), ("in_force", "in_force_from"), ("ended", "ended")):
            if gc.get(key) is None and key not in gc.get("scored", ()):
                continue  # the text fixes no such date (an undated story), so nothing is asked of the record
            hit = best.get(key) == gc.get(key)
            tally(split, f"ceasefire_{name}", hit)
            if not hit:
                items.append((split, f"CEASEFIRE {name}", f"{gc['id']}: gold {gc.get(key)} got {best.get(key)}"))
        if gc.get("ended_by"):
            hit = actor_key(gc["ended_by"]) in actor_key(best.get("ended_by")) or actor_key(best.get("ended_by")) in {actor_key(a) for a in gc.get("ended_by_aliases", [])}
            tally(split, "ceasefire_ended_by", hit)
            if not hit:
                items.append((split, "CEASEFIRE ended_by", f"{gc['id']}: gold {gc['ended_by']!r} got {best.get('ended_by')!r}"))
    for c in ceasefires:
        if c["id"] not in cf_matched:
            split = split_of({s["article_id"] for s in c.get("sources", [])}, articles)
            tally(split, "ceasefire_extra", True)
            items.append((split, "CEASEFIRE EXTRA", f"{c.get('name')} ended={c.get('ended')} :: {(c.get('sources') or [{}])[0].get('sentence', '')[:120]}"))
    unlocated = ev_loc.unlocated + bg_loc.unlocated + cf_loc.unlocated
    return {"scores": {s: dict(v) for s, v in out.items()}, "items": items, "unlocated": unlocated, "records": len(records)}


ROWS = (
    ("recall", "must-event recall", "rate"), ("precision", "precision", "rate"),
    ("sub_event_type", "  matched: sub-type", "rate"), ("date", "  matched: date exact", "rate"),
    ("location", "  matched: location within 25 km", "rate"), ("fatalities", "  matched: fatalities best equal", "rate"),
    ("actor1", "  matched: actor1", "rate"), ("duplicates", "duplicate records", "count"),
    ("non_casualty_numbers", "non-casualty numbers as casualties", "count"),
    ("background_as_incident", "background statements as incidents", "count"),
    ("ceasefire_found", "ceasefires found", "rate"), ("ceasefire_announced", "  announced right", "rate"),
    ("ceasefire_in_force", "  in force right", "rate"), ("ceasefire_ended", "  ended right", "rate"),
    ("ceasefire_ended_by", "  ended by right", "rate"), ("ceasefire_extra", "extra ceasefire records", "count"),
)


def table(scores: dict) -> str:
    """The figures as a text table, one column per split."""
    lines = [f"{'':40s}" + "".join(f"{s:>16s}" for s in SPLITS)]
    for key, label, kind in ROWS:
        cells = []
        for s in SPLITS:
            hits, n = scores[s].get(key, [0, 0])
            if kind == "count":
                cells.append(f"{hits:>16d}")
            else:
                cells.append(f"{hits:>5d}/{n:<4d}{(hits / n if n else 0):6.1%}")
        lines.append(f"{label:40s}" + "".join(cells))
    return "\n".join(lines)


def rates(scores: dict) -> dict:
    """The figures as plain numbers (rates for rate rows, counts for count rows), per split."""
    out = {}
    for s in SPLITS:
        out[s] = {}
        for key, _, kind in ROWS:
            hits, n = scores[s].get(key, [0, 0])
            out[s][key] = hits if kind == "count" else (round(hits / n, 4) if n else None)
    return out


def measure(gold: dict, raw: dict[str, dict], per_article: bool = False, keep: Path | None = None, reuse: Path | None = None) -> tuple[dict, float]:
    """Run sitroom over the covered articles (one store through the CLI, or one store each) and score it;
    `reuse` scores a store an earlier one-store run kept instead of ingesting again."""
    if reuse is not None:
        return score(export_events(reuse), *stored_state(reuse, raw), gold), 0.0
    with tempfile.TemporaryDirectory(prefix="news-bench-") as tmp:
        workdir = keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if per_article:
            records, texts, ceasefires, seconds = run_per_article(raw, workdir)
        else:
            db, seconds = ingest_one_store(raw, workdir)
            records = export_events(db)
            texts, ceasefires = stored_state(db, raw)
    return score(records, texts, ceasefires, gold), seconds


def main() -> int:
    """Run sitroom over the gold's articles and print the scores (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="list every miss, false positive and wrong field (of --list)")
    parser.add_argument("--list", choices=SPLITS, default="tune",
                        help="which split -v lists (default tune: whoever tunes sitroom must not read the check items)")
    parser.add_argument("--per-article", action="store_true", help="each article into its own store instead of one store")
    add_smoke_flag(parser, f"{len(SMOKE_ARTICLES)} articles of the gold")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="keep the store(s) in this folder")
    parser.add_argument("--reuse", type=Path, help="score this store (news.db of an earlier --keep run) without ingesting")
    args = parser.parse_args()
    if corpus_missing(CORPUS):
        return 0
    gold = load_gold()
    if args.smoke:
        gold = restrict(gold, set(SMOKE_ARTICLES))
    raw = corpus_records(gold["articles"])
    result, seconds = measure(gold, raw, per_article=args.per_article, keep=args.keep, reuse=args.reuse)
    mode = "each article in its own store" if args.per_article else "all articles in one store (CLI)"
    if args.json:
        print(json.dumps({"mode": mode, "articles": len(raw), "records": result["records"], "seconds": round(seconds, 1), **rates(result["scores"])}, indent=2))
    else:
        n_split = {s: sum(a["split"] == s for a in gold["articles"].values()) for s in ("tune", "check")}
        print(f"{len(raw)} articles ({n_split['tune']} tune, {n_split['check']} check), {mode}: {result['records']} records in {seconds:.1f}s")
        print(table(result["scores"]))
    for aid, article, snippet in result["unlocated"]:
        print(f"warning: {aid}: snippet not in the stored text of {article}: {snippet!r}", file=sys.stderr)
    if args.v:
        for split, kind, text in sorted(result["items"], key=lambda t: (t[0], t[1])):
            if args.list in ("all", split):
                print(f"[{split}] {kind}: {text}")
    return 0


def restrict(gold: dict, ids: set[str]) -> dict:
    """The gold limited to some articles (for --smoke)."""
    def trim(item: dict) -> dict:
        return dict(item, evidence=[r for r in item["evidence"] if r["article_id"] in ids])

    return {
        "articles": {a: e for a, e in gold["articles"].items() if a in ids},
        "events": [trim(e) for e in gold["events"] if any(r["article_id"] in ids for r in e["evidence"])],
        "background": [b for b in gold["background"] if b["article_id"] in ids],
        "ceasefires": [trim(c) for c in gold["ceasefires"] if any(r["article_id"] in ids for r in c["evidence"])],
    }


if __name__ == "__main__":
    sys.exit(main())
