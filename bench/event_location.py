"""Event-location benchmark: Halterman's gold-standard sentences (../shared/corpus/event-location/).

Run from anywhere: `python bench/event_location.py [--all-records] [-v] [--json] [--smoke]` (`--smoke`: the first 20).

Each labelled sentence goes through the real extraction as an article of its own. The event scored
is the report whose trigger is the gold verb (else the sentence's first report); it is **placed at
the gold location** when its place is the place a gold location phrase names: the gold phrase is
resolved by the same gazetteer, in the sentence's own countries, and the two agree when they are
one gazetteer entry or lie within 25 km of each other. A sentence whose gold phrase the gazetteer
cannot place is scored apart (no place to compare with). Only the 496 hand-relabelled
`gold_standard` records are scored by default, those with a gold location (336) for the headline.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from _script import CORPUS, REPO, add_smoke_flag, corpus_missing

FOLDER = CORPUS / "event-location"
sys.path.insert(0, str(REPO / "src"))

KM = 25.0
SMOKE_SENTENCES = 20


def load(all_records: bool) -> list[tuple[dict, dict]]:
    """(article, gold record) pairs: the gold-standard ones, or every labelled record."""
    gold = json.loads((FOLDER / "gold.json").read_text(encoding="utf-8"))
    out = []
    with (FOLDER / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)
            record = gold.get(article["id"])
            if record and (all_records or record.get("gold_standard")):
                out.append((article, record))
    return out


def _event(reports, verb: str | None):
    """The report of the gold verb: the one triggered by it, else the first."""
    if not reports:
        return None
    if verb:
        for r in reports:
            if r.trigger and (verb.lower() in r.trigger.lower() or r.trigger.lower() in verb.lower()):
                return r
    return reports[0]


def run(pairs: list[tuple[dict, dict]], verbose: bool = False) -> dict:
    """Score every pair; returns the counts and shares."""
    from sitroom.extract import analyse_articles
    from sitroom.extract.geo import distance_km, same_place
    from sitroom.extract.places import resolve_place
    from sitroom.extract.frame import context_countries
    from sitroom.model import Article

    articles = [Article(id=a["id"], text=a["text"]) for a, _ in pairs]
    counts = {"with_location": 0, "placed_right": 0, "gold_unplaceable": 0, "no_event": 0, "no_place": 0,
              "without_location": 0, "without_location_unplaced": 0}
    for (article, record), analysis in zip(pairs, analyse_articles(articles)):
        verb = record["verb"][0]["text"] if record.get("verb") else None
        report = _event(list(analysis.reports), verb)
        if not record.get("locations"):
            counts["without_location"] += 1
            counts["without_location_unplaced"] += report is None or report.location is None
            continue
        counts["with_location"] += 1
        countries = context_countries(list(analysis.mentions), list(analysis.sentences))
        golds = [resolve_place(loc["text"], countries=countries) for loc in record["locations"]]
        golds = [g for g in golds if g is not None]
        if not golds:
            counts["gold_unplaceable"] += 1
        got = report.location if report else None
        if report is None:
            counts["no_event"] += 1
        elif got is None:
            counts["no_place"] += 1
        hit = got is not None and any(same_place(got, g) or (distance_km(got, g) or 1e9) <= KM for g in golds)
        counts["placed_right"] += hit
        if verbose and not hit:
            where = [loc["text"] for loc in record["locations"]]
            print(f"  miss {article['id']} gold {where} -> {[f'{g.name} {g.country}' for g in golds]}; "
                  f"got {got.name + ' ' + str(got.country) if got else None} | {article['text'][:160]}")
    n = counts["with_location"]
    placeable = n - counts["gold_unplaceable"]
    return {
        **counts,
        "share_placed_right": counts["placed_right"] / n if n else 0.0,
        "share_placed_right_of_placeable": counts["placed_right"] / placeable if placeable else 0.0,
    }


def main() -> int:
    """Print the share of gold-standard sentences whose event is placed at the gold location."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-records", action="store_true", help="every labelled record, not only the gold standard")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", action="store_true", help="list the misses")
    add_smoke_flag(parser, f"the first {SMOKE_SENTENCES} sentences")
    args = parser.parse_args()
    if corpus_missing(FOLDER):
        return 0
    pairs = load(args.all_records)
    if args.smoke:
        pairs = pairs[:SMOKE_SENTENCES]
    t0 = time.perf_counter()
    result = run(pairs, args.v)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        r = result
        print(f"{r['with_location']} sentences with a gold location: event placed there {r['placed_right']} "
              f"({r['share_placed_right']:.1%}); of the {r['with_location'] - r['gold_unplaceable']} whose gold phrase "
              f"the gazetteer places: {r['share_placed_right_of_placeable']:.1%}")
        print(f"  no event found {r['no_event']}, event without a place {r['no_place']}; "
              f"{r['without_location']} sentences without a gold location, {r['without_location_unplaced']} of them left unplaced "
              f"({r['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
