"""Table definitions shared by every SQL backend (SQLAlchemy Core).

Fused records are stored whole as JSON (`payload`) next to the few columns that queries filter
on, so the API serves a record without re-assembling it and the filters stay indexed.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata

from sqlalchemy import BigInteger, Column, Float, Index, Integer, LargeBinary, MetaData, String, Table, Text, text

metadata = MetaData()


def record_json(record: dict) -> str:
    """An event or story record as stored: compact JSON with sorted keys, sent by the API as it is."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_digest(payload: str) -> str:
    """A stored record's `payload_hash`: a write skips records whose hash did not change."""
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def fold_term(value: str) -> str:
    """Text as the place and actor filters compare it: case-folded, diacritics dropped (`Ḩamāh` -> `hamah`).

    Stored filter columns and the filter's own text are folded alike, so every way of matching them
    (a substring scan, SQLite's trigram index, PostgreSQL's pg_trgm) answers the same.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(ch))


def event_filter_terms(record: dict) -> tuple[str | None, str]:
    """The `place` and `actors` column values for an event record in the contract's shape."""
    loc = record.get("location")
    actors = record.get("actors") or ()
    names = [a["name"] for a in actors] + [m for a in actors for m in a.get("mentions") or ()]
    place = fold_term("|".join(x for x in (loc.get("name"), loc.get("admin1")) if x)) if loc else None
    return place, fold_term("|".join(names))


