"""The heaviest reads of the UI's pages, kept per server process until the store's records change.

The home and events pages ask for the same listings and maps again and again (the events page's
map of a filter, its first page newest first), and at 100,000 events each costs tens of
milliseconds of queries and JSON. An answer is kept under its route and parameters together with
the store's `records_version()` (the newest entry of its change log: every save that writes,
changes or removes an event, story or ceasefire logs it) and served again while the version is
what it was. The version is read before the answer is made, so an entry never holds records older
than its version; a write that lands in between only makes the next request build it again.
A store without a version (None) is never cached.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable

from starlette.responses import Response

from sitroom.store.base import Store

MAX_ENTRIES = 64  # a few dozen pages and maps: at most ~30 MB of JSON per process


class ResponseCache:
    """A small LRU of response bodies, each valid for one records version of the store."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[Hashable, tuple[int, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.hits = self.misses = 0

    def response(self, store: Store, key: Hashable, make: Callable[[], Response]) -> Response:
        """The kept answer for `key` when the store has not changed since it was made, else `make()` (kept)."""
        version = store.records_version()
        if version is None:
            return make()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return Response(hit[1], media_type=hit[2])
        made = make()
        if made.status_code == 200:
            with self._lock:
                self.misses += 1
                self._entries[key] = (version, bytes(made.body), made.media_type or "application/json")
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return made


_CACHES: weakref.WeakKeyDictionary[Store, ResponseCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def cache_of(store: Store) -> ResponseCache:
    """The response cache of this store (one per store object, made on first use)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            cache = _CACHES[store] = ResponseCache()
        return cache
