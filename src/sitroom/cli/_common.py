"""What every command shares: messages, settings, opening the store, the output file, the progress bar."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sitroom.cli import err
from sitroom.config import Settings
from sitroom.errors import ConfigError, MissingExtra, StoreError
from sitroom.store import open_store
from sitroom.store.base import Store

OutputOption: Any = typer.Option(None, "-o", "--output", help="Write here instead of stdout.")
DbOption: Any = typer.Option(None, "--db", help="Store URL or SQLite path (default: $SITROOM_DB or ./sitroom.db).")


def settings_or_exit() -> Settings:
    """The SITROOM_* settings; a bad value ends the command with one line naming it and what it allows."""
    try:
        return Settings.from_env()
    except ConfigError as exc:
        err(str(exc))
        raise typer.Exit(1) from exc


def open_or_exit(db: str | None) -> Store:
    try:
        return open_store(db)
    except (StoreError, MissingExtra) as exc:
        err(str(exc))
        raise typer.Exit(2) from exc


def export_with(db: str | None, output: Path | None, noun: str, write: Callable[[Store, TextIO], int]) -> None:
    """Open the store, let `write` write its records to --output (or stdout), close it, and say how many."""
    store = open_or_exit(db)
    try:
        with output_to(output) as out:
            n = write(store, out)
    finally:
        store.close()
    typer.echo(f"exported {n} {noun}", err=True)


@contextlib.contextmanager
def output_to(path: Path | None) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        yield fh


@contextlib.contextmanager
def progress_bar(quiet: bool) -> Iterator[Callable[[str, int], None] | None]:
    """A rich progress bar on a terminal; nothing when piped or quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("reading and analysing", total=None)

        def update(what: str, n: int) -> None:
            if what == "fusing":
                bar.update(task, description="fusing events and stories")
            else:
                bar.advance(task, n)

        yield update
