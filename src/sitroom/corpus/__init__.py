"""The corpus layer: duplicates, events, stories and ceasefires, kept in the store and updated per batch.

`update(store, analyses)` takes in a batch of newly stored analyses and re-decides only what they
touch, in one write transaction:

1. duplicates — their sentences join the stored index (`corpus.duplicates`);
2. events — the link components of their reports are re-clustered (`corpus.events`), ids stable;
3. stories — their story neighbourhoods are re-clustered (`corpus.stories`), ids stable;
4. ceasefires — recomputed from every stored truce note (few articles have any), events linked;
5. records — only the events, stories, ceasefires and duplicate groups that changed are written,
   each change logged, merged ids kept as aliases.

An update is computed from the analyses its batch stored: passed `computed_from` (the snapshot
`save_analyses` returned), it finds out when another writer stored articles in between, takes
nothing in, and leaves the batch and the records marked outdated for `catch_up` (the end of the
run, the next run or `sitroom rebuild`), saying so in one log line.

`rebuild(store)` clears what the layer decided and takes in every stored article again (the
events and duplicates it gives are those of incremental updates in any order; stories are
re-clustered over the whole store), keeping the ids of records that carry on.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from sitroom import codec
from sitroom.ceasefire import TruceNotes, track_ceasefires, truce_notes
from sitroom.corpus import duplicates as dup_index
from sitroom.corpus import events as event_layer
from sitroom.corpus import profiles
from sitroom.corpus import stories as story_layer
from sitroom.errors import StaleResultsError
from sitroom.fusion.cluster import link_window
from sitroom.model import ArticleAnalysis, Ceasefire, Event, Story
from sitroom.stories import SUMMARY_EVENTS, StoryDigest, event_weight, record_weight, story_title, summarise
from sitroom.store.base import ResultsDiff, Store, StoreSnapshot
from sitroom.store.corpus import CorpusSession
from sitroom.store.records import ceasefire_row, duplicate_rows, event_row, story_row
from sitroom.store.schema import record_digest, record_json

Progress = Callable[[str, int], None]
log = logging.getLogger(__name__)

__all__ = ["CorpusResult", "rebuild", "update"]


@dataclass(frozen=True, slots=True)
class CorpusResult(ResultsDiff):
    """What one update wrote (events and stories written and removed) and how long it took."""

    seconds: float


def update(
    store: Store,
    analyses: Sequence[ArticleAnalysis],
    *,
    computed_from: StoreSnapshot | None = None,
    vectors: Mapping[str, np.ndarray] | None = None,
    paraphrase: bool = True,
) -> CorpusResult:
    """Take in newly stored analyses (one transaction); see the module docstring.

    `computed_from`: the snapshot that stored them. When another writer stored articles since,
    nothing is taken in: the batch waits for `catch_up`, read from the store, and the records stay
    marked outdated (the result counts nothing written). `vectors`: embeddings the analysis
    workers already computed (text -> vector); `paraphrase=False` skips embeddings and paraphrases
    altogether (exact and near copies are still found).
    """
    t0 = time.perf_counter()
    try:
        with store.corpus_session(computed_from) as session:
            session.paraphrase = paraphrase
            return _apply(session, analyses, vectors, t0)
    except StaleResultsError as exc:
        # The other writer may have stored newer versions of these very articles: what is in
        # memory here may be out of date, the store is not. The catch-up takes them from there.
        with store.corpus_session() as session:
            session.retake([a.article.id for a in analyses])
        log.warning("%d articles left for the catch-up at the end of the run (records marked outdated): %s", len(analyses), exc)
        return CorpusResult(0, 0, 0, 0, time.perf_counter() - t0)


def needs_rebuild(store: Store) -> bool:
    """True when the store has articles the layer never indexed and no indexed report at all (a pre-0009 store)."""
    with store.corpus_session() as session:
        return session.count_reports() == 0 and bool(session.unindexed_articles())


def catch_up(store: Store, *, vectors: Mapping[str, np.ndarray] | None = None, batch: int = 200, paraphrase: bool = True) -> int:
    """Take in stored articles the layer has not indexed (a run that died before its update); returns how many."""
    with store.corpus_session() as session:
        pending = session.unindexed_articles()
    for lo in range(0, len(pending), batch):
        with store.corpus_session() as session:
            session.paraphrase = paraphrase
            analyses = list(session.analyses(pending[lo : lo + batch]))
            _apply(session, analyses, vectors, time.perf_counter())
    return len(pending)


def rebuild(store: Store, *, batch: int = 500, progress: Progress | None = None, paraphrase: bool = True) -> CorpusResult:
    """Recompute every record from the stored analyses, keeping the ids of records that carry on."""
    t0 = time.perf_counter()
    with store.corpus_session() as session:
        session.paraphrase = paraphrase
        # The ids events had, per report: new clusters are named after them as an update would.
        old_event = {r.report.id: r.event_id for r in session.reports_of_articles(session.all_article_ids()) if r.event_id}
        ids = session.all_article_ids()
        session.clear()
        groups: set[int] = set()
        for lo in range(0, len(ids), batch):
            analyses = list(session.analyses(ids[lo : lo + batch]))
            groups |= _index(session, analyses, None)[1].touched_groups
            if progress:
                progress("indexed", len(analyses))
        rows = session.reports_of_articles(ids)
        session.file_reports({rid: eid for rid, eid in old_event.items()})
        ev = event_layer.update_events(session, [r.report.id for r in rows])
        ev.duplicate_groups |= groups
        st = story_layer.cluster_all(session)
        w, r = _write(session, ev, st, set(ids))
        session.set_results_version()
        return CorpusResult(w[0], r[0], w[1], r[1], time.perf_counter() - t0)


def _index(session: CorpusSession, analyses: Sequence[ArticleAnalysis], vectors) -> tuple[set[str], dup_index.DuplicateUpdate, set[str]]:
    """Put analyses into the layer's tables; returns the seed reports, the index update and the events to redo."""
    ids = [a.article.id for a in analyses]
    removed = session.remove_reports_of(ids)
    session.remove_sentences_of(ids)
    update = dup_index.add_articles(session, analyses, vectors)
    reports = [r for a in analyses for r in a.reports]
    rows = []
    for r in reports:
        profile = profiles.profile_of(r)  # blocking keys and the stored profile from one computation
        rows.append((r, link_window(r, profile), profiles.dump(profile)))
    session.add_reports(rows, profiles.VERSION)
    session.save_digests([StoryDigest.of(a) for a in analyses])
    notes = {a.article.id: codec.to_jsonable(n) for a in analyses if (n := truce_notes(a)) is not None}
    session.save_truce_notes(ids, notes)
    dirty = {r.event_id for r in removed if r.event_id}
    return {r.id for r in reports}, update, dirty


