"""The FastAPI application: API routers, offline OpenAPI docs, the web UI and security headers."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from sitroom.api import articles, briefs, ceasefires, duplicates, errors, events, exports, ingest, search, status, stories
from sitroom.api.security import ApiSettings
from sitroom.store.base import Store

WEB = Path(__file__).resolve().parent.parent / "web"
STATIC = WEB / "static"

# Only our own files may run or style the UI; article text is data, never markup.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _docs_page() -> tuple[str, str]:
    """Swagger UI on the vendored files, and a CSP that admits exactly its one inline script by hash."""
    html = get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="sitroom API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
    ).body.decode()
    inline = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline)
    # Swagger UI sets style attributes from JS, hence 'unsafe-inline' for styles on this page only.
    csp = (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return html, csp


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

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    for module in (articles, events, stories, duplicates, search, ceasefires, status, exports, ingest, briefs):
        app.include_router(module.router)

    docs_html, docs_csp = _docs_page()

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_html, headers={"Content-Security-Policy": docs_csp})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def ui() -> FileResponse:
        return FileResponse(WEB / "templates" / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    return app
