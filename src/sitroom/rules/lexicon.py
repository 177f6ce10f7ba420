"""The shared victim lexicon (rules/victims.toml): who a figure counts, and who is a non-combatant.

One list for every component: casualty figures read a victim phrase's group here, event typing
reads the non-combatant words (civilians, passengers, unspecified people) here, so a word added
to the lexicon reaches them all.
"""

from __future__ import annotations

import functools
import re
from typing import Literal, TypeGuard, get_args

from sitroom import rules

VictimGroup = Literal["civilians", "passengers", "security_forces", "militants", "unspecified"]
VictimKind = Literal["civilians", "military", "armed_group", "protesters", "unknown"]
GROUPS: tuple[str, ...] = get_args(VictimGroup)
_VICTIMS = rules.load("victims")


def _is_group(value: object) -> TypeGuard[VictimGroup]:
    return value in GROUPS


def _is_kind(value: object) -> TypeGuard[VictimKind]:
    return value in get_args(VictimKind)


def labels_of(rule: rules.Rule) -> tuple[VictimGroup, VictimKind]:
    """A victims.toml rule's (group, kind), refused with a ValueError naming the rule when either is unknown."""
    group, kind = rule.get("group"), rule.get("kind")
    if not _is_group(group) or not _is_kind(kind):
        raise ValueError(f"victims.toml: rule {rule.name!r} has group {group!r} and kind {kind!r}; "
                         f"a group is one of {GROUPS}, a kind one of {get_args(VictimKind)}")
    return group, kind


_GROUP_KIND = [(rule, labels_of(rule)) for rule in _VICTIMS]


def victim_group(phrase: str | None) -> tuple[VictimGroup, VictimKind]:
    """(group, kind) of a victim phrase: the first victims.toml rule found in it, else unspecified."""
    if not phrase:
        return "unspecified", "unknown"
    for rule, group_kind in _GROUP_KIND:
        if rule.search(phrase):
            return group_kind
    return "unspecified", "unknown"


def _words(chosen: list[rules.Rule]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r.regex.pattern})" if r.case_sensitive else f"(?i:{r.regex.pattern})" for r in chosen))


@functools.cache
def words_of(*groups: str) -> re.Pattern[str]:
    """One regex of every victim word of the given groups (protesters count as civilians)."""
    return _words([r for r in _VICTIMS if r.get("group") in groups])


@functools.cache
def non_combatant_words() -> re.Pattern[str]:
    """The words that name non-combatants (the rules marked `non_combatant`: civilians, passengers, people)."""
    return _words([r for r in _VICTIMS if r.get("non_combatant")])

