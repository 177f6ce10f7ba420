"""What changed in the record since a time, keyed by when reports arrived (ingest time), not by event date.

A monitor returns every morning to the same events. `what_changed(store, since)` reads the store's
change log (`Store.changes_since`) for a window of arrival time and sorts it into what a monitor
asks: which events are new, which changed their figures, place, date or kind, which gained a
contradiction, which ceasefires changed status, which stories grew. `headline` turns that into three
to five sentences, each citing the articles it rests on; the home view and `sitroom brief --since`
put them before the detail. Every list it returns holds exactly what falls in the window it names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sitroom.model import ceasefire_status
from sitroom.sources import claim_positions, positions_text
from sitroom.store.base import RecordChange, Store
from sitroom.taxonomy import SUB_EVENT_LABELS

FIGURE_FIELDS = ("fatalities", "injured")
STATUS_FIELDS = ("location", "date", "sub_event_type")
MAX_DETAIL = 200  # records read in full per list (the newest); the counts cover every change
MAX_LOG = 200_000  # change-log rows read for one window


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass
class RecordDelta:
    """One record's changes within the window, merged: first `before`, last `after` of each stated field."""

    kind: str
    record_id: str
    first_change: str  # new | updated | removed | merged
    last_at: str
    fields: set[str] = field(default_factory=set)
    detail: dict[str, list] = field(default_factory=dict)
    record: dict | None = None

    @property
    def is_new(self) -> bool:
        return self.first_change == "new"

    @property
    def row(self) -> dict:
        """The record as read for display; only for a delta whose record was read (`record` set)."""
        if self.record is None:
            raise LookupError(f"the {self.kind} {self.record_id} of this delta was not read")
        return self.record

    def moved(self, name: str) -> tuple | None:
        """(before, after) of a stated field when it differs across the window, else None."""
        pair = self.detail.get(name)
        return (pair[0], pair[1]) if pair and pair[0] != pair[1] else None


@dataclass
class Changes:
    """The record's changes in one window of arrival time."""

    start: str
    end: str
    new_events: list[RecordDelta]
    changed_events: list[RecordDelta]  # figures, place, date or kind changed
    new_contradictions: list[RecordDelta]  # events that gained a contradiction (new ones with one included)
    ceasefires: list[RecordDelta]  # new truces and status changes
    stories: list[RecordDelta]  # new stories and stories that gained articles
    removed: list[RecordDelta]  # events removed or merged into another
    n_changes: int

    @property
    def empty(self) -> bool:
        return not (self.new_events or self.changed_events or self.new_contradictions or self.ceasefires or self.stories or self.removed)


def window(since: timedelta, now: datetime | None = None) -> tuple[str, str]:
    """The (start, end) of a window of `since` ending `now` (UTC, ISO 8601 to the second)."""
    end = now or datetime.now(UTC)
    return _iso(end - since), _iso(end)


def merge(changes: Iterable[RecordChange], end: str) -> dict[tuple[str, str], RecordDelta]:
    """Per record, its changes in the window merged into one delta (changes after `end` left out)."""
    out: dict[tuple[str, str], RecordDelta] = {}
    for c in changes:
        if c.at > end:
            continue
        key = (c.kind, c.record_id)
        delta = out.get(key)
        if delta is None:
            delta = out[key] = RecordDelta(c.kind, c.record_id, c.change, c.at)
        elif c.change in ("removed", "merged"):
            delta.first_change = c.change if not delta.is_new else "new-then-removed"
        delta.last_at = c.at
        delta.fields.update(c.fields)
        for name, (before, after) in (c.detail or {}).items():
            if name in delta.detail:
                delta.detail[name][1] = after
            else:
                delta.detail[name] = [before, after]
    return out


