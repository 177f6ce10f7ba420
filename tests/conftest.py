"""Shared fixtures: paths to the shared corpus (skipped when absent) and isolated stores on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus, skipping the test with a message when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpus is needed for this test")
    return path


@pytest.fixture(autouse=True)
def _isolated_user_gazetteer(tmp_path_factory, monkeypatch):
    """Never read or write the user's own gazetteer file from tests."""
    if "SITROOM_GAZETTEER" not in os.environ or not os.environ["SITROOM_GAZETTEER"].startswith(str(tmp_path_factory.getbasetemp())):
        monkeypatch.setenv("SITROOM_GAZETTEER", str(tmp_path_factory.getbasetemp() / "user-gazetteer.sqlite"))


POSTGRES_URL_VAR = "SITROOM_TEST_POSTGRES_URL"


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """URL of a new, empty PostgreSQL database, dropped on exit; skips when no server is configured.

    `$SITROOM_TEST_POSTGRES_URL` names a database on a server where its user may create
    databases (`.ci/run` starts one); every caller gets its own database, so tests never share rows.
    """
    admin_url = os.environ.get(POSTGRES_URL_VAR)
    if not admin_url:
        pytest.skip(f"{POSTGRES_URL_VAR} is unset: start PostgreSQL as .ci/run does to run the PostgreSQL half of the suite")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"sitroom_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test (skipped without a server)."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> Iterator[str]:
    """Where a fresh store lives: a SQLite file, then a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def store(store_url):
    """A fresh, migrated store on each backend: SQLite, then PostgreSQL."""
    from sitroom.store import open_store

    s = open_store(store_url)
    yield s
    s.close()
