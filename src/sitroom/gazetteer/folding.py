"""Transliteration folding: make the many spellings of one place name meet on one key.

News copy spells Arabic, Persian and Cyrillic names every which way ("Deir ez-Zor", "Deir el-Zour",
"Dayr az Zawr", "Deir Ezzor"). `fold` maps such variants to one ASCII key by removing what the
variants disagree on (articles, doubled letters, vowel digraphs, a final -h) and keeping what they
share (the consonant frame). It is deliberately lossy: two different places may fold together, and
the gazetteer disambiguates them by country, distance and population.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

# Arabic definite articles as transliterated ("al-", "el-") and assimilated to sun letters ("ash-", "ez-").
ARTICLES = frozenset(
    "al el il ul ad ed ud ar er ur as es us az ez uz ash esh ush at et ut an en un ath eth adh edh".split()
)
# A sun letter doubled after an article glued to the noun: "Ezzor", "Assuwayda", "Arraqqa".
_GLUED_ARTICLE = re.compile(r"^[aeu](?:l-?)?(sh|th|dh|[tdrszn])-?\1(?=[a-z]{2})")
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bb\u02bc\u02bd\u02be\u02bf\u0060\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
# Ordered: digraphs first, so "ou" is read before "o" becomes "u". Each rule runs only where its
# first letter occurs (the index build folds 3 million spellings).
_VOWEL_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (guard, re.compile(pattern), repl)
    for guard, pattern, repl in (
        ("oa", r"ou|oo|aw|ow|au", "u"),
        ("ea", r"ei|ey|ay|ai|ee", "e"),
        ("iy", r"ie|iy|ye", "i"),
        ("o", r"o", "u"),
        ("y", r"(?<=[a-z])y(?=[^aeiou]|$)", "i"),
        ("h", r"(?<=[aeiu])h$", ""),  # Raqqah / Raqqa, Hasakah / Hasaka
        ("d", r"dj", "j"),
        ("q", r"q", "k"),
        ("p", r"ph", "f"),
        ("k", r"kh", "k"),
    )
)
_VOWELS = re.compile(r"[aeiou]")
_VOWEL_SET = frozenset("aeiou")


def simple(name: str) -> str:
    """A light normal form: ASCII, lower case, punctuation and spaces collapsed to single spaces."""
    text = unidecode(_APOSTROPHES.sub("", name)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Fold a place name to its spelling-variant key ("Deir el-Zour" and "Deir ez-Zor" -> "derzur")."""
    tokens = simple(name).split()
    if not tokens:
        return ""
    kept: list[str] = []
    for i, token in enumerate(tokens):
        # An article only counts as one when a name follows it ("Al Bab"), never as the whole name.
        if token in ARTICLES and i + 1 < len(tokens):
            continue
        if i > 0:
            # Only inside a name: a first word like "Essen" or "Allen" is a name, not "es-Sen".
            token = _GLUED_ARTICLE.sub(r"\1", token)
        kept.append(token)
    key = "".join(kept)
    for guard, pattern, repl in _VOWEL_RULES:
        if guard[0] in key or guard[-1] in key:
            key = pattern.sub(repl, key)
    return _DOUBLED.sub(r"\1", key)


def skeleton(key: str) -> str:
    """The consonant skeleton of a folded key ("derzur" -> "drzr"), used to block fuzzy matching."""
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", key)) or key


def block(key: str) -> str:
    """The blocking key of a folded key: its first two skeleton consonants (`skeleton(key)[:2]`, without regexes)."""
    out = ""
    for ch in key:
        if ch in _VOWEL_SET or (out and ch == out[-1]):
            continue
        out += ch
        if len(out) == 2:
            return out
    return out or key[:2]