def what_changed(
    store: Store, since: timedelta, now: datetime | None = None, story_id: str | None = None, detail: int = MAX_DETAIL
) -> Changes:
    """The changes of the window `since` before `now`; the newest `detail` records of each list read as they stand now.

    Which event is new, changed or newly contested is read from the log alone; records are read
    only for what is shown (and, for a one-story brief, to tell its events apart).
    """
    start, end = window(since, now)
    log = store.changes_since(start, limit=MAX_LOG)
    deltas = merge(log, end)
    events, ceasefires, stories, removed = [], [], [], []
    for (kind, record_id), delta in sorted(deltas.items(), key=lambda kv: kv[1].last_at):
        if delta.first_change in ("removed", "merged", "new-then-removed"):
            if kind == "event" and delta.first_change != "new-then-removed":
                removed.append(delta)
            continue
        if kind == "event":
            events.append(delta)
        elif kind == "ceasefire":
            ceasefires.append(delta)
        elif kind == "story":
            stories.append(delta)
    if story_id:
        records = store.get_events([d.record_id for d in events])
        for delta in events:
            delta.record = records.get(delta.record_id)
        events = [d for d in events if d.record and d.record.get("story_id") == story_id]
        stories = [d for d in stories if d.record_id == story_id]
    truces = {c["id"]: c for c in store.list_ceasefires()} if ceasefires else {}
    for delta in ceasefires:
        delta.record = truces.get(delta.record_id)

    def status_moved(d: RecordDelta) -> bool:
        before = ceasefire_status((d.detail.get("ended") or [None])[0], (d.detail.get("in_force_from") or [None])[0])
        after = ceasefire_status((d.detail.get("ended") or [None, None])[1], (d.detail.get("in_force_from") or [None, None])[1])
        return d.is_new or before != after or d.moved("violations") is not None

    def contested(d: RecordDelta) -> bool:
        before, after = d.detail.get("contradictions") or (0, 0)
        return (after or 0) > (before or 0)

    new_events = [d for d in events if d.is_new]
    changed = [d for d in events if not d.is_new and any(d.moved(f) for f in FIGURE_FIELDS + STATUS_FIELDS)]
    newly_contested = [d for d in events if contested(d)]
    # The deadliest new event and the biggest change of a toll lead the top line: read them too.
    deadliest = max((d for d in new_events if (d.detail.get("fatalities") or [None, None])[1] is not None),
                    key=lambda d: d.detail["fatalities"][1], default=None)
    moved = max((d for d in changed if d.moved("fatalities")), default=None, key=_toll_change)
    wanted = [d for d in (*new_events[-detail:], *changed[-detail:], *newly_contested[-detail:], deadliest, moved)
              if d is not None and d.record is None]
    records = store.get_events([d.record_id for d in wanted])  # one query, not one per record
    for delta in wanted:
        delta.record = records.get(delta.record_id)
    stories = [d for d in stories if d.is_new or d.moved("article_ids")]
    grown = max((d for d in stories if not d.is_new), default=None, key=lambda d: ((d.moved("article_ids") or (0, 0))[1] or 0))
    for shown in [*stories[-detail:], grown]:
        if shown is not None and shown.record is None:
            shown.record = store.get_story(shown.record_id)
    return Changes(
        start=start,
        end=end,
        new_events=new_events,
        changed_events=changed,
        new_contradictions=newly_contested,
        ceasefires=[d for d in ceasefires if d.record and status_moved(d)],
        stories=stories,
        removed=removed,
        n_changes=len(log),
    )


def _toll_change(d: RecordDelta) -> int:
    """How far the window moved an event's death toll (0 when it did not)."""
    before, after = d.moved("fatalities") or (0, 0)
    return abs((after or 0) - (before or 0))


def _best(event: dict) -> int | None:
    return (event.get("fatalities") or {}).get("best")


def _place(event: dict) -> str:
    return (event.get("location") or {}).get("name") or "an unreported place"


def _kind(event: dict) -> str:
    """The event's kind in a sentence: ACLED's label in lower case ("air/drone strike"), the code made readable otherwise."""
    sub = event.get("sub_event_type")
    return SUB_EVENT_LABELS[sub].lower() if sub in SUB_EVENT_LABELS else (sub or "event").replace("_", " ")


