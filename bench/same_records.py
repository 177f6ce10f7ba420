"""The records of fixed inputs, exported as a user exports them: to show a change leaves them byte for byte.

Run from anywhere: `python bench/same_records.py [--out DIR] [--against DIR] [--smoke]`.

Each set is ingested with the CLI into a fresh store and its events, stories and duplicate groups
are exported as JSONL, one file per set and kind (`seeds-events.jsonl`, ...), into `--out` (a
temporary folder without it); a line per file gives its records and digest. The sets:

- **seeds**: the five reports of the 2016 Syria truce collapse (../shared/corpus/seeds);
- **examples**: the demo's reports, with the demo's place list loaded (examples/, as `make demo`);
- **ecbplus-odd**: ECB+ topics 1, 3, ..., 13 (175 documents), odd topics being the tuning half
  (bench/ecbplus.py), written as `{"id", "text"}` JSONL into the temporary folder, never the repo.

Export once before a change (`--out /tmp/before`), then after it with `--against /tmp/before`:
each file is said to be `same` or `DIFFERENT`, and the exit status is 1 when any differs.
`--smoke`: the examples alone. Seeds and ECB+ run with an empty user place list of their own.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _script import CORPUS, REPO, SITROOM_CLI, add_smoke_flag, corpus_missing

KINDS = ("events", "stories", "duplicates")
ECBPLUS_TOPICS = range(1, 14, 2)


def _sitroom(*args: str, env: dict[str, str]) -> None:
    """One CLI command; its stderr is shown only when it fails."""
    done = subprocess.run([*SITROOM_CLI, *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"sitroom {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")


def export_set(name: str, source: Path, out: Path, work: Path, places: Path | None = None) -> list[Path]:
    """Ingest `source` into a fresh store and export each kind of record to `out/NAME-KIND.jsonl`."""
    env = {**os.environ, "SITROOM_GAZETTEER": str(work / f"{name}-places.sqlite")}
    if places is not None:
        _sitroom("gazetteer", "load", str(places), env=env)
    db = str(work / f"{name}.db")
    _sitroom("ingest", str(source), "--db", db, env=env)
    files = []
    for kind in KINDS:
        path = out / f"{name}-{kind}.jsonl"
        _sitroom("export", kind, "--db", db, "-o", str(path), env=env)
        files.append(path)
    return files


def ecbplus_odd_topics(work: Path) -> Path | None:
    """ECB+'s odd topics as `{"id", "text"}` JSONL in `work`, or None (said) where the corpus lacks it."""
    docs = CORPUS / "ecbplus" / "ecbplus_docs.jsonl"
    if corpus_missing(docs):
        return None
    path = work / "ecbplus-odd.jsonl"
    with docs.open(encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        for line in lines:
            doc = json.loads(line)
            if doc["topic"] in ECBPLUS_TOPICS:
                out.write(json.dumps({"id": doc["doc_name"], "text": doc["text"]}, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """Export the sets; compare them with `--against` when given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write the exports here (default: a temporary folder)")
    parser.add_argument("--against", type=Path, help="an earlier --out: say per file whether it is the same")
    add_smoke_flag(parser, "the demo's reports in examples/ alone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sitroom-same-records-") as tmp:
        work = Path(tmp)
        out = args.out or work / "out"
        out.mkdir(parents=True, exist_ok=True)
        files = export_set("examples", REPO / "examples" / "reports", out, work, places=REPO / "examples" / "gazetteer" / "marenia.txt")
        if not args.smoke:
            if not corpus_missing(CORPUS / "seeds"):
                files += export_set("seeds", CORPUS / "seeds", out, work)
            ecb = ecbplus_odd_topics(work)
            if ecb is not None:
                files += export_set("ecbplus-odd", ecb, out, work)
        differ = 0
        for path in files:
            data = path.read_bytes()
            records = data.count(b"\n")
            line = f"{path.name:32} {records:5} records  sha1 {hashlib.sha1(data).hexdigest()[:12]}"
            if args.against is not None:
                before = args.against / path.name
                same = before.exists() and filecmp.cmp(before, path, shallow=False)
                differ += not same
                line += "  same" if same else "  DIFFERENT" if before.exists() else "  (not in --against)"
            print(line)
    if args.against is not None:
        print(f"{len(files) - differ} of {len(files)} files the same as in {args.against}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
