"""Exact-match rate of `note_fatalities` against ACLED's coded fatalities (Middle East, May 2020).

Run from anywhere: `python bench/acled_figures.py [-v] [--smoke]`. Notes that state a coding rule
("Unknown fatalities coded as 10", "split between 3 events") are scored apart: the number there
comes from ACLED's convention, not from the text.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time

from _script import CORPUS, REPO, add_smoke_flag, corpus_missing

CSV = CORPUS / "acled-me-2020" / "acled_middle_east_may2020.csv"
SMOKE_ROWS = 100
sys.path.insert(0, str(REPO / "src"))

from sitroom.extract.figures import note_fatalities  # noqa: E402

# A note whose figure follows a coding convention rather than the text.
CODING_RULE = re.compile(
    r"fatalit\w*[^.]{0,40}\bcoded\b|\bcoded\s+(?:as|to)\s+\d+|\bsplit\b[^.]{0,30}\bbetween\b|"
    r"\bspread\s+(?:between|across)\b|\bsplit\s+up\b",
    re.I,
)


def share(hits: int, n: int) -> str:
    """`hits/n = p%`, with no share of nothing."""
    return f"{hits}/{n} = {hits / n:.1%}" if n else f"{hits}/0"


def main() -> int:
    """Print exact-match rates; `-v` also lists the misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="list the misses")
    add_smoke_flag(parser, f"the first {SMOKE_ROWS} rows")
    args = parser.parse_args()
    if corpus_missing(CSV):
        return 0
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    if args.smoke:
        rows = rows[:SMOKE_ROWS]
    plain = [r for r in rows if not CODING_RULE.search(r["notes"])]
    ruled = [r for r in rows if CODING_RULE.search(r["notes"])]
    t0 = time.perf_counter()
    results = [(r, note_fatalities(r["notes"]), int(float(r["fatalities"]))) for r in plain]
    elapsed = time.perf_counter() - t0
    hits = sum(got == gold for _, got, gold in results)
    pos = [(r, got, gold) for r, got, gold in results if gold > 0]
    pos_hits = sum(got == gold for _, got, gold in pos)
    ruled_hits = sum(note_fatalities(r["notes"]) == int(float(r["fatalities"])) for r in ruled)
    print(f"rows without a coding rule: {share(hits, len(results))} exact")
    print(f"  of which fatalities > 0:  {share(pos_hits, len(pos))} exact")
    print(f"rows stating a coding rule: {ruled_hits}/{len(ruled)} exact (not a target: the figure is a convention)")
    print(f"speed: {elapsed / max(len(results), 1) * 1000:.2f} ms per note")
    if args.v:
        for r, got, gold in results:
            if got != gold:
                print(f"--- gold {gold} got {got}: {r['notes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
