"""Rules as data: triggers, lexicons, qualifiers and typing rules declared in TOML, one file per family.

Each family is one file, `src/sitroom/rules/<family>.toml`:

    [family]
    description = "what these rules decide"
    checker = "sitroom.extract.events:check_trigger_rule"   # module:function, see below

    [[rule]]
    name = "air_drone_strike"          # unique within the family
    pattern = '''air ?strikes?|...'''  # a regular expression, or
    terms = ["air strike", "drone"]    # literal phrases (spaces match any whitespace)
    case_sensitive = false             # declared, never guessed from the pattern's text
    positive = ["An air strike hit the market."]   # sentences the rule must fire on
    negative = ["Workers went on strike."]          # sentences it must not fire on
    # any other keys are the rule's data (event_type, priority, group, ...)

A rule's regex is wrapped in word edges (`(?<![\\w-])(?:...)(?![\\w])`) unless it sets
`bare = true`. The family's checker, `checker(rule, sentence) -> bool`, says whether the rule
fires on a sentence *in the component that uses it* (the trigger checker runs the real
`classify`, not the bare regex), so the examples test behaviour, not regex syntax.
`tests/test_rules.py` runs every example of every family through its checker.
"""

from __future__ import annotations

import functools
import importlib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent
_RESERVED = {"name", "pattern", "terms", "case_sensitive", "bare", "positive", "negative"}


class RuleError(ValueError):
    """A rule file that cannot be used: the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One declared rule: its name, its compiled pattern, its examples and its data."""

    family: str
    name: str
    source: str  # the regex as declared, or the terms joined into one
    regex: re.Pattern[str]
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    case_sensitive: bool = False
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    bare: bool = False  # no word edges around the pattern

    def get(self, key: str, default: Any = None) -> Any:
        """A data value of the rule (event_type, priority, group, ...)."""
        return self.data.get(key, default)

    def search(self, text: str) -> re.Match[str] | None:
        """The rule's first match in a text, or None."""
        return self.regex.search(text)


@dataclass(frozen=True, slots=True)
class Family:
    """Every rule of one family, in file order, with the checker that tests their examples."""

    name: str
    description: str
    checker: str | None
    rules: tuple[Rule, ...]
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __getitem__(self, name: str) -> Rule:
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(f"no rule {name!r} in family {self.name!r}")

    def union(self, *, case_sensitive: bool | None = None) -> re.Pattern[str] | None:
        """One regex matching wherever any rule (of the given case sensitivity) matches, or None."""
        return _union(self, case_sensitive)


def _terms_regex(terms: list[str]) -> str:
    """Literal phrases as one alternation, longest first, spaces matching any whitespace."""
    parts = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in parts)


def _compile(family: str, raw: dict[str, Any], path: Path) -> Rule:
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise RuleError(f"{path.name}: a rule has no name; give every [[rule]] a name = \"...\"")
    has_pattern, has_terms = "pattern" in raw, "terms" in raw
    if has_pattern == has_terms:
        raise RuleError(f"{path.name}: rule {name!r} needs exactly one of pattern = '...' or terms = [...]")
    terms = tuple(raw["terms"]) if has_terms else ()
    source = _terms_regex(list(terms)) if has_terms else str(raw["pattern"])
    sensitive = bool(raw.get("case_sensitive", False))
    body = source if raw.get("bare") else rf"(?<![\w-])(?:{source})(?![\w])"
    try:
        regex = re.compile(body, 0 if sensitive else re.I)
    except re.error as exc:
        raise RuleError(f"{path.name}: rule {name!r} has a bad pattern ({exc}); fix the regex") from exc
    return Rule(
        family=family,
        name=name,
        source=source,
        regex=regex,
        positive=tuple(raw.get("positive", ())),
        negative=tuple(raw.get("negative", ())),
        terms=terms,
        case_sensitive=sensitive,
        data={k: v for k, v in raw.items() if k not in _RESERVED},
        bare=bool(raw.get("bare")),
    )


def families() -> list[str]:
    """The names of every declared rule family (the TOML files in this folder)."""
    return sorted(p.stem for p in RULES_DIR.glob("*.toml"))


@functools.cache
def load(family: str) -> Family:
    """The rules of one family, compiled once per process."""
    path = RULES_DIR / f"{family}.toml"
    if not path.exists():
        raise RuleError(f"no rule file {path.name}; the families are {', '.join(families())}")
    with path.open("rb") as fh:
        try:
            doc = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"{path.name}: not valid TOML ({exc})") from exc
    meta = doc.get("family", {})
    rules = tuple(_compile(family, raw, path) for raw in doc.get("rule", []))
    names = [r.name for r in rules]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise RuleError(f"{path.name}: rule names must be unique, repeated: {', '.join(dupes)}")
    return Family(
        name=family,
        description=str(meta.get("description", "")),
        checker=meta.get("checker"),
        rules=rules,
        data={k: v for k, v in meta.items() if k not in ("description", "checker")},
    )


@functools.cache
def _union(fam: Family, case_sensitive: bool | None) -> re.Pattern[str] | None:
    chosen = [r for r in fam.rules if case_sensitive is None or r.case_sensitive == case_sensitive]
    if not chosen:
        return None
    flags = 0 if (case_sensitive or (case_sensitive is None and any(r.case_sensitive for r in chosen))) else re.I
    if case_sensitive is None and len({r.case_sensitive for r in chosen}) > 1:
        raise RuleError(f"family {fam.name!r} mixes case sensitivities: ask for union(case_sensitive=True/False)")
    # One pair of word edges around all the edged rules: a scan of the union then tests the edge
    # once per position, not once per rule (most sentences match no rule at all).
    edged = [r.source for r in chosen if not r.bare]
    parts = [rf"(?<![\w-])(?:{'|'.join(f'(?:{p})' for p in edged)})(?![\w])"] if edged else []
    parts += [f"(?:{r.regex.pattern})" for r in chosen if r.bare]
    return re.compile("|".join(parts), flags)


def checker(family: str) -> Callable[[Rule, str], bool]:
    """The function that says whether a rule of `family` fires on a sentence (declared as module:function)."""
    fam = load(family)
    if not fam.checker or ":" not in fam.checker:
        raise RuleError(f"{family}.toml declares no checker; add checker = \"module:function\" under [family]")
    module, _, attr = fam.checker.partition(":")
    return getattr(importlib.import_module(module), attr)
