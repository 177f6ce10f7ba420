"""Fused records as table rows, and the writes of them that `save_results` and the corpus layer share.

A row holds the record's JSON (`payload`, sent by the API as it is), its hash (a save skips rows
whose hash did not change) and the columns filters and listings read. Keys starting with `_` are
not columns: they carry the record's search text until it is written (`search_doc_of` takes them out).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence

from sqlalchemy import Table, and_, delete, insert, select, update
from sqlalchemy.engine import Connection

from sitroom import codec
from sitroom.model import Ceasefire, DuplicateGroup, Event, Story
from sitroom.store import schema
from sitroom.store.changes import change_row
from sitroom.store.chunked import CHUNK, delete_in, insert_all, mapping_in
from sitroom.store.search import search_doc


def event_row(e: Event) -> dict:
    """The `events` row of an event, with its search text; the columns the record has are read from it."""
    record = e.to_dict()
    payload = schema.record_json(record)
    loc = e.location
    actor_terms = [a.name for a in e.actors] + [m for a in e.actors for m in a.mentions]
    place, actors = schema.event_filter_terms(record)
    return {
        **{column: record[column] for column in ("id", "story_id", "event_type", "sub_event_type", "date", "ceasefire_id")},
        "country": loc.country if loc else None,
        "place": place,
        "actors": actors,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "fatalities_best": e.fatalities.best,
        "n_contradictions": len(e.contradictions),
        "payload": payload,
        "payload_hash": schema.record_digest(payload),
        # The sentences it was read from too: the words a reader searches for ("aid convoy") are the reports', not the summary's.
        "_search": " ".join(filter(None, [e.summary, loc.name if loc else None, " ".join(actor_terms), *(s.sentence for s in e.sources)])),
        "_title": f"{e.sub_event_type.replace('_', ' ')} — {loc.name if loc else 'unknown place'}",
    }


def story_row(s: Story, event_dates: dict[str, str]) -> dict:
    """The `stories` row of a story; `event_dates` (event id -> ISO date) gives its last date."""
    record = s.to_dict()
    payload = schema.record_json(record)
    dates = [event_dates[i] for i in s.event_ids if i in event_dates]
    return {
        "id": s.id,
        "title": s.title,
        "last_date": max(dates) if dates else None,
        "n_articles": len(s.article_ids),
        "payload": payload,
        "payload_hash": schema.record_digest(payload),
        "_search": " ".join(x.sentence for x in s.summary),
        "_title": s.title,
    }


def ceasefire_row(c: Ceasefire) -> dict:
    """The `ceasefires` row of a ceasefire (not searchable)."""
    payload = schema.record_json(codec.to_jsonable(c))
    return {"id": c.id, "payload": payload, "payload_hash": schema.record_digest(payload)}


def search_doc_of(kind: str, row: dict) -> dict:
    """The search_docs row for a record row, taking the record's search-only keys out of it."""
    return search_doc(kind, row["id"], row.pop("_title", None), row.pop("_search", "") or "")


def duplicate_rows(groups: Iterable[DuplicateGroup]) -> Iterator[dict]:
    """The `duplicates` row of each distinct group, made as it is written.

    A group is known by the digest of its canonical JSON (its row id), so only digests are kept
    to drop repeats, not the JSON itself.
    """
    seen: set[str] = set()
    for g in groups:
        data = g.to_dict()
        row_id = schema.record_digest(json.dumps(data, sort_keys=True))
        if row_id not in seen:
            seen.add(row_id)
            yield {"id": row_id, "kind": g.kind, "payload": json.dumps(data, ensure_ascii=False)}


def delete_records(conn: Connection, table: Table, kind: str, ids: Sequence[str]) -> None:
    """Delete the rows `ids` of a record table and their search documents."""
    docs = schema.search_docs
    delete_in(conn, table, table.c.id, ids)
    delete_in(conn, docs, docs.c.ref_id, ids, docs.c.kind == kind)


def record_alias(conn: Connection, kind: str, old: str, new: str, now: str) -> None:
    """Record that `old` was merged into `new`; aliases of `old` now point at `new`, so lookups take one step."""
    t = schema.record_aliases
    conn.execute(update(t).where(and_(t.c.kind == kind, t.c.record_id == old)).values(record_id=new))
    conn.execute(delete(t).where(t.c.alias == old))
    conn.execute(insert(t).values(alias=old, kind=kind, record_id=new, at=now))


def drop_aliases_of(conn: Connection, kind: str, ids: Iterable[str]) -> None:
    """Ids that name records again are no longer aliases."""
    t = schema.record_aliases
    delete_in(conn, t, t.c.alias, ids, t.c.kind == kind)


def sync_records(
    conn: Connection, table: Table, rows: Iterable[dict], kind: str, now: str, merged: Mapping[str, str] | None = None
) -> tuple[int, int]:
    """Make `table` hold exactly `rows`, writing only rows whose payload hash changed, and log each change.

    `rows` may be a generator: each row is made, compared and, if changed, written with a
    chunk of others, so only one chunk's JSON is held at a time (every event's JSON at once
    was the save's largest part at 100,000 articles). A rewritten row keeps its `first_seen`.
    """
    existing = {r.id: (r.payload_hash, r.first_seen) for r in conn.execute(select(table.c.id, table.c.payload_hash, table.c.first_seen))}
    wanted: set[str] = set()
    changed: list[dict] = []
    written = 0
    searchable = kind != "ceasefire"

    def write() -> None:
        replaced = [row["id"] for row in changed if row["id"] in existing]
        before = mapping_in(conn, table.c.id, table.c.payload, replaced)
        delete_records(conn, table, kind, replaced)
        log = [change_row(now, kind, row["id"], before.get(row["id"]), row["payload"]) for row in changed]
        docs = [search_doc_of(kind, row) for row in changed]  # pops the non-column keys
        conn.execute(insert(table), changed)
        if searchable:
            conn.execute(insert(schema.search_docs), docs)
        conn.execute(insert(schema.record_changes), log)
        changed.clear()

    for row in rows:
        if row["id"] in wanted:
            continue  # ids are unique by construction; should one repeat, the first is kept, not the save failed
        wanted.add(row["id"])
        old_hash, first_seen = existing.get(row["id"], (None, None))
        if old_hash != row["payload_hash"]:
            row["first_seen"], row["changed_at"] = first_seen or now, now
            changed.append(row)
            written += 1
            if len(changed) >= CHUNK:
                write()
    if changed:
        write()
    stale = [i for i in existing if i not in wanted]
    if stale:
        merged = merged or {}
        before = mapping_in(conn, table.c.id, table.c.payload, stale)
        log = [change_row(now, kind, i, before.get(i), None, "merged" if i in merged else "removed") for i in stale]
        insert_all(conn, schema.record_changes, log)
    delete_records(conn, table, kind, stale)
    return written, len(stale)


def sync_links(conn: Connection, table: Table, key: str, links: dict[str, Sequence[str]]) -> None:
    """Replace the link rows of `table` with `links` (owner id -> article ids)."""
    wanted = {(owner, art) for owner, arts in links.items() for art in arts}
    existing = {(r[0], r[1]) for r in conn.execute(select(table.c[key], table.c.article_id))}
    for owner, art in existing - wanted:
        conn.execute(delete(table).where(and_(table.c[key] == owner, table.c.article_id == art)))
    new = sorted(wanted - existing)
    if new:
        conn.execute(insert(table), [{key: o, "article_id": a} for o, a in new])
