"""The change log: what one save of fused records created, updated, removed or merged.

Shared by every backend. A change names the record's top-level fields that differ and, for the few
fields a situation brief states ("fatalities 12 -> 15", "ceasefire ended"), their values before and
after, so a reader of the log never has to diff two JSON documents.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

# Per kind of record: field -> how to read the value a brief states about it.
_STATED = {
    "event": {
        "fatalities": lambda r: (r.get("fatalities") or {}).get("best"),
        "injured": lambda r: (r.get("injured") or {}).get("best"),
        "contradictions": lambda r: len(r.get("contradictions") or ()),
        "date": lambda r: r.get("date"),
        "sub_event_type": lambda r: r.get("sub_event_type"),
        "location": lambda r: (r.get("location") or {}).get("name"),
        "ceasefire_id": lambda r: r.get("ceasefire_id"),
        "article_ids": lambda r: len(r.get("article_ids") or ()),
    },
    "story": {
        "title": lambda r: r.get("title"),
        "article_ids": lambda r: len(r.get("article_ids") or ()),
        "event_ids": lambda r: len(r.get("event_ids") or ()),
    },
    "ceasefire": {
        "status": lambda r: r.get("status"),
        "announced": lambda r: r.get("announced"),
        "in_force_from": lambda r: r.get("in_force_from"),
        "ended": lambda r: r.get("ended"),
        "ended_by": lambda r: r.get("ended_by"),
        "violations": lambda r: len(r.get("violations") or ()),
    },
}


def changed_fields(before: Mapping, after: Mapping) -> list[str]:
    """The top-level fields whose values differ between two versions of a record, sorted."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def change_detail(kind: str, before: Mapping | None, after: Mapping | None, fields: list[str]) -> dict:
    """`{field: [before, after]}` for the changed fields a brief states (values as it would state them)."""
    readers = _STATED.get(kind, {})
    detail = {}
    for name in fields:
        read = readers.get(name)
        if read is None:
            continue
        old, new = (read(before) if before else None), (read(after) if after else None)
        if old != new:
            detail[name] = [old, new]
    return detail


def change_row(at: str, kind: str, record_id: str, before: str | None, after: str | None, change: str | None = None) -> dict:
    """The `record_changes` row for one record whose stored JSON went from `before` to `after` (None: absent)."""
    old = json.loads(before) if before else None
    new = json.loads(after) if after else None
    if change is None:
        change = "new" if old is None else "removed" if new is None else "updated"
    fields = changed_fields(old or {}, new or {}) if old is not None and new is not None else sorted((new or old or {}).keys())
    detail = change_detail(kind, old, new, fields)
    return {
        "at": at,
        "kind": kind,
        "record_id": record_id,
        "change": change,
        "fields": json.dumps(fields),
        "detail": json.dumps(detail, ensure_ascii=False) if detail else None,
    }
