"""The API against its own OpenAPI spec (schemathesis), its write guard, and hostile query strings.

schemathesis generates requests for every operation in /api/openapi.json (valid and invalid
parameters alike, and undeclared methods) and the API must never answer 5xx, must answer a
wrong method with 405 and an Allow header, and must keep the one error shape. Every write route is enumerated from the app itself, so a route
added later without `require_writer` fails here. XSS and SQL injection strings go into article
text and query parameters and must come back as inert data.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from api_demo_data import A3, EV_DEIR, build_store
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from sitroom.api import ApiSettings, create_app

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the dev extra: pip install -e '.[dev]'")
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import unsupported_method

TOKEN = "s3cret-token"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# POST routes that compute an answer and store nothing (their docstrings say so); each is checked below
# to leave the store as it was. Any other POST must need the token.
READ_ONLY_POSTS = {("POST", "/api/geoparse")}


# schemathesis reads the spec when the module is imported, so the app and its store exist by then.
_TMP = Path(tempfile.mkdtemp(prefix="sitroom-schema-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)  # also when every test here is deselected
_STORE = build_store(_TMP / "schema.db")
# No bearer token is sent by the generated requests: POST /api/ingest must refuse every generated body
# with 401, never run the pipeline on it or resolve a generated host name (the suite stays offline).
# schemathesis's ASGI client sends Host: testserver, which the app must be told it serves.
schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(_STORE, ApiSettings(token=TOKEN, allowed_hosts=("testserver",))))


@pytest.fixture(scope="module")
def demo_store():
    yield _STORE
    _STORE.close()


# The same 30 requests per operation on every run, so that CI does not fail on a new draw;
# SITROOM_API_FUZZ=N draws N fresh ones per operation instead (a random draw found the NUL
# bug that `RejectNul` in api/app.py now answers).
_FUZZ = int(os.environ.get("SITROOM_API_FUZZ", "0"))


@schema.parametrize()
@settings(max_examples=_FUZZ or 30, derandomize=not _FUZZ, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_a_server_error_to_generated_requests(case):
    response = case.call_and_validate(checks=[not_a_server_error, unsupported_method])
    content_type = (response.headers.get("content-type") or [""])[0]  # schemathesis keeps header values as lists
    if response.status_code >= 400 and content_type.startswith("application/json"):
        assert set(response.json()) == {"error"}, response.text  # the one error shape


# ----------------------------------------------------------------------------- the write guard


def write_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route that changes something, read from the app's routers themselves."""
    found: list[tuple[str, str]] = []

    def walk(routes, prefix: str) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)  # FastAPI >= 0.16x keeps routers nested
            if included is not None:
                walk(included.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))
            elif isinstance(route, APIRoute):
                found.extend((m, prefix + route.path) for m in route.methods if m in WRITE_METHODS)

    walk(app.routes, "")
    return sorted(r for r in found if r not in READ_ONLY_POSTS)


def test_read_only_posts_store_nothing(demo_store):
    client = TestClient(create_app(demo_store, ApiSettings(token=TOKEN)), raise_server_exceptions=False, base_url="http://127.0.0.1")
    before = demo_store.counts()
    for method, path in sorted(READ_ONLY_POSTS):
        resp = client.request(method, path, json={"text": "Shelling killed 3 people in Aleppo on Monday."})
        assert resp.status_code < 500, (path, resp.text)
    assert demo_store.counts() == before


def test_every_write_route_needs_the_token(demo_store):
    app = create_app(demo_store, ApiSettings(token=TOKEN))
    routes = write_routes(app)
    assert routes, "the API has write routes (POST /api/ingest at least)"
    client = TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1")
    before = demo_store.counts()
    for method, path in routes:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                        {"Authorization": "Bearer "}, {"Authorization": TOKEN}):  # fmt: skip
            resp = client.request(method, path, json={"text": "Shelling killed 3 people in Velmar."}, headers=headers)
            assert resp.status_code == 401, (method, path, headers, resp.status_code)
            assert resp.json()["error"]["code"] == "unauthorized"
            assert resp.headers["www-authenticate"] == "Bearer"
    assert demo_store.counts() == before  # nothing was written


def test_every_write_route_is_refused_off_loopback_without_a_token(demo_store):
    app = create_app(demo_store, ApiSettings(token=None, host="0.0.0.0"))
    client = TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1")
    for method, path in write_routes(app):
        resp = client.request(method, path, json={"text": "x"})
        assert resp.status_code == 403 and "SITROOM_TOKEN" in resp.json()["error"]["message"]


def test_read_routes_stay_open_with_a_token_set(demo_store):
    client = TestClient(create_app(demo_store, ApiSettings(token=TOKEN)), base_url="http://127.0.0.1")
    assert client.get("/api/events").status_code == 200


# ----------------------------------------------------------------------------- SSRF through the API


