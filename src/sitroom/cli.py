"""The `sitroom` command line: a thin shell over importable functions.

JSON and exports go to stdout (or -o FILE); progress, logs and errors go to stderr. Exit codes
follow the contract: 0 success (inputs skipped with a reason included), 1 nothing could be
processed or a usage error (a bad SITROOM_* value included), 2 the store could not be opened or
migrated.

Commands import their stages when they run: spaCy, scikit-learn and FastAPI take 1-2 s to
import, which `--help`, `export` and `brief` should not pay.
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from dataclasses import replace
from enum import Enum
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Iterator, Optional, TextIO

import typer

from sitroom.config import Settings
from sitroom.errors import ConfigError, MissingExtra, SitroomError, StoreError
from sitroom.export import article_sources, stories_in_event_order, write_events, write_jsonl
from sitroom.gazetteer.cache import ensure_built, index_path
from sitroom.gazetteer.geonames_dump import load_dump_stats

if TYPE_CHECKING:
    from sitroom.store.base import Store

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Turn news reports into a verified, source-attributed record of events.")
export_app = typer.Typer(no_args_is_help=True, help="Export events, stories or duplicate passages.")
gazetteer_app = typer.Typer(no_args_is_help=True, help="Manage the offline place index.")
app.add_typer(export_app, name="export")
app.add_typer(gazetteer_app, name="gazetteer")

OutputOption = typer.Option(None, "-o", "--output", help="Write here instead of stdout.")
DbOption = typer.Option(None, "--db", help="Store URL or SQLite path (default: $SITROOM_DB or ./sitroom.db).")


class EventFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"


class BriefFormat(str, Enum):
    md = "md"
    html = "html"


def _err(message: str) -> None:
    typer.echo(f"sitroom: {message}", err=True)


def _settings() -> Settings:
    """The SITROOM_* settings; a bad value ends the command with one line naming it and what it allows."""
    try:
        return Settings.from_env()
    except ConfigError as exc:
        _err(str(exc))
        raise typer.Exit(1) from exc


def _open(db: str | None):
    from sitroom.store import open_store

    try:
        return open_store(db)
    except (StoreError, MissingExtra) as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc


def _export(db: str | None, output: Path | None, noun: str, write: Callable[[Store, TextIO], int]) -> None:
    """Open the store, let `write` write its records to --output (or stdout), close it, and say how many."""
    store = _open(db)
    try:
        with _output(output) as out:
            n = write(store, out)
    finally:
        store.close()
    typer.echo(f"exported {n} {noun}", err=True)


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        yield fh


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
    settings = _settings()
    store = _open(db)
    if workers:
        settings = replace(settings, workers=workers)
    try:
        with _progress(quiet) as progress:
            if runner == "dask":
                # Imports dask only inside; raises MissingExtra with the install command without it.
                from sitroom.runners.dask import ingest_sources_dask

                summary = ingest_sources_dask(sources, store, scheduler=scheduler or "local", settings=settings, progress=progress)
            elif runner == "local":
                from sitroom.runners.local import ingest_sources

                summary = ingest_sources(sources, store, settings=settings, progress=progress)
            else:
                _err(f"unknown runner {runner!r}: use --runner local or --runner dask")
                raise typer.Exit(1)
    except MissingExtra as exc:
        _err(str(exc))
        raise typer.Exit(1) from exc
    except StoreError as exc:
        _err(str(exc))
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
        _err("nothing could be processed; see the reasons above")
        raise typer.Exit(1)
    if summary.read == 0 and not summary.skipped:
        _err("no articles found in " + ", ".join(sources) + "; give .txt, .html or .jsonl files, a folder, '-' or a URL")
        raise typer.Exit(1)


@app.command()
def rebuild(
    db: Optional[str] = DbOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages."),
) -> None:
    """Recompute every event, story, ceasefire and duplicate group from the stored analyses.

    Ingest keeps the records current batch by batch; a rebuild re-clusters the whole store (after
    an upgrade that changed fusion, say). Records that carry on keep their ids; merged ones become aliases.
    """
    from sitroom import corpus

    settings = _settings()
    store = _open(db)
    try:
        result = corpus.rebuild(store, paraphrase=settings.paraphrase, progress=None if quiet else _rebuild_progress)
        counts = store.counts()
    except StoreError as exc:
        _err(str(exc))
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


@contextlib.contextmanager
def _progress(quiet: bool):
    """A rich progress bar on a terminal; nothing when piped or quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("reading and analysing", total=None)

        def update(what: str, n: int) -> None:
            if what == "fusing":
                bar.update(task, description="fusing events and stories")
            else:
                bar.advance(task, n)

        yield update


@export_app.command("events")
def export_events(
    db: Optional[str] = DbOption,
    fmt: EventFormat = typer.Option(EventFormat.jsonl, "--format", "-f", help="jsonl, csv (ACLED columns) or geojson."),
    output: Optional[Path] = OutputOption,
    excel: bool = typer.Option(False, "--excel", help="CSV: start with a UTF-8 byte order mark, so spreadsheet programs read UTF-8."),
) -> None:
    """Event records, one per real-world event."""
    from sitroom.store.base import iter_pages

    def write(store: Store, out: TextIO) -> int:
        sources = article_sources(iter_pages(lambda n, o: store.list_articles(limit=n, offset=o)))
        return write_events(store.iter_events(), fmt.value, out, article_sources=sources, excel=excel)

    _export(db, output, "events", write)


