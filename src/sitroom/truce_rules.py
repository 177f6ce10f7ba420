"""The checker of rules/truces.toml: each rule run through the real truce readers.

It sits apart from both readers because it needs the two: `ceasefire.read_sentence` (a truce's
lifecycle) and `ceasefire_parse` (parties and violations from the parse), and `ceasefire` imports
`ceasefire_parse`.
"""

from __future__ import annotations

from datetime import date

from sitroom import rules
from sitroom.ceasefire import read_sentence
from sitroom.ceasefire_parse import names_by_rule, parse_sentences, plain_name, violations

# Any date will do: a rule's example is read for its lifecycle words, not for when it was published.
_PUBLISHED = date(2024, 1, 1)


def check_truce_rule(rule: rules.Rule, sentence: str) -> bool:
    """Whether a truce rule fires on a sentence in the real reader: its parties, lifecycle or violations come out."""
    kind = rule.get("kind")
    if kind in ("parties", "violation"):
        (p,) = parse_sentences([sentence])
        if kind == "parties":
            return bool(names_by_rule(p, sentence, rule.name))
        return any(v.rule == rule.name for v in violations(p, sentence, plain_name))
    facts = read_sentence(sentence, _PUBLISHED)
    if kind == "in_force":
        return any(f.stage == "in_force" for f in facts)
    if kind == "history":
        return rule.search(sentence) is not None and not facts
    raise rules.RuleError(f"truces.toml: rule {rule.name!r} has an unknown kind {kind!r}")