@pytest.mark.parametrize(
    ("url", "status"),
    [("http://127.0.0.1:8000/api/stats", 403), ("http://169.254.169.254/latest/meta-data/", 403), ("http://[::1]/", 403),
     ("http://10.0.0.1/", 403), ("http://0.0.0.0/", 403), ("http://localhost/admin", 403),
     ("file:///etc/passwd", 400), ("gopher://127.0.0.1:6379/_INFO", 400)],
)  # fmt: skip
def test_url_ingest_refuses_private_addresses_and_other_schemes(demo_store, url, status):
    # A private address is forbidden (403, it names the setting that allows it); another scheme is a bad request (400).
    client = TestClient(create_app(demo_store, ApiSettings(token=TOKEN)), raise_server_exceptions=False, base_url="http://127.0.0.1")
    resp = client.post("/api/ingest", json={"urls": [url]}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == status, resp.text
    assert ("SITROOM_ALLOW_PRIVATE_ADDRESSES" in resp.json()["error"]["message"]) == (status == 403)
    assert demo_store.counts()["articles"] == 3


# ----------------------------------------------------------------------------- XSS and SQL injection

SQL_INJECTIONS = [
    "' OR '1'='1", "1; DROP TABLE events; --", "\" OR 1=1 --", "x') UNION SELECT payload FROM events --",
    "%' OR 1=1 --", "evt_deir_airstrike' --", "NEAR(a b)", "a* OR b*", "\"unbalanced", "col:val", "^start",
]  # fmt: skip
XSS = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "<svg onload=alert(1)>"]


@pytest.mark.parametrize("payload", SQL_INJECTIONS + XSS)
def test_injection_strings_in_query_parameters_are_data(demo_store, payload):
    client = TestClient(create_app(demo_store, ApiSettings(token=TOKEN)), raise_server_exceptions=False, base_url="http://127.0.0.1")
    before = demo_store.counts()
    for path, params in [
        ("/api/search", {"q": payload}),
        ("/api/events", {"place": payload}),
        ("/api/events", {"actor": payload}),
        ("/api/events", {"type": payload, "country": payload[:2]}),
        ("/api/events", {"story": payload, "article": payload}),
        ("/api/contradictions", {"story": payload, "field": payload}),
        ("/api/duplicates", {"kind": payload}),
    ]:
        resp = client.get(path, params=params)
        assert resp.status_code in (200, 400, 422), (path, params, resp.status_code, resp.text)
        if resp.status_code == 200:
            body = resp.json()
            # "' OR '1'='1" must not turn a filter into "match everything".
            assert path == "/api/search" or body["total"] == 0, (path, params, body["total"])
    for path in (f"/api/events/{payload}", f"/api/stories/{payload}", f"/api/articles/{payload}"):
        assert client.get(path).status_code in (404, 422)
    assert client.get(f"/api/events/{EV_DEIR}").status_code == 200
    assert demo_store.counts() == before  # nothing dropped, nothing written
    assert demo_store.integrity_check() == []


def test_markup_in_article_text_comes_back_as_json_data_never_as_html(demo_store):
    client = TestClient(create_app(demo_store, ApiSettings(token=TOKEN)), base_url="http://127.0.0.1")
    resp = client.get(f"/api/articles/{A3}")
    assert resp.headers["content-type"].startswith("application/json")
    assert "<script>alert(1)</script>" in resp.json()["text"]  # kept verbatim, as evidence, as data
    assert "script-src 'self'" in resp.headers["content-security-policy"]  # and the UI runs no inline script
    assert resp.headers["x-content-type-options"] == "nosniff"
    hits = client.get("/api/search", params={"q": "Hostile page"}).json()["items"]
    assert hits and all(h["kind"] in ("article", "event") for h in hits)


# ----------------------------------------------------------------------------- regressions schemathesis found


@pytest.mark.parametrize(
    "path",
    ["/api/articles?offset=9223372036854775808", "/api/stories?offset=9223372036854775808",
     "/api/rejections?offset=9223372036854775808", "/api/events?offset=99999999999999999999",
     "/api/brief?days=1000000000&format=html", "/api/brief?days=736226"],
)  # fmt: skip
def test_regression_huge_numbers_are_a_422_not_a_500(demo_store, path):
    # OverflowError: Python int too large to convert to SQLite INTEGER / date arithmetic overflow.
    resp = TestClient(create_app(demo_store, ApiSettings(token=TOKEN)), raise_server_exceptions=False, base_url="http://127.0.0.1").get(path)
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "bad_request"


def test_regression_wrong_method_names_the_allowed_ones(demo_store):
    resp = TestClient(create_app(demo_store, ApiSettings(token=TOKEN)), base_url="http://127.0.0.1").request("TRACE", "/api/stats")
    assert resp.status_code == 405 and "GET" in resp.headers["allow"]
