"""The `sitroom` command line: a thin shell over importable functions.

JSON and exports go to stdout (or -o FILE); progress, logs and errors go to stderr. Exit codes
follow the contract: 0 success (inputs skipped with a reason included), 1 nothing could be
processed or a usage error (a bad SITROOM_* value included), 2 the store could not be opened or
migrated.

Each command group is a module of this package that imports its stages at its top; the root group
loads a module only when its command runs (Click's LazyGroup pattern), so `--help`, `export` and
`brief` never pay for spaCy, scikit-learn or FastAPI. The command list in `--help` comes from
`COMMANDS` below, which keeps each command's one-line help.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from sitroom.errors import SitroomError, StoreError

# name -> (module, one-line help as `--help` lists it); the module's `app` holds the command or group by that name.
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("sitroom.cli.ingest", "Read articles into the store and run the whole pipeline over them."),
    "rebuild": ("sitroom.cli.rebuild", "Recompute every event, story, ceasefire and duplicate group from the stored analyses."),
    "serve": ("sitroom.cli.serve", "The HTTP API (OpenAPI at /docs) and the web UI."),
    "brief": ("sitroom.cli.brief", "A situation report: events, figures with ranges and sources, contradictions, ceasefires."),
    "watch": ("sitroom.cli.watch", "Poll feeds with conditional requests and ingest new items; backs off on errors, resumes after restarts."),
    "geoparse": ("sitroom.cli.gazetteer", "Print every place each article names: one JSON line per article, each place with its character span."),
    "export": ("sitroom.cli.export", "Export events, stories or duplicate passages."),
    "gazetteer": ("sitroom.cli.gazetteer", "Manage the offline place index."),
}


def err(message: str) -> None:
    """A message to stderr, as `sitroom: message`."""
    typer.echo(f"sitroom: {message}", err=True)


class LazyGroup(TyperGroup):
    """A group whose commands live in modules imported when one of them runs, not when help lists them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False

    # Context and formatter are typed Any: Typer 0.29 vendors Click as the private typer._click.
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        module_name, short_help = COMMANDS[cmd_name]
        if self._listing:  # the help's command list: the name and its line, without importing the module
            return TyperCommand(cmd_name, help=short_help)
        module = importlib.import_module(module_name)
        return typer.main.get_group(module.app).commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(cls=LazyGroup, add_completion=False, no_args_is_help=True,
                  help="Turn news reports into a verified, source-attributed record of events.")


@app.callback()
def _root() -> None:
    pass


def main() -> None:
    """Entry point: run the app, turning sitroom errors into messages and exit codes."""
    try:
        app()
    except StoreError as exc:
        err(str(exc))
        sys.exit(2)
    except SitroomError as exc:
        err(str(exc))
        sys.exit(1)
