"""`sitroom ingest`: read articles into the store and run the pipeline over them."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Optional

import typer

from sitroom.cli import err
from sitroom.cli._common import DbOption, open_or_exit, progress_bar, settings_or_exit
from sitroom.errors import MissingExtra, StoreError
from sitroom.runners.local import ingest_sources

app = typer.Typer()


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, folders, '-' (JSONL on stdin), page or feed URLs."),
    db: Optional[str] = DbOption,
    runner: str = typer.Option("local", help="local, or dask (needs sitroom[dask])."),
    scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address, or 'local'."),
    workers: int = typer.Option(
        0, help="Extraction processes, or Dask workers of --scheduler local (0 = $SITROOM_WORKERS or the usable cores; 1 = in-process)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Read articles into the store and run the whole pipeline over them."""
    settings = settings_or_exit()
    store = open_or_exit(db)
    if workers:
        settings = replace(settings, workers=workers)
    try:
        with progress_bar(quiet) as progress:
            if runner == "dask":
                # The optional extra: runners.dask imports dask inside and raises MissingExtra with the install command without it.
                from sitroom.runners.dask import ingest_sources_dask

                summary = ingest_sources_dask(sources, store, scheduler=scheduler or "local", settings=settings, progress=progress)
            elif runner == "local":
                summary = ingest_sources(sources, store, settings=settings, progress=progress)
            else:
                err(f"unknown runner {runner!r}: use --runner local or --runner dask")
                raise typer.Exit(1)
    except MissingExtra as exc:
        err(str(exc))
        raise typer.Exit(1) from exc
    except StoreError as exc:
        err(str(exc))
        raise typer.Exit(2) from exc
    finally:
        store.close()
    reasons = Counter(r.reason for r in summary.skipped)
    skipped = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common()) or "none"
    typer.echo(
        f"read {summary.read} articles ({summary.new} new, {summary.unchanged} unchanged), "
        f"skipped {len(summary.skipped)} ({skipped}); {summary.events} events, {summary.stories} stories "
        f"in {summary.seconds:.1f}s",
        err=True,
    )
    for r in summary.skipped[:20]:
        typer.echo(f"  skipped {r.origin}: {r.reason}" + (f" ({r.detail})" if r.detail else ""), err=True)
    if summary.read == 0 and summary.skipped and summary.unchanged == 0:
        err("nothing could be processed; see the reasons above")
        raise typer.Exit(1)
    if summary.read == 0 and not summary.skipped:
        err("no articles found in " + ", ".join(sources) + "; give .txt, .html or .jsonl files, a folder, '-' or a URL")
        raise typer.Exit(1)
