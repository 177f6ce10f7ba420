"""The corpus layer's reads and writes, inside one write transaction (`SqlStore.corpus_session`).

The corpus layer (`sitroom.corpus`) keeps what it decided in the store — reports by blocking keys,
the duplicate index, truce notes, which report belongs to which event — and updates it for the
articles one batch touches. Everything one update reads and writes goes through one
`CorpusSession`, i.e. one transaction: a crash leaves the store as of the last batch, never half
an update. Shared by SQLite and PostgreSQL (SQLAlchemy Core, no dialect branches).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection

from sitroom import codec
from sitroom.model import ArticleAnalysis, Ceasefire, Event, Report, Story
from sitroom.stories import StoryDigest
from sitroom.store import schema
from sitroom.store.changes import change_row

_CHUNK = 500


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A stored report with its blocking keys and the event it was last filed under."""

    report: Report
    family: str
    country: str | None
    date_lo: str | None
    date_hi: str | None
    event_id: str | None


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


class CorpusSession:
    """Reads and writes of one corpus update, all on one write connection (one transaction)."""

    def __init__(self, conn: Connection, now: str) -> None:
        self.conn = conn
        self.now = now
        self.paraphrase = True  # embeddings and paraphrases on (SITROOM_PARAPHRASE=0 turns them off)
        self._decoded: dict[str, Report] = {}  # reports are immutable: each payload is decoded once per session

    # -- analyses ---------------------------------------------------------------------------
    def analyses(self, article_ids: Sequence[str]) -> Iterator[ArticleAnalysis]:
        """The stored analyses of these articles (text restored), in id order."""
        a = schema.articles
        for chunk in _chunks(sorted(set(article_ids))):
            rows = self.conn.execute(select(a.c.text, a.c.analysis).where(a.c.id.in_(chunk)).order_by(a.c.id))
            for row in rows:
                data = json.loads(row.analysis)
                data["article"]["text"] = row.text
                yield codec.from_jsonable(ArticleAnalysis, data)

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The text of each of these articles."""
        a = schema.articles
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(set(article_ids))):
            out.update((r.id, r.text) for r in self.conn.execute(select(a.c.id, a.c.text).where(a.c.id.in_(chunk))))
        return out

    def event_ceasefire_ids(self, event_ids: Iterable[str]) -> dict[str, str | None]:
        """The ceasefire each of these stored events is filed under."""
        t = schema.events
        out: dict[str, str | None] = {}
        for chunk in _chunks(sorted(set(event_ids))):
            out.update((r.id, r.ceasefire_id) for r in self.conn.execute(select(t.c.id, t.c.ceasefire_id).where(t.c.id.in_(chunk))))
        return out

    def all_article_ids(self) -> list[str]:
        """Every stored article id, sorted."""
        return list(self.conn.execute(select(schema.articles.c.id).order_by(schema.articles.c.id)).scalars())

    def article_dates(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """Publication date (ISO) per article."""
        a = schema.articles
        out: dict[str, str | None] = {}
        for chunk in _chunks(sorted(set(article_ids))):
            out.update((r.id, r.published) for r in self.conn.execute(select(a.c.id, a.c.published).where(a.c.id.in_(chunk))))
        return out

    # -- reports ----------------------------------------------------------------------------
    def add_reports(self, rows: Sequence[tuple[Report, tuple[str, str | None, date | None, date | None]]]) -> None:
        """Insert reports with their blocking keys (`fuse.link_window`), no event yet."""
        values = [
            {
                "id": r.id, "article_id": r.article_id, "family": fam, "country": country,
                "date_lo": lo.isoformat() if lo else None, "date_hi": hi.isoformat() if hi else None,
                "event_id": None, "payload": json.dumps(codec.to_jsonable(r), ensure_ascii=False),
            }
            for r, (fam, country, lo, hi) in rows
        ]
        for chunk in _chunks(values):
            self.conn.execute(insert(schema.reports), list(chunk))

    def remove_reports_of(self, article_ids: Sequence[str]) -> list[ReportRow]:
        """Delete the reports of these articles; returns what was deleted (their events need recomputing)."""
        t = schema.reports
        removed: list[ReportRow] = []
        for chunk in _chunks(sorted(set(article_ids))):
            removed += self._report_rows(t.c.article_id.in_(chunk))
            self.conn.execute(delete(t).where(t.c.article_id.in_(chunk)))
        return removed

    def reports(self, report_ids: Iterable[str]) -> list[ReportRow]:
        """These reports."""
        t = schema.reports
        out: list[ReportRow] = []
        for chunk in _chunks(sorted(set(report_ids))):
            out += self._report_rows(t.c.id.in_(chunk))
        return out

    def reports_of_events(self, event_ids: Iterable[str]) -> list[ReportRow]:
        """The reports filed under these events."""
        t = schema.reports
        out: list[ReportRow] = []
        for chunk in _chunks(sorted(set(event_ids))):
            out += self._report_rows(t.c.event_id.in_(chunk))
        return out

    def reports_of_articles(self, article_ids: Iterable[str]) -> list[ReportRow]:
        """The reports of these articles."""
        t = schema.reports
        out: list[ReportRow] = []
        for chunk in _chunks(sorted(set(article_ids))):
            out += self._report_rows(t.c.article_id.in_(chunk))
        return out

    def candidates(self, family: str, country: str | None, lo: date | None, hi: date | None) -> list[ReportRow]:
        """Reports of `family` whose window overlaps [lo, hi] and whose country is `country`, unknown, or any if `country` is None."""
        t = schema.reports
        cond = [t.c.family == family]
        if country is not None:
            cond.append(or_(t.c.country == country, t.c.country.is_(None)))
        if hi is not None:
            cond.append(or_(t.c.date_lo.is_(None), t.c.date_lo <= hi.isoformat()))
        if lo is not None:
            cond.append(or_(t.c.date_hi.is_(None), t.c.date_hi >= lo.isoformat()))
        return self._report_rows(and_(*cond))

    def file_reports(self, event_of: Mapping[str, str]) -> None:
        """Record which event each report now belongs to."""
        t = schema.reports
        by_event: dict[str, list[str]] = {}
        for rid, eid in event_of.items():
            by_event.setdefault(eid, []).append(rid)
        for eid, rids in by_event.items():
            for chunk in _chunks(sorted(rids)):
                self.conn.execute(update(t).where(t.c.id.in_(chunk)).values(event_id=eid))

    def _report_rows(self, where) -> list[ReportRow]:
        t = schema.reports
        rows = self.conn.execute(select(t.c.id, t.c.family, t.c.country, t.c.date_lo, t.c.date_hi, t.c.event_id).where(where)).all()
        missing = [r.id for r in rows if r.id not in self._decoded]
        for chunk in _chunks(missing):
            for r in self.conn.execute(select(t.c.id, t.c.payload).where(t.c.id.in_(chunk))):
                self._decoded[r.id] = codec.from_jsonable(Report, json.loads(r.payload))
        return [ReportRow(self._decoded[r.id], r.family, r.country, r.date_lo, r.date_hi, r.event_id) for r in rows]

    def count_reports(self) -> int:
        """How many reports are indexed."""
        return self.conn.execute(select(func.count()).select_from(schema.reports)).scalar_one()

    # -- duplicate index --------------------------------------------------------------------
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

    # -- story digests -----------------------------------------------------------------------
    def save_digests(self, digests: Sequence[StoryDigest]) -> None:
        """Replace these articles' story digests."""
        t = schema.story_digests
        for chunk in _chunks(sorted({d.article_id for d in digests})):
            self.conn.execute(delete(t).where(t.c.article_id.in_(chunk)))
        values = [{"article_id": d.article_id, "title": d.title, "heading": d.untitled_heading, "packed": d.packed} for d in digests]
        for chunk in _chunks(values):
            self.conn.execute(insert(t), list(chunk))

    def digests(self, article_ids: Iterable[str] | None = None) -> list[StoryDigest]:
        """Story digests of these articles (all when None), by article id."""
        t = schema.story_digests
        cols = select(t.c.article_id, t.c.title, t.c.heading, t.c.packed)
        if article_ids is None:
            return [StoryDigest(*r) for r in self.conn.execute(cols.order_by(t.c.article_id))]
        out: list[StoryDigest] = []
        for chunk in _chunks(sorted(set(article_ids))):
            out += [StoryDigest(*r) for r in self.conn.execute(cols.where(t.c.article_id.in_(chunk)))]
        return sorted(out, key=lambda d: d.article_id)

    def articles_sharing_terms(self, terms: Sequence[str], limit: int, exclude: Iterable[str] = ()) -> list[str]:
        """Articles whose text holds the most of these words (any of them), best first: story candidates."""
        words = [w for w in dict.fromkeys(t.lower() for t in terms) if w.isalnum()][:32]
        if not words:
            return []
        skip = set(exclude)
        if self.conn.dialect.name == "sqlite":
            sql = text(
                "SELECT d.ref_id FROM (SELECT rowid, rank FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT :n) m "
                "JOIN search_docs d ON d.rowid = m.rowid WHERE d.kind = 'article' ORDER BY m.rank"
            )
            params = {"q": " OR ".join(f'"{w}"' for w in words), "n": limit + len(skip) + 10}
        else:
            sql = text(
                "SELECT ref_id FROM search_docs, to_tsquery('english', :q) q WHERE kind = 'article' AND tsv @@ q "
                "ORDER BY ts_rank(tsv, q) DESC LIMIT :n"
            )
            params = {"q": " | ".join(words), "n": limit + len(skip) + 10}
        ids = [r[0] for r in self.conn.execute(sql, params)]
        return [i for i in ids if i not in skip][:limit]

    # -- truce notes ------------------------------------------------------------------------
    def save_truce_notes(self, article_ids: Sequence[str], notes: Mapping[str, dict]) -> None:
        """Replace these articles' truce notes (article id -> JSON-able notes; an article without any has none)."""
        t = schema.truce_notes
        for chunk in _chunks(sorted(set(article_ids))):
            self.conn.execute(delete(t).where(t.c.article_id.in_(chunk)))
        values = [{"article_id": aid, "payload": json.dumps(n, ensure_ascii=False)} for aid, n in sorted(notes.items())]
        for chunk in _chunks(values):
            self.conn.execute(insert(t), list(chunk))

    def all_truce_notes(self) -> list[dict]:
        """Every stored truce note (JSON-able), by article id."""
        t = schema.truce_notes
        return [json.loads(r.payload) for r in self.conn.execute(select(t.c.payload).order_by(t.c.article_id))]

    # -- records ----------------------------------------------------------------------------
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

    def events_where(self, country: str, since: str | None, until: str | None) -> list[str]:
        """Ids of events in `country` dated within [since, until] (None: open)."""
        t = schema.events
        cond = [t.c.country == country, t.c.date.is_not(None)]
        if since:
            cond.append(t.c.date >= since)
        if until:
            cond.append(t.c.date <= until)
        return list(self.conn.execute(select(t.c.id).where(and_(*cond))).scalars())

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

    def unindexed_articles(self) -> list[str]:
        """Stored articles the corpus layer has not taken in yet (a run died between storing and indexing)."""
        a, d = schema.articles, schema.story_digests
        return list(self.conn.execute(select(a.c.id).where(a.c.id.not_in(select(d.c.article_id))).order_by(a.c.id)).scalars())

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

    def clear(self) -> None:
        """Drop everything the corpus layer decided (a rebuild starts from the analyses alone)."""
        for table in (schema.reports, schema.story_digests, schema.dup_units, schema.dup_sentences, schema.dup_bands, schema.dup_vectors,
                      schema.dup_pending, schema.truce_notes, schema.duplicates, schema.dup_group_rows):
            self.conn.execute(delete(table))

    def set_results_version(self) -> None:
        """The fused records now include every stored article."""
        st = schema.store_state
        current = self.conn.execute(select(st.c.value).where(st.c.key == "articles_version")).scalar_one()
        self.conn.execute(update(st).where(st.c.key == "results_version").values(value=current))


_RECORD_TABLES = {"event": schema.events, "story": schema.stories, "ceasefire": schema.ceasefires}
_LINK_TABLES = {"event": (schema.event_articles, "event_id"), "story": (schema.story_articles, "story_id")}

__all__ = ["CorpusSession", "ReportRow", "SentenceRow", "UnitRow", "Ceasefire", "Event", "Story"]
