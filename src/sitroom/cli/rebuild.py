"""`sitroom rebuild`: recompute every record from the stored analyses."""

from __future__ import annotations

from typing import Optional

import typer

from sitroom import corpus
from sitroom.cli import err
from sitroom.cli._common import DbOption, open_or_exit, settings_or_exit
from sitroom.errors import StoreError

app = typer.Typer()


@app.command()
def rebuild(
    db: Optional[str] = DbOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages."),
) -> None:
    """Recompute every event, story, ceasefire and duplicate group from the stored analyses.

    Ingest keeps the records current batch by batch; a rebuild re-clusters the whole store (after
    an upgrade that changed fusion, say). Records that carry on keep their ids; merged ones become aliases.
    """
    settings = settings_or_exit()
    store = open_or_exit(db)
    try:
        result = corpus.rebuild(store, paraphrase=settings.paraphrase, progress=None if quiet else _rebuild_progress)
        counts = store.counts()
    except StoreError as exc:
        err(str(exc))
        raise typer.Exit(2) from exc
    finally:
        store.close()
    typer.echo(
        f"rebuilt {counts['events']} events, {counts['stories']} stories from {counts['articles']} articles "
        f"({result.events_written} events and {result.stories_written} stories rewritten, "
        f"{result.events_removed + result.stories_removed} removed) in {result.seconds:.1f}s",
        err=True,
    )


def _rebuild_progress(what: str, n: int) -> None:
    typer.echo(f"{what} {n} articles", err=True)
