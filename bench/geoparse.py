"""Geoparsing benchmark on TR-News and GeoVirus (../shared/corpus/geo/), scored as their PEERS.md tables are.

Run from anywhere: `python bench/geoparse.py [--set trnews|geovirus] [--half even|odd|all] [--json] [-v] [--smoke]` (`--smoke`: 3 articles of each).

Two modes, each over every gold toponym of the set:

- **given** (resolution alone): each gold phrase is resolved with the article's other gold phrases
  as its context (countries, provinces, "X, Y" frames), as `sitroom.geoparse` resolves mentions;
  right when the GeoNames id equals the gold id or the point lies within 161 km of the gold point.
- **end to end**: `sitroom.geoparse.geoparse` finds and resolves the names itself; a gold toponym is
  found when a returned mention overlaps its span, and placed when that mention's point lies
  within 161 km (or carries the gold id). `e2e acc@161` is over all gold toponyms, like the last
  columns of PEERS.md; `AUC` is the area under the curve of log(1 + error km) / log(20039) over the
  sorted errors of the found toponyms (Gritta et al. 2018: 0 is perfect, 1 is the antipode).

Toponyms without a gold point (44 of TR-News' 1,319) are left out of both modes.

`--half even|odd` scores only the articles at even or odd positions in the file: the even half is
where sitroom's rules were looked at (dev), the odd half was not (held out). Default: both, apart.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

from _script import CORPUS, REPO, add_smoke_flag, corpus_missing

GEO = CORPUS / "geo"
sys.path.insert(0, str(REPO / "src"))
SMOKE_ARTICLES = 3

KM = 161.0
MAX_KM = 20039.0
SETS = ("trnews", "geovirus")


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def auc(errors: list[float]) -> float | None:
    """Area under the log error curve (Gritta et al. 2018), 0 best, 1 worst."""
    if len(errors) < 2:
        return None
    values = sorted(math.log(e + 1) for e in errors)
    area = sum((a + b) / 2 for a, b in zip(values, values[1:]))  # the trapezoidal rule, unit steps
    return area / (math.log(MAX_KM) * (len(values) - 1))


def load(name: str, half: str) -> list[tuple[dict, list[dict]]]:
    """(article, gold toponyms) of one set, the even or odd half of its articles, or all."""
    folder = GEO / name
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    out = []
    with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if half == "even" and i % 2 or half == "odd" and not i % 2:
                continue
            article = json.loads(line)
            # 44 TR-News toponyms carry neither a point nor an id ("Kurdish", "West Coast"): not scorable.
            tops = [t for t in gold.get(article["id"], {}).get("toponyms", []) if t.get("lat") is not None]
            out.append((article, tops))
    return out


def _error(loc, top: dict) -> float:
    """Distance from a resolved Location to a gold toponym (0 when the GeoNames ids agree)."""
    if top.get("geonameid") and loc.geonames_id == top["geonameid"]:
        return 0.0
    if loc.lat is None or loc.lon is None:
        return MAX_KM
    return km_between(loc.lat, loc.lon, top["lat"], top["lon"])


def score_given(docs: list[tuple[dict, list[dict]]], verbose: bool = False) -> dict:
    """Resolution with the gold names given, each in its article's context."""
    from sitroom.extract import places
    from sitroom.gazetteer import Gazetteer
    from sitroom.geoparse import document_context

    g = Gazetteer.default()
    right = total = 0
    errors: list[float] = []
    for article, tops in docs:
        text = article["text"]
        spans = sorted((t["start"], t["end"], text[t["start"]:t["end"]]) for t in tops)
        countries, provinces = document_context((s[2] for s in spans), g)
        placed = []
        by_span = {}
        for i, (start, end, phrase) in enumerate(spans):
            frame = places.frame_after(text, end, spans[i + 1:])
            loc, _ = places.resolve_framed(phrase, countries=countries, admin1s=provinces, within=frame, placed=placed, gazetteer=g)
            by_span[(start, end)] = loc
            if loc is not None:
                placed.append(loc)
        for top in tops:
            total += 1
            loc = by_span.get((top["start"], top["end"]))
            err = _error(loc, top) if loc is not None else MAX_KM
            errors.append(err)
            hit = err <= KM
            right += hit
            if verbose and not hit:
                got = f"{loc.name} {loc.country} {loc.feature} ({loc.lat},{loc.lon})" if loc else None
                print(f"  miss {article['id']} {top['phrase']!r} gold {top.get('name')} ({top['lat']},{top['lon']}) got {got} [{countries}]")
    return {"toponyms": total, "right_161km": right / total if total else 0.0, "auc": auc(errors)}


def score_end_to_end(docs: list[tuple[dict, list[dict]]], verbose: bool = False) -> dict:
    """Finding the names too: share of gold toponyms found and placed within 161 km, AUC over found ones."""
    from sitroom.geoparse import geoparse

    found = placed = total = predicted = 0
    errors: list[float] = []
    for article, tops in docs:
        mentions = geoparse(article["text"])
        predicted += len(mentions)
        for top in tops:
            total += 1
            match = next((m for m in mentions if m.start < top["end"] and top["start"] < m.end), None)
            if match is None:
                if verbose:
                    print(f"  not found {article['id']} {top['phrase']!r}")
                continue
            found += 1
            err = _error(match.location, top)
            errors.append(err)
            placed += err <= KM
            if verbose and err > KM:
                loc = match.location
                print(f"  misplaced {article['id']} {top['phrase']!r} gold {top.get('name')} got {loc.name} {loc.country} {loc.feature} {err:.0f} km")
    return {
        "toponyms": total, "found": found / total if total else 0.0, "e2e_acc_161km": placed / total if total else 0.0,
        "acc_161km_found": placed / found if found else 0.0, "auc_found": auc(errors), "mentions_returned": predicted,
    }


def main() -> int:
    """Print both modes for each set and half (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, action="append", help="one set (default: both)")
    parser.add_argument("--half", choices=("even", "odd", "all"), action="append", help="default: even and odd apart")
    parser.add_argument("--mode", choices=("given", "e2e"), action="append", help="default: both")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", action="store_true", help="list the misses")
    add_smoke_flag(parser, f"the first {SMOKE_ARTICLES} articles of each set and half")
    args = parser.parse_args()
    if corpus_missing(GEO):
        return 0
    results = {}
    for name in args.set or SETS:
        for half in args.half or ("even", "odd"):
            docs = load(name, half)[:SMOKE_ARTICLES] if args.smoke else load(name, half)
            key = f"{name}/{half}"
            results[key] = {"articles": len(docs)}
            t0 = time.perf_counter()
            if "given" in (args.mode or ("given", "e2e")):
                results[key]["given"] = score_given(docs, args.v)
            if "e2e" in (args.mode or ("given", "e2e")):
                results[key]["e2e"] = score_end_to_end(docs, args.v)
            results[key]["seconds"] = round(time.perf_counter() - t0, 1)
            if not args.json:
                r = results[key]
                line = f"{key:16s} {len(docs):3d} articles"
                if "given" in r:
                    line += f" | given: {r['given']['right_161km']:.1%} right of {r['given']['toponyms']}"
                if "e2e" in r:
                    e = r["e2e"]
                    a = f"{e['auc_found']:.3f}" if e["auc_found"] is not None else "-"
                    line += (f" | e2e: found {e['found']:.1%}, placed {e['e2e_acc_161km']:.1%}, "
                             f"acc@161 of found {e['acc_161km_found']:.1%}, AUC {a}")
                print(line + f" ({r['seconds']} s)", flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
