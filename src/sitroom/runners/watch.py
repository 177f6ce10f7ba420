"""`sitroom watch`: poll RSS/Atom feeds and ingest what is new, for as long as it runs.

Each poll is a conditional request (ETag / Last-Modified), so an unchanged feed costs one 304.
Items already processed are remembered by their article id, so a feed that ignores conditional
requests, or a watcher restarted after a crash or a kill, processes nothing twice. A feed that
fails is retried with exponential backoff (every x 2, x 4, ... up to a cap), and its first
failure in a row is recorded in the store as a rejection with its reason.

Per-feed state lives in a small JSON sidecar file next to the store (`<db>.watch.json`, or
`--state`), rewritten atomically after every poll and only after the poll's articles were
committed: a kill at any moment leaves either the old state (the next run re-reads the items and
the store's content hashes skip them) or the new one, never a torn file.

Every poll logs one JSON line (logger `sitroom.runners.watch`) saying what it did.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import httpx

from sitroom.config import IngestLimits, Settings
from sitroom.errors import ConfigError, InputError, StoreError
from sitroom.ingest import feeds, web
from sitroom.ingest.sources import feed_item_article_id
from sitroom.model import Rejection
from sitroom.runners.local import ingest_items
from sitroom.store.base import Store

log = logging.getLogger(__name__)

MAX_SEEN = 20_000  # item ids remembered per feed: far more than any feed lists at once
STATE_VERSION = 1


@dataclass
class FeedState:
    """What the watcher remembers about one feed between polls and across restarts."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)  # article ids of processed items, oldest first
    failures: int = 0  # consecutive failed polls
    next_poll: float = 0.0  # epoch seconds; 0 = poll now
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class PollResult:
    """One poll of one feed, as logged."""

    feed: str
    outcome: str  # "fetched" | "not_modified" | "error" | "waiting"
    items: int = 0
    new: int = 0
    stored: int = 0  # articles the store did not hold before
    skipped: int = 0  # new items rejected (no text, unreadable page, ...)
    failures: int = 0
    error: str | None = None
    next_poll: str | None = None  # ISO 8601, UTC

    def to_json(self) -> str:
        """The log line."""
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None}, ensure_ascii=False)


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'30s', '10m', '2h', '1d' (or a plain number of seconds) as seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"--every {text!r} is not a positive duration: use e.g. 30s, 10m, 2h or 1d")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def default_state_path(store_url: str) -> Path:
    """`<db file>.watch.json` next to a SQLite store; `./sitroom-watch.json` for a server store."""
    if store_url.startswith("sqlite:///") and store_url != "sqlite:///:memory:":
        return Path(store_url.removeprefix("sqlite:///") + ".watch.json")
    return Path("sitroom-watch.json")


