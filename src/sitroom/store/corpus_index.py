"""The duplicate index's tables (schema.dup_*), read and written inside a corpus session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from sitroom.store import schema

_CHUNK = 500


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


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
        t = schema.dup_units
        out: dict[str, UnitRow] = {}
        for chunk in _chunks(sorted(set(digests))):
            out.update((u.digest, u) for u in self._unit_rows(t.c.digest.in_(chunk)))
        return out

    def units(self, unit_ids: Iterable[int]) -> dict[int, UnitRow]:
        """These units."""
        t = schema.dup_units
        out: dict[int, UnitRow] = {}
        for chunk in _chunks(sorted(set(unit_ids))):
            out.update((u.id, u) for u in self._unit_rows(t.c.id.in_(chunk)))
        return out

    def _unit_rows(self, where) -> list[UnitRow]:
        t = schema.dup_units
        return [UnitRow(*r) for r in self.conn.execute(
            select(t.c.id, t.c.digest, t.c.norm, t.c.words, t.c.first_article, t.c.spans, t.c.near_group, t.c.all_group).where(where)
        )]

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
        for chunk in _chunks(values):
            self.conn.execute(insert(schema.dup_units), list(chunk))

    def mark_spanning(self, unit_ids: Iterable[int]) -> None:
        """These units now have members in two articles."""
        t = schema.dup_units
        for chunk in _chunks(sorted(set(unit_ids))):
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
        for chunk in _chunks(values):
            self.conn.execute(insert(schema.dup_sentences), list(chunk))

    def remove_sentences_of(self, article_ids: Sequence[str]) -> None:
        """Delete these articles' sentences from the index (their units and relations stay)."""
        t = schema.dup_sentences
        for chunk in _chunks(sorted(set(article_ids))):
            self.conn.execute(delete(t).where(t.c.article_id.in_(chunk)))

    def sentences_of_articles(self, article_ids: Iterable[str]) -> list[SentenceRow]:
        """The index's sentences of these articles."""
        t = schema.dup_sentences
        out: list[SentenceRow] = []
        for chunk in _chunks(sorted(set(article_ids))):
            out += [SentenceRow(r.article_id, r.idx, r.start, r.stop, r.unit_id, bool(r.cited))
                    for r in self.conn.execute(select(t).where(t.c.article_id.in_(chunk)))]
        return out

    def sentences_of_units(self, unit_ids: Iterable[int]) -> list[SentenceRow]:
        """The index's sentences that belong to these units."""
        t = schema.dup_sentences
        out: list[SentenceRow] = []
        for chunk in _chunks(sorted(set(unit_ids))):
            out += [SentenceRow(r.article_id, r.idx, r.start, r.stop, r.unit_id, bool(r.cited))
                    for r in self.conn.execute(select(t).where(t.c.unit_id.in_(chunk)))]
        return out

    def units_in_groups(self, column: str, groups: Iterable[int]) -> list[UnitRow]:
        """Every unit of these groups (`near_group` or `all_group`)."""
        t = schema.dup_units
        out: list[UnitRow] = []
        for chunk in _chunks(sorted(set(groups))):
            out += self._unit_rows(t.c[column].in_(chunk))
        return out

    def units_by_band(self, keys: Iterable[int]) -> dict[int, list[int]]:
        """Band key -> units that carry it."""
        t = schema.dup_bands
        out: dict[int, list[int]] = {}
        for chunk in _chunks(sorted(set(keys))):
            for r in self.conn.execute(select(t.c.key, t.c.unit_id).where(t.c.key.in_(chunk))):
                out.setdefault(r.key, []).append(r.unit_id)
        return out

    def add_bands(self, rows: Sequence[tuple[int, int]]) -> None:
        """Insert (band key, unit) rows."""
        values = [{"key": k, "unit_id": u} for k, u in dict.fromkeys(rows)]
        for chunk in _chunks(values):
            self.conn.execute(insert(schema.dup_bands), list(chunk))

    def vectors(self, unit_ids: Iterable[int]) -> dict[int, bytes]:
        """Stored embeddings (float16 bytes) of these units."""
        t = schema.dup_vectors
        out: dict[int, bytes] = {}
        for chunk in _chunks(sorted(set(unit_ids))):
            out.update((r.unit_id, r.vector) for r in self.conn.execute(select(t).where(t.c.unit_id.in_(chunk))))
        return out

    def add_vectors(self, vectors: Mapping[int, bytes]) -> None:
        """Insert embeddings of units that had none."""
        values = [{"unit_id": u, "vector": v} for u, v in vectors.items()]
        for chunk in _chunks(values):
            self.conn.execute(insert(schema.dup_vectors), list(chunk))

    def pending_of(self, unit_ids: Iterable[int]) -> list[tuple[int, int, str]]:
        """Pending relations touching these units, each removed as it is read."""
        t = schema.dup_pending
        out: list[tuple[int, int, str]] = []
        for chunk in _chunks(sorted(set(unit_ids))):
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
        for chunk in _chunks(sorted(wanted)):
            lo = [a for a, _ in chunk]
            for r in self.conn.execute(select(t.c.unit_a, t.c.unit_b).where(t.c.unit_a.in_(lo))):
                existing.add((r.unit_a, r.unit_b))
        values = [{"unit_a": a, "unit_b": b, "kind": k} for (a, b), k in sorted(wanted.items()) if (a, b) not in existing]
        for chunk in _chunks(values):
            self.conn.execute(insert(t), list(chunk))

    def replace_duplicates(self, rows: Iterable[dict], removed_ids: Iterable[str]) -> None:
        """Write duplicate-group rows (id = digest of the group) and drop the groups they replace."""
        t = schema.duplicates
        for chunk in _chunks(sorted(set(removed_ids))):
            self.conn.execute(delete(t).where(t.c.id.in_(chunk)))
        values = list(rows)
        for chunk in _chunks(sorted({v["id"] for v in values})):
            self.conn.execute(delete(t).where(t.c.id.in_(chunk)))
        seen: set[str] = set()
        unique = [v for v in values if not (v["id"] in seen or seen.add(v["id"]))]
        for chunk in _chunks(unique):
            self.conn.execute(insert(t), list(chunk))

    def duplicate_ids_of_groups(self, groups: Iterable[int]) -> list[str]:
        """Ids of stored duplicate rows made from these `all_group`s (kept in `dup_group_rows`)."""
        t = schema.dup_group_rows
        out: list[str] = []
        for chunk in _chunks(sorted(set(groups))):
            out += list(self.conn.execute(select(t.c.row_id).where(t.c.all_group.in_(chunk))).scalars())
            self.conn.execute(delete(t).where(t.c.all_group.in_(chunk)))
        return out

    def note_group_rows(self, rows: Iterable[tuple[int, str]]) -> None:
        """Remember which duplicate row each group wrote."""
        values = [{"all_group": g, "row_id": r} for g, r in dict.fromkeys(rows)]
        for chunk in _chunks(values):
            self.conn.execute(insert(schema.dup_group_rows), list(chunk))

