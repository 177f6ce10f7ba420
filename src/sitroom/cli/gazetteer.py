"""`sitroom gazetteer load|build` and `sitroom geoparse`: the offline place index and what it finds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from sitroom.cli import err
from sitroom.cli._common import OutputOption, output_to
from sitroom.gazetteer.cache import ensure_built, index_path
from sitroom.gazetteer.geonames_dump import load_dump_stats
from sitroom.geoparse import geoparse_jsonl

app = typer.Typer()
gazetteer_app = typer.Typer(no_args_is_help=True, help="Manage the offline place index.")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("load")
def gazetteer_load(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="GeoNames dump: allCountries.txt, a country file or its .zip.")) -> None:
    """Load a GeoNames dump you downloaded into the offline place index."""
    stats = load_dump_stats(file)
    typer.echo(f"loaded {stats.loaded} places from {file} (skipped {stats.skipped} unreadable lines)", err=True)
    if stats.loaded == 0:
        err(f"no places found in {file}; is it a GeoNames dump (tab-separated, 19 columns)?")
        raise typer.Exit(1)


@app.command()
def geoparse(
    source: str = typer.Argument(..., help="JSONL articles ({\"id\", \"text\"|\"html\"} a line), or '-' for stdin."),
    output: Optional[Path] = OutputOption,
) -> None:
    """Print every place each article names: one JSON line per article, each place with its character span."""
    if source != "-" and not Path(source).is_file():
        err(f"{source} is not a file: pass a JSONL file of articles, or '-' to read them from stdin")
        raise typer.Exit(1)
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")
    written = skipped = 0
    try:
        with output_to(output) as out:
            for result in geoparse_jsonl(stream, origin="<stdin>" if source == "-" else source):
                if "error" in result:
                    err(result["error"])
                    skipped += 1
                    continue
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
                written += 1
    finally:
        if stream is not sys.stdin:
            stream.close()
    typer.echo(f"geoparsed {written} articles, skipped {skipped}", err=True)
    if written == 0 and skipped:
        raise typer.Exit(1)


@gazetteer_app.command("build")
def gazetteer_build() -> None:
    """Build the built-in place index into the cache folder now (make setup does; otherwise the first lookup does)."""
    existed = index_path().exists()
    path = ensure_built()
    size = path.stat().st_size / 1e6
    typer.echo(f"place index {'up to date' if existed else 'built'}: {path} ({size:.0f} MB)", err=True)
