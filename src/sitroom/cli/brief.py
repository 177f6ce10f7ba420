"""`sitroom brief`: a situation report."""

from __future__ import annotations

import re
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from sitroom.brief import make_brief
from sitroom.cli import err
from sitroom.cli._common import DbOption, open_or_exit, output_to

app = typer.Typer()


class BriefFormat(str, Enum):
    md = "md"
    html = "html"


@app.command()
def brief(
    db: Optional[str] = DbOption,
    since: Optional[str] = typer.Option(None, help="What changed while the reports of this window arrived (ingest time), e.g. 24h, 7d."),
    story: Optional[str] = typer.Option(None, help="Only this story id."),
    fmt: BriefFormat = typer.Option(BriefFormat.md, "--format", "-f", help="md or html."),
    output: Optional[Path] = typer.Option(None, "-o", "--output"),
) -> None:
    """A situation report: events, figures with ranges and sources, contradictions, ceasefires."""
    try:
        window = parse_duration(since) if since else None
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(1) from exc
    store = open_or_exit(db)
    try:
        text = make_brief(store, since=window, story_id=story, fmt=fmt.value)
    finally:
        store.close()
    with output_to(output) as out:
        out.write(text)


def parse_duration(text: str) -> timedelta:
    """'24h', '7d', '2w', '90m' as a timedelta."""
    m = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text)
    if not m:
        raise ValueError(f"--since {text!r} is not a duration: use e.g. 90m, 24h, 7d or 2w")
    n, unit = int(m.group(1)), m.group(2)
    return {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
