"""`sitroom serve`: the HTTP API and the web UI."""

from __future__ import annotations

from typing import Optional

import typer
import uvicorn

from sitroom.api.app import create_app, default_workers, freeze_startup_heap, serve_in_processes
from sitroom.cli import err
from sitroom.cli._common import DbOption, open_or_exit, settings_or_exit

app = typer.Typer()


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
    settings = settings_or_exit()
    workers = workers or settings.serve_workers or default_workers()
    store = open_or_exit(db)  # migrates once, here, before any worker opens the store
    typer.echo(f"sitroom is serving {store.url} at http://{host}:{port}/ with {workers} process{'es' if workers > 1 else ''} "
               "(API docs at /docs)", err=True)
    if workers == 1:
        app = create_app(store, settings.api_settings(host=host))
        freeze_startup_heap()
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    store.close()
    try:
        serve_in_processes(host, port, workers, store.url)
    except OSError as exc:
        err(f"cannot listen on {host}:{port}: {exc}. Is another server using the port? Pick another with --port.")
        raise typer.Exit(1) from exc
