"""A scale set: a real store's corpus layer replicated K times into one SQLite store (`incremental.py --copies K`).

Ingesting 100,000 real texts through the CLI takes most of a day on two cores; the cost of one more
article depends on what the corpus layer's tables hold, not on how they got there. So the rows of a
store built by real ingest (`incremental.py --size N`) are copied K-1 more times, each copy a store of
distinct articles as the layer sees them:

* every id (articles, reports, events, stories, duplicate groups, ceasefires, aliases) gets a copy
  suffix, in its own column and wherever it is quoted inside a JSON payload (analyses, reports,
  records), so a copy's events cite the copy's reports and articles;
* every date ("YYYY-MM-DD", in the date columns and quoted in payloads) moves back 7 days per copy:
  K copies cover K weeks more than the base, as a store that kept growing for that long would, so a
  report's blocking window holds a few copies of each stored neighbour, not all K; the stored fusion
  profiles are rewritten alike (their ids and dates), so a copy's report is another week's event;
* the duplicate index's keys are salted per copy (sentence digests, MinHash band keys, unit and
  group ids), so no copy's sentence is an exact or near copy of another copy's: how the index
  grows with distinct texts; sentence vectors are kept (candidates come from the band keys);
* texts are kept as they are, so the full-text index's posting lists grow K-fold: more than distinct
  texts would give for rare words, about what they give for common ones (the pessimistic side).

Not copied: the change log (`record_changes`), which the corpus update only appends to; the events'
search and map indexes are written by the events' own triggers, as ingest writes them. The store is then one a user could have: `sitroom ingest` runs on it.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sitroom.corpus import profiles

SHIFT_DAYS = 7  # per copy
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
ID_TABLES = {"articles": "id", "reports": "id", "events": "id", "stories": "id", "duplicates": "id", "ceasefires": "id"}
DATE_COLUMNS = {"published", "date_lo", "date_hi", "date", "last_date"}
# Tables of ids, keys and blobs alone, copied in SQL (most of the rows: a copy's band keys are 85% of
# them); :sfx is the copy's id suffix, :off its unit id offset, :salt its band key salt (XOR as
# OR minus AND), :shift its date modifier, :roff its search document rowid offset.
SQL_COPIES = {
    "dup_bands": ('"key", unit_id', '("key" | :salt) - ("key" & :salt), unit_id + :off'),
    "dup_units": ("id, digest, norm, words, first_article, spans, near_group, all_group",
                  "id + :off, digest || :sfx, norm, words, first_article || :sfx, spans, near_group + :off, all_group + :off"),
    "dup_sentences": ("article_id, idx, start, stop, unit_id, cited", "article_id || :sfx, idx, start, stop, unit_id + :off, cited"),
    "dup_vectors": ("unit_id, vector", "unit_id + :off, vector"),
    "dup_pending": ("unit_a, unit_b, kind", "unit_a + :off, unit_b + :off, kind"),
    "dup_group_rows": ("all_group, row_id", "all_group + :off, row_id || :sfx"),
    "story_digests": ("article_id, title, heading, packed, published", "article_id || :sfx, title, heading, packed, date(published, :shift)"),
    "event_articles": ("event_id, article_id", "event_id || :sfx, article_id || :sfx"),
    "story_articles": ("story_id, article_id", "story_id || :sfx, article_id || :sfx"),
    "search_docs": ("rowid, kind, ref_id, title, body, folded", "rowid + :roff, kind, ref_id || :sfx, title, body, folded"),
}
# Unique digests (a sentence's), and content hashes (an unchanged text is skipped on re-ingest): per copy.
SALTED = {"dup_units": "digest", "articles": "content_hash"}
SKIPPED = {"record_changes", "alembic_version", "store_state", "event_terms"}  # event_terms: the events' trigger writes it


class Copier:
    """Turns one base row into copy `c`'s row: ids suffixed, dates shifted, index keys salted."""

    def __init__(self, ids: set[str], unit_offset: int, rowid_offsets: dict[str, int]) -> None:
        self.ids = ids
        self.unit_offset = unit_offset
        self.rowid_offsets = rowid_offsets
        self.c = 0
        self.salt = 0
        self._dates: dict[str, str] = {}

    def set_copy(self, c: int) -> None:
        self.c = c
        # Band keys are signed 64-bit: XOR keeps them in range (a constant odd multiplier per copy).
        self.salt = (c * 0x9E3779B97F4A7C15) & 0x7FFF_FFFF_FFFF_FFFF
        self._dates = {}

    def ident(self, value: str) -> str:
        return f"{value}-x{self.c}" if value in self.ids else value

    def day(self, value: str) -> str:
        if value not in self._dates:
            try:
                self._dates[value] = (date.fromisoformat(value) - timedelta(days=SHIFT_DAYS * self.c)).isoformat()
            except ValueError:
                self._dates[value] = value
        return self._dates[value]

    def payload(self, text: str) -> str:
        """A JSON text with every quoted id suffixed and every quoted date shifted."""

        def swap(m: re.Match) -> str:
            s = m.group(1)
            if s in self.ids:
                return f'"{s}-x{self.c}"'
            if len(s) == 10 and DATE.match(s):
                return f'"{self.day(s)}"'
            return m.group(0)

        return QUOTED.sub(swap, text)

    def remap(self, v: object) -> object:
        """A stored profile's part with ids suffixed and dates shifted (dataclasses and containers walked)."""
        if isinstance(v, str):
            return self.ident(v)
        if isinstance(v, date):
            return v - timedelta(days=SHIFT_DAYS * self.c)
        if isinstance(v, enum.Enum) or v is None or isinstance(v, (int, float)):
            return v
        if isinstance(v, (tuple, list, frozenset, set)):
            return type(v)(self.remap(x) for x in v)
        if isinstance(v, dict):
            return {self.remap(k): self.remap(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return dataclasses.replace(v, **{f.name: self.remap(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init})
        return v

    def value(self, table: str, column: str, v: object) -> object:
        if isinstance(v, bytes) and table == "reports" and column == "profile":
            return profiles.dump(self.remap(profiles.load(v)))  # type: ignore[arg-type]
        if isinstance(v, str):
            if column in DATE_COLUMNS and DATE.match(v):
                return self.day(v)
            if v in self.ids:
                return self.ident(v)
            if v[:1] in "{[" and column in ("payload", "analysis"):
                return self.payload(v)
            return v
        if isinstance(v, int) and not isinstance(v, bool):
            if table.startswith("dup_") and column in ("id", "unit_id", "unit_a", "unit_b", "near_group", "all_group"):
                return v + self.unit_offset * self.c
            if table == "dup_bands" and column == "key":
                return v ^ self.salt
            if column == "rowid" and table in self.rowid_offsets:
                return v + self.rowid_offsets[table] * self.c
        return v


def _tables(con: sqlite3.Connection) -> list[str]:
    """The plain tables to copy (not FTS5 shadows, R*Tree parts or what `SKIPPED` names)."""
    rows = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = {n for n, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")}
    shadows = {n for n, _ in rows for v in virtual if n.startswith(v + "_")}
    return [n for n, _ in rows if n not in virtual | shadows | SKIPPED]


def replicate(base: Path, out: Path, copies: int, progress: Callable[[str], None] = print) -> dict[str, int]:
    """Write `copies` copies of `base`'s rows (the base itself the first) into a new store at `out`."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(base) as con:  # what the write-ahead log holds goes into the file that is copied
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(base, out)  # schema, indexes, triggers and the first copy
    src = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    ids: set[str] = set()
    for table, column in ID_TABLES.items():
        ids.update(r[0] for r in src.execute(f'SELECT "{column}" FROM {table}'))
    ids.update(r[0] for r in src.execute("SELECT alias FROM record_aliases"))
    unit_offset = (src.execute("SELECT max(id) FROM dup_units").fetchone()[0] or 0) + 1
    tables = _tables(src)
    rowid_offsets = {}
    for t in tables:
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({t})")]
        if "rowid" in cols:
            rowid_offsets[t] = (src.execute(f"SELECT max(rowid) FROM {t}").fetchone()[0] or 0) + 1
    copier = Copier(ids, unit_offset, rowid_offsets)
    dst = sqlite3.connect(out)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = OFF")
    dst.execute("ATTACH DATABASE ? AS src", (str(base),))
    t0 = time.perf_counter()
    for c in range(1, copies):
        copier.set_copy(c)
        params = {"sfx": f"-x{c}", "off": unit_offset * c, "salt": copier.salt, "shift": f"-{SHIFT_DAYS * c} days",
                  "roff": rowid_offsets.get("search_docs", 0) * c}
        with dst:
            for t in tables:
                if t in SQL_COPIES:
                    names, values = SQL_COPIES[t]
                    dst.execute(f"INSERT INTO main.{t} ({names}) SELECT {values} FROM src.{t}", params)
                    continue
                cols = [r[1] for r in src.execute(f"PRAGMA table_info({t})")]
                names = ", ".join(f'"{col}"' for col in cols)
                insert = f"INSERT INTO main.{t} ({names}) VALUES ({', '.join('?' * len(cols))})"
                salted = SALTED.get(t)
                rows = ([f"{v}-x{c}" if col == salted else copier.value(t, col, v) for col, v in zip(cols, row)]
                        for row in src.execute(f"SELECT {names} FROM {t}"))
                dst.executemany(insert, rows)
        if c % 10 == 0 or c == copies - 1:
            progress(f"copy {c + 1}/{copies} written ({time.perf_counter() - t0:.0f} s)")
    counts = {t: dst.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "reports", "events", "stories", "dup_units")}
    dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dst.close()
    src.close()
    return counts

