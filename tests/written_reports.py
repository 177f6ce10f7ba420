"""Small news reports written for the reliability tests, and running `sitroom ingest` on them.

`written_reports` makes many incidents, each told by one or more outlets; `write_reports` puts them
in a folder as JSONL files (ids, titles, dates, outlets), so a test can ingest the same realistic
mix of single and multi-source incidents again and again, offline.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from conftest import ROOT
from sitroom.ingest.sources import content_hash
from sitroom.model import Article
from sitroom.store.base import EventQuery, Store

_PLACES = ["Aleppo", "Idlib", "Homs", "Hama", "Deir ez-Zor", "Raqqa", "Mosul", "Kirkuk", "Sanaa", "Taiz", "Aden", "Benghazi"]
_OUTLETS = ["Wire Service", "Daily Monitor", "Evening Post", "Frontline Radio"]
_INCIDENTS = [
    ("{n} civilians were killed when artillery shells hit the market in {place} on {day}, local medics said.",
     "Shelling kills {n} in {place} market"),
    ("An air strike on a village near {place} killed {n} people on {day}, a monitoring group said.",
     "Air strike near {place} kills {n}"),
    ("Gunmen attacked a police checkpoint in {place} on {day}, killing {n} officers, the interior ministry said.",
     "{n} police killed at {place} checkpoint"),
    ("A roadside bomb exploded near a convoy outside {place} on {day}, killing {n} soldiers, the army said.",
     "Roadside bomb kills {n} soldiers near {place}"),
    ("Clashes between rebels and government forces in {place} left {n} fighters dead on {day}, residents said.",
     "Clashes in {place} leave {n} dead"),
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def written_reports(n_incidents: int = 20, seed: int = 7) -> list[dict]:
    """Articles (JSONL records) about `n_incidents` distinct incidents; about half are told by two outlets."""
    rng = random.Random(seed)
    records: list[dict] = []
    start = date(2023, 5, 1)
    for i in range(n_incidents):
        place = _PLACES[i % len(_PLACES)]
        template, headline = _INCIDENTS[i % len(_INCIDENTS)]
        published = start + timedelta(days=3 * i + 1)
        day = _WEEKDAYS[(published - timedelta(days=1)).weekday()]
        n = rng.randint(2, 40)
        tellings = 2 if i % 2 == 0 else 1
        for j in range(tellings):
            outlet = _OUTLETS[(i + j) % len(_OUTLETS)]
            body = template.format(n=n, place=place, day=day)
            if j:  # a second outlet: the same incident in other words around the same sentence
                body = f"Residents of {place} were mourning on {_WEEKDAYS[published.weekday()]}. {body} Funerals were held later."
            records.append({
                "id": f"written_{i:02d}_{j}",
                "title": headline.format(n=n, place=place),
                "published": published.isoformat(),
                "source": outlet,
                "text": f"{headline.format(n=n, place=place)}\n\n{body}\n\nAid groups called for calm.",
            })
    return records


def write_reports(folder: Path, records: list[dict], *, per_file: int = 10) -> list[Path]:
    """Write `records` as JSONL files of `per_file` lines each into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(0, len(records), per_file):
        path = folder / f"reports_{k // per_file:02d}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records[k : k + per_file]), encoding="utf-8")
        paths.append(path)
    return paths


# Small batches: more transactions to interleave. No paraphrase model: its load time adds nothing here.
CLI_ENV = {"SITROOM_BATCH_SIZE": "4", "SITROOM_WORKERS": "1", "SITROOM_PARAPHRASE": "0"}


def sitroom_ingest(db: str, *sources, **popen) -> subprocess.Popen:
    """Start `sitroom ingest SOURCES --db DB` in a subprocess."""
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **popen}
    command = [sys.executable, "-m", "sitroom.cli", "ingest", *map(str, sources), "--db", db]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **CLI_ENV}, **options)


def records_of(store: Store, *, exact_stories: bool = True) -> dict:
    """Everything a user sees of a store, in a comparable form that does not depend on arrival order.

    Event and story ids are given at first sight and kept (issue 15's stable ids), so two stores
    that received the same articles in different batches may name the same record differently:
    each id is replaced by what the record is (its content without ids; a story by its articles).
    `exact_stories=False` compares stories only by the articles they cover, each once: stories
    maintained batch by batch are not exactly a clustering of the whole store (corpus/stories.py),
    so stores with different batch histories agree on them only after `sitroom rebuild`.
    """
    events = store.query_events(EventQuery(limit=100_000)).items
    stories = store.list_stories(limit=100_000).items
    assert len({e["id"] for e in events}) == len(events), "an event id given twice"
    if not exact_stories:
        covered = sorted(a for s in stories for a in s.get("article_ids") or ())
        assert len(covered) == len(set(covered)), "an article in two stories"
        events = [{k: v for k, v in e.items() if k != "story_id"} for e in events]
    names: dict[str, str] = {}
    for s in stories:
        names[s["id"]] = "story:" + ",".join(sorted(s.get("article_ids") or ())) if exact_stories else "story"
    for e in events:
        names[e["id"]] = "event:" + json.dumps({k: v for k, v in e.items() if k not in ("id", "story_id")}, sort_keys=True)

    def renamed(value):
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, list):
            if value and all(isinstance(v, str) and v in names for v in value):
                # A list of record ids (a ceasefire's events) is in id order, and ids follow arrival.
                return sorted(names[v] for v in value)
            return [renamed(v) for v in value]
        if isinstance(value, dict):
            return {k: renamed(v) for k, v in value.items()}
        return value

    def canonical(items) -> list[str]:
        return sorted(json.dumps(renamed(x), sort_keys=True) for x in items)

    return {
        "articles": sorted((a["id"], a["content_hash"]) for a in store.list_articles(limit=100_000).items),
        "events": canonical(events),
        "stories": canonical(stories) if exact_stories else covered,
        "duplicates": canonical(store.list_duplicates(limit=100_000).items),
        "ceasefires": canonical(store.list_ceasefires()),
        "rejections": sorted((r["origin"], r["reason"]) for r in store.list_rejections(limit=100_000).items),
    }


def as_articles(records: list[dict]) -> list[Article]:
    """The written reports as the runner takes them, without the CLI's JSONL step."""
    return [
        Article(id=r["id"], text=r["text"], title=r["title"], source=r["source"], published=date.fromisoformat(r["published"]),
                content_hash=content_hash(r["text"] + r["title"]))
        for r in records
    ]
