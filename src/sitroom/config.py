"""Settings with defaults, overridable by environment variables, validated on load."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sitroom.errors import ConfigError


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a whole number; unset it or give e.g. {name}={default}") from exc
    if value < 0:
        raise ConfigError(f"{name} must not be negative (got {value})")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """Run-wide settings; `Settings.from_env()` reads the SITROOM_* variables."""

    batch_size: int = 64  # articles per store transaction
    workers: int = 1  # processes for extraction (1 = in-process); from_env defaults to the usable cores
    paraphrase: bool = True  # sentence embeddings for paraphrase detection
    token: str | None = None  # SITROOM_TOKEN: bearer token for API writes
    allow_private_urls: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> "Settings":
        """Settings from SITROOM_BATCH_SIZE, SITROOM_WORKERS, SITROOM_PARAPHRASE, SITROOM_TOKEN, SITROOM_ALLOW_PRIVATE_URLS."""
        from sitroom.runners.pool import usable_cores

        batch = _int_env("SITROOM_BATCH_SIZE", 64)
        if batch == 0:
            raise ConfigError("SITROOM_BATCH_SIZE must be at least 1")
        return cls(
            batch_size=batch,
            workers=_int_env("SITROOM_WORKERS", 0) or usable_cores(),
            paraphrase=os.environ.get("SITROOM_PARAPHRASE", "1") not in ("0", "false", "no"),
            token=os.environ.get("SITROOM_TOKEN") or None,
            allow_private_urls=os.environ.get("SITROOM_ALLOW_PRIVATE_URLS", "0") in ("1", "true", "yes"),
        )
