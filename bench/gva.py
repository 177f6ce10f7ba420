"""Incidents across articles: the gva-dev articles ingested as ONE stream, records scored as clusters.

Run from anywhere: `python bench/gva.py [--smoke] [--db PATH | --reuse PATH] [--split dev|check|all] [-v] [--json]`.

The 1,501 articles of ../shared/corpus/gva-dev (US news about 798 shootings, each article's real
incident known from the Gun Violence Archive) go into one store through the CLI, as a user would
(`sitroom ingest articles.jsonl --db …`), and the records come out through `sitroom export events`.
Then:

- **article clusters the records imply**: each article belongs to its *primary* record, the one that
  cites most of its sentences (ties: the record with more articles, then its id); an article in no
  record is a cluster of its own. Scored against the gold incidents with pairwise and B-cubed F1.
- **all in one record**: share of incidents (with two or more articles) whose articles share one
  primary record.
- **records per incident**: distinct primary records of the incident's articles (`records/incident`);
  `any records/incident` also counts every other record that cites one of its articles (another
  incident the article mentions, background, a split report), so it is the upper figure.
- **look-alike pairs merged**: pairs of incidents of one gold `lookalike_group` (same city and month)
  whose articles share a primary record.
- **fields of the incident's record** (the primary record of most of its articles): killed and
  injured `best` equal to GVA's (a record with no figure counts as 0: GVA's 0 is "none reported"),
  the date equal, the place within 25 km of GVA's point and the city's name equal.
- **baselines**: the articles grouped by publication day, and by publication day and the city of the
  article's primary record.

The incidents are split in two by a hash of the incident id (`dev`: tuned on; `check`: never looked
at while tuning); figures are given for each. `--reuse PATH` recomputes the records of a store that
already holds the analyses (`sitroom rebuild`), for iterating on fusion without analysing again.
`--smoke` ingests ~20 articles (a few incidents) into a temporary store. `--reuse PATH --estimate`
re-estimates fusion's Fellegi–Sunter weights on the dev half's labelled pairs and tunes its two
thresholds on dev (`src/sitroom/fusion/weights.json`).
`-v` prints, for the chosen split, why each split or merged incident pair went wrong (`diagnose`):
extraction (no record, no place, place >25 km off, wrong date, no figure) or fusion.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from _script import CORPUS as SHARED_CORPUS
from _script import REPO, SITROOM_CLI, add_smoke_flag, corpus_missing

CORPUS = SHARED_CORPUS / "gva-dev"
sys.path.insert(0, str(REPO / "src"))


def split_of(incident: str) -> str:
    """`dev` or `check`, by a hash of the incident id (stable, about half each)."""
    return "dev" if hashlib.sha1(incident.encode()).digest()[0] % 2 == 0 else "check"


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def load_gold(corpus: Path = CORPUS) -> dict[str, dict]:
    """Article id -> its gold incident record."""
    return json.loads((corpus / "gold.json").read_text(encoding="utf-8"))


def primary_records(events: Sequence[dict]) -> dict[str, str]:
    """Article id -> the id of the record that cites most of its sentences."""
    best: dict[str, tuple] = {}
    for e in events:
        cited = Counter(s["article_id"] for s in e.get("sources", []))
        size = len(e.get("article_ids", []))
        for art, n in cited.items():
            key = (-n, -size, e["id"])
            if art not in best or key < best[art]:
                best[art] = key
    return {art: key[2] for art, key in best.items()}


def pairs_and_bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Pairwise and B-cubed precision, recall and F1 of a clustering `pred` against `gold` (same keys)."""
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for a in gold:
        by_pred[pred[a]].add(a)
        by_gold[gold[a]].add(a)
    both = Counter((pred[a], gold[a]) for a in gold)
    tp = sum(n * (n - 1) // 2 for n in both.values())
    pp = sum(len(s) * (len(s) - 1) // 2 for s in by_pred.values())
    gp = sum(len(s) * (len(s) - 1) // 2 for s in by_gold.values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    bp = sum(both[(pred[a], gold[a])] / len(by_pred[pred[a]]) for a in gold) / len(gold)
    br = sum(both[(pred[a], gold[a])] / len(by_gold[gold[a]]) for a in gold) / len(gold)
    return {
        "pairwise_precision": p, "pairwise_recall": r, "pairwise_f1": _f1(p, r),
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": _f1(bp, br),
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Everything the bench reports for one split."""

    incidents: int
    articles: int
    clustering: dict[str, float]
    all_in_one: float
    records_per_incident: float
    any_records_per_incident: float
    lookalike_pairs: int
    lookalike_merged: float
    killed_exact: float
    injured_exact: float
    date_exact: float
    place_25km: float
    city_equal: float
    day_baseline: dict[str, float]
    day_city_baseline: dict[str, float]

    def as_dict(self) -> dict:
        """Plain JSON."""
        return dict(self.__dict__)


def score(events: Sequence[dict], gold: Mapping[str, dict], published: Mapping[str, str], split: str) -> Scores:
    """Score the records against the gold incidents of one split (`dev`, `check` or `all`)."""
    arts = sorted(a for a, g in gold.items() if split == "all" or split_of(g["incident"]) == split)
    incident = {a: gold[a]["incident"] for a in arts}
    primary = primary_records(events)
    pred = {a: primary.get(a, f"none:{a}") for a in arts}
    by_id = {e["id"]: e for e in events}
    members: dict[str, list[str]] = defaultdict(list)
    for a in arts:
        members[incident[a]].append(a)
    cites: dict[str, set[str]] = defaultdict(set)
    for e in events:
        for art in e.get("article_ids", []):
            cites[art].add(e["id"])

    multi = [i for i, m in members.items() if len(m) > 1]
    all_in_one = sum(len({pred[a] for a in members[i]}) == 1 for i in multi) / max(1, len(multi))
    rpi = sum(len({pred[a] for a in m}) for m in members.values()) / len(members)
    any_rpi = sum(len({pred[a] for a in m} | {r for a in m for r in cites[a]}) for m in members.values()) / len(members)

    groups: dict[str, set[str]] = defaultdict(set)
    for a in arts:
        if gold[a]["lookalike_group"]:
            groups[gold[a]["lookalike_group"]].add(incident[a])
    lookalike = [(x, y) for g in groups.values() for x in sorted(g) for y in sorted(g) if x < y]
    recs = {i: {pred[a] for a in m} for i, m in members.items()}
    merged = sum(bool(recs[x] & recs[y]) for x, y in lookalike)

    killed = injured = dated = placed = city = 0
    for i, m in members.items():
        g = gold[m[0]]
        votes = Counter(pred[a] for a in m)
        rec = by_id.get(min(votes, key=lambda r: (-votes[r], r)))
        fat = ((rec or {}).get("fatalities") or {}).get("best") or 0
        inj = ((rec or {}).get("injured") or {}).get("best") or 0
        killed += fat == g["killed"]
        injured += inj == g["injured"]
        if rec is None:
            continue
        dated += rec.get("date") == g["date"]
        loc = rec.get("location") or {}
        if loc.get("lat") is not None and g.get("lat") is not None:
            placed += km_between(loc["lat"], loc["lon"], g["lat"], g["lon"]) <= 25
        city += (loc.get("name") or "").casefold() == (g["city"] or "").casefold()
    n = len(members)
    day = {a: f"day:{published.get(a)}" for a in arts}
    city_of = {a: ((by_id.get(pred[a]) or {}).get("location") or {}).get("name") for a in arts}
    day_city = {a: f"day:{published.get(a)}|{city_of[a]}" if city_of[a] else f"none:{a}" for a in arts}
    return Scores(
        incidents=n, articles=len(arts), clustering=pairs_and_bcubed(pred, incident),
        all_in_one=all_in_one, records_per_incident=rpi, any_records_per_incident=any_rpi,
        lookalike_pairs=len(lookalike), lookalike_merged=merged / max(1, len(lookalike)),
        killed_exact=killed / n, injured_exact=injured / n, date_exact=dated / n, place_25km=placed / n,
        city_equal=city / n, day_baseline=pairs_and_bcubed(day, incident),
        day_city_baseline=pairs_and_bcubed(day_city, incident),
    )


def diagnose(events: Sequence[dict], gold: Mapping[str, dict], split: str) -> Counter:
    """Why each article pair of one incident split, and each look-alike pair merged: the stage to blame."""
    arts = sorted(a for a, g in gold.items() if split == "all" or split_of(g["incident"]) == split)
    primary = primary_records(events)
    by_id = {e["id"]: e for e in events}
    why: Counter = Counter()
    members: dict[str, list[str]] = defaultdict(list)
    for a in arts:
        members[gold[a]["incident"]].append(a)
    for m in members.values():
        g = gold[m[0]]
        for x in range(len(m)):
            for y in range(x + 1, len(m)):
                a, b = m[x], m[y]
                if primary.get(a) and primary.get(a) == primary.get(b):
                    continue
                why["split: " + _blame(by_id.get(primary.get(a, "")), by_id.get(primary.get(b, "")), g)] += 1
    primary_of_incident: dict[str, set[str]] = defaultdict(set)
    for a in arts:
        if a in primary:
            primary_of_incident[gold[a]["incident"]].add(primary[a])
    for rec in {r for s in primary_of_incident.values() for r in s}:
        held = sorted(i for i, s in primary_of_incident.items() if rec in s)
        if len(held) > 1:
            same_group = len({gold[members[i][0]]["lookalike_group"] for i in held}) == 1 and gold[members[held[0]][0]]["lookalike_group"]
            why["merge: " + ("look-alikes (same city, month)" if same_group else "other incidents")] += len(held) * (len(held) - 1) // 2
    return why


def _blame(ea: dict | None, eb: dict | None, g: dict) -> str:
    """The first stage that explains why two articles of one incident are in different records."""
    if ea is None or eb is None:
        return "extraction: an article has no record"
    for e in (ea, eb):
        loc = e.get("location") or {}
        if loc.get("lat") is None:
            return "extraction: a record has no place"
        if g.get("lat") is not None and km_between(loc["lat"], loc["lon"], g["lat"], g["lon"]) > 25:
            return "extraction: a record placed > 25 km off"
    for e in (ea, eb):
        if e.get("date") is None:
            return "extraction: a record has no date"
        if e["date"] != g["date"]:
            return "extraction: a record's date is not the incident's"
    return "fusion: both right, not linked"


def digest_of(db: str):
    """The reports and dedupe evidence of an analysed store, as the corpus layer keeps them (sitroom.corpus)."""
    from sitroom.corpus.duplicates import evidence_keys
    from sitroom.store import open_store

    store = open_store(db)
    try:
        with store.corpus_session() as session:
            rows = session.reports_of_articles(session.all_article_ids())
            reports = [r.report for r in rows]
            keys = evidence_keys(session, {r.article_id for r in reports})
        return reports, keys
    finally:
        store.close()


def primary_reports(reports: Sequence) -> dict[str, object]:
    """Article id -> its main report (most sentences cited, then most claims, then id): the one about its incident."""
    best: dict[str, object] = {}
    for r in sorted(reports, key=lambda r: (-len(r.sources), -len(r.claims), r.id)):
        best.setdefault(r.article_id, r)
    return best


def labelled_pairs(reports: Sequence, gold: Mapping[str, dict], split: str, duplicates) -> tuple[list, Counter]:
    """(levels, same incident?) for every candidate pair of main reports of one split's articles, and the vetoes met.

    Candidates are those blocking lets meet; a vetoed pair is never scored, so it is counted apart
    (by reason and by whether the two were in fact one incident).
    """
    from sitroom.fusion.cluster import WINDOW_DAYS, _candidates, _evidence_keys, _keys
    from sitroom.fusion.evidence import Profile, compare, veto

    main = [r for a, r in sorted(primary_reports(reports).items()) if a in gold and (split == "all" or split_of(gold[a]["incident"]) == split)]
    profiles = [Profile.of(r, _evidence_keys(r, duplicates)) for r in main]
    keys = [_keys(p) for p in profiles]
    pairs, vetoes = [], Counter()
    for i, j in _candidates(keys):
        a, b = profiles[i], profiles[j]
        match = gold[a.article_id]["incident"] == gold[b.article_id]["incident"]
        why = veto(a, b)
        if why:
            vetoes[(why, match)] += 1
            continue
        pairs.append((compare(a, b), match))
    return pairs, vetoes


def estimate_weights(db: str, out: Path | None, grid: bool = True) -> None:
    """Estimate the m/u tables on the dev half's labelled pairs, tune the thresholds on dev, write them."""
    from sitroom.fusion.weights import Weights, estimate

    gold = load_gold()
    reports, keys = digest_of(db)
    pairs, vetoes = labelled_pairs(reports, gold, "dev", keys)
    matches = sum(m for _, m in pairs)
    print(f"{len(pairs)} candidate pairs of main reports ({matches} one incident); vetoed: "
          + ", ".join(f"{w}{'(same)' if m else ''} {n}" for (w, m), n in sorted(vetoes.items())), file=sys.stderr)
    weights = estimate(pairs, note="Estimated by bench/gva.py --estimate on the dev half of gva-dev (labelled pairs of main reports).")
    for comp in sorted(weights.m):
        print(f"  {comp:9s} " + "  ".join(f"{lv} {weights.weight(comp, lv):+.1f}" for lv in weights.m[comp]), file=sys.stderr)
    if grid:
        from sitroom.fuse import fuse

        published = {}
        best = None
        for t in (-2.0, 0.0, 2.0, 4.0, 6.0):
            for mt in (-6.0, -3.0, 0.0, 2.0):
                w = Weights.from_json({**weights.to_json(), "threshold": t, "mean_threshold": mt})
                events = [e.to_dict() for e in _fuse_with(reports, keys, w)]
                sc = score(events, gold, published, "dev")
                f = sc.clustering["pairwise_f1"] + sc.clustering["bcubed_f1"]
                print(f"  threshold {t:+.1f} mean {mt:+.1f}: pairwise {sc.clustering['pairwise_f1']:.3f} "
                      f"B-cubed {sc.clustering['bcubed_f1']:.3f} look-alikes {sc.lookalike_merged:.1%}", file=sys.stderr)
                if best is None or f > best[0]:
                    best = (f, t, mt)
        weights = Weights.from_json({**weights.to_json(), "threshold": best[1], "mean_threshold": best[2]})
    if out:
        out.write_text(json.dumps(weights.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)


def pair_stages(reports: Sequence, gold: Mapping[str, dict], split: str, duplicates, weights=None) -> Counter:
    """Where fusion stops each pair of one incident's main reports: never a candidate (and why), vetoed
    (the veto's reason), scored but not linked (below threshold, or no shared anchor), or linked."""
    from sitroom.fusion.cluster import _evidence_keys, _keys, anchored, can_link
    from sitroom.fusion.evidence import Profile, compare, veto
    from sitroom.fusion.weights import Weights

    w = weights or Weights.default()
    by_incident: dict[str, list] = defaultdict(list)
    for a, r in sorted(primary_reports(reports).items()):
        if a in gold and (split == "all" or split_of(gold[a]["incident"]) == split):
            by_incident[gold[a]["incident"]].append(Profile.of(r, _evidence_keys(r, duplicates)))
    out: Counter = Counter()
    for profiles in by_incident.values():
        for i, a in enumerate(profiles):
            for b in profiles[i + 1 :]:
                ka, kb = _keys(a), _keys(b)
                if not can_link(ka, kb):
                    why = "kind family" if ka[0] != kb[0] else "country" if ka[1] and kb[1] and ka[1] != kb[1] else "date windows"
                    out[f"not a candidate: {why}"] += 1
                elif why := veto(a, b):
                    out[f"vetoed: {why}"] += 1
                else:
                    levels = compare(a, b)
                    out["linked" if w.score(levels) >= w.threshold and anchored(levels) else
                        "scored, no anchor" if not anchored(levels) else "scored, below threshold"] += 1
    return out


def _fuse_with(reports, duplicates, weights):
    """Events of these reports clustered under the given weights."""
    from sitroom.fuse import build_event
    from sitroom.fusion.cluster import cluster_reports

    return [build_event(g, duplicates) for g in cluster_reports(reports, duplicates, weights)]


def run_cli(*args: str, stdout=None) -> None:
    """Run the sitroom command as a user would; stops the bench when it fails."""
    env = dict(os.environ, SITROOM_WORKERS=os.environ.get("SITROOM_WORKERS", "2"))
    subprocess.run([*SITROOM_CLI, *args], check=True, stdout=stdout, env=env)


def export_events(db: str) -> list[dict]:
    """The store's records, through `sitroom export events`."""
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", encoding="utf-8") as fh:
        run_cli("export", "events", "--db", db, "-o", fh.name)
        return [json.loads(line) for line in Path(fh.name).read_text(encoding="utf-8").splitlines() if line.strip()]


def refuse(db: str) -> float:
    """Recompute the records of an analysed store with `sitroom rebuild` (as a user would); seconds taken."""
    t0 = time.perf_counter()
    run_cli("rebuild", "--db", db, "--quiet")
    return time.perf_counter() - t0


def smoke_subset(gold: Mapping[str, dict], lines: Iterable[str], limit: int = 20) -> list[str]:
    """About `limit` articles: whole incidents of one look-alike group first, so splits and merges show."""
    by_incident: dict[str, list[str]] = defaultdict(list)
    for a, g in sorted(gold.items()):
        by_incident[g["incident"]].append(a)
    group = Counter(g["lookalike_group"] for g in gold.values() if g["lookalike_group"]).most_common(1)[0][0]
    chosen: list[str] = []
    for inc in sorted(by_incident, key=lambda i: (gold[by_incident[i][0]]["lookalike_group"] != group, i)):
        if len(chosen) >= limit:
            break
        chosen += by_incident[inc]
    keep = set(chosen)
    return [line for line in lines if json.loads(line)["id"] in keep]


def _fmt(s: Scores) -> str:
    c, d, dc = s.clustering, s.day_baseline, s.day_city_baseline
    return (
        f"  {s.incidents} incidents, {s.articles} articles\n"
        f"  pairwise F1 {c['pairwise_f1']:.3f} (P {c['pairwise_precision']:.3f} R {c['pairwise_recall']:.3f});"
        f" B-cubed F1 {c['bcubed_f1']:.3f} (P {c['bcubed_precision']:.3f} R {c['bcubed_recall']:.3f})\n"
        f"  all articles in one record {s.all_in_one:.1%}; records/incident {s.records_per_incident:.2f}"
        f" (any record citing its articles {s.any_records_per_incident:.2f})\n"
        f"  look-alike pairs merged {s.lookalike_merged:.1%} of {s.lookalike_pairs}\n"
        f"  killed exact {s.killed_exact:.1%}, injured exact {s.injured_exact:.1%}, date {s.date_exact:.1%},"
        f" place <=25 km {s.place_25km:.1%}, city {s.city_equal:.1%}\n"
        f"  baselines: publication day pairwise F1 {d['pairwise_f1']:.3f} B-cubed {d['bcubed_f1']:.3f};"
        f" day+city pairwise F1 {dc['pairwise_f1']:.3f} B-cubed {dc['bcubed_f1']:.3f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest (or reuse), export, score and print."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="keep the store here (fresh ingest)")
    ap.add_argument("--reuse", metavar="STORE", help="an analysed store: recompute its records (sitroom rebuild)")
    ap.add_argument("--no-refuse", action="store_true", help="with --reuse: score the stored records as they are")
    add_smoke_flag(ap, "~20 articles, whole incidents of one look-alike group")
    ap.add_argument("--split", choices=("dev", "check", "all"), default=None, help="print one split only")
    ap.add_argument("-v", action="store_true", help="why pairs split or merged (the chosen split, dev by default)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--pairs", action="store_true", help="with --reuse: where fusion stops the pairs of one incident's main reports")
    ap.add_argument("--estimate", action="store_true",
                    help="with --reuse: estimate fusion's weights on the dev half, tune its thresholds on dev, write fusion/weights.json")
    args = ap.parse_args(argv)
    if corpus_missing(CORPUS / "articles.jsonl", CORPUS / "gold.json"):
        return 0
    if args.estimate:
        if not args.reuse:
            ap.error("--estimate needs --reuse STORE (an analysed store of the gva-dev articles)")
        estimate_weights(args.reuse, REPO / "src" / "sitroom" / "fusion" / "weights.json")
        return 0
    gold = load_gold()
    if args.pairs:
        if not args.reuse:
            ap.error("--pairs needs --reuse STORE")
        reports, keys = digest_of(args.reuse)
        for why, n in pair_stages(reports, gold, args.split or "dev", keys).most_common():
            print(f"  {n:5d}  {why}")
        return 0
    lines = (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    t0 = time.perf_counter()
    tmp = tempfile.TemporaryDirectory(prefix="gva-")
    if args.reuse:
        db = args.reuse
        if not args.no_refuse:
            print(f"records rebuilt in {refuse(db):.1f}s", file=sys.stderr)
    else:
        db = args.db or str(Path(tmp.name) / "gva.db")
        source = Path(tmp.name) / "articles.jsonl"
        chosen = smoke_subset(gold, lines) if args.smoke else lines
        source.write_text("\n".join(chosen) + "\n", encoding="utf-8")
        run_cli("ingest", str(source), "--db", db, "--quiet")
        print(f"ingested {len(chosen)} articles in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    events = export_events(db)
    published = {d["id"]: d.get("published") for d in map(json.loads, lines)}
    ids = {e_art for e in events for e_art in e.get("article_ids", [])} | set()
    if args.smoke or args.reuse:
        stored = _stored_articles(db)
        gold = {a: g for a, g in gold.items() if a in stored}
    splits = [args.split] if args.split else ["dev", "check", "all"]
    results = {s: score(events, gold, published, s) for s in splits}
    if args.json:
        print(json.dumps({s: r.as_dict() for s, r in results.items()}, indent=1))
    else:
        print(f"{len(events)} records; {len(ids)} of {len(gold)} articles in one")
        for s, r in results.items():
            print(f"{s}:\n{_fmt(r)}")
    if args.v:
        split = args.split or "dev"
        for why, n in diagnose(events, gold, split).most_common():
            print(f"  {n:5d}  {why}")
    return 0


def _stored_articles(db: str) -> set[str]:
    """Ids of the articles a store holds."""
    from sitroom.store import open_store

    store = open_store(db)
    try:
        out: set[str] = set()
        offset = 0
        while True:
            page = store.list_articles(limit=1000, offset=offset)
            items = page.items
            out |= {a["id"] for a in items}
            if len(items) < 1000:
                return out
            offset += 1000
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
