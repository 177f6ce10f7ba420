"""The fused records' tables (events, stories, ceasefires, their links, log and aliases) inside a corpus session."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.engine import Connection

from sitroom.store import records, schema
from sitroom.store.changes import change_row
from sitroom.store.chunked import delete_in, grouped_in, insert_all, mapping_in, rows_in

_RECORD_TABLES = {"event": schema.events, "story": schema.stories, "ceasefire": schema.ceasefires}
_LINK_TABLES = {"event": (schema.event_articles, "event_id"), "story": (schema.story_articles, "story_id")}


class RecordTables:
    """Reads and writes of the fused records (a part of `CorpusSession`)."""

    conn: Connection
    now: str

    def first_seen(self, kind: str, ids: Iterable[str]) -> dict[str, str]:
        """When each of these records was first saved (absent ids: never)."""
        table = _RECORD_TABLES[kind]
        return {k: v or "" for k, v in mapping_in(self.conn, table.c.id, table.c.first_seen, ids).items()}

    def record_ids(self, kind: str) -> set[str]:
        """Every stored id of one kind of record."""
        return set(self.conn.execute(select(_RECORD_TABLES[kind].c.id)).scalars())

    def events_linked_to(self, ceasefire_ids: Iterable[str]) -> dict[str, list[str]]:
        """Per ceasefire id, the stored events filed under it."""
        t = schema.events
        return {k: sorted(v) for k, v in grouped_in(self.conn, t.c.ceasefire_id, t.c.id, ceasefire_ids).items()}

    def events_dated(self, since: str | None, until: str | None) -> list[str]:
        """Ids of events dated within [since, until] (None: open)."""
        t = schema.events
        cond: list[ColumnElement[bool]] = [t.c.date.is_not(None)]
        if since:
            cond.append(t.c.date >= since)
        if until:
            cond.append(t.c.date <= until)
        return list(self.conn.execute(select(t.c.id).where(and_(*cond))).scalars())

    def event_story_ids(self, event_ids: Iterable[str]) -> dict[str, str | None]:
        """The story each of these stored events is filed under."""
        t = schema.events
        return mapping_in(self.conn, t.c.id, t.c.story_id, event_ids)

    def event_articles(self, event_ids: Iterable[str]) -> dict[str, list[str]]:
        """Article ids of each of these stored events."""
        t = schema.event_articles
        return grouped_in(self.conn, t.c.event_id, t.c.article_id, event_ids)

    def event_payloads(self, event_ids: Iterable[str]) -> dict[str, str]:
        """Stored event JSON by id."""
        t = schema.events
        return mapping_in(self.conn, t.c.id, t.c.payload, event_ids)

    def ceasefire_payloads(self) -> dict[str, str]:
        """Stored ceasefire JSON by id."""
        t = schema.ceasefires
        return {r.id: r.payload for r in self.conn.execute(select(t.c.id, t.c.payload))}

    def story_of_articles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The story each of these articles is filed under."""
        t = schema.story_articles
        return mapping_in(self.conn, t.c.article_id, t.c.story_id, article_ids)

    def events_of_articles(self, article_ids: Iterable[str]) -> set[str]:
        """Ids of the events these articles report."""
        t = schema.event_articles
        return {r.event_id for r in rows_in(self.conn, select(t.c.event_id), t.c.article_id, article_ids)}

    def story_members(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Article ids of each of these stories."""
        t = schema.story_articles
        return {k: sorted(v) for k, v in grouped_in(self.conn, t.c.story_id, t.c.article_id, story_ids).items()}

    def event_ids_of_stories(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Event ids filed under each of these stories."""
        t = schema.events
        return grouped_in(self.conn, t.c.story_id, t.c.id, story_ids)

    def write_records(
        self,
        kind: str,
        rows: Sequence[dict],
        removed: Sequence[str] = (),
        merged_into: Mapping[str, str] | None = None,
    ) -> int:
        """Upsert record rows (as `records.event_row` / `story_row` make them) whose payload changed, delete `removed`.

        Every write and removal is logged in `record_changes`; `merged_into` says which removed ids
        were merged into which record (logged as merges, kept as aliases).
        """
        table = _RECORD_TABLES[kind]
        merged_into = dict(merged_into or {})
        ids = [r["id"] for r in rows]
        stored = select(table.c.id, table.c.payload, table.c.payload_hash, table.c.first_seen)
        before = {r.id: (r.payload, r.payload_hash, r.first_seen) for r in rows_in(self.conn, stored, table.c.id, set(ids) | set(removed))}
        changed = [r for r in rows if r["id"] not in before or before[r["id"]][1] != r["payload_hash"]]
        for r in changed:
            old = before.get(r["id"])
            r["first_seen"], r["changed_at"] = (old[2] if old and old[2] else self.now), self.now
        log = [change_row(self.now, kind, r["id"], before[r["id"]][0] if r["id"] in before else None, r["payload"]) for r in changed]
        gone = [i for i in removed if i in before and i not in set(ids)]
        log += [change_row(self.now, kind, i, before[i][0], None, "merged" if i in merged_into else "removed") for i in gone]
        self._delete(kind, [r["id"] for r in changed if r["id"] in before] + gone)
        searchable = kind != "ceasefire"
        docs = [records.search_doc_of(kind, r) for r in changed]  # with its folded spellings, as a full rebuild writes
        insert_all(self.conn, table, changed)
        if searchable:
            insert_all(self.conn, schema.search_docs, docs)
        insert_all(self.conn, schema.record_changes, log)
        merged_away = set(gone)
        for alias, into in merged_into.items():
            if alias in merged_away:
                records.record_alias(self.conn, kind, alias, into, self.now)
        return len(changed)

    def _delete(self, kind: str, ids: Sequence[str]) -> None:
        """Delete these records, their search documents and their article links."""
        records.delete_records(self.conn, _RECORD_TABLES[kind], kind, ids)
        links = _LINK_TABLES.get(kind)
        if links is not None:
            table, key = links
            delete_in(self.conn, table, table.c[key], ids)

    def drop_aliases_of(self, kind: str, ids: Iterable[str]) -> None:
        """Ids that name records again are no longer aliases."""
        records.drop_aliases_of(self.conn, kind, ids)

    def link_articles(self, kind: str, links: Mapping[str, Sequence[str]]) -> None:
        """Replace the article links of these records (event_articles / story_articles)."""
        table, key = _LINK_TABLES[kind]
        owners = sorted(links)
        delete_in(self.conn, table, table.c[key], owners)
        insert_all(self.conn, table, [{key: o, "article_id": a} for o in owners for a in dict.fromkeys(links[o])])

    def event_ceasefire_ids(self, event_ids: Iterable[str]) -> dict[str, str | None]:
        """The ceasefire each of these stored events is filed under."""
        t = schema.events
        return mapping_in(self.conn, t.c.id, t.c.ceasefire_id, event_ids)

