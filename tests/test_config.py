"""Settings: every SITROOM_* variable read once, in config.py, validated with a one-line fix."""

from __future__ import annotations

import ast
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from sitroom.api import ApiSettings
from sitroom.config import MB, VARIABLES, Settings, usable_cores
from sitroom.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sitroom"


class CountingEnviron(Mapping[str, str]):
    """An environment that counts how often each name is looked up."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.reads: dict[str, int] = {}

    def __getitem__(self, name: str) -> str:
        self.reads[name] = self.reads.get(name, 0) + 1
        return self.values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def test_settings_read_each_variable_once():
    environ = CountingEnviron({
        "SITROOM_BATCH_SIZE": "8", "SITROOM_WORKERS": "3", "SITROOM_PARAPHRASE": "off", "SITROOM_TOKEN": "s3cret",
        "SITROOM_ALLOW_PRIVATE_ADDRESSES": "yes", "SITROOM_ALLOWED_HOSTS": "Monitor.Example, .ngo.test",
        "SITROOM_MAX_UPLOAD_MB": "0.5", "SITROOM_SERVE_WORKERS": "2", "SITROOM_SERVE_DB": "sqlite:///x.db",
        "SITROOM_SERVE_HOST": "0.0.0.0",
    })
    settings = Settings.from_env(environ)
    assert settings == Settings(
        batch_size=8, workers=3, paraphrase=False, token="s3cret", allow_private_addresses=True,
        allowed_hosts=("monitor.example", ".ngo.test"), max_upload_bytes=MB // 2, serve_workers=2,
        serve_db="sqlite:///x.db", serve_host="0.0.0.0",
    )
    names = {v.name for v in VARIABLES} | {v.old_name for v in VARIABLES if v.old_name}
    assert environ.reads == dict.fromkeys(names, 1)


def test_settings_defaults_when_nothing_is_set():
    settings = Settings.from_env({})
    assert settings == Settings(workers=usable_cores())
    assert Settings.from_env({"SITROOM_WORKERS": "0", "SITROOM_TOKEN": ""}).workers == usable_cores()  # 0 and empty: the default
    assert settings.api_settings() == ApiSettings()


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("SITROOM_MAX_UPLOAD_MB", "abc", "a size in megabytes above 0"),
        ("SITROOM_MAX_UPLOAD_MB", "-3", "a size in megabytes above 0"),
        ("SITROOM_MAX_UPLOAD_MB", "inf", "a size in megabytes above 0"),
        ("SITROOM_BATCH_SIZE", "0", "1 or more"),
        ("SITROOM_BATCH_SIZE", "2.5", "a whole number"),
        ("SITROOM_WORKERS", "-1", "0 or more"),
        ("SITROOM_WORKERS", "many", "a whole number"),
        ("SITROOM_PARAPHRASE", "maybe", "give 1"),
        ("SITROOM_ALLOW_PRIVATE_ADDRESSES", "2", "give 1"),
        ("SITROOM_ALLOWED_HOSTS", "https://monitor.example.org", "without scheme, port or path"),
        ("SITROOM_ALLOWED_HOSTS", "monitor.example.org:8000", "without scheme, port or path"),
        ("SITROOM_SERVE_WORKERS", "0", "1 or more"),
    ],
)
def test_a_bad_value_names_the_variable_the_value_and_what_is_allowed(name, value, allowed):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({name: value})
    message = str(info.value)
    assert message.startswith(f"{name}={value!r} is not allowed: ")
    assert allowed in message and "unset it for the default" in message
    assert "\n" not in message


def test_the_old_private_urls_name_still_works_and_names_the_new_one(caplog):
    with caplog.at_level(logging.WARNING, logger="sitroom.config"):
        settings = Settings.from_env({"SITROOM_ALLOW_PRIVATE_URLS": "1"})
    assert settings.allow_private_addresses
    assert caplog.messages == [
        "sitroom: SITROOM_ALLOW_PRIVATE_URLS is deprecated: set SITROOM_ALLOW_PRIVATE_ADDRESSES instead "
        "(one name for the CLI and the API)"
    ]
    with pytest.raises(ConfigError, match=r"^SITROOM_ALLOW_PRIVATE_URLS='perhaps' is not allowed"):
        Settings.from_env({"SITROOM_ALLOW_PRIVATE_URLS": "perhaps"})


def test_the_new_private_addresses_name_wins_over_the_old_one(caplog):
    with caplog.at_level(logging.WARNING, logger="sitroom.config"):
        settings = Settings.from_env({"SITROOM_ALLOW_PRIVATE_URLS": "1", "SITROOM_ALLOW_PRIVATE_ADDRESSES": "0"})
    assert not settings.allow_private_addresses
    assert "SITROOM_ALLOW_PRIVATE_URLS is ignored because SITROOM_ALLOW_PRIVATE_ADDRESSES is set" in caplog.text


def test_one_private_address_policy_for_the_cli_and_the_api():
    settings = Settings.from_env({"SITROOM_ALLOW_PRIVATE_ADDRESSES": "1", "SITROOM_MAX_UPLOAD_MB": "2"})
    api = settings.api_settings(host="0.0.0.0")
    assert settings.ingest_limits().allow_private_addresses  # what `sitroom ingest URL` and `sitroom watch` fetch under
    assert api.allow_private_addresses and api.host == "0.0.0.0" and api.max_upload_bytes == 2 * MB
    assert api.ingest_limits().allow_private_addresses and api.ingest_limits().max_bytes == 2 * MB  # POST /api/ingest


def test_api_settings_from_env_is_the_view_of_settings(monkeypatch):
    monkeypatch.setenv("SITROOM_TOKEN", "tok")
    monkeypatch.setenv("SITROOM_MAX_UPLOAD_MB", "abc")
    with pytest.raises(ConfigError, match="SITROOM_MAX_UPLOAD_MB='abc'"):
        ApiSettings.from_env()
    monkeypatch.setenv("SITROOM_MAX_UPLOAD_MB", "1")
    assert ApiSettings.from_env(host="::1") == ApiSettings(token="tok", host="::1", max_upload_bytes=MB)


def test_settings_built_in_code_are_validated_too():
    with pytest.raises(ConfigError, match="batch_size"):
        Settings(batch_size=0)
    with pytest.raises(ConfigError, match="must be positive"):
        ApiSettings(max_upload_bytes=0)


# -- the CLI, as a user runs it ------------------------------------------------------------------


def _sitroom(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SITROOM_") or k == "SITROOM_GAZETTEER"}
    return subprocess.run([sys.executable, "-m", "sitroom.cli", *args], cwd=cwd, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize("command", [["ingest", "missing.txt"], ["serve", "--port", "1"]])
def test_cli_reports_a_bad_value_in_one_line(command, tmp_path):
    result = _sitroom(*command, "--db", str(tmp_path / "s.db"), env={"SITROOM_MAX_UPLOAD_MB": "abc"}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "sitroom: SITROOM_MAX_UPLOAD_MB='abc' is not allowed: give a size in megabytes above 0, "
        "e.g. SITROOM_MAX_UPLOAD_MB=20; or unset it for the default (20)\n"
    )
    assert not (tmp_path / "s.db").exists()  # refused before the store is opened


def test_cli_tells_the_old_name_is_deprecated(tmp_path):
    result = _sitroom("ingest", "missing.txt", "--db", str(tmp_path / "s.db"), env={"SITROOM_ALLOW_PRIVATE_URLS": "1"}, cwd=tmp_path)
    assert result.stderr.splitlines()[0] == (
        "sitroom: SITROOM_ALLOW_PRIVATE_URLS is deprecated: set SITROOM_ALLOW_PRIVATE_ADDRESSES instead "
        "(one name for the CLI and the API)"
    )
    assert "no such file or folder" in result.stderr  # and the command ran on


# -- one reader, documented ---------------------------------------------------------------------

# Paths read where they are used (config.py's docstring says why); any other reader is a second one.
READ_AT_USE = {"SITROOM_DB", "SITROOM_CACHE", "SITROOM_GAZETTEER"}
_ENV_READ = re.compile(r"""(?:environ\.get\(|environ\[|getenv\(|envvar=)\s*["'](SITROOM_\w+)""")


def test_only_config_reads_sitroom_variables():
    readers = {
        (path.relative_to(SRC).as_posix(), name)
        for path in SRC.rglob("*.py") if path.name != "config.py"
        for name in _ENV_READ.findall(path.read_text(encoding="utf-8"))
    }
    assert {name for _, name in readers} <= READ_AT_USE, sorted(readers)


def test_config_imports_no_stage():
    tree = ast.parse((SRC / "config.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert {m for m in imported if m.startswith("sitroom")} == {"sitroom.errors"}


def test_every_variable_is_documented():
    table = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    names = {v.name for v in VARIABLES} | {v.old_name for v in VARIABLES if v.old_name} | READ_AT_USE
    assert {n for n in names if f"`{n}`" not in table} == set()
