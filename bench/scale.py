"""Scaling curve: ingest 1k, 10k, 100k articles built from real ones, with time and peak memory.

    .venv/bin/python bench/scale.py                      # 1,000 and 10,000 articles
    .venv/bin/python bench/scale.py --sizes 300,1000,3000 --workers 2
    .venv/bin/python bench/scale.py --sizes 100000       # hours on 2 cores
    .venv/bin/python bench/scale.py --smoke              # 10 articles, 1 worker

Each set is drawn from the 89 VOA stories and the 5 seed reports of ../shared/corpus. The first
copy of each story is itself; every later copy gets a new id and a seeded mix of perturbations,
so that deduplication and fusion do real work rather than re-reading one text:

* exact copy (25%): the same text under another id (wire copies);
* sentence rewrite (40%): sentences of each paragraph shuffled, some words swapped for
  synonyms and one sentence in six dropped (rewrites of one report);
* shifted date (50%): publication date moved by 1 to 400 days, so relative dates ("on
  Saturday") resolve elsewhere and the copy must not fuse with the original;
* swapped place (30%): one place name replaced by another throughout (same wording, another
  incident).

Every size is ingested by the real CLI (`sitroom ingest FILE --db fresh.db`) in a child process.
Time is wall time and the CPU seconds of the child's whole tree (steadier than wall time on a
shared machine; the n·log n check uses it); memory is sampled every 0.2 s with psutil over the child's process tree (its
largest process, and the sum including pool workers), and checked against the kernel's peak for
the largest process (`/usr/bin/time -f %M`, when present). The n·log n check compares each step's time ratio
with n₂·log n₂ / (n₁·log n₁). Skips with a message without the corpus, except `--smoke`, which builds its set
from the examples' reports there.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from _script import CORPUS, add_smoke_flag, corpus_missing, example_records
from _script import REPO as ROOT

VOA = CORPUS / "voa" / "voa_stories.jsonl"
SEEDS = CORPUS / "seeds"
SMOKE = {"sizes": "10", "workers": 1}

SYNONYMS = {
    "killed": "left dead", "said": "stated", "attack": "assault", "fighting": "clashes", "forces": "troops",
    "people": "persons", "city": "town", "government": "authorities", "wounded": "injured",
    "announced": "declared", "officials": "authorities", "near": "close to", "attacks": "assaults",
}
PLACES = ["Aleppo", "Homs", "Idlib", "Damascus", "Mosul", "Baghdad", "Kabul", "Kandahar", "Tripoli", "Benghazi",
          "Mogadishu", "Sanaa", "Aden", "Gaza", "Kyiv", "Kharkiv", "Donetsk", "Khartoum", "Juba", "Goma"]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def base_articles() -> list[dict]:
    """The real articles every set is built from: VOA stories and seed reports (the examples' reports without them)."""
    if not (VOA.exists() and SEEDS.exists()):
        return example_records()
    out = [json.loads(line) for line in VOA.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        published = re.search(r"Posted (\w+ \d{1,2}, \d{4})", text)
        record = {"id": path.stem, "text": text}
        if published:
            record["published"] = datetime.strptime(published.group(1), "%B %d, %Y").date().isoformat()
        out.append(record)
    return out


def rewrite(text: str, rng: random.Random) -> str:
    """Shuffle each paragraph's sentences, swap some words for synonyms and drop one sentence in six."""
    paragraphs = []
    for para in re.split(r"\n\s*\n", text):
        sentences = [s for s in _SENTENCE_END.split(para.strip()) if s]
        rng.shuffle(sentences)
        kept = [s for s in sentences if rng.random() > 1 / 6] or sentences[:1]
        paragraphs.append(" ".join(kept))
    out = "\n\n".join(paragraphs)
    for word, other in SYNONYMS.items():
        if rng.random() < 0.5:
            out = re.sub(rf"\b{word}\b", other, out)
    return out


def swap_place(text: str, rng: random.Random) -> str:
    """Replace one place name the text mentions by another, everywhere."""
    present = [p for p in PLACES if re.search(rf"\b{p}\b", text)]
    if not present:
        return text
    old = rng.choice(present)
    return re.sub(rf"\b{old}\b", rng.choice([p for p in PLACES if p != old]), text)


def make_set(n: int, seed: int = 6) -> list[dict]:
    """`n` articles: the base articles once, then perturbed copies (see the module docstring)."""
    rng = random.Random(seed)
    base = base_articles()
    out: list[dict] = []
    for i in range(n):
        record = dict(base[i % len(base)])
        if i >= len(base):
            record["id"] = f"{record['id']}-c{i}"
            if rng.random() >= 0.25:  # not an exact copy
                if rng.random() < 0.40 / 0.75:
                    record["text"] = rewrite(record["text"], rng)
                if rng.random() < 0.30 / 0.75:
                    record["text"] = swap_place(record["text"], rng)
            if rng.random() < 0.5 and record.get("published"):
                shifted = date.fromisoformat(record["published"][:10]) + timedelta(days=rng.randint(1, 400))
                record["published"] = shifted.isoformat()
        out.append(record)
    return out


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, float, int, str]:
    """Run `cmd`; (wall s, CPU s of its tree, peak RSS MB of its largest process, of its whole tree, exit code, stderr tail)."""
    import psutil

    gnu_time = Path("/usr/bin/time")
    if gnu_time.exists():  # the kernel's own peak of the largest process in the tree
        cmd = [str(gnu_time), "-f", "maxrss_kb=%M cpu_s=%U+%S", *cmd]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        parent = psutil.Process(proc.pid)
        largest = tree = 0
        while proc.poll() is None:
            try:
                rss = [p.memory_info().rss for p in [parent, *parent.children(recursive=True)]]
            except psutil.Error:
                rss = []
            if rss:
                largest, tree = max(largest, max(rss)), max(tree, sum(rss))
            time.sleep(0.2)
        seconds = time.perf_counter() - t0
        err.seek(0)
        tail = err.read()[-400:]
    found = re.search(r"maxrss_kb=(\d+)", tail)
    kernel_peak = int(found.group(1)) / 1024 if found else 0.0
    cpu = re.search(r"cpu_s=([\d.]+)\+([\d.]+)", tail)
    cpu_s = float(cpu.group(1)) + float(cpu.group(2)) if cpu else float("nan")
    return seconds, cpu_s, max(largest / 2**20, kernel_peak), tree / 2**20, proc.returncode, tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts (default 1000,10000)")
    parser.add_argument("--workers", type=int, default=0, help="analysis processes (default: the usable cores)")
    parser.add_argument("--no-paraphrase", action="store_true", help="skip sentence embeddings (SITROOM_PARAPHRASE=0)")
    add_smoke_flag(parser, f"a set of {SMOKE['sizes']} articles, {SMOKE['workers']} worker")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.workers = SMOKE["sizes"], SMOKE["workers"]
    elif corpus_missing(VOA, SEEDS):
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    env = dict(os.environ)
    if args.workers:
        env["SITROOM_WORKERS"] = str(args.workers)
    if args.no_paraphrase:
        env["SITROOM_PARAPHRASE"] = "0"
    sitroom = [sys.executable, "-m", "sitroom.cli"]
    print(f"load average {os.getloadavg()[0]:.2f}; workers {env.get('SITROOM_WORKERS', 'usable cores')}", flush=True)
    print(f"{'articles':>9} {'wall s':>9} {'art/s':>7} {'CPU s':>8} {'largest RSS':>12} {'tree RSS':>9}  events  stories",
          flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            src = Path(tmp) / f"set{n}.jsonl"
            with src.open("w", encoding="utf-8") as fh:
                for record in make_set(n):
                    fh.write(json.dumps(record) + "\n")
            db = Path(tmp) / f"set{n}.db"
            seconds, cpu_s, largest, tree, rc, tail = run_child([*sitroom, "ingest", str(src), "--db", str(db), "-q"], env)
            if rc != 0:
                print(f"{n:>9,} failed (exit {rc}): {tail}", flush=True)
                continue
            summary = re.search(r"; (\d+) events, (\d+) stories", tail)
            events, stories = summary.groups() if summary else ("?", "?")
            print(f"{n:>9,} {seconds:9.1f} {n / seconds:7.1f} {cpu_s:8.1f} {largest:9,.0f} MB {tree:6,.0f} MB  "
                  f"{events:>6}  {stories:>7}  (load {os.getloadavg()[0]:.1f})", flush=True)
            rows.append((n, seconds, cpu_s))
            db.unlink(missing_ok=True)
    for (n1, t1, c1), (n2, t2, c2) in zip(rows, rows[1:]):
        allowed = (n2 * math.log(n2)) / (n1 * math.log(n1))
        verdict = "within" if c2 / c1 <= allowed else "FASTER THAN"
        print(f"{n1:,} → {n2:,}: wall ×{t2 / t1:.2f}, CPU ×{c2 / c1:.2f}; n·log n allows ×{allowed:.2f}: "
              f"CPU growth {verdict} n·log n")
    print(f"load average after {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