def _apply(session: CorpusSession, analyses: Sequence[ArticleAnalysis], vectors, t0: float) -> CorpusResult:
    seeds, update, dirty = _index(session, analyses, vectors)
    seeds |= set(event_layer._reports_citing_groups(session, update.changed_groups))
    ev = event_layer.update_events(session, seeds, dirty)
    ev.duplicate_groups |= update.touched_groups
    related: dict[str, set[str]] = {}
    for e in ev.events:
        for a in e.article_ids:
            related.setdefault(a, set()).update(e.article_ids)
    st = story_layer.update_stories(session, [a.article.id for a in analyses], related)
    w, r = _write(session, ev, st, {a.article.id for a in analyses})
    if not session.has_unindexed():
        # Articles an earlier run stored and died before taking in keep the records outdated
        # until a catch-up takes them in: marking them current here would hide them for good.
        session.set_results_version()
    return CorpusResult(w[0], r[0], w[1], r[1], time.perf_counter() - t0)


def _write(session: CorpusSession, ev: event_layer.EventsUpdate, st: story_layer.StoriesUpdate, new_articles: set[str]):
    """Finish the records an update touched (story, ceasefire, summary) and write those that changed."""
    story_of = session.story_of_articles({a for e in ev.events for a in e.article_ids} | {a for m in st.members.values() for a in m})
    for sid, members in st.members.items():
        story_of.update((a, sid) for a in members)
    events = {e.id: e for e in ev.events}
    # Events whose articles changed story: their story_id moves with them.
    moved = session.events_of_articles({a for m in st.members.values() for a in m}) - set(events) - ev.removed
    stored_story = session.event_story_ids(moved)
    arts = session.event_articles(moved)
    redo = [eid for eid in sorted(moved) if _vote(arts.get(eid, ()), story_of) != stored_story.get(eid)]
    events.update((e.id, e) for e in event_layer.stored_events(session, redo))
    events = {eid: replace(e, story_id=_vote(e.article_ids, story_of)) for eid, e in events.items()}
    ceasefires, events = _ceasefires(session, events, story_of)
    rows = [event_row(e) for e in events.values()]
    ev_written = session.write_records("event", rows, sorted(ev.removed - set(events)), ev.merged_into)
    session.drop_aliases_of("event", events)
    session.link_articles("event", {eid: e.article_ids for eid, e in events.items()})
    session.file_reports(ev.event_of_report)
    # Stories: those re-clustered, and those whose events changed.
    touched = set(st.members) | {e.story_id for e in events.values() if e.story_id} | {
        s for s in session.event_story_ids(events).values() if s
    }
    touched -= st.removed - set(st.members)
    story_records, event_dates = _stories(session, sorted(touched), st, events)
    st_rows = [story_row(s, event_dates) for s in story_records]
    st_written = session.write_records("story", st_rows, sorted(st.removed - set(st.members)), st.merged_into)
    session.drop_aliases_of("story", [s.id for s in story_records])
    session.link_articles("story", {s.id: s.article_ids for s in story_records})
    linked = session.events_linked_to(c.id for c in ceasefires)
    cf_rows = [ceasefire_row(replace(c, event_ids=tuple(linked.get(c.id, ())))) for c in ceasefires]
    stored_cf = set(session.ceasefire_payloads())
    session.write_records("ceasefire", cf_rows, sorted(stored_cf - {c.id for c in ceasefires}))
    _duplicates(session, ev.duplicate_groups)
    return (ev_written, st_written), (len(ev.removed - set(events)), len(st.removed - set(st.members)))


