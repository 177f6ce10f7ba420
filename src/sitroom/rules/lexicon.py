"""The shared victim lexicon (rules/victims.toml): who a figure counts, and who is a non-combatant.

One list for every component: casualty figures read a victim phrase's group here, event typing
reads the non-combatant words (civilians, passengers, unspecified people) here, so a word added
to the lexicon reaches them all.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from sitroom import rules

VictimGroup = Literal["civilians", "passengers", "security_forces", "militants", "unspecified"]
GROUPS: tuple[str, ...] = ("civilians", "passengers", "security_forces", "militants", "unspecified")
_VICTIMS = rules.load("victims")
# Groups whose members are not combatants: attacks on them are violence against civilians.
NON_COMBATANT_GROUPS = frozenset({"civilians", "passengers", "unspecified"})


def victim_group(phrase: str | None) -> tuple[str, str]:
    """(group, kind) of a victim phrase: the first victims.toml rule found in it, else unspecified."""
    if not phrase:
        return "unspecified", "unknown"
    for rule in _VICTIMS:
        if rule.search(phrase):
            return rule.get("group"), rule.get("kind")
    return "unspecified", "unknown"


@functools.cache
def words_of(*groups: str) -> re.Pattern[str]:
    """One regex of every victim word of the given groups (protesters count as civilians)."""
    chosen = [r for r in _VICTIMS if r.get("group") in groups]
    return re.compile("|".join(f"(?:{r.regex.pattern})" if r.case_sensitive else f"(?i:{r.regex.pattern})" for r in chosen))


def non_combatant_words() -> re.Pattern[str]:
    """The words that name non-combatants (civilians, passengers, people) in any sentence."""
    return words_of(*sorted(NON_COMBATANT_GROUPS))

