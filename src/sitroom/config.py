"""Settings: every SITROOM_* variable read once, here, and validated when it is read.

`Settings.from_env()` reads the variables of `VARIABLES` (docs/architecture.md lists them; a
test keeps the two in step) and raises ConfigError naming the variable, its value and what it
allows. The stages that need only part of it take a view: `Settings.api_settings(host)` is what
the HTTP API guards (`ApiSettings`), `Settings.ingest_limits()` the caps on reading and fetching
(`IngestLimits`). This module imports nothing of sitroom but its errors, so every stage may import it.

Three path variables are read where the path is used, as they name a location, not a setting
that can be wrong: SITROOM_DB (store/__init__.py), SITROOM_CACHE and SITROOM_GAZETTEER
(gazetteer/tables.py).
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sitroom.errors import ConfigError

log = logging.getLogger(__name__)

MB = 1024 * 1024
# How `sitroom serve --workers N` tells each worker process which store to open and where it is bound.
SERVE_DB_VAR = "SITROOM_SERVE_DB"
SERVE_HOST_VAR = "SITROOM_SERVE_HOST"


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """Caps that keep one bad or hostile input from exhausting memory, time or the network."""

    max_bytes: int = 20 * MB  # per article or file
    max_jsonl_line: int = 5 * MB
    fetch_timeout: float = 20.0  # seconds, for one whole fetch including redirects
    max_redirects: int = 5
    max_fetch_bytes: int = 10 * MB  # decoded (decompressed) bytes of one response
    allow_private_addresses: bool = False

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_jsonl_line", "max_fetch_bytes"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"ingest limit {name} must be a positive number of bytes")
        if self.fetch_timeout <= 0:
            raise ConfigError("ingest limit fetch_timeout must be a positive number of seconds")
        if self.max_redirects < 0:
            raise ConfigError("ingest limit max_redirects must be 0 or more")


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """How the API guards writes and fetches: the API's view of `Settings` plus the address it is bound to."""

    token: str | None = None
    host: str = "127.0.0.1"  # the address the server is bound to: decides tokenless writes
    allow_private_addresses: bool = False  # let URL ingest reach private/loopback/link-local hosts
    max_upload_bytes: int = 20 * MB  # per request: a JSON body or all uploaded files together
    max_urls: int = 50  # per ingest request
    fetch_timeout: float = 20.0  # seconds per URL
    # Host names this server answers to besides loopback names and `host` (SITROOM_ALLOWED_HOSTS):
    # exact names, ".example.org" for a domain and its subdomains, or "*" for any (no DNS-rebinding guard).
    allowed_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.max_upload_bytes <= 0 or self.max_urls <= 0 or self.fetch_timeout <= 0:
            raise ConfigError("ApiSettings limits (max_upload_bytes, max_urls, fetch_timeout) must be positive")

    @classmethod
    def from_env(cls, host: str = "127.0.0.1", **overrides) -> ApiSettings:
        """The API's view of `Settings.from_env()`, bound to `host`."""
        return Settings.from_env().api_settings(host, **overrides)

    def ingest_limits(self) -> IngestLimits:
        """The caps an ingest request runs under: this server's fetch policy and upload size."""
        return IngestLimits(
            allow_private_addresses=self.allow_private_addresses, fetch_timeout=self.fetch_timeout, max_bytes=self.max_upload_bytes
        )


@dataclass(frozen=True, slots=True)
class Settings:
    """Run-wide settings; `Settings.from_env()` fills them from the SITROOM_* variables."""

    batch_size: int = 64  # articles per store transaction
    workers: int = 1  # processes for extraction (1 = in-process); from_env defaults to the usable cores
    paraphrase: bool = True  # sentence embeddings for paraphrase detection
    token: str | None = None  # bearer token for API writes
    allow_private_addresses: bool = False  # let URL ingest (CLI and API) reach private/loopback/link-local hosts
    allowed_hosts: tuple[str, ...] = ()  # host names the API answers to besides loopback and its bound address
    max_upload_bytes: int = 20 * MB  # the API's cap on one request body
    serve_workers: int | None = None  # `sitroom serve` processes; None: the usable cores, at most 4
    serve_db: str | None = None  # the store a `serve --workers N` worker opens (None: $SITROOM_DB, migrated)
    serve_host: str = "127.0.0.1"  # the address a `serve --workers N` worker is bound to

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ConfigError(f"Settings.batch_size must be at least 1 (got {self.batch_size})")
        if self.workers < 1:
            raise ConfigError(f"Settings.workers must be at least 1 (got {self.workers})")
        if self.max_upload_bytes <= 0:
            raise ConfigError(f"Settings.max_upload_bytes must be positive (got {self.max_upload_bytes})")
        if self.serve_workers is not None and self.serve_workers < 1:
            raise ConfigError(f"Settings.serve_workers must be at least 1 (got {self.serve_workers})")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the SITROOM_* variables of `VARIABLES`; raises ConfigError with the fix for a bad value."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}  # each value as its variable's `read` parsed it, of its field's type
        for variable in VARIABLES:
            name, raw = variable.lookup(environ)
            if raw is None:
                continue
            try:
                values[variable.setting] = variable.read(raw)
            except ValueError:
                raise ConfigError(variable.complaint(name, raw)) from None
        if not values.get("workers"):  # unset or 0
            values["workers"] = usable_cores()
        return cls(**values)

    def api_settings(self, host: str = "127.0.0.1", **overrides) -> ApiSettings:
        """The API's view: its token, hosts, upload cap and fetch policy, for a server bound to `host`."""
        values: dict = {
            "token": self.token,
            "host": host,
            "allow_private_addresses": self.allow_private_addresses,
            "allowed_hosts": self.allowed_hosts,
            "max_upload_bytes": self.max_upload_bytes,
        }
        return ApiSettings(**{**values, **overrides})

    def ingest_limits(self, **overrides) -> IngestLimits:
        """The readers' view: the default caps, with this run's private-address policy."""
        return IngestLimits(**{"allow_private_addresses": self.allow_private_addresses, **overrides})