def _vote(article_ids: Iterable[str], story_of: Mapping[str, str]) -> str | None:
    """The story most of an event's articles are filed under (ties: smallest id)."""
    votes = Counter(story_of[a] for a in article_ids if a in story_of)
    return max(sorted(votes), key=lambda s: votes[s]) if votes else None


def _ceasefires(session: CorpusSession, events: dict[str, Event], story_of: Mapping[str, str]) -> tuple[list[Ceasefire], dict[str, Event]]:
    """Every ceasefire from the stored truce notes; the events to write linked to theirs.

    When a truce's record changed (a new end date, say), stored events inside its old or new period
    are re-linked too.
    """
    notes = [codec.from_jsonable(TruceNotes, n) for n in session.all_truce_notes()]
    ceasefires, _ = track_ceasefires(notes, [])
    stored = {cid: _lifecycle_digest(codec.from_jsonable(Ceasefire, json.loads(p))) for cid, p in session.ceasefire_payloads().items()}
    changed = [c for c in ceasefires if stored.get(c.id) != _lifecycle_digest(c)]
    gone = set(stored) - {c.id for c in ceasefires}
    recheck: set[str] = set()
    if changed or gone:
        for cid, ids in session.events_linked_to({c.id for c in changed} | gone).items():
            recheck.update(ids)
        for c in changed:
            start = c.in_force_from or c.announced
            recheck.update(session.events_dated(start.isoformat() if start else None, c.ended.isoformat() if c.ended else None))
    recheck -= set(events)
    if recheck:
        current = session.event_ceasefire_ids(recheck)
        candidates = {e.id: replace(e, story_id=_vote(e.article_ids, story_of)) for e in event_layer.stored_events(session, sorted(recheck))}
        _, relinked = track_ceasefires(notes, list(candidates.values()))
        for e in relinked:
            if e.ceasefire_id != current.get(e.id):
                events[e.id] = e
    _, linked = track_ceasefires(notes, list(events.values()))
    return ceasefires, {e.id: e for e in linked}


