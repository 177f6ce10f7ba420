"""The fused records' tables (events, stories, ceasefires, their links, log and aliases) inside a corpus session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection

from sitroom.store import schema
from sitroom.store.changes import change_row

_CHUNK = 500


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_RECORD_TABLES = {"event": schema.events, "story": schema.stories, "ceasefire": schema.ceasefires}
_LINK_TABLES = {"event": (schema.event_articles, "event_id"), "story": (schema.story_articles, "story_id")}



class RecordTables:
    """Reads and writes of the fused records (a part of `CorpusSession`)."""

    conn: Connection
    now: str

    def first_seen(self, kind: str, ids: Iterable[str]) -> dict[str, str]:
        """When each of these records was first saved (absent ids: never)."""
        table = _RECORD_TABLES[kind]
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(set(ids))):
            out.update((r.id, r.first_seen or "") for r in self.conn.execute(select(table.c.id, table.c.first_seen).where(table.c.id.in_(chunk))))
        return out

    def record_ids(self, kind: str) -> set[str]:
        """Every stored id of one kind of record."""
        return set(self.conn.execute(select(_RECORD_TABLES[kind].c.id)).scalars())

    def events_linked_to(self, ceasefire_ids: Iterable[str]) -> dict[str, list[str]]:
        """Per ceasefire id, the stored events filed under it."""
        t = schema.events
        out: dict[str, list[str]] = {}
        for chunk in _chunks(sorted(set(ceasefire_ids))):
            for r in self.conn.execute(select(t.c.id, t.c.ceasefire_id).where(t.c.ceasefire_id.in_(chunk))):
                out.setdefault(r.ceasefire_id, []).append(r.id)
        return {k: sorted(v) for k, v in out.items()}

    def events_dated(self, since: str | None, until: str | None) -> list[str]:
        """Ids of events dated within [since, until] (None: open)."""
        t = schema.events
        cond = [t.c.date.is_not(None)]
        if since:
            cond.append(t.c.date >= since)
        if until:
            cond.append(t.c.date <= until)
        return list(self.conn.execute(select(t.c.id).where(and_(*cond))).scalars())

    def event_story_ids(self, event_ids: Iterable[str]) -> dict[str, str | None]:
        """The story each of these stored events is filed under."""
        t = schema.events
        out: dict[str, str | None] = {}
        for chunk in _chunks(sorted(set(event_ids))):
            out.update((r.id, r.story_id) for r in self.conn.execute(select(t.c.id, t.c.story_id).where(t.c.id.in_(chunk))))
        return out

    def event_articles(self, event_ids: Iterable[str]) -> dict[str, list[str]]:
        """Article ids of each of these stored events."""
        t = schema.event_articles
        out: dict[str, list[str]] = {}
        for chunk in _chunks(sorted(set(event_ids))):
            for r in self.conn.execute(select(t).where(t.c.event_id.in_(chunk))):
                out.setdefault(r.event_id, []).append(r.article_id)
        return out

    def event_payloads(self, event_ids: Iterable[str]) -> dict[str, str]:
        """Stored event JSON by id."""
        t = schema.events
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(set(event_ids))):
            out.update((r.id, r.payload) for r in self.conn.execute(select(t.c.id, t.c.payload).where(t.c.id.in_(chunk))))
        return out

    def ceasefire_payloads(self) -> dict[str, str]:
        """Stored ceasefire JSON by id."""
        t = schema.ceasefires
        return {r.id: r.payload for r in self.conn.execute(select(t.c.id, t.c.payload))}

    def story_of_articles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The story each of these articles is filed under."""
        t = schema.story_articles
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(set(article_ids))):
            out.update((r.article_id, r.story_id) for r in self.conn.execute(select(t).where(t.c.article_id.in_(chunk))))
        return out

    def events_of_articles(self, article_ids: Iterable[str]) -> set[str]:
        """Ids of the events these articles report."""
        t = schema.event_articles
        out: set[str] = set()
        for chunk in _chunks(sorted(set(article_ids))):
            out.update(self.conn.execute(select(t.c.event_id).where(t.c.article_id.in_(chunk))).scalars())
        return out

    def story_members(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Article ids of each of these stories."""
        t = schema.story_articles
        out: dict[str, list[str]] = {}
        for chunk in _chunks(sorted(set(story_ids))):
            for r in self.conn.execute(select(t).where(t.c.story_id.in_(chunk))):
                out.setdefault(r.story_id, []).append(r.article_id)
        return {k: sorted(v) for k, v in out.items()}

    def event_ids_of_stories(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Event ids filed under each of these stories."""
        t = schema.events
        out: dict[str, list[str]] = {}
        for chunk in _chunks(sorted(set(story_ids))):
            for r in self.conn.execute(select(t.c.id, t.c.story_id).where(t.c.story_id.in_(chunk))):
                out.setdefault(r.story_id, []).append(r.id)
        return out

    def write_records(
        self,
        kind: str,
        rows: Sequence[dict],
        removed: Sequence[str] = (),
        merged_into: Mapping[str, str] | None = None,
    ) -> int:
        """Upsert record rows (as `sql._event_row` / `_story_row` make them) whose payload changed, delete `removed`.

        Every write and removal is logged in `record_changes`; `merged_into` says which removed ids
        were merged into which record (logged as merges, kept as aliases).
        """
        table = _RECORD_TABLES[kind]
        merged_into = dict(merged_into or {})
        ids = [r["id"] for r in rows]
        before: dict[str, tuple[str, str, str | None]] = {}
        for chunk in _chunks(sorted(set(ids) | set(removed))):
            for r in self.conn.execute(select(table.c.id, table.c.payload, table.c.payload_hash, table.c.first_seen).where(table.c.id.in_(chunk))):
                before[r.id] = (r.payload, r.payload_hash, r.first_seen)
        changed = [r for r in rows if r["id"] not in before or before[r["id"]][1] != r["payload_hash"]]
        for r in changed:
            old = before.get(r["id"])
            r["first_seen"], r["changed_at"] = (old[2] if old and old[2] else self.now), self.now
        log = [change_row(self.now, kind, r["id"], before[r["id"]][0] if r["id"] in before else None, r["payload"]) for r in changed]
        gone = [i for i in removed if i in before and i not in set(ids)]
        log += [change_row(self.now, kind, i, before[i][0], None, "merged" if i in merged_into else "removed") for i in gone]
        self._delete(kind, [r["id"] for r in changed if r["id"] in before] + gone)
        searchable = kind != "ceasefire"
        docs = [{"kind": kind, "ref_id": r["id"], "title": r.pop("_title", None), "body": r.pop("_search", "") or ""} for r in changed]
        for chunk in _chunks(changed):
            self.conn.execute(insert(table), list(chunk))
        if searchable:
            for chunk in _chunks(docs):
                self.conn.execute(insert(schema.search_docs), list(chunk))
        for chunk in _chunks(log):
            self.conn.execute(insert(schema.record_changes), list(chunk))
        self._aliases(kind, {k: v for k, v in merged_into.items() if k in set(gone)})
        return len(changed)

    def _delete(self, kind: str, ids: Sequence[str]) -> None:
        table = _RECORD_TABLES[kind]
        for chunk in _chunks(ids):
            self.conn.execute(delete(table).where(table.c.id.in_(chunk)))
            self.conn.execute(delete(schema.search_docs).where(and_(schema.search_docs.c.kind == kind, schema.search_docs.c.ref_id.in_(chunk))))
        links = _LINK_TABLES.get(kind)
        if links is not None:
            table, key = links
            for chunk in _chunks(ids):
                self.conn.execute(delete(table).where(table.c[key].in_(chunk)))

    def _aliases(self, kind: str, mapping: Mapping[str, str]) -> None:
        t = schema.record_aliases
        for old, new in mapping.items():
            self.conn.execute(update(t).where(and_(t.c.kind == kind, t.c.record_id == old)).values(record_id=new))
            self.conn.execute(delete(t).where(t.c.alias == old))
            self.conn.execute(insert(t).values(alias=old, kind=kind, record_id=new, at=self.now))

    def drop_aliases_of(self, kind: str, ids: Iterable[str]) -> None:
        """Ids that name records again are no longer aliases."""
        t = schema.record_aliases
        for chunk in _chunks(sorted(set(ids))):
            self.conn.execute(delete(t).where(and_(t.c.kind == kind, t.c.alias.in_(chunk))))

    def link_articles(self, kind: str, links: Mapping[str, Sequence[str]]) -> None:
        """Replace the article links of these records (event_articles / story_articles)."""
        table, key = _LINK_TABLES[kind]
        owners = sorted(links)
        for chunk in _chunks(owners):
            self.conn.execute(delete(table).where(table.c[key].in_(chunk)))
        values = [{key: o, "article_id": a} for o in owners for a in dict.fromkeys(links[o])]
        for chunk in _chunks(values):
            self.conn.execute(insert(table), list(chunk))

    def event_ceasefire_ids(self, event_ids: Iterable[str]) -> dict[str, str | None]:
        """The ceasefire each of these stored events is filed under."""
        t = schema.events
        out: dict[str, str | None] = {}
        for chunk in _chunks(sorted(set(event_ids))):
            out.update((r.id, r.ceasefire_id) for r in self.conn.execute(select(t.c.id, t.c.ceasefire_id).where(t.c.id.in_(chunk))))
        return out

