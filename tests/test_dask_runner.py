"""The Dask runner: the local runner's records on the same input; a clear error without the extra."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from conftest import EXAMPLES, ROOT, corpus_path
from sitroom.config import Settings
from sitroom.errors import MissingExtra
from test_runners import records


def test_dask_runner_without_the_extra_names_the_install_command(monkeypatch, tmp_path):
    from sitroom.runners.dask import ingest_sources_dask
    from sitroom.store import open_store

    store = open_store(str(tmp_path / "x.db"))

    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    with pytest.raises(MissingExtra, match=r"pip install 'sitroom\[dask\]'"):
        ingest_sources_dask([str(EXAMPLES / "reports")], store, scheduler="local", settings=Settings())
    assert store.counts()["articles"] == 0  # failed before reading anything
    store.close()


def test_cli_dask_runner_without_the_extra_exits_1_with_the_install_command(tmp_path):
    # A fresh interpreter where `distributed` cannot be imported, running the real CLI.
    code = (
        "import sys; sys.modules['distributed'] = None; from sitroom.cli import main; "
        f"sys.argv = ['sitroom', 'ingest', {str(EXAMPLES / 'reports')!r}, '--runner', 'dask', "
        f"'--scheduler', 'local', '--db', {str(tmp_path / 'x.db')!r}, '-q']; main()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1
    assert "pip install 'sitroom[dask]'" in out.stderr


@pytest.mark.slow
def test_dask_runner_records_equal_the_local_runner(tmp_path):
    pytest.importorskip("distributed")
    from sitroom.runners.dask import ingest_sources_dask
    from sitroom.runners.local import ingest_sources
    from sitroom.store import open_store

    sources = [str(corpus_path("seeds")), str(EXAMPLES / "reports")]
    settings = replace(Settings(), workers=2)
    local_store = open_store(str(tmp_path / "local.db"))
    dask_store = open_store(str(tmp_path / "dask.db"))
    try:
        local = ingest_sources(sources, local_store, settings=replace(settings, workers=1))
        on_dask = ingest_sources_dask(sources, dask_store, scheduler="local", settings=settings)
        assert (on_dask.read, on_dask.new, on_dask.events, on_dask.stories) == (
            local.read, local.new, local.events, local.stories
        )
        assert local.events > 0
        assert records(dask_store) == records(local_store)
    finally:
        local_store.close()
        dask_store.close()
