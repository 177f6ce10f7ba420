"""The duplicate index's tables (schema.dup_*), read and written inside a corpus session."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from sitroom.store import schema
from sitroom.store.chunked import chunks, delete_in, grouped_in, insert_all, mapping_in, rows_in


@dataclass(slots=True)
class UnitRow:
    """One exact-copy family of the duplicate index (see schema.dup_units)."""

    id: int
    digest: str
    norm: str
    words: int
    first_article: str
    spans: int
    near_group: int
    all_group: int


@dataclass(frozen=True, slots=True)
class SentenceRow:
    """A sentence of the duplicate index: where it is and which unit it belongs to."""

    article_id: str
    idx: int
    start: int
    stop: int
    unit_id: int
    cited: bool


class DuplicateTables:
    """The duplicate index's reads and writes (a part of `CorpusSession`)."""

    conn: Connection

    def units_by_digest(self, digests: Iterable[str]) -> dict[str, UnitRow]:
        """Units of these normalised-text digests."""
        return {u.digest: u for u in self._units_in(schema.dup_units.c.digest, digests)}

    def units(self, unit_ids: Iterable[int]) -> dict[int, UnitRow]:
        """These units."""
        return {u.id: u for u in self._units_in(schema.dup_units.c.id, unit_ids)}

    def _units_in(self, column: ColumnElement, ids: Iterable) -> list[UnitRow]:
        """The units whose `column` is one of `ids`."""
        t = schema.dup_units
        query = select(t.c.id, t.c.digest, t.c.norm, t.c.words, t.c.first_article, t.c.spans, t.c.near_group, t.c.all_group)
        return [UnitRow(*r) for r in rows_in(self.conn, query, column, ids)]

    def next_unit_id(self) -> int:
        """The id the next new unit gets."""
        return (self.conn.execute(select(func.max(schema.dup_units.c.id))).scalar() or 0) + 1

    def add_units(self, units: Sequence[UnitRow]) -> None:
        """Insert new units."""
        values = [
            {"id": u.id, "digest": u.digest, "norm": u.norm, "words": u.words, "first_article": u.first_article,
             "spans": u.spans, "near_group": u.near_group, "all_group": u.all_group}
            for u in units
        ]
        insert_all(self.conn, schema.dup_units, values)

    def mark_spanning(self, unit_ids: Iterable[int]) -> None:
        """These units now have members in two articles."""
        t = schema.dup_units
        for chunk in chunks(sorted(set(unit_ids))):
            self.conn.execute(update(t).where(t.c.id.in_(chunk)).values(spans=1))

    def relabel(self, column: str, renames: Mapping[int, int]) -> None:
        """Union-find relabels: every unit whose `column` group is a key now has the value's group."""
        t = schema.dup_units
        col = t.c[column]
        for old, new in renames.items():
            if old != new:
                self.conn.execute(update(t).where(col == old).values({column: new}))

    def add_sentences(self, rows: Sequence[SentenceRow]) -> None:
        """Insert sentences of the index."""
        values = [
            {"article_id": s.article_id, "idx": s.idx, "start": s.start, "stop": s.stop, "unit_id": s.unit_id, "cited": int(s.cited)}
            for s in rows
        ]
        insert_all(self.conn, schema.dup_sentences, values)

    def remove_sentences_of(self, article_ids: Sequence[str]) -> None:
        """Delete these articles' sentences from the index (their units and relations stay)."""
        t = schema.dup_sentences
        delete_in(self.conn, t, t.c.article_id, article_ids)

    def sentences_of_articles(self, article_ids: Iterable[str]) -> list[SentenceRow]:
        """The index's sentences of these articles."""
        return self._sentences_in(schema.dup_sentences.c.article_id, article_ids)

    def sentences_of_units(self, unit_ids: Iterable[int]) -> list[SentenceRow]:
        """The index's sentences that belong to these units."""
        return self._sentences_in(schema.dup_sentences.c.unit_id, unit_ids)

    def _sentences_in(self, column: ColumnElement, ids: Iterable) -> list[SentenceRow]:
        """The index's sentences whose `column` is one of `ids`."""
        rows = rows_in(self.conn, select(schema.dup_sentences), column, ids)
        return [SentenceRow(r.article_id, r.idx, r.start, r.stop, r.unit_id, bool(r.cited)) for r in rows]

    def units_in_groups(self, column: str, groups: Iterable[int]) -> list[UnitRow]:
        """Every unit of these groups (`near_group` or `all_group`)."""
        return self._units_in(schema.dup_units.c[column], groups)

    def units_by_band(self, keys: Iterable[int]) -> dict[int, list[int]]:
        """Band key -> units that carry it."""
        t = schema.dup_bands
        return grouped_in(self.conn, t.c.key, t.c.unit_id, keys)

    def add_bands(self, rows: Sequence[tuple[int, int]]) -> None:
        """Insert (band key, unit) rows."""
        insert_all(self.conn, schema.dup_bands, [{"key": k, "unit_id": u} for k, u in dict.fromkeys(rows)])

    def vectors(self, unit_ids: Iterable[int]) -> dict[int, bytes]:
        """Stored embeddings (float16 bytes) of these units."""
        t = schema.dup_vectors
        return mapping_in(self.conn, t.c.unit_id, t.c.vector, unit_ids)

    def add_vectors(self, vectors: Mapping[int, bytes]) -> None:
        """Insert embeddings of units that had none."""
        insert_all(self.conn, schema.dup_vectors, [{"unit_id": u, "vector": v} for u, v in vectors.items()])

    def pending_of(self, unit_ids: Iterable[int]) -> list[tuple[int, int, str]]:
        """Pending relations touching these units, each removed as it is read."""
        t = schema.dup_pending
        out: list[tuple[int, int, str]] = []
        for chunk in chunks(sorted(set(unit_ids))):  # a relation read with one chunk is gone for the next
            cond = or_(t.c.unit_a.in_(chunk), t.c.unit_b.in_(chunk))
            out += [(r.unit_a, r.unit_b, r.kind) for r in self.conn.execute(select(t).where(cond))]
            self.conn.execute(delete(t).where(cond))
        return out

    def add_pending(self, rows: Iterable[tuple[int, int, str]]) -> None:
        """Remember relations between units that so far lie in one article (first kind seen wins)."""
        t = schema.dup_pending
        wanted = {(min(a, b), max(a, b)): k for a, b, k in rows}
        if not wanted:
            return
        existing: set[tuple[int, int]] = set()
        for chunk in chunks(sorted(wanted)):
            lo = [a for a, _ in chunk]
            for r in self.conn.execute(select(t.c.unit_a, t.c.unit_b).where(t.c.unit_a.in_(lo))):
                existing.add((r.unit_a, r.unit_b))
        values = [{"unit_a": a, "unit_b": b, "kind": k} for (a, b), k in sorted(wanted.items()) if (a, b) not in existing]
        insert_all(self.conn, t, values)

    def replace_duplicates(self, rows: Iterable[dict], removed_ids: Iterable[str]) -> None:
        """Write duplicate-group rows (id = digest of the group) and drop the groups they replace."""
        t = schema.duplicates
        delete_in(self.conn, t, t.c.id, removed_ids)
        values = list(rows)
        delete_in(self.conn, t, t.c.id, {v["id"] for v in values})
        unique: dict[str, dict] = {}
        for v in values:
            unique.setdefault(v["id"], v)  # the first row of a repeated group is the one written
        insert_all(self.conn, t, list(unique.values()))

    def duplicate_ids_of_groups(self, groups: Iterable[int]) -> list[str]:
        """Ids of stored duplicate rows made from these `all_group`s (kept in `dup_group_rows`)."""
        t = schema.dup_group_rows
        groups = set(groups)
        out = [r.row_id for r in rows_in(self.conn, select(t.c.row_id), t.c.all_group, groups)]
        delete_in(self.conn, t, t.c.all_group, groups)
        return out

    def note_group_rows(self, rows: Iterable[tuple[int, str]]) -> None:
        """Remember which duplicate row each group wrote."""
        insert_all(self.conn, schema.dup_group_rows, [{"all_group": g, "row_id": r} for g, r in dict.fromkeys(rows)])

