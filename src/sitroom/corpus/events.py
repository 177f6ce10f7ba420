"""Events maintained as reports arrive: re-decide only the part of the record new reports touch.

Fusion (`sitroom.fuse`) clusters a set of reports, and its clustering decomposes: reports that
cannot link never share an event, so the events of a set are the union of the events of its link
components. An update therefore gathers the link component of every new (or otherwise touched)
report — its candidates come from the store by blocking keys (`fusion.cluster.profile_window`), a candidate
joins when fusion's clustering could join the pair directly (`_may_pair`, `_may_pair_sharing`), and so on until nothing new joins — and
clusters that component alone. The same function run over every report (`sitroom rebuild`) gives the same events.

Ids are stable: a new cluster keeps the id of the oldest stored event among its reports' events
(first seen first); a stored event whose reports all went to another cluster is recorded as merged
into it (an alias), one whose reports are gone is removed; a cluster with no stored event gets the
hash of its earliest report, as a rebuild from scratch would give it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sitroom import codec
from sitroom.corpus import duplicates
from sitroom.corpus import profiles as stored_profiles
from sitroom.corpus.ids import name_groups
from sitroom.extract.dates import is_partial_weekday
from sitroom.fuse import build_event
from sitroom.fusion.cluster import anchored, can_link, cluster_reports, profile_window, specific
from sitroom.fusion.dates import anchor_undated
from sitroom.fusion.evidence import Profile, compare, veto
from sitroom.fusion.weights import Weights
from sitroom.model import Event, Report
from sitroom.store.corpus import CorpusSession, ReportRow

__all__ = ["EventsUpdate", "gather", "update_events", "events_of", "stored_events"]


@dataclass
class EventsUpdate:
    """The events an update rebuilt (final ids), the ids it removed and which of those merged into which."""

    events: list[Event] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    merged_into: dict[str, str] = field(default_factory=dict)
    event_of_report: dict[str, str] = field(default_factory=dict)
    duplicate_groups: set[int] = field(default_factory=set)  # duplicate groups paraphrases merged


def gather(
    session: CorpusSession,
    seeds: Mapping[str, ReportRow],
    profiles: dict[str, tuple[Profile, tuple]] | None = None,
    fresh: dict[str, Profile] | None = None,
) -> dict[str, ReportRow]:
    """The link components of the seed reports: every stored report fusion could pair with them, transitively.

    Two reports are joined here when fusion's clustering could join them directly (`_may_pair`):
    alike in every trait but their article (one class of copies), or a pair fusion scores over its
    link threshold and anchors to one incident on their own traits, or a pair that cites one
    duplicate group (a shared sentence can lift both the score and a toll veto). Fusion's clusters
    never cross such a component, and its clustering of a set is the union of its clusterings of
    the set's components, so clustering the components of the seeds gives what a rebuild gives.
    Following every pair that could link *were* a sentence shared would instead chain a new report
    to a large part of the store, through pairs that no sentence joins.

    `profiles`: report id -> (profile, blocking keys) already computed (filled in as it goes), so
    that gathering again after paraphrases grew a component does not profile every report twice.
    Profiles are read from the store (`corpus.profiles`); `fresh` collects those that had to be
    computed (a report stored without one, or by other fusion code) for the caller to store.
    """
    rows = dict(seeds)
    frontier = sorted(rows)
    windows: dict[tuple, list[ReportRow]] = {}
    profiles = {} if profiles is None else profiles  # reports are immutable within a session: computed once
    fresh = {} if fresh is None else fresh
    weights = Weights.default()

    def traits(row: ReportRow) -> tuple[Profile, tuple]:
        # From the stored profile alone where it is current: a window's candidates are not decoded.
        if row.id not in profiles:
            if row.profile is not None and row.profile_version == stored_profiles.VERSION:
                profile = stored_profiles.load(row.profile)
            else:  # indexed before profiles were stored, or by other fusion code: computed now, stored at the end
                profile = stored_profiles.profile_of(row.report)
                fresh[row.id] = profile
            profiles[row.id] = (profile, profile_window(profile))
        return profiles[row.id]

    while frontier:
        found: list[str] = []
        session.decode_reports(rows[rid] for rid in frontier)  # the frontier's sources are read next
        for rid, c in _sharing_sentences(session, [rows[rid] for rid in frontier]):
            if c.id not in rows and _may_pair_sharing(*traits(rows[rid]), *traits(c), weights):
                rows[c.id] = c
                found.append(c.id)
        for rid in frontier:
            pa, wa = traits(rows[rid])
            if wa not in windows:
                windows[wa] = session.candidates(*wa)
            for c in windows[wa]:
                if c.id not in rows and _may_pair(pa, wa, *traits(c), weights):
                    rows[c.id] = c
                    found.append(c.id)
        frontier = sorted(found)
    session.decode_reports(rows.values())
    return rows


def _may_pair(pa: Profile, wa: tuple, pb: Profile, wb: tuple, weights: Weights) -> bool:
    """Whether fusion's clustering could join two reports directly when they cite no common duplicate group.

    Profiles here carry no duplicate keys: without a shared sentence, fusion's levels and vetoes of
    the pair are these (`fusion.cluster.cluster_reports`: over the threshold and anchored; reports
    alike in every trait but the article are weighed as one class).
    """
    if pa.profile == pb.profile:
        return True
    if pa.article_id == pb.article_id or not can_link(wa, wb) or veto(pa, pb) is not None:
        return False
    levels = compare(pa, pb)
    return weights.score(levels) >= weights.threshold and anchored(levels)


def _may_pair_sharing(pa: Profile, wa: tuple, pb: Profile, wb: tuple, weights: Weights) -> bool:
    """Whether fusion could join two reports that cite one duplicate group (a shared sentence).

    The sentence is an anchor and adds its weight, and it can corroborate two tolls that would
    veto the pair otherwise (`evidence.corroborated`); every other veto stands.
    """
    if pa.article_id == pb.article_id or not can_link(wa, wb) or veto(pa, pb) not in (None, "toll"):
        return False
    return weights.score({**compare(pa, pb), "sentence": "shared"}) >= weights.threshold


def _sharing_sentences(session: CorpusSession, rows: Sequence[ReportRow]) -> list[tuple[str, ReportRow]]:
    """(report id among `rows`, report of another article) pairs that cite a sentence of one duplicate group.

    Only the specific sentences of `rows` count, as in fusion's evidence (`fusion.cluster.specific`).
    """
    keys = duplicates.evidence_keys(session, {r.report.article_id for r in rows})
    citing: dict[int, list[ReportRow]] = {}  # duplicate group -> the reports among `rows` citing it
    for r in rows:
        groups = {keys.group_of(s) for s in r.report.sources if specific(s.sentence)}
        for key in sorted(g for g in groups if g is not None):
            citing.setdefault(int(key.removeprefix("dup")), []).append(r)
    if not citing:
        return []
    units = session.units_in_groups("all_group", citing)
    group_of_unit = {u.id: u.all_group for u in units}
    group_at: dict[tuple[str, int], int] = {}
    for row in session.sentences_of_units(group_of_unit):
        g = group_of_unit[row.unit_id]
        if row.cited and any(r.report.article_id != row.article_id for r in citing[g]):
            group_at[(row.article_id, row.start)] = g
    out: list[tuple[str, ReportRow]] = []
    for c in session.reports_of_articles({a for a, _ in group_at}):
        shared = {group_at[k] for span in c.report.sources if (k := (c.report.article_id, span.start)) in group_at}
        out += [(r.report.id, c) for g in sorted(shared) for r in citing[g] if r.report.article_id != c.report.article_id]
    return out


def update_events(session: CorpusSession, seeds: Iterable[str], dirty_events: Iterable[str] = ()) -> EventsUpdate:
    """Recluster the link components of these reports (and of the reports of `dirty_events`), keeping ids stable."""
    start = {r.report.id: r for r in session.reports(seeds)}
    dirty = set(dirty_events)
    start.update((r.report.id, r) for r in session.reports_of_events(dirty))
    profiles: dict[str, tuple[Profile, tuple]] = {}
    fresh: dict[str, Profile] = {}
    rows = gather(session, start, profiles, fresh)
    changed_groups: set[int] = set()
    looked: set[str] = set()  # undated articles whose reports were looked up
    # Paraphrases between the sentences these reports cite are evidence of one source; a group
    # that grows changes the evidence of every report citing it, wherever that report is.
    while True:
        cited = _cited_units(session, rows.values())
        update = duplicates.relate_paraphrases(session, cited)
        changed_groups |= update.changed_groups
        touched = _reports_citing_groups(session, update.changed_groups)
        more = {rid: r for rid, r in touched.items() if rid not in rows}
        more.update(_undated_siblings(session, rows, looked))
        if not more:
            break
        rows = gather(session, {**rows, **more}, profiles, fresh)
    session.save_profiles({rid: stored_profiles.dump(p) for rid, p in fresh.items()}, stored_profiles.VERSION)
    old_event = {rid: r.event_id for rid, r in rows.items() if r.event_id}
    keys = duplicates.evidence_keys(session, {r.report.article_id for r in rows.values()})
    groups = cluster_reports([r.report for r in rows.values()], keys)
    anchors = anchor_undated(groups)
    built = [build_event(group, keys, anchors=anchors) for group in groups]
    out = _assign_ids(session, built, old_event, dirty)
    out.duplicate_groups = changed_groups
    return out


def _undated_siblings(session: CorpusSession, rows: Mapping[str, ReportRow], looked: set[str]) -> dict[str, ReportRow]:
    """Every report of an undated article that names a weekday, for each such article among `rows`.

    The weekday's day comes from the other events the article reports (`fusion.dates.anchor_undated`),
    so all of them are decided together, as a rebuild from scratch decides them.
    """
    undated = {r.report.article_id for r in rows.values() if r.report.published is None} - looked
    if not undated:
        return {}
    looked |= undated
    by_article: dict[str, list[ReportRow]] = {}
    for r in session.reports_of_articles(undated):
        by_article.setdefault(r.report.article_id, []).append(r)
    return {
        r.report.id: r
        for reps in by_article.values()
        if any(r.report.date is None and is_partial_weekday(r.report.date_partial) for r in reps)
        for r in reps
        if r.report.id not in rows
    }


def stored_events(session: CorpusSession, event_ids: Iterable[str]) -> list[Event]:
    """Stored events as written (`events_of` for any without a stored record), by id: for a change of story or truce.

    An update rebuilds and rewrites every event whose reports, duplicate groups or anchors changed,
    so the stored record of any other event is what rebuilding it from its reports gives; decoding
    it costs a thousandth of rebuilding (profiles, evidence links) when a story's summary needs its events.
    """
    wanted = sorted(set(event_ids))
    payloads = session.event_payloads(wanted)
    out = {eid: codec.from_jsonable(Event, json.loads(p)) for eid, p in payloads.items()}
    out.update((e.id, e) for e in events_of(session, [eid for eid in wanted if eid not in out]))
    return [out[eid] for eid in wanted if eid in out]


def events_of(session: CorpusSession, event_ids: Iterable[str]) -> list[Event]:
    """Stored events rebuilt from their reports (as filed), without reclustering: for a change of story or truce."""
    by_event: dict[str, list[Report]] = {}
    rows = session.reports_of_events(event_ids)
    for r in rows:
        if r.event_id is not None:  # always, for rows asked for by event
            by_event.setdefault(r.event_id, []).append(r.report)
    keys = duplicates.evidence_keys(session, {r.report.article_id for r in rows})
    anchors = _stored_anchors(session, rows)
    return [replace(build_event(sorted(reps, key=lambda r: r.id), keys, anchors=anchors), id=eid) for eid, reps in sorted(by_event.items())]


def _stored_anchors(session: CorpusSession, rows: list[ReportRow]) -> dict[str, date]:
    """The anchors of the undated articles among `rows`, from every stored event those articles report in."""
    siblings = _undated_siblings(session, {r.report.id: r for r in rows}, set())
    if not siblings and not any(is_partial_weekday(r.report.date_partial) for r in rows):
        return {}
    groups: dict[str, list[Report]] = {}
    for r in [*rows, *siblings.values()]:
        if r.event_id:
            groups.setdefault(r.event_id, []).append(r.report)
    others = {r.event_id for r in siblings.values() if r.event_id} - {r.event_id for r in rows}
    for r in session.reports_of_events(others):
        if r.event_id and r.report.id not in siblings:
            groups.setdefault(r.event_id, []).append(r.report)
    return anchor_undated([sorted(g, key=lambda r: r.id) for _, g in sorted(groups.items())])


def _assign_ids(session: CorpusSession, built: list[Event], old_event: Mapping[str, str], gone: set[str]) -> EventsUpdate:
    """Give each built event the oldest stored id among its reports' events, else a fresh one (`corpus.ids`)."""
    naming = name_groups(session, "event", [e.report_ids for e in built], [e.id for e in built], old_event, gone)
    out = EventsUpdate(removed=naming.removed, merged_into=naming.merged_into)
    for e, eid in zip(built, naming.ids):
        out.events.append(replace(e, id=eid))
        out.event_of_report.update((r, eid) for r in e.report_ids)
    return out


def _cited_units(session: CorpusSession, rows: Iterable[ReportRow]) -> set[int]:
    """Units of the sentences these reports cite."""
    rows = list(rows)
    starts = {(r.report.article_id, s.start) for r in rows for s in (*r.report.sources, *(c.source for c in r.report.claims))}
    sentences = session.sentences_of_articles({a for a, _ in starts})
    return {s.unit_id for s in sentences if (s.article_id, s.start) in starts}


def _reports_citing_groups(session: CorpusSession, groups: set[int]) -> dict[str, ReportRow]:
    """Stored reports that cite a sentence of one of these duplicate groups."""
    if not groups:
        return {}
    units = session.units_in_groups("all_group", groups)
    sentences = [s for s in session.sentences_of_units(u.id for u in units) if s.cited]
    starts = {(s.article_id, s.start) for s in sentences}
    out = {}
    for r in session.reports_of_articles({a for a, _ in starts}):
        if any((r.report.article_id, s.start) in starts for s in (*r.report.sources, *(c.source for c in r.report.claims))):
            out[r.report.id] = r
    return out