@export_app.command("stories")
def export_stories(
    db: Optional[str] = DbOption,
    output: Optional[Path] = OutputOption,
) -> None:
    """Story records (JSONL) with cited summaries, events in date order."""

    def write(store: Store, out: TextIO) -> int:
        dates = {e["id"]: e.get("date") for e in store.iter_events()}
        return write_jsonl(stories_in_event_order(store.list_stories(limit=1_000_000).items, dates), out)

    _export(db, output, "stories", write)


@export_app.command("duplicates")
def export_duplicates(
    db: Optional[str] = DbOption,
    kind: Optional[str] = typer.Option(None, help="Only exact, near or paraphrase groups."),
    output: Optional[Path] = OutputOption,
) -> None:
    """Groups of near-identical passages across articles (JSONL)."""
    _export(db, output, "duplicate groups", lambda store, out: write_jsonl(store.list_duplicates(limit=10_000_000, kind=kind).items, out))


@app.command()
def serve(
    db: Optional[str] = DbOption,
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1,
        help="Server processes answering requests (default: $SITROOM_SERVE_WORKERS, else the usable cores, at most 4; "
        "1 serves from this process).",
    ),
) -> None:
    """The HTTP API (OpenAPI at /docs) and the web UI."""
    settings = _settings()  # before the imports: a bad value is told at once, not after FastAPI loads

    import uvicorn

    from sitroom.api.app import create_app, default_workers, serve_in_processes

    workers = workers or settings.serve_workers or default_workers()
    store = _open(db)  # migrates once, here, before any worker opens the store
    typer.echo(f"sitroom is serving {store.url} at http://{host}:{port}/ with {workers} process{'es' if workers > 1 else ''} "
               "(API docs at /docs)", err=True)
    if workers == 1:
        uvicorn.run(create_app(store, settings.api_settings(host=host)), host=host, port=port, log_level="warning")
        return
    store.close()
    try:
        serve_in_processes(host, port, workers, store.url)
    except OSError as exc:
        _err(f"cannot listen on {host}:{port}: {exc}. Is another server using the port? Pick another with --port.")
        raise typer.Exit(1) from exc


@app.command()
def brief(
    db: Optional[str] = DbOption,
    since: Optional[str] = typer.Option(None, help="What changed while the reports of this window arrived (ingest time), e.g. 24h, 7d."),
    story: Optional[str] = typer.Option(None, help="Only this story id."),
    fmt: BriefFormat = typer.Option(BriefFormat.md, "--format", "-f", help="md or html."),
    output: Optional[Path] = typer.Option(None, "-o", "--output"),
) -> None:
    """A situation report: events, figures with ranges and sources, contradictions, ceasefires."""
    from sitroom.brief import make_brief

    try:
        window = parse_duration(since) if since else None
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(1) from exc
    store = _open(db)
    try:
        text = make_brief(store, since=window, story_id=story, fmt=fmt.value)
    finally:
        store.close()
    with _output(output) as out:
        out.write(text)


def parse_duration(text: str):
    """'24h', '7d', '2w', '90m' as a timedelta."""
    import re
    from datetime import timedelta

    m = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text)
    if not m:
        raise ValueError(f"--since {text!r} is not a duration: use e.g. 90m, 24h, 7d or 2w")
    n, unit = int(m.group(1)), m.group(2)
    return {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]


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
    import logging

    from sitroom.runners.watch import parse_interval, watch_feeds

    try:
        interval = parse_interval(every)
    except SitroomError as exc:
        _err(str(exc))
        raise typer.Exit(1) from exc
    settings = _settings()
    logger = logging.getLogger("sitroom.runners.watch")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    store = _open(db)
    try:
        results = watch_feeds(feeds, store, every=interval, state_path=state, rounds=1 if once else rounds, settings=settings)
        if once and results and all(r.outcome == "error" for r in results):
            _err("no feed could be read; see the reasons above (the next run retries after its backoff)")
            raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("sitroom: watch stopped; its state is saved and the next run resumes from it", err=True)
    except SitroomError as exc:
        _err(str(exc))
        raise typer.Exit(1) from exc
    finally:
        store.close()


@gazetteer_app.command("load")
def gazetteer_load(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="GeoNames dump: allCountries.txt, a country file or its .zip.")) -> None:
    """Load a GeoNames dump you downloaded into the offline place index."""
    stats = load_dump_stats(file)
    typer.echo(f"loaded {stats.loaded} places from {file} (skipped {stats.skipped} unreadable lines)", err=True)
    if stats.loaded == 0:
        _err(f"no places found in {file}; is it a GeoNames dump (tab-separated, 19 columns)?")
        raise typer.Exit(1)


@app.command()
def geoparse(
    source: str = typer.Argument(..., help="JSONL articles ({\"id\", \"text\"|\"html\"} a line), or '-' for stdin."),
    output: Optional[Path] = OutputOption,
) -> None:
    """Print every place each article names: one JSON line per article, each place with its character span."""
    import json

    from sitroom.geoparse import geoparse_jsonl

    if source != "-" and not Path(source).is_file():
        _err(f"{source} is not a file: pass a JSONL file of articles, or '-' to read them from stdin")
        raise typer.Exit(1)
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")
    written = skipped = 0
    try:
        with _output(output) as out:
            for result in geoparse_jsonl(stream, origin="<stdin>" if source == "-" else source):
                if "error" in result:
                    _err(result["error"])
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


def main() -> None:
    """Entry point: run the app, turning sitroom errors into messages and exit codes."""
    try:
        app()
    except StoreError as exc:
        _err(str(exc))
        sys.exit(2)
    except SitroomError as exc:
        _err(str(exc))
        sys.exit(1)


if __name__ == "__main__":
    main()
