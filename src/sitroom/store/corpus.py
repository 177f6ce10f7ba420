"""The corpus layer's reads and writes, inside one write transaction (`SqlStore.corpus_session`).

The corpus layer (`sitroom.corpus`) keeps what it decided in the store — reports by blocking keys,
the duplicate index, truce notes, which report belongs to which event — and updates it for the
articles one batch touches. Everything one update reads and writes goes through one
`CorpusSession`, i.e. one transaction: a crash leaves the store as of the last batch, never half
an update. Shared by SQLite and PostgreSQL (SQLAlchemy Core, no dialect branches: the one full-text
query it needs is the backend's, passed in).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.engine import Connection

from sitroom import codec
from sitroom.model import ArticleAnalysis, Ceasefire, Event, Report, Story
from sitroom.stories import StoryDigest
from sitroom.store import schema
from sitroom.store.chunked import chunks, delete_in, insert_all, mapping_in, rows_in
from sitroom.store.corpus_index import DuplicateTables, SentenceRow, UnitRow
from sitroom.store.corpus_records import RecordTables


class ReportRow:
    """A stored report with its blocking keys and the event it was last filed under.

    The report itself is decoded when first asked for: most candidates of a blocking window are
    ruled out on their stored profile alone, and decoding each one's payload was most of what a
    window cost (a window grows with the store).
    """

    __slots__ = ("id", "family", "country", "date_lo", "date_hi", "event_id", "profile", "profile_version", "_report", "_load")

    def __init__(
        self,
        report_id: str,
        family: str,
        country: str | None,
        date_lo: str | None,
        date_hi: str | None,
        event_id: str | None,
        profile: bytes | None = None,  # its fusion profile as stored (`corpus.profiles`), None when not stored
        profile_version: str | None = None,  # the code that computed it (`corpus.profiles.VERSION`)
        *,
        report: Report | None = None,
        load: Callable[[str], Report] | None = None,
    ) -> None:
        self.id = report_id
        self.family, self.country, self.date_lo, self.date_hi, self.event_id = family, country, date_lo, date_hi, event_id
        self.profile, self.profile_version = profile, profile_version
        self._report, self._load = report, load

    @property
    def report(self) -> Report:
        if self._report is None:
            assert self._load is not None, "a report row holds its report or a way to load it"
            self._report = self._load(self.id)
        return self._report

    @property
    def decoded(self) -> bool:
        return self._report is not None


class CorpusSession(DuplicateTables, RecordTables):
    """Reads and writes of one corpus update, all on one write connection (one transaction)."""

    def __init__(self, conn: Connection, now: str, articles_matching_any: Callable[[Connection, Sequence[str], int], list[str]]) -> None:
        self.conn = conn
        self.now = now
        self._articles_matching_any = articles_matching_any  # the backend's full-text query (SqlStore)
        self.paraphrase = True  # embeddings and paraphrases on (SITROOM_PARAPHRASE=0 turns them off)
        self._decoded: dict[str, Report] = {}  # reports are immutable: each payload is decoded once per session

    # -- analyses ---------------------------------------------------------------------------
    def analyses(self, article_ids: Sequence[str]) -> Iterator[ArticleAnalysis]:
        """The stored analyses of these articles (text restored), in id order."""
        a = schema.articles
        for row in rows_in(self.conn, select(a.c.text, a.c.analysis).order_by(a.c.id), a.c.id, article_ids):
            data = json.loads(row.analysis)
            data["article"]["text"] = row.text
            yield codec.from_jsonable(ArticleAnalysis, data)

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The text of each of these articles."""
        a = schema.articles
        return mapping_in(self.conn, a.c.id, a.c.text, article_ids)

    def all_article_ids(self) -> list[str]:
        """Every stored article id, sorted."""
        return list(self.conn.execute(select(schema.articles.c.id).order_by(schema.articles.c.id)).scalars())

    # -- reports ----------------------------------------------------------------------------
    def add_reports(
        self, rows: Sequence[tuple[Report, tuple[str, str | None, date | None, date | None], bytes | None]], profile_version: str | None = None
    ) -> None:
        """Insert reports with their blocking keys (`fusion.link_window`) and stored profiles (`corpus.profiles`), no event yet."""
        values = [
            {
                "id": r.id, "article_id": r.article_id, "family": fam, "country": country,
                "date_lo": lo.isoformat() if lo else None, "date_hi": hi.isoformat() if hi else None,
                "event_id": None, "payload": json.dumps(codec.to_jsonable(r), ensure_ascii=False),
                "profile": profile, "profile_version": profile_version if profile is not None else None,
            }
            for r, (fam, country, lo, hi), profile in rows
        ]
        insert_all(self.conn, schema.reports, values)

    def reports_without_profile(self, profile_version: str) -> list[str]:
        """Ids of the reports whose profile is missing or was computed by other code than `profile_version`."""
        t = schema.reports
        stale = or_(t.c.profile_version.is_(None), t.c.profile_version != profile_version)
        return list(self.conn.execute(select(t.c.id).where(stale).order_by(t.c.id)).scalars())

    def save_profiles(self, profiles: Mapping[str, bytes], profile_version: str) -> None:
        """Store these reports' profiles (report id -> stored profile), computed by code of `profile_version`."""
        t = schema.reports
        for rid, blob in sorted(profiles.items()):
            self.conn.execute(update(t).where(t.c.id == rid).values(profile=blob, profile_version=profile_version))

    def remove_reports_of(self, article_ids: Sequence[str]) -> list[ReportRow]:
        """Delete the reports of these articles; returns what was deleted (their events need recomputing)."""
        t = schema.reports
        removed = self._reports_in(t.c.article_id, article_ids)
        delete_in(self.conn, t, t.c.article_id, article_ids)
        return removed

    def reports(self, report_ids: Iterable[str]) -> list[ReportRow]:
        """These reports."""
        return self._reports_in(schema.reports.c.id, report_ids)

    def reports_of_events(self, event_ids: Iterable[str]) -> list[ReportRow]:
        """The reports filed under these events."""
        return self._reports_in(schema.reports.c.event_id, event_ids)

    def reports_of_articles(self, article_ids: Iterable[str]) -> list[ReportRow]:
        """The reports of these articles."""
        return self._reports_in(schema.reports.c.article_id, article_ids)

    def _reports_in(self, column: ColumnElement, ids: Iterable[str]) -> list[ReportRow]:
        """The reports whose `column` is one of `ids`, chunk by chunk in id order."""
        out: list[ReportRow] = []
        for chunk in chunks(sorted(set(ids))):
            out += self._report_rows(column.in_(chunk))
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
        return self._report_rows(and_(*cond), decode=False)  # most are ruled out on their profiles

    def file_reports(self, event_of: Mapping[str, str]) -> None:
        """Record which event each report now belongs to."""
        t = schema.reports
        by_event: dict[str, list[str]] = {}
        for rid, eid in event_of.items():
            by_event.setdefault(eid, []).append(rid)
        for eid, rids in by_event.items():
            for chunk in chunks(sorted(rids)):
                self.conn.execute(update(t).where(t.c.id.in_(chunk)).values(event_id=eid))

    def _report_rows(self, where, *, decode: bool = True) -> list[ReportRow]:
        """The rows `where` selects, their reports decoded now or (`decode=False`) when first asked for."""
        t = schema.reports
        cols = (t.c.id, t.c.family, t.c.country, t.c.date_lo, t.c.date_hi, t.c.event_id, t.c.profile, t.c.profile_version)
        rows = self.conn.execute(select(*cols).where(where)).all()
        if decode:
            self._decode([r.id for r in rows])
        return [ReportRow(r.id, r.family, r.country, r.date_lo, r.date_hi, r.event_id, r.profile, r.profile_version,
                          report=self._decoded.get(r.id), load=self._report) for r in rows]

    def _decode(self, report_ids: Iterable[str]) -> None:
        """Decode the payloads of these reports not decoded yet in this session, in one read."""
        t = schema.reports
        missing = sorted({rid for rid in report_ids if rid not in self._decoded})
        for rid, payload in mapping_in(self.conn, t.c.id, t.c.payload, missing).items():
            self._decoded[rid] = codec.from_jsonable(Report, json.loads(payload))

    def _report(self, report_id: str) -> Report:
        self._decode([report_id])
        return self._decoded[report_id]

    def decode_reports(self, rows: Iterable[ReportRow]) -> None:
        """Decode the reports of these rows that were read without them, in one read (before they are all used)."""
        rows = [r for r in rows if not r.decoded]
        self._decode(r.id for r in rows)
        for r in rows:
            r._report = self._decoded[r.id]

    def count_reports(self) -> int:
        """How many reports are indexed."""
        return self.conn.execute(select(func.count()).select_from(schema.reports)).scalar_one()

    # -- story digests -----------------------------------------------------------------------
    def save_digests(self, digests: Sequence[StoryDigest]) -> None:
        """Replace these articles' story digests."""
        t = schema.story_digests
        delete_in(self.conn, t, t.c.article_id, {d.article_id for d in digests})
        values = [{"article_id": d.article_id, "title": d.title, "heading": d.untitled_heading, "packed": d.packed,
                   "published": d.published.isoformat() if d.published else None} for d in digests]
        insert_all(self.conn, t, values)

    def digests(self, article_ids: Iterable[str] | None = None) -> list[StoryDigest]:
        """Story digests of these articles (all when None), by article id."""
        t = schema.story_digests
        cols = select(t.c.article_id, t.c.title, t.c.heading, t.c.packed, t.c.published)

        def digest(r) -> StoryDigest:
            return StoryDigest(r.article_id, r.title, r.heading, r.packed, date.fromisoformat(r.published) if r.published else None)

        if article_ids is None:
            return [digest(r) for r in self.conn.execute(cols.order_by(t.c.article_id))]
        return sorted((digest(r) for r in rows_in(self.conn, cols, t.c.article_id, article_ids)), key=lambda d: d.article_id)

    def articles_sharing_terms(self, terms: Sequence[str], limit: int, exclude: Iterable[str] = ()) -> list[str]:
        """Articles whose text holds the most of these words (any of them), best first: story candidates."""
        words = [w for w in dict.fromkeys(t.lower() for t in terms) if w.isalnum()][:32]
        if not words:
            return []
        skip = set(exclude)
        ids = self._articles_matching_any(self.conn, words, limit + len(skip) + 10)
        return [i for i in ids if i not in skip][:limit]

    # -- truce notes ------------------------------------------------------------------------
    def save_truce_notes(self, article_ids: Sequence[str], notes: Mapping[str, dict]) -> None:
        """Replace these articles' truce notes (article id -> JSON-able notes; an article without any has none)."""
        t = schema.truce_notes
        delete_in(self.conn, t, t.c.article_id, article_ids)
        values = [{"article_id": aid, "payload": json.dumps(n, ensure_ascii=False)} for aid, n in sorted(notes.items())]
        insert_all(self.conn, t, values)

    def all_truce_notes(self) -> list[dict]:
        """Every stored truce note (JSON-able), by article id."""
        t = schema.truce_notes
        return [json.loads(r.payload) for r in self.conn.execute(select(t.c.payload).order_by(t.c.article_id))]

    def unindexed_articles(self) -> list[str]:
        """Stored articles the corpus layer has not taken in yet (a run died between storing and indexing)."""
        a, d = schema.articles, schema.story_digests
        return list(self.conn.execute(select(a.c.id).where(a.c.id.not_in(select(d.c.article_id))).order_by(a.c.id)).scalars())

    def retake(self, article_ids: Iterable[str]) -> None:
        """These articles await the layer again (`unindexed_articles` lists them) and the records are outdated.

        For an update that could not run: the articles' story digests go, which is what marks an
        article taken in, and the records stay outdated until a catch-up has taken them in, even
        if another writer's update has marked them current meanwhile.
        """
        t = schema.story_digests
        delete_in(self.conn, t, t.c.article_id, article_ids)
        st = schema.store_state
        self.conn.execute(update(st).where(st.c.key == "results_version").values(value=0))

    def has_unindexed(self) -> bool:
        """Whether any stored article awaits the corpus layer.

        An article is taken in when it has a story digest, and a digest belongs to a stored article
        (articles are replaced, never dropped; `retake` drops the digest), so two counts answer it:
        probing every article for its digest grows with the store at every update. Should
        the digests ever outnumber the articles, the probe decides.
        """
        a, d = schema.articles, schema.story_digests
        articles = self.conn.execute(select(func.count()).select_from(a)).scalar_one()
        digests = self.conn.execute(select(func.count()).select_from(d)).scalar_one()
        if articles != digests:
            return articles > digests or self._probe_unindexed()
        return False

    def _probe_unindexed(self) -> bool:
        """The first stored article without a digest, looked for one by one."""
        a, d = schema.articles, schema.story_digests
        waiting = select(a.c.id).where(~exists().where(d.c.article_id == a.c.id)).limit(1)
        return self.conn.execute(waiting).first() is not None

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


__all__ = ["CorpusSession", "ReportRow", "SentenceRow", "UnitRow", "Ceasefire", "Event", "Story"]
