"""Statements over many ids, a chunk of ids at a time: every backend's way to read and write by id.

One `IN (...)` list per statement stays under SQLite's limit on bound variables; PostgreSQL takes
the same chunks. Ids are sorted (and made distinct) before chunking where rows are read back, so a
read gives its rows in the same order whatever order the ids came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, insert, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql import Select

CHUNK = 500  # ids per IN (...) clause: well under SQLite's variable limit


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """`items` in slices of at most `size`."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def rows_in(conn: Connection, query: Select, column: ColumnElement, ids: Iterable) -> Iterator[Row]:
    """The rows of `query` whose `column` is one of `ids`, chunk by chunk in sorted id order."""
    for chunk in chunks(sorted(set(ids))):
        yield from conn.execute(query.where(column.in_(chunk)))


def mapping_in(conn: Connection, key: ColumnElement, value: ColumnElement, ids: Iterable) -> dict[Any, Any]:
    """`{key: value}` of the rows whose `key` is one of `ids` (absent ids are omitted)."""
    return {r[0]: r[1] for r in rows_in(conn, select(key, value), key, ids)}


def grouped_in(conn: Connection, key: ColumnElement, value: ColumnElement, ids: Iterable) -> dict[Any, list]:
    """`{key: [value, ...]}` of the rows whose `key` is one of `ids`, values in the order read."""
    out: dict[Any, list] = {}
    for r in rows_in(conn, select(key, value), key, ids):
        out.setdefault(r[0], []).append(r[1])
    return out


def insert_all(conn: Connection, table: Table, values: Sequence[dict]) -> None:
    """Insert these rows, a chunk per statement (nothing for none)."""
    for chunk in chunks(values):
        conn.execute(insert(table), list(chunk))


def delete_in(conn: Connection, table: Table, column: ColumnElement, ids: Iterable, *where: ColumnElement) -> None:
    """Delete the rows of `table` whose `column` is one of `ids` (and that meet `where`)."""
    for chunk in chunks(sorted(set(ids))):
        conn.execute(delete(table).where(column.in_(chunk), *where))