# -- reading the variables ---------------------------------------------------------------------
# Each reader raises ValueError for text it does not allow; `Variable.complaint` says what is allowed.


def _whole_number(minimum: int) -> Callable[[str], int]:
    def read(text: str) -> int:
        value = int(text.strip())
        if value < minimum:
            raise ValueError(text)
        return value

    return read


_ON, _OFF = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})


def _switch(text: str) -> bool:
    word = text.strip().lower()
    if word not in _ON | _OFF:
        raise ValueError(text)
    return word in _ON


def _megabytes(text: str) -> int:
    value = float(text.strip())
    if not math.isfinite(value) or int(value * MB) <= 0:
        raise ValueError(text)
    return int(value * MB)


# A port never matches: the Host check compares names without it.
_NAME_WITH_PORT = re.compile(r"[^:\[\]]+:\d*")


def _host_names(text: str) -> tuple[str, ...]:
    names = tuple(h.strip().lower() for h in text.split(",") if h.strip())
    if any("/" in n or " " in n or _NAME_WITH_PORT.fullmatch(n) for n in names):
        raise ValueError(text)
    return names


def _text(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Variable:
    """One SITROOM_* variable: the setting it fills, how its text is read, and what it allows."""

    name: str
    setting: str  # the Settings field
    read: Callable[[str], object]
    allowed: str  # for the error message: what the value may be
    default: str  # for the error message: what unsetting it gives
    old_name: str | None = None  # a deprecated name still read when `name` is unset

    def lookup(self, environ: Mapping[str, str]) -> tuple[str, str | None]:
        """(the name it was found under, its text), or (name, None) when unset or empty; warns on the old name."""
        raw = environ.get(self.name) or None
        if self.old_name is None:
            return self.name, raw
        old = environ.get(self.old_name) or None
        if old is None:
            return self.name, raw
        message = f"{self.old_name} is deprecated: set {self.name} instead (one name for the CLI and the API)"
        if raw is not None:
            message += f"; {self.old_name} is ignored because {self.name} is set"
        # A log line, not a DeprecationWarning: a variable is set by whoever runs sitroom, and Python
        # hides DeprecationWarnings from them (outside __main__); this reaches stderr either way.
        log.warning("sitroom: %s", message)
        return (self.name, raw) if raw is not None else (self.old_name, old)

    def complaint(self, name: str, raw: str) -> str:
        """The one-line ConfigError message for a value that is not allowed."""
        return f"{name}={raw!r} is not allowed: {self.allowed}; or unset it for the default ({self.default})"


VARIABLES: tuple[Variable, ...] = (
    Variable("SITROOM_BATCH_SIZE", "batch_size", _whole_number(1),
             "give a whole number of articles per transaction, 1 or more, e.g. SITROOM_BATCH_SIZE=64", "64"),
    Variable("SITROOM_WORKERS", "workers", _whole_number(0),
             "give a whole number of processes, 0 or more, e.g. SITROOM_WORKERS=4 (1 = in-process, 0 = the usable cores)",
             "the usable cores"),
    Variable("SITROOM_PARAPHRASE", "paraphrase", _switch,
             "give 1 to compare sentences as paraphrases or 0 to skip it (also true/false, yes/no, on/off)", "1"),
    Variable("SITROOM_TOKEN", "token", _text, "any text", "no token: writes only from this machine"),
    Variable("SITROOM_ALLOW_PRIVATE_ADDRESSES", "allow_private_addresses", _switch,
             "give 1 to let URL ingest reach private, loopback and link-local hosts, or 0 to refuse them "
             "(also true/false, yes/no, on/off)", "0", old_name="SITROOM_ALLOW_PRIVATE_URLS"),
    Variable("SITROOM_ALLOWED_HOSTS", "allowed_hosts", _host_names,
             "give host names without scheme, port or path, comma-separated, e.g. "
             "SITROOM_ALLOWED_HOSTS=monitor.example.org,.ngo.test ('.ngo.test' for a domain, '*' for any)", "none"),
    Variable("SITROOM_MAX_UPLOAD_MB", "max_upload_bytes", _megabytes,
             "give a size in megabytes above 0, e.g. SITROOM_MAX_UPLOAD_MB=20", "20"),
    Variable("SITROOM_SERVE_WORKERS", "serve_workers", _whole_number(1),
             "give a whole number of server processes, 1 or more, e.g. SITROOM_SERVE_WORKERS=2",
             "the usable cores, at most 4"),
    Variable(SERVE_DB_VAR, "serve_db", _text, "a store URL or SQLite path", "$SITROOM_DB or ./sitroom.db"),
    Variable(SERVE_HOST_VAR, "serve_host", _text, "the address the server is bound to", "127.0.0.1"),
)
