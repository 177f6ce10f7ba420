"""Run every benchmark in bench/ in turn, at their fast sizes; `make bench` calls this.

    .venv/bin/python bench/run_all.py [--only NAME[,NAME]] [--list] [--smoke]

Each script runs in its own interpreter (so one's memory peak or crash does not touch the next)
and prints its own figures; this prints a header per script and a closing table of exit codes
and wall times. Scripts that need ../shared/corpus or an optional extra skip themselves with a
message. Long sizes (1M documents, 10k+ articles) are left to the scripts' own flags. `--smoke` runs
every script with `--smoke` instead (a tiny input each, about two minutes in all), to see that all run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# (script, arguments for its fast run): a few minutes each on two cores.
FAST_RUNS: list[tuple[str, list[str]]] = [
    ("acled_figures.py", []),
    ("acled_events.py", []),
    ("ecbplus.py", ["--topics", "test"]),
    ("api_latency.py", ["--events", "20000", "--duration", "20"]),
    ("throughput.py", []),
    ("dedupe_scale.py", ["--sizes", "10000", "100000"]),
    ("scale.py", ["--sizes", "300,1000"]),
    ("dask_scaling.py", ["--repeat", "1"]),
]

HELPERS = {"coref_scores.py", "locustfile_api.py"}  # and _*.py, modules the scripts share


def scripts() -> list[str]:
    """Every benchmark script in bench/: the listed fast runs first, then any other, by name."""
    listed = [s for s, _ in FAST_RUNS]
    others = {Path(__file__).name, *listed, *HELPERS}
    return listed + sorted(p.name for p in BENCH.glob("*.py") if p.name not in others and not p.name.startswith("_"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated script names (with or without .py)")
    parser.add_argument("--list", action="store_true", help="print the runs and exit")
    parser.add_argument("--smoke", action="store_true", help="run every script with --smoke (a tiny input each)")
    args = parser.parse_args()
    wanted = {n if n.endswith(".py") else f"{n}.py" for n in args.only.split(",") if n}
    # A new script in bench/ that is not listed yet still runs, with no arguments; helpers that
    # other scripts import or drive are not scripts of their own.
    fast = dict(FAST_RUNS)
    runs = [(s, ["--smoke"] if args.smoke else fast.get(s, [])) for s in scripts() if not wanted or s in wanted]
    if args.list:
        for script, script_args in runs:
            print(" ".join([script, *script_args]))
        return 0
    results = []
    for script, script_args in runs:
        print(f"\n=== bench/{script} {' '.join(script_args)}  (load average {os.getloadavg()[0]:.2f})", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(BENCH / script), *script_args], cwd=BENCH.parent)
        results.append((script, rc, time.perf_counter() - t0))
    print("\n=== summary")
    for script, rc, seconds in results:
        print(f"{script:<22} exit {rc}  {seconds:7.1f} s")
    return max((rc for _, rc, _ in results), default=0)


if __name__ == "__main__":
    sys.exit(main())
