"""`sitroom export events|stories|duplicates`: the records as files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional, TextIO

import typer

from sitroom.cli._common import DbOption, OutputOption, export_with
from sitroom.export import article_sources, stories_in_event_order, write_events, write_jsonl
from sitroom.store.base import Store

app = typer.Typer()
export_app = typer.Typer(no_args_is_help=True, help="Export events, stories or duplicate passages.")
app.add_typer(export_app, name="export")


class EventFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"


@export_app.command("events")
def export_events(
    db: Optional[str] = DbOption,
    fmt: EventFormat = typer.Option(EventFormat.jsonl, "--format", "-f", help="jsonl, csv (ACLED columns) or geojson."),
    output: Optional[Path] = OutputOption,
    excel: bool = typer.Option(False, "--excel", help="CSV: start with a UTF-8 byte order mark, so spreadsheet programs read UTF-8."),
) -> None:
    """Event records, one per real-world event."""

    def write(store: Store, out: TextIO) -> int:
        sources = article_sources(store.iter_articles())
        return write_events(store.iter_events(), fmt.value, out, article_sources=sources, excel=excel)

    export_with(db, output, "events", write)


@export_app.command("stories")
def export_stories(
    db: Optional[str] = DbOption,
    output: Optional[Path] = OutputOption,
) -> None:
    """Story records (JSONL) with cited summaries, events in date order."""

    def write(store: Store, out: TextIO) -> int:
        dates = {e["id"]: e.get("date") for e in store.iter_events()}
        return write_jsonl(stories_in_event_order(store.iter_stories(), dates), out)

    export_with(db, output, "stories", write)


@export_app.command("duplicates")
def export_duplicates(
    db: Optional[str] = DbOption,
    kind: Optional[str] = typer.Option(None, help="Only exact, near or paraphrase groups."),
    output: Optional[Path] = OutputOption,
) -> None:
    """Groups of near-identical passages across articles (JSONL)."""
    export_with(db, output, "duplicate groups", lambda store, out: write_jsonl(store.iter_duplicates(kind), out))
