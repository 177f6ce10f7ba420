"""The FastAPI application: API routers, offline OpenAPI docs, the web UI and security headers."""

from __future__ import annotations

import base64
import gc
import hashlib
import os
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitroom.api import (
    articles, briefs, ceasefires, changes, duplicates, errors, events, exports, geoparse, ingest, search, status, stories,
)
from sitroom.api.security import host_refusal, served_hosts
from sitroom.api.static import CompressedStatic, versioned_index
from sitroom.config import SERVE_DB_VAR, SERVE_HOST_VAR, ApiSettings, Settings, usable_cores
from sitroom.store import open_store
from sitroom.store.base import Store

WEB = Path(__file__).resolve().parent.parent / "web"
MAX_DEFAULT_WORKERS = 4
STATIC = WEB / "static"

# Only our own files may run or style the UI; article text is data, never markup.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _docs_page() -> tuple[str, str]:
    """Swagger UI on the vendored files, and a CSP that admits exactly its one inline script by hash."""
    page = get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="sitroom API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
    )
    html = bytes(page.body).decode()
    inline = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline)
    # Swagger UI sets style attributes from JS, hence 'unsafe-inline' for styles on this page only.
    csp = (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return html, csp


class SecurityHeaders:
    """Adds the security headers to every response (a plain ASGI middleware: no per-request task or stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                if is_api:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RejectNul:
    """Answers 400 to a request whose path or query holds a NUL character (`%00`).

    No stored text holds one, and the stores cannot take one: SQLite's full-text query parser
    reads it as the end of the string, PostgreSQL refuses it in any text parameter. Rejected
    here once, no filter or lookup below has to think of it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope["query_string"] or b"\x00" in scope["query_string"]):
            response = errors.error_response(400, "the request holds a NUL character (%00), which no stored text has; remove it")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class TrustedHosts:
    """Answers 400 to a request whose Host header names a host this server does not serve (DNS rebinding)."""

    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app = app
        self.settings = settings
        self.served = served_hosts(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope.get("headers") or () if k == b"host"), None)
            reason = host_refusal(host, self.settings, self.served)
            if reason:
                await errors.error_response(400, reason)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(store: Store, settings: ApiSettings | None = None) -> FastAPI:
    """The sitroom HTTP API and web UI over `store`."""
    settings = settings or ApiSettings.from_env()
    app = FastAPI(
        title="sitroom",
        summary="A verified, source-attributed record of conflict events, built from news reports.",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    errors.install(app)

    app.add_middleware(RejectNul)
    app.add_middleware(TrustedHosts, settings=settings)
    app.add_middleware(SecurityHeaders)  # added last, so outermost: its headers go on the 400s too

    for module in (articles, events, stories, duplicates, search, ceasefires, status, exports, ingest, briefs, geoparse, changes):
        app.include_router(module.router)

    docs_html, docs_csp = _docs_page()

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_html, headers={"Content-Security-Policy": docs_csp})

    app.mount("/static", CompressedStatic(directory=STATIC), name="static")

    # Read once, its links stamped with their files' hashes: the UI's every page load asks for it.
    index_html = versioned_index((WEB / "templates" / "index.html").read_bytes(), STATIC)

    @app.get("/", include_in_schema=False)
    def ui() -> Response:
        return Response(index_html, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    return app


def create_app_from_env() -> FastAPI:
    """The app of one `sitroom serve --workers N` process: the store at $SITROOM_SERVE_DB, already migrated.

    uvicorn starts worker processes from an import string, not an app object, so the serving
    command passes the store URL and bound host through the environment. Run by another ASGI
    server without them, it opens $SITROOM_DB (or ./sitroom.db) and migrates it (migrations hold
    the write lock, so workers starting together upgrade it once).
    """
    settings = Settings.from_env()
    store = open_store(settings.serve_db, migrate=settings.serve_db is None)
    app = create_app(store, settings.api_settings(host=settings.serve_host))
    freeze_startup_heap()
    return app


def freeze_startup_heap() -> None:
    """Keep what a serving process holds from start-up (its modules, the app, their tables) out of the collector's walks.

    Python's full collection walks every tracked object, and a serving process holds some 160,000
    from start-up: unfrozen, a full collection falls inside a request now and then and sets its tail
    latency. Frozen, a collection walks only what requests allocate.
    """
    gc.collect()
    gc.freeze()


def default_workers() -> int:
    """Server processes when `--workers` is not given: the usable cores, at most 4.

    Requests are CPU-bound Python, so one process uses one core whatever its threads; past a few
    processes each extra one costs its own memory and connections for little gain.
    """
    return min(usable_cores(), MAX_DEFAULT_WORKERS)


def serve_in_processes(host: str, port: int, workers: int, store_url: str) -> None:
    """Run `create_app_from_env` over `store_url` in `workers` uvicorn processes that share one listening socket.

    The socket is bound here, not by uvicorn: uvicorn's own (`Config.bind_socket`, as of 0.54) leaves
    its protocol unset, so asyncio never turns TCP_NODELAY on for the connections it accepts, and
    each keep-alive request after the first waits for the client's delayed ACK (Kludex/uvicorn#3149).
    Raises OSError when the address cannot be bound.
    """
    import inspect
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ[SERVE_DB_VAR], os.environ[SERVE_HOST_VAR] = store_url, host  # read by each worker's create_app_from_env
    config = uvicorn.Config(
        "sitroom.api.app:create_app_from_env", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    supervisor_args: dict = {"sockets": [sock]}
    if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn before 0.36 also takes the server's run
        supervisor_args["target"] = uvicorn.Server(config).run
    try:
        Multiprocess(config, **supervisor_args).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
