"""Load a GeoNames dump a user downloaded (allCountries.txt, SY.txt, or their .zip) into the user gazetteer.

The built-in index stops at towns of 500 people; villages and city neighbourhoods, where much of a
war happens, are only in the full dumps. The dump is streamed line by line (allCountries is 1.5 GB)
and written in batches, so memory stays bounded.
"""

from __future__ import annotations

import io
import logging
import lzma
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitroom.errors import InputError

from .build import kind_of
from .tables import INDEXES, connect_writable, is_famous, keep_alternate, name_rows, user_gazetteer_path

log = logging.getLogger(__name__)

BATCH = 5_000


@contextmanager
def _open_lines(path: Path) -> Iterator[Iterator[str]]:
    """The text lines of a dump (plain or .xz), or of the first .txt inside a .zip (skipping readme files)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if m.endswith(".txt") and "readme" not in m.lower()]
            if not members:
                raise InputError(f"{path} holds no GeoNames .txt file: pass allCountries.zip or XX.zip", origin=str(path))
            with zf.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
    elif path.suffix == ".xz":
        with lzma.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            yield fh
    else:
        with path.open(encoding="utf-8", errors="replace") as fh:
            yield fh


@dataclass(frozen=True, slots=True)
class DumpStats:
    """What loading one dump did: places loaded, malformed lines skipped."""

    loaded: int
    skipped: int


def load_dump(path: str | Path, *, into: Path | None = None) -> int:
    """Add a GeoNames dump's places (classes P, A, S) to the user gazetteer; return how many were loaded."""
    return load_dump_stats(path, into=into).loaded


def load_dump_stats(path: str | Path, *, into: Path | None = None) -> DumpStats:
    """Like `load_dump`, also counting the malformed lines skipped. Re-loading replaces earlier rows."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist: download a dump from GeoNames' export/dump folder", origin=str(path))
    target = into or user_gazetteer_path()
    conn = connect_writable(target)
    # Re-loads delete a place's old names by pid; without this index each delete scans the table.
    conn.execute("CREATE INDEX IF NOT EXISTS names_pid ON names (pid)")
    loaded = bad = 0
    places: list[tuple] = []
    names: list[tuple] = []
    admin1: list[tuple] = []
    try:
        with _open_lines(path) as lines:
            for line in lines:
                row = _parse(line)
                if row is None:
                    if line.strip() and not line.startswith("#"):
                        bad += 1
                    continue
                gid, name, alts, lat, lon, fclass, fcode, cc, a1, a2, population = row
                kind = kind_of(fclass, fcode, population)
                if kind is None:
                    continue
                places.append((gid, gid, name, cc or None, a1 or None, lat, lon, population, kind, fcode or None,
                               a2 or None, "user"))
                usable = [a for a in alts if keep_alternate(a)]
                names.extend(name_rows(gid, [name, *usable], name, country=cc or None, famous=is_famous(kind, population)))
                if kind == "admin1" and cc and a1:
                    admin1.append((cc, a1, name))
                loaded += 1
                if len(places) >= BATCH:
                    _flush(conn, places, names, admin1)
            _flush(conn, places, names, admin1)
        conn.executescript(INDEXES)
        conn.commit()
    finally:
        conn.close()
    if bad:
        log.warning("skipped %d malformed lines in %s", bad, path)
    return DumpStats(loaded, bad)


def _parse(line: str) -> tuple | None:
    """One dump line as (id, name, alternates, lat, lon, class, code, country, admin1, admin2, population)."""
    cols = line.rstrip("\r\n").split("\t")
    if len(cols) < 15:
        return None
    try:
        gid = int(cols[0])
        lat, lon = float(cols[4]), float(cols[5])
        population = int(cols[14] or 0)
    except ValueError:
        return None
    if not cols[1] or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    alts = [a for a in cols[3].split(",") if a] if cols[3] else []
    if cols[2] and cols[2] != cols[1]:
        alts.append(cols[2])  # the ASCII name is a spelling reports use
    return gid, cols[1], alts, lat, lon, cols[6], cols[7], cols[8], cols[10], cols[11], population


def _flush(conn: sqlite3.Connection, places: list, names: list, admin1: list) -> None:
    """Write one batch in one transaction, replacing earlier loads of the same places."""
    with conn:
        conn.executemany("DELETE FROM names WHERE pid = ?", [(p[0],) for p in places])
        conn.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
        conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?,?,?,?,?)", names)
        conn.executemany("INSERT OR REPLACE INTO admin1 VALUES (?,?,?)", admin1)
    places.clear()
    names.clear()
    admin1.clear()
