"""Every script in bench/ run with `--smoke` as a user runs it: it exits 0 and prints its figures.

A smoke run is the script's real path on a tiny input (bench/_script.py), so a product API that moves
under a benchmark fails here, not on the next person to measure. Scripts that read a set of the shared
corpus skip without it; those that need locust or Dask skip without them. The runs go two at a time,
so that one's waits (a server starting, locust's fixed duration) overlap another's work.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
import run_all  # noqa: E402

pytestmark = pytest.mark.timeout(300)
RUNS_AT_ONCE = 2

HAS_LOCUST = (Path(sys.executable).parent / "locust").exists()
HAS_DASK = importlib.util.find_spec("distributed") is not None
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason=f"{CORPUS} is absent: the shared corpus is needed for this script")
needs_locust = pytest.mark.skipif(not HAS_LOCUST, reason="locust is not installed: pip install 'sitroom[bench]'")
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="Dask is not installed: pip install 'sitroom[dask]'")

# Per script, a line of its figures as a reader sees them, longest runs first (they start first). The
# ones without a corpus mark read the demo's reports in examples/ where the corpus is absent.
SMOKE_FIGURES = {
    "api_load.py": (r'"requests": [1-9]\d*,\s+"errors": 0,\s+"torn_reads": 0,', []),
    "api_latency.py": (r"(?m)^ALL\s+[1-9]\d*\s+0\s+\d+", [needs_locust]),  # requests served, none failed
    "incremental.py": (r"\| 2 \| [\d.]+ s \| [\d.]+ s \| \d+ MB \| [\d.]+ s \| [\d.]+ s \| [\d.]+ s \|", [needs_corpus]),
    "acled_figures.py": (r"rows without a coding rule: \d+/\d+ = [\d.]+% exact", [needs_corpus]),
    "acled_events.py": (r"event_type\s+\d+/5\s+[\d.]+%", [needs_corpus]),
    "dask_scaling.py": (r"1 worker\(s\): median\s+[\d.]+ articles/s", [needs_dask]),
    "dedupe_scale.py": (r"1,000 docs .* docs/s .* planted copies found \d+/\d+", []),
    "ecbplus.py": (r"stories: \d+ \(gold 2\); B-cubed P [\d.]+  R [\d.]+  F1 [\d.]+", [needs_corpus]),
    "event_location.py": (r"\d+ sentences with a gold location: event placed there \d+ \([\d.]+%\)", [needs_corpus]),
    "geoparse.py": (r"trnews/even\s+3 articles \| given: [\d.]+% right of \d+ \| e2e: found [\d.]+%", [needs_corpus]),
    "gva.py": (r"pairwise F1 [\d.]+ \(P [\d.]+ R [\d.]+\); B-cubed F1 [\d.]+", [needs_corpus]),
    "news_events.py": (r"must-event recall\s+\d+/\d+\s+[\d.]+%", [needs_corpus]),
    "same_records.py": (r"(?m)^examples-events\.jsonl\s+[1-9]\d* records  sha1 [0-9a-f]{12}$", []),
    "scale.py": (r"(?m)^\s+10\s+[\d.]+\s+[\d.]+\s+\S+\s+[\d,]+ MB", []),  # articles, wall s, art/s, CPU s, RSS
    "throughput.py": (r"sitroom end to end \(workers=1\):\s+[\d.]+ s =\s+[\d.]+ articles/s", []),
}


def _untouched() -> dict[str, str]:
    """Digests of what a smoke run must leave alone: the quality floors, docs/ and the full runs' cache."""
    paths = [BENCH / "baseline.json", *sorted((ROOT / "docs").rglob("*")), *sorted((BENCH / "out").glob("*"))]
    return {str(p): hashlib.sha1(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def _run(script: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python bench/SCRIPT --smoke` from the repository root, as a user runs it."""
    return subprocess.run([sys.executable, str(BENCH / script), "--smoke"], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=240)


def _selected_scripts(session: pytest.Session) -> list[str]:
    """The scripts whose smoke test this session will run (selected, and not skipped by its marks)."""
    return [item.callspec.params["script"] for item in session.items
            if getattr(item, "originalname", None) == test_bench_script_runs_on_a_tiny_input_and_prints_its_figures.__name__
            and not any(mark.args and mark.args[0] for mark in item.iter_markers("skipif"))]


@pytest.fixture(scope="module")
def smoke_runs(request, tmp_path_factory) -> dict[str, Future]:
    """The selected scripts' smoke runs, all queued when the first test asks, with the digests from before them."""
    # Set up before conftest's per-test isolation, and running across tests: so the gazetteer is isolated here.
    env = {**os.environ, "SITROOM_GAZETTEER": str(tmp_path_factory.getbasetemp() / "user-gazetteer.sqlite")}
    before = _untouched()
    with ThreadPoolExecutor(max_workers=RUNS_AT_ONCE) as pool:
        runs = {script: pool.submit(_run, script, env) for script in _selected_scripts(request.session)}
        yield runs
        for run in runs.values():
            run.cancel()
    assert _untouched() == before, "a --smoke run changed bench/baseline.json, docs/ or bench/out/"


def test_every_bench_script_has_a_smoke_run():
    assert sorted(run_all.scripts()) == sorted(SMOKE_FIGURES)


@pytest.mark.parametrize("script", [pytest.param(s, marks=marks, id=s) for s, (_, marks) in SMOKE_FIGURES.items()])
def test_bench_script_runs_on_a_tiny_input_and_prints_its_figures(script, smoke_runs):
    done = smoke_runs[script].result()
    assert done.returncode == 0, f"{script} --smoke exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    figures = SMOKE_FIGURES[script][0]
    assert re.search(figures, done.stdout), f"{script} --smoke printed no {figures!r}:\n{done.stdout[-3000:]}"
    assert "skipped:" not in done.stdout


def test_scripts_reading_the_corpus_say_so_and_exit_0_where_it_is_absent(tmp_path):
    for script, (_, marks) in SMOKE_FIGURES.items():
        if needs_corpus in marks:
            done = _run(script, {**os.environ, "SITROOM_BENCH_CORPUS": str(tmp_path / "no-corpus")})
            assert done.returncode == 0, f"{script}: exit {done.returncode}\n{done.stderr[-2000:]}"
            assert re.search(r"skipped: \S*no-corpus\S* .*not found", done.stdout), f"{script}: {done.stdout!r}"
