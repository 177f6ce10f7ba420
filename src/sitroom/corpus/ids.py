"""Stable record ids: a re-clustered group keeps the id of the oldest stored record among its members'.

Shared by events (members: reports) and stories (members: articles). Groups are named largest
first; a stored record whose members all went to groups named otherwise is merged into the group
that holds most of them (an alias), or removed when none of its members is left; a group with no
stored record gets its default id (the hash of its first member, as a rebuild from scratch names
it), salted if a stored or just-assigned record has that id already.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sitroom.store.corpus import CorpusSession

__all__ = ["Naming", "name_groups"]


@dataclass
class Naming:
    """The id of each group (by its position), and what became of stored ids no group kept."""

    ids: list[str] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    merged_into: dict[str, str] = field(default_factory=dict)


def name_groups(
    session: CorpusSession, kind: str, groups: Sequence[Sequence[str]], defaults: Sequence[str], old_id_of: Mapping[str, str],
    gone: Iterable[str] = (),
) -> Naming:
    """Ids for `groups` (member ids) given each member's stored record (`old_id_of`) and each group's default id.

    `gone`: stored records re-decided here that may have no member left (they are removed unless named).
    """
    old_ids = set(old_id_of.values()) | set(gone)
    first_seen = session.first_seen(kind, old_ids)
    prefix = defaults[0].split("_", 1)[0] + "_" if defaults else ""
    taken: set[str] = set()
    out = Naming(ids=[""] * len(groups))
    for k in sorted(range(len(groups)), key=lambda k: (-len(groups[k]), min(groups[k]))):
        olds = sorted({old_id_of[m] for m in groups[k] if m in old_id_of} - taken, key=lambda i: (first_seen.get(i, "~"), i))
        name = olds[0] if olds else _fresh(session, kind, prefix, defaults[k], taken | old_ids)
        taken.add(name)
        out.ids[k] = name
    heir = {m: out.ids[k] for k, members in enumerate(groups) for m in members}
    for old in sorted(old_ids - taken):
        heirs = Counter(heir[m] for m, o in old_id_of.items() if o == old and m in heir)
        if heirs:
            out.merged_into[old] = max(sorted(heirs), key=lambda h: heirs[h])
        out.removed.add(old)
    return out


def _fresh(session: CorpusSession, kind: str, prefix: str, default: str, avoid: set[str]) -> str:
    """`default` unless a stored or assigned record has it already; then a salted hash of it."""
    candidate, n = default, 0
    while candidate in avoid or session.first_seen(kind, [candidate]):
        n += 1
        candidate = prefix + hashlib.sha1(f"{default}#{n}".encode()).hexdigest()[:16]
    return candidate