def _lifecycle_digest(c: Ceasefire) -> str:
    """A ceasefire's record without its event list: what decides which events lie under it."""
    return record_digest(record_json(codec.to_jsonable(replace(c, event_ids=()))))


def _stories(
    session: CorpusSession, story_ids: Sequence[str], st: story_layer.StoriesUpdate, events: Mapping[str, Event]
) -> tuple[list[Story], dict[str, str]]:
    """Story records (title, cited summary, timeline) for these stories, and the dates of their events."""
    if not story_ids:
        return [], {}
    members = session.story_members([s for s in story_ids if s not in st.members])
    members.update({s: st.members[s] for s in story_ids if s in st.members})
    stored_events = session.event_ids_of_stories(story_ids)
    by_story: dict[str, dict[str, Event]] = {s: {} for s in story_ids}
    for e in events.values():
        if e.story_id in by_story:
            by_story[e.story_id][e.id] = e
    # A summary cites the story's weightiest events only: stored events are read as records, and
    # only those a summary may cite are rebuilt from their reports.
    others = sorted({eid for sid in story_ids for eid in stored_events.get(sid, ()) if eid not in events})
    records = {eid: json.loads(p) for eid, p in session.event_payloads(others).items()}
    story_of_event = {eid: sid for sid in story_ids for eid in stored_events.get(sid, ())}
    digests = {d.article_id: d for d in session.digests({a for m in members.values() for a in m})}
    out: list[Story] = []
    dates: dict[str, str] = {}
    rebuild: set[str] = set()
    for sid in story_ids:
        mine = [r for eid, r in records.items() if story_of_event.get(eid) == sid]
        weights = sorted([event_weight(e) for e in by_story[sid].values()] + [record_weight(r) for r in mine], reverse=True)
        cut = weights[min(SUMMARY_EVENTS, len(weights)) - 1] if weights else None
        rebuild.update(r["id"] for r in mine if cut is not None and record_weight(r) >= cut)  # ties too: summarise breaks them by date
    for e in event_layer.stored_events(session, sorted(rebuild)):
        by_story[story_of_event[e.id]][e.id] = replace(e, story_id=story_of_event[e.id])
    for sid in story_ids:
        arts = members.get(sid, [])
        if not arts:
            continue
        mine = [r for eid, r in records.items() if story_of_event.get(eid) == sid]
        counts = Counter(a for e in by_story[sid].values() for a in e.article_ids)
        counts.update(a for r in mine if r["id"] not in by_story[sid] for a in r.get("article_ids") or ())
        timeline = sorted([(e.date.isoformat() if e.date else None, e.id) for e in by_story[sid].values()]
                          + [(r.get("date"), r["id"]) for r in mine if r["id"] not in by_story[sid]],
                          key=lambda x: (x[0] is None, x[0] or "", x[1]))
        out.append(Story(sid, story_title([digests[a] for a in arts if a in digests], counts), summarise(sorted(by_story[sid].values(), key=lambda e: (e.date or date.max, e.id))),
                         tuple(arts), tuple(eid for _, eid in timeline)))
        dates.update((eid, d) for d, eid in timeline if d)
    return out, dates


def _duplicates(session: CorpusSession, groups: set[int]) -> None:
    """Rewrite the duplicate-group rows of these groups (and drop the rows of groups merged into them)."""
    if not groups:
        return
    old_rows = session.duplicate_ids_of_groups(groups)
    units = session.units_in_groups("all_group", groups)
    current = {u.all_group for u in units}
    texts = session.article_texts({s.article_id for s in session.sentences_of_units(u.id for u in units)})
    found = dup_index.duplicate_rows(session, current, texts)
    rows, noted = [], []
    for label, group in found:
        for row in duplicate_rows([group]):
            rows.append(row)
            noted.append((label, row["id"]))
    session.replace_duplicates(rows, old_rows)
    session.note_group_rows(noted)
