"""Indexes for the place, actor and bbox filters; place and actor terms fold diacritics.

The place and actor filters match substrings, so a B-tree cannot answer them: every request read
all 100,000 entries of `ix_events_terms` to count its matches. Now:

- the `place` and `actors` columns hold their text folded (case and diacritics: `hamah` finds
  `Ḩamāh`, as full-text search already did), recomputed here from each stored record;
- event and story records are stored as compact JSON (`schema.record_json`), which the API now
  sends as it is: rewritten here with their hashes, so that the next ingest does not rewrite them;
- SQLite: `event_terms`, a narrow copy of each event's terms, date and point with a stable integer
  key, kept in step with `events` by triggers; an FTS5 trigram index over its terms
  (`event_terms_fts`, external content) and an R*Tree over its points (`event_geo`);
- PostgreSQL: pg_trgm GIN indexes on `place` and `actors` (pg_trgm is a trusted extension; where it
  cannot be installed, the filters work as before, by scanning) and a (lon, lat) index.

Revision ID: 0006
Revises: 0005
"""

import json
from collections.abc import Callable

from alembic import op
from sqlalchemy import BindParameter, bindparam, select, update
from sqlalchemy.exc import DBAPIError

from sitroom.store.schema import event_filter_terms, events, record_digest, record_json, stories

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 2000

_SQLITE_CREATE = [
    "CREATE TABLE event_terms (rowid INTEGER PRIMARY KEY, event_id VARCHAR(64) NOT NULL UNIQUE, date VARCHAR(10), "
    "place TEXT, actors TEXT, lon FLOAT, lat FLOAT)",
    "INSERT INTO event_terms (event_id, date, place, actors, lon, lat) SELECT id, date, place, actors, lon, lat FROM events",
    "CREATE VIRTUAL TABLE event_terms_fts USING fts5(place, actors, content='event_terms', content_rowid='rowid', tokenize='trigram')",
    "INSERT INTO event_terms_fts(event_terms_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE event_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat)",
    "INSERT INTO event_geo SELECT rowid, lon, lon, lat, lat FROM event_terms WHERE lon IS NOT NULL AND lat IS NOT NULL",
    # events -> event_terms
    "CREATE TRIGGER events_terms_ai AFTER INSERT ON events BEGIN "
    "INSERT INTO event_terms (event_id, date, place, actors, lon, lat) VALUES (new.id, new.date, new.place, new.actors, new.lon, new.lat); END",
    "CREATE TRIGGER events_terms_ad AFTER DELETE ON events BEGIN DELETE FROM event_terms WHERE event_id = old.id; END",
    "CREATE TRIGGER events_terms_au AFTER UPDATE ON events BEGIN "
    "UPDATE event_terms SET event_id = new.id, date = new.date, place = new.place, actors = new.actors, lon = new.lon, lat = new.lat "
    "WHERE event_id = old.id; END",
    # event_terms -> its trigram index and its R*Tree
    "CREATE TRIGGER event_terms_ai AFTER INSERT ON event_terms BEGIN "
    "INSERT INTO event_terms_fts (rowid, place, actors) VALUES (new.rowid, new.place, new.actors); "
    "INSERT INTO event_geo SELECT new.rowid, new.lon, new.lon, new.lat, new.lat WHERE new.lon IS NOT NULL AND new.lat IS NOT NULL; END",
    "CREATE TRIGGER event_terms_ad AFTER DELETE ON event_terms BEGIN "
    "INSERT INTO event_terms_fts (event_terms_fts, rowid, place, actors) VALUES ('delete', old.rowid, old.place, old.actors); "
    "DELETE FROM event_geo WHERE id = old.rowid; END",
    "CREATE TRIGGER event_terms_au AFTER UPDATE ON event_terms BEGIN "
    "INSERT INTO event_terms_fts (event_terms_fts, rowid, place, actors) VALUES ('delete', old.rowid, old.place, old.actors); "
    "INSERT INTO event_terms_fts (rowid, place, actors) VALUES (new.rowid, new.place, new.actors); "
    "DELETE FROM event_geo WHERE id = old.rowid; "
    "INSERT INTO event_geo SELECT new.rowid, new.lon, new.lon, new.lat, new.lat WHERE new.lon IS NOT NULL AND new.lat IS NOT NULL; END",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS events_terms_ai", "DROP TRIGGER IF EXISTS events_terms_ad", "DROP TRIGGER IF EXISTS events_terms_au",
    "DROP TRIGGER IF EXISTS event_terms_ai", "DROP TRIGGER IF EXISTS event_terms_ad", "DROP TRIGGER IF EXISTS event_terms_au",
    "DROP TABLE IF EXISTS event_geo", "DROP TABLE IF EXISTS event_terms_fts", "DROP TABLE IF EXISTS event_terms",
]


def upgrade() -> None:
    bind = op.get_bind()
    _rewrite_records(event_filter_terms, record_json)
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_CREATE:
            bind.exec_driver_sql(statement)
        return
    op.create_index("ix_events_lon_lat", "events", ["lon", "lat"])
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError:
        return  # no pg_trgm here: place and actor filters scan, as before
    schema = bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
    ).scalar_one()
    for column in ("place", "actors"):
        bind.exec_driver_sql(f'CREATE INDEX ix_events_{column}_trgm ON events USING gin ({column} "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_DROP:
            bind.exec_driver_sql(statement)
    else:
        for name in ("ix_events_place_trgm", "ix_events_actors_trgm", "ix_events_lon_lat"):
            bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    _rewrite_records(_lowercased_terms, lambda record: json.dumps(record, ensure_ascii=False, sort_keys=True))


def _lowercased_terms(record: dict) -> tuple[str | None, str]:
    """The terms as revision 0005's code wrote them: lower-cased, diacritics kept."""
    loc = record.get("location")
    actors = record.get("actors") or ()
    names = [a["name"] for a in actors] + [m for a in actors for m in a.get("mentions") or ()]
    place = "|".join(x for x in (loc.get("name"), loc.get("admin1")) if x).lower() if loc else None
    return place, "|".join(names).lower()


def _rewrite_records(terms: Callable[[dict], tuple[str | None, str]], encode: Callable[[dict], str]) -> None:
    """Re-encode every event and story record with `encode` (and its hash), and an event's terms with
    `terms`, in batches by id, writing only the rows that change."""
    bind = op.get_bind()
    for table in (events, stories):
        columns = [table.c.id, table.c.payload, table.c.payload_hash]
        values: dict[str, BindParameter] = {"payload": bindparam("b_payload"), "payload_hash": bindparam("b_hash")}
        if table is events:
            columns += [table.c.place, table.c.actors]
            values.update(place=bindparam("b_place"), actors=bindparam("b_actors"))
        rewrite = update(table).where(table.c.id == bindparam("b_id")).values(**values)
        last = ""
        while rows := bind.execute(select(*columns).where(table.c.id > last).order_by(table.c.id).limit(_BATCH)).all():
            changes = []
            for row in rows:
                record = json.loads(row.payload)
                payload = encode(record)
                change = {"b_id": row.id, "b_payload": payload, "b_hash": record_digest(payload)}
                current = {"b_id": row.id, "b_payload": row.payload, "b_hash": row.payload_hash}
                if table is events:
                    change["b_place"], change["b_actors"] = terms(record)
                    current["b_place"], current["b_actors"] = row.place, row.actors
                if change != current:
                    changes.append(change)
            if changes:
                bind.execute(rewrite, changes)
            last = rows[-1].id
