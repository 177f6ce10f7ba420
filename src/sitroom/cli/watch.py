"""`sitroom watch`: poll feeds and ingest what is new."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Optional

import typer

from sitroom.cli import err
from sitroom.cli._common import DbOption, open_or_exit, settings_or_exit
from sitroom.errors import SitroomError
from sitroom.runners.watch import parse_interval, watch_feeds

app = typer.Typer()


@app.command()
def watch(
    feeds: list[str] = typer.Argument(..., help="RSS/Atom feed URLs to poll."),
    every: str = typer.Option("10m", help="Time between polls of a healthy feed: 30s, 10m, 2h, 1d."),
    db: Optional[str] = DbOption,
    once: bool = typer.Option(False, "--once", help="Poll each due feed once and exit (for cron)."),
    rounds: Optional[int] = typer.Option(None, "--rounds", min=1, help="Stop after this many polling rounds."),
    state: Optional[Path] = typer.Option(None, help="Watch state file (default: <db>.watch.json next to a SQLite store)."),
) -> None:
    """Poll feeds with conditional requests and ingest new items; backs off on errors, resumes after restarts."""
    try:
        interval = parse_interval(every)
    except SitroomError as exc:
        err(str(exc))
        raise typer.Exit(1) from exc
    settings = settings_or_exit()
    logger = logging.getLogger("sitroom.runners.watch")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    store = open_or_exit(db)
    try:
        results = watch_feeds(feeds, store, every=interval, state_path=state, rounds=1 if once else rounds, settings=settings)
        if once and results and all(r.outcome == "error" for r in results):
            err("no feed could be read; see the reasons above (the next run retries after its backoff)")
            raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("sitroom: watch stopped; its state is saved and the next run resumes from it", err=True)
    except SitroomError as exc:
        err(str(exc))
        raise typer.Exit(1) from exc
    finally:
        store.close()
