"""One exception hierarchy for sitroom; every message says what to do next.

    SitroomError
    ├── ConfigError            a setting is missing or invalid
    ├── InputError             an input could not be read (the run skips it and records why)
    │   ├── UnsupportedInput   a file type or URL scheme sitroom does not read
    │   ├── InputTooLarge      over the configured size limit
    │   ├── UndecodableInput   binary, or text in no encoding we can decode
    │   ├── EmptyInput         no text left after cleaning
    │   ├── MalformedInput     a broken JSONL line, a bad feed
    │   └── FetchError         a URL that could not be fetched (refused, timed out, blocked)
    │       └── BlockedAddress a URL that resolves to a private, loopback or link-local address
    ├── PipelineError          stages declared in an order that cannot run
    ├── StoreError             the store could not be opened, migrated or written
    │   └── StaleResultsError  results computed from a snapshot that another writer has since changed
    ├── MissingExtra           an optional feature whose extra is not installed
    └── NotFound               an id that the store does not hold
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitroom.store.base import StoreSnapshot


class SitroomError(Exception):
    """Base class of every error sitroom raises on purpose."""


class ConfigError(SitroomError):
    """A setting is missing or invalid."""


class InputError(SitroomError):
    """An input could not be read; the run records it as a rejection and goes on.

    `reason` is the rejection's stored reason; a subclass names its own in its header
    (`class EmptyInput(InputError, reason="empty")`).
    """

    reason = "unreadable"

    def __init_subclass__(cls, reason: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if reason is not None:
            cls.reason = reason

    def __init__(self, message: str, *, origin: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.origin = origin
        self.detail = detail  # the underlying parser's or decoder's own words, shown after the reason


class UnsupportedInput(InputError, reason="unsupported"):
    """A file type or URL scheme sitroom does not read."""


class InputTooLarge(InputError, reason="too large"):
    """An input over the configured size limit."""


class UndecodableInput(InputError, reason="undecodable"):
    """Binary, or text in no encoding sitroom can decode."""


class EmptyInput(InputError, reason="empty"):
    """No text left after cleaning."""


class MalformedInput(InputError, reason="malformed"):
    """A broken JSONL line or a bad feed."""


class FetchError(InputError, reason="unreachable"):
    """A URL that could not be fetched (refused, timed out, blocked)."""


class BlockedAddress(FetchError, reason="blocked address"):
    """A URL that resolves to a private, loopback or link-local address."""


class PipelineError(SitroomError):
    """Stages declared in an order that cannot run."""


class StoreError(SitroomError):
    """The store could not be opened, migrated or written."""


class StaleResultsError(StoreError):
    """Results computed from a store snapshot that another writer changed since; nothing was written.

    `computed_from` and `current` are the snapshot the results were computed from and the store's
    state when they were to be saved.
    """

    def __init__(self, computed_from: StoreSnapshot, current: StoreSnapshot) -> None:
        super().__init__(
            f"the results were computed from {computed_from}, but another writer has changed the store since "
            f"(now {current}); nothing was written. Compute them again from a new snapshot, or run `sitroom rebuild`."
        )
        self.computed_from = computed_from
        self.current = current


class MissingExtra(SitroomError):
    """An optional feature was asked for but its extra is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs an optional extra: pip install 'sitroom[{extra}]'")
        self.extra = extra


class NotFound(SitroomError):
    """An id the store does not hold."""