articles = Table(
    "articles",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("published", String(10)),
    Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("analysis", Text, nullable=False),  # JSON of the ArticleAnalysis, article text left out
    Column("ingested_at", String(32), nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("detail", Text),
    Column("at", String(32), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("story_id", String(64)),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("date", String(10)),
    Column("country", String(2)),
    Column("place", Text),  # location name | admin1, folded (fold_term), for place filters
    Column("actors", Text),  # canonical names and mentions, '|'-joined and folded
    Column("lat", Float),
    Column("lon", Float),
    Column("fatalities_best", Integer),
    Column("n_contradictions", Integer),  # len(record["contradictions"]), for the story list's statistics
    Column("payload", Text, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("ceasefire_id", String(64)),  # the truce it happened under (migration 0009)
    Column("first_seen", String(32)),  # when a save first wrote this record (UTC, ISO 8601)
    Column("changed_at", String(32)),  # when a save last changed it
    Index("ix_events_date", "date"),
    Index("ix_events_ceasefire", "ceasefire_id"),
    # A story's events, and everything the story list sums over them, from the index alone.
    Index("ix_events_story_stats", "story_id", "date", "fatalities_best", "n_contradictions"),
)
# Event listings are ordered undated-last, then by date and id. The listing index holds that order
# and every filter column, so a page at any offset, with any filter, is read from the index alone
# and only its own payloads are fetched; type and country filters seek straight into their order.
LISTING_ORDER = (events.c.date.is_(None), events.c.date, events.c.id)
Index(
    "ix_events_listing", *LISTING_ORDER, events.c.event_type, events.c.sub_event_type, events.c.country,
    events.c.story_id, events.c.place, events.c.actors, events.c.lat, events.c.lon,
)
Index("ix_events_type_order", events.c.event_type, *LISTING_ORDER)
# Counting matches of a place, actor or bbox filter scans this narrow index instead of the listing one.
Index("ix_events_terms", events.c.place, events.c.actors, events.c.country, events.c.lon, events.c.lat)
# PostgreSQL (migration 0006) adds pg_trgm GIN indexes on `place` and `actors` for substring filters,
# and a (lon, lat) index for bounding boxes. SQLite gets `event_terms` below instead.

# SQLite only (migration 0006): a narrow copy of each event's filter terms, position and date, kept
# in step with `events` by triggers. Its INTEGER PRIMARY KEY is the stable rowid that two indexes
# point into: `event_terms_fts` (FTS5, trigram tokenizer: substrings of 3+ characters) and
# `event_geo` (an R*Tree of the points). `events` has no such key, and VACUUM may renumber its rowids.
sqlite_metadata = MetaData()
event_terms = Table(
    "event_terms",
    sqlite_metadata,
    Column("rowid", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("date", String(10)),
    Column("place", Text),
    Column("actors", Text),
    Column("lon", Float),
    Column("lat", Float),
)
Index("ix_events_country_order", events.c.country, *LISTING_ORDER)


def _article_links(name: str, owner_key: str) -> Table:
    """A table of (record id, article id) pairs: which articles an event or a story draws on."""
    return Table(
        name,
        metadata,
        Column(owner_key, String(64), primary_key=True),
        Column("article_id", String(200), primary_key=True),
        Index(f"ix_{name}_article", "article_id"),
    )


event_articles = _article_links("event_articles", "event_id")


stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("last_date", String(10)),
    Column("n_articles", Integer, nullable=False),
    Column("payload", Text, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("first_seen", String(32)),
    Column("changed_at", String(32)),
    # The story list's order (PostgreSQL's migration adds NULLS LAST, SQLite's DESC puts NULLs last anyway).
    Index("ix_stories_order", text("last_date DESC"), text("n_articles DESC"), "id"),
)

story_articles = _article_links("story_articles", "story_id")

duplicates = Table(
    "duplicates",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("payload", Text, nullable=False),
)

ceasefires = Table(
    "ceasefires",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("payload", Text, nullable=False),
    Column("payload_hash", String(64)),
    Column("first_seen", String(32)),
    Column("changed_at", String(32)),
)

# One row per record a save created, updated, removed or merged into another (migration 0008):
# "what changed since yesterday" is read from here, keyed by when reports arrived.
record_changes = Table(
    "record_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # event | story | ceasefire
    Column("record_id", String(64), nullable=False),
    Column("change", String(16), nullable=False),  # new | updated | removed | merged
    Column("fields", Text, nullable=False),  # JSON list of the record's top-level fields that changed
    Column("detail", Text),  # JSON: {field: [before, after]} for the few fields a brief states
    Index("ix_record_changes_at", "at", "kind"),
    Index("ix_record_changes_record", "kind", "record_id"),
)

# Ids of records merged into another: the API follows them to the record that absorbed them.
record_aliases = Table(
    "record_aliases",
    metadata,
    Column("alias", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Index("ix_record_aliases_record", "kind", "record_id"),
)

# Plain table holding what full-text search indexes; each dialect adds its own index on it
# (SQLite: an external-content FTS5 table kept in sync by triggers; PostgreSQL: a GIN tsvector).
search_docs = Table(
    "search_docs",
    metadata,
    Column("rowid", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("ref_id", String(200), nullable=False),
    Column("title", Text),
    Column("body", Text, nullable=False),
    Column("folded", Text),  # the spelling-variant keys of its capitalised words (store/search.py, migration 0010)
    Index("ix_search_docs_ref", "kind", "ref_id", unique=True),
)

# Versions that say whether the fused records are up to date: `articles_version` grows with every
# write of articles; `results_version` is the articles version the stored fused records were
# computed from. They differ after a run stored articles and died before saving its results.
store_state = Table(
    "store_state",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)


# -- the corpus layer's tables (migration 0009): what the corpus stage decided, updated per batch --

# One row per report, indexed by fusion's blocking keys (`fusion.link_window`): candidates for a new
# report are the rows of its family, its country (or none) and an overlapping date window.
reports = Table(
    "reports",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("article_id", String(200), nullable=False),
    Column("family", String(64), nullable=False),
    Column("country", String(2)),
    Column("date_lo", String(10)),  # None: open (an undated report of an undated article)
    Column("date_hi", String(10)),
    Column("event_id", String(64)),
    Column("payload", Text, nullable=False),  # the Report as JSON (codec)
    # Its fusion profile (`corpus.profiles`), computed when indexed; NULL or another version: recompute.
    Column("profile", LargeBinary),
    Column("profile_version", String(16)),
    Index("ix_reports_block", "family", "country", "date_lo", "date_hi"),
    Index("ix_reports_article", "article_id"),
    Index("ix_reports_event", "event_id"),
)

# The duplicate index. A unit is one exact-copy family (one normalised text); a sentence points at
# its unit; units of 5+ words carry MinHash band keys; `near_group` / `all_group` are union-find
# labels (exact + near; exact + near + paraphrase), a unit id each.
dup_units = Table(
    "dup_units",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("digest", String(32), nullable=False, unique=True),
    Column("norm", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("first_article", String(200), nullable=False),
    Column("spans", Integer, nullable=False),  # 1 once members lie in two articles
    Column("near_group", Integer, nullable=False),
    Column("all_group", Integer, nullable=False),
    Index("ix_dup_units_near", "near_group"),
    Index("ix_dup_units_all", "all_group"),
)
dup_sentences = Table(
    "dup_sentences",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("stop", Integer, nullable=False),
    Column("unit_id", Integer, nullable=False),
    Column("cited", Integer, nullable=False),  # some report cites it: it has a vector (paraphrases)
    Index("ix_dup_sentences_unit", "unit_id"),
)
dup_bands = Table(
    "dup_bands",
    metadata,
    Column("key", BigInteger, primary_key=True),
    Column("unit_id", Integer, primary_key=True),
)
dup_vectors = Table(
    "dup_vectors",
    metadata,
    Column("unit_id", Integer, primary_key=True, autoincrement=False),
    Column("vector", LargeBinary, nullable=False),  # float16 embedding of the unit's first cited text
)
# Similar units that so far sit in one article: a relation across articles only once either has a copy elsewhere.
dup_pending = Table(
    "dup_pending",
    metadata,
    Column("unit_a", Integer, primary_key=True, autoincrement=False),
    Column("unit_b", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
)
truce_notes = Table(
    "truce_notes",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("payload", Text, nullable=False),  # ceasefire.TruceNotes as JSON (codec)
)
# Which `duplicates` row each duplicate group (an `all_group` label) last wrote: a group that grows rewrites its row.
dup_group_rows = Table(
    "dup_group_rows",
    metadata,
    Column("all_group", Integer, primary_key=True, autoincrement=False),
    Column("row_id", String(64), primary_key=True),
)
# What story building keeps of each article (stories.StoryDigest): the corpus layer re-clusters a
# story's neighbourhood from these without decoding analyses.
story_digests = Table(
    "story_digests",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("title", Text),
    Column("heading", Text),
    Column("packed", LargeBinary, nullable=False),
    Column("published", String(10)),
)