class WatchState:
    """Per-feed states in a JSON file, written atomically (temp file, fsync, rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.feeds: dict[str, FeedState] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.feeds = {url: FeedState(**entry) for url, entry in data.get("feeds", {}).items()}
            except (OSError, ValueError, TypeError) as exc:
                raise ConfigError(
                    f"cannot read the watch state {path} ({exc}); move it aside to start afresh "
                    "(the store's content hashes still keep articles from being processed twice)"
                ) from exc

    def feed(self, url: str) -> FeedState:
        """The state of a feed, created on first use."""
        return self.feeds.setdefault(url, FeedState(url))

    def save(self) -> None:
        """Replace the file in one rename, so a kill never leaves it half-written."""
        payload = json.dumps(
            {"version": STATE_VERSION, "feeds": {u: asdict(s) for u, s in self.feeds.items()}}, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


@dataclass
class Watcher:
    """Polls feeds into a store; `run` loops, `poll_due` does one round."""

    feed_urls: Sequence[str]
    store: Store
    state: WatchState
    every: float = 600.0  # seconds between polls of a healthy feed
    max_backoff: float = 6 * 3600.0  # longest wait after repeated failures
    limits: IngestLimits = field(default_factory=IngestLimits)
    settings: Settings | None = None
    transport: httpx.BaseTransport | None = None
    resolver: web.Resolver | None = None
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if self.every <= 0:
            raise ConfigError("--every must be a positive duration, e.g. 10m")
        if not self.feed_urls:
            raise ConfigError("give at least one feed URL to watch")
        for url in self.feed_urls:
            if not url.lower().startswith(("http://", "https://")):
                raise ConfigError(f"{url} is not an http(s) feed URL; `sitroom watch` polls feeds over the web")
        self.max_backoff = max(self.max_backoff, self.every)

    def backoff(self, failures: int) -> float:
        """Seconds to wait after `failures` consecutive failures: every x 2^failures, capped."""
        return min(self.max_backoff, self.every * 2 ** min(failures, 30))

    def poll(self, url: str) -> PollResult:
        """Poll one feed now and ingest its new items; never raises for a bad feed or a busy store."""
        state = self.state.feed(url)
        try:
            fetcher = web.Fetcher(self.limits, self.transport, self.resolver)
            poll = feeds.poll_feed(url, fetcher, etag=state.etag, last_modified=state.last_modified)
            if poll.not_modified:
                result = PollResult(url, "not_modified")
            else:
                keyed = [(feed_item_article_id(i.link, i.id or None, i.title, i.published), i) for i in poll.items]
                seen = set(state.seen)
                fresh = [(key, item) for key, item in keyed if key not in seen]
                stored = skipped = 0
                if fresh:
                    before = self.store.counts()["articles"]
                    summary = ingest_items(
                        feeds.articles_from_items([item for _, item in fresh], feed_url=url, fetcher=fetcher),
                        self.store,
                        settings=self.settings,
                    )  # fmt: skip
                    stored, skipped = self.store.counts()["articles"] - before, len(summary.skipped)
                # Only now that the store has committed them are the items marked as processed.
                state.seen = (state.seen + list(dict.fromkeys(key for key, _ in fresh)))[-MAX_SEEN:]
                state.etag, state.last_modified = poll.etag, poll.last_modified
                result = PollResult(url, "fetched", items=len(keyed), new=len(fresh), stored=stored, skipped=skipped)
            state.failures, state.last_error = 0, None
            state.next_poll = self.clock() + self.every  # from the end of this poll: a long ingest never piles up polls
        except (InputError, StoreError) as exc:
            state.failures += 1
            state.last_error = str(exc)
            state.next_poll = self.clock() + self.backoff(state.failures)
            if state.failures == 1 and isinstance(exc, InputError):
                self._record(Rejection(origin=url, reason=str(exc), detail=exc.detail))
            result = PollResult(url, "error", failures=state.failures, error=str(exc))
        self.state.save()
        result = _with_next(result, state)
        (log.warning if result.outcome == "error" else log.info)(result.to_json())
        return result

    def _record(self, rejection: Rejection) -> None:
        """Store the first failure of a streak as a rejection (later ones are only logged)."""
        try:
            self.store.save_analyses([], [rejection])
        except StoreError as exc:
            log.warning(json.dumps({"feed": rejection.origin, "outcome": "error", "error": f"could not record: {exc}"}))

    def poll_due(self) -> list[PollResult]:
        """One round: poll every feed whose next poll time has come."""
        now = self.clock()
        return [self.poll(url) for url in self.feed_urls if self.state.feed(url).next_poll <= now]

    def run(self, *, rounds: int | None = None) -> list[PollResult]:
        """Poll round after round (`rounds` of them, or until interrupted), sleeping until a feed is due."""
        results: list[PollResult] = []
        done = 0
        while rounds is None or done < rounds:
            due = self.poll_due()
            results += due
            done += 1
            if rounds is not None and done >= rounds:
                break
            wake = min(self.state.feed(u).next_poll for u in self.feed_urls)
            self.sleep(max(0.0, min(wake - self.clock(), self.max_backoff)))
        return results

    def waiting(self) -> list[PollResult]:
        """A line for each feed not yet due (backing off), so a `--once` run says why it polled nothing."""
        now = self.clock()
        return [
            _with_next(PollResult(u, "waiting", failures=s.failures, error=s.last_error), s)
            for u in self.feed_urls
            if (s := self.state.feed(u)).next_poll > now
        ]


def _with_next(result: PollResult, state: FeedState) -> PollResult:
    """The result with the feed's next poll time filled in."""
    return replace(result, next_poll=_iso(state.next_poll))


def watch_feeds(
    feed_urls: Sequence[str],
    store: Store,
    *,
    every: float = 600.0,
    state_path: Path | None = None,
    rounds: int | None = None,
    max_backoff: float = 6 * 3600.0,
    limits: IngestLimits | None = None,
    settings: Settings | None = None,
    transport: httpx.BaseTransport | None = None,
    resolver: web.Resolver | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> list[PollResult]:
    """Watch feeds into `store`: `rounds=1` polls each due feed once (`--once`), None loops until interrupted."""
    settings = settings or Settings.from_env()
    watcher = Watcher(
        feed_urls=list(dict.fromkeys(feed_urls)),
        store=store,
        state=WatchState(state_path or default_state_path(store.url)),
        every=every,
        max_backoff=max_backoff,
        limits=limits or settings.ingest_limits(),
        settings=settings,
        transport=transport,
        resolver=resolver,
        clock=clock,
        sleep=sleep,
    )
    for line in watcher.waiting():
        log.info(line.to_json())
    return watcher.run(rounds=rounds)
