"""Shared fixtures: paths to the shared corpus (skipped when absent) and isolated stores."""

from __future__ import annotations

import os
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


@pytest.fixture
def store(tmp_path):
    """A fresh, migrated SQLite store."""
    from sitroom.store import open_store

    s = open_store(str(tmp_path / "test.db"))
    yield s
    s.close()
