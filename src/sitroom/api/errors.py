"""The one error shape of the API: `{"error": {"code", "message"}}`, for every failure.

Handlers raise `ApiError` (or let a `SitroomError` through); FastAPI's own 404s, 405s and 422
validation errors are rewritten into the same shape so a client parses one thing.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitroom.errors import BlockedAddress, InputError, NotFound, SitroomError

log = logging.getLogger(__name__)

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "bad_request",
         413: "bad_request", 415: "bad_request", 422: "bad_request", 500: "internal"}


class ApiError(Exception):
    """An error with an HTTP status and a message that says what to do."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or CODES.get(status, "internal")


def not_found(kind: str, record_id: str) -> ApiError:
    """A 404 for an id the store does not hold."""
    return ApiError(404, f"no {kind} with id {record_id!r}; list them at /api/{kind}s")


def bad_request(message: str) -> ApiError:
    """A 400 with what to change in the request."""
    return ApiError(400, message)


def error_body(code: str, message: str) -> dict:
    """The JSON body of every error response."""
    return {"error": {"code": code, "message": message}}


def error_response(status: int, message: str, code: str | None = None, headers: dict | None = None) -> JSONResponse:
    """A JSONResponse in the one error shape."""
    return JSONResponse(error_body(code or CODES.get(status, "internal"), message), status_code=status, headers=headers)


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts) + ". See /docs for the expected parameters."


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the one error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.message, exc.code, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, _describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            message = f"no route {request.url.path}; the API is listed at /docs"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs"
        else:
            message = str(exc.detail)
        # Keep Starlette's headers: a 405 must say which methods are allowed (Allow, RFC 9110).
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(BlockedAddress)
    async def _blocked(_: Request, exc: BlockedAddress) -> JSONResponse:
        return error_response(403, str(exc))

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return error_response(400, str(exc))

    @app.exception_handler(SitroomError)
    async def _sitroom(_: Request, exc: SitroomError) -> JSONResponse:
        log.error("request failed: %s", exc)
        return error_response(500, f"{exc}")

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal error; the server log has the details. Please report it with the request.")
