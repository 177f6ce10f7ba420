"""A fake web for ingest tests: an httpx MockTransport handler that serves fixed routes and records what was asked."""

from __future__ import annotations

from collections.abc import Callable

import httpx

Route = httpx.Response | Callable[[httpx.Request], httpx.Response]


class Server:
    """Serves `routes` (URL -> response, or a function of the request), 404 elsewhere; `seen` lists the URLs asked for."""

    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        route = self.routes.get(str(request.url))
        if route is None:
            return httpx.Response(404)
        return route(request) if callable(route) else route