def _a(phrase: str) -> str:
    """The phrase with its indefinite article: "an air/drone strike", "a shelling"."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _claim_articles(event: dict, field_name: str = "fatalities") -> list[str]:
    ids = [c["source"]["article_id"] for c in event.get("claims") or () if c.get("field") == field_name]
    return list(dict.fromkeys(ids or [s["article_id"] for s in event.get("sources") or ()]))


def headline(changes: Changes, cite: Callable[[str], int]) -> list[tuple[str, list[int]]]:
    """Three to five sentences on the window's changes, most important first, each with the citation numbers it rests on."""
    out: list[tuple[str, list[int]]] = []
    new = [d.row for d in changes.new_events if d.record]
    if new:
        killed = [e for e in new if _best(e) is not None]
        top = max(killed, key=lambda e: (_best(e) or 0, e.get("date") or "")) if killed else new[-1]
        n_new = len(changes.new_events)
        n_killed = sum((d.detail.get("fatalities") or [None, None])[1] is not None for d in changes.new_events)
        text = f"{n_new} new event{'s' if n_new != 1 else ''} reported"
        if n_killed:
            text += f", {n_killed} with a death toll"
        text += f"; the deadliest, {_a(_kind(top))} in {_place(top)}" if _best(top) is not None else f"; the latest, {_a(_kind(top))} in {_place(top)}"
        text += f" on {top['date']}" if top.get("date") else " (date not reported)"
        if _best(top) is not None:
            text += f", killed at least {_best(top)}" if (top.get("fatalities") or {}).get("low") == _best(top) else f", killed {_best(top)}"
        out.append((text + ".", [cite(a) for a in _claim_articles(top)]))
    moved = [d for d in changes.changed_events if d.record and d.moved("fatalities")]
    if moved:
        d = max(moved, key=_toll_change)
        before, after = d.moved("fatalities") or (None, None)
        text = (f"The toll of the {_kind(d.row)} in {_place(d.row)} went from {before if before is not None else 'none'} "
                f"to {after if after is not None else 'none'}")
        others = len(changes.changed_events) - 1
        text += f"; {others} other event{'s' if others != 1 else ''} changed figures, place or date." if others > 0 else "."
        out.append((text, [cite(a) for a in _claim_articles(d.row)]))
    elif any(d.record for d in changes.changed_events):
        d = [d for d in changes.changed_events if d.record][-1]
        what = ", ".join(f for f in FIGURE_FIELDS + STATUS_FIELDS if d.moved(f))
        out.append((f"{len(changes.changed_events)} event{'s' if len(changes.changed_events) != 1 else ''} changed ({what} of the "
                    f"{_kind(d.row)} in {_place(d.row)}).", [cite(a) for a in _claim_articles(d.row)]))
    contested = [d.row for d in changes.new_contradictions if d.record]
    if contested:
        e = contested[-1]
        c = (e.get("contradictions") or [{}])[-1]
        claims = e.get("claims") or []
        values = positions_text(claim_positions(c, claims))
        cited = [cite(claims[i]["source"]["article_id"]) for i in c.get("claims") or () if 0 <= i < len(claims)]
        text = f"Sources disagree on the {c.get('field', 'figures')} of the {_kind(e)} in {_place(e)} ({values})"
        text += f", one of {len(contested)} new contradictions." if len(contested) > 1 else "."
        out.append((text, list(dict.fromkeys(cited)) or [cite(a) for a in _claim_articles(e)]))
    for d in changes.ceasefires[:1]:
        c = d.row
        state = {"collapsed": "has collapsed", "in force": "is in force", "announced": "has been announced"}[ceasefire_status(c.get("ended"), c.get("in_force_from"))]
        text = f"The {c.get('name')} {state}" + (f" (ended {c['ended']}" + (f" by {c['ended_by']})" if c.get("ended_by") else ")") if c.get("ended") else "")
        n_v = len(c.get("violations") or ())
        text += f"; {n_v} alleged violation{'s' if n_v != 1 else ''} on record." if n_v else "."
        refs = [s["article_id"] for s in c.get("sources") or ()] + [v["source"]["article_id"] for v in c.get("violations") or ()]
        out.append((text, [cite(a) for a in list(dict.fromkeys(refs))[:3]]))
    grown = [d for d in changes.stories if d.record and not d.is_new]
    if len(out) < 5 and grown:
        d = max(grown, key=lambda d: (d.moved("article_ids") or (0, 0))[1] or 0)
        before, after = d.moved("article_ids") or (None, len(d.row.get("article_ids") or ()))
        added = (after or 0) - (before or 0)
        summary = (d.row.get("summary") or [{}])[0]
        refs = [s["article_id"] for s in summary.get("sources") or ()] or list(d.row.get("article_ids") or ())[-1:]
        out.append((f"The story \u201c{d.row.get('title')}\u201d gained {added} article{'s' if added != 1 else ''}.",
                    [cite(a) for a in refs[:3]]))
    return out[:5]


def parse_window(text: str) -> timedelta:
    """'24h', '7d', '2w', '90m' as a timedelta; a ValueError that says what to write otherwise."""
    import re

    m = re.fullmatch(r"\s*(\d{1,6})\s*([mhdw])\s*", text or "")
    if not m:
        raise ValueError(f"since={text!r} is not a duration: use e.g. 90m, 24h, 7d or 2w")
    n, unit = int(m.group(1)), m.group(2)
    return {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
