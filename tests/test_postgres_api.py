"""The API and brief tests of test_api.py and test_brief.py, run again over a PostgreSQL store.

The tests are imported unchanged; only the `store` fixture differs: the same demo records
(api_demo_data.build_store) written into a fresh PostgreSQL database. Skipped without a server.
"""

from __future__ import annotations

import pytest

from api_demo_data import build_store
from conftest import fresh_postgres_database
from test_api import *  # noqa: F403 - every API test, collected again over the store below
from test_brief import *  # noqa: F403 - every brief test, likewise

# Builds its own SQLite store from tmp_path: already covered by test_api.py, nothing to re-run here.
del test_api_ingest_text_runs_the_pipeline  # noqa: F821

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def store():  # noqa: F811 - replaces the imported SQLite fixture
    """The demo store of api_demo_data, in a PostgreSQL database of its own."""
    with fresh_postgres_database() as url:
        s = build_store(url)
        yield s
        s.close()
