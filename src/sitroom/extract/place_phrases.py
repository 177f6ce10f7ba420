"""Candidate place phrases in a sentence: the spans `places` resolves ("Qaatabah district (Ad Dali)",
"in rural Idlib", "the Kenyan capital"), longest first where they overlap."""

from __future__ import annotations

import re

from sitroom.extract.places import _ADMIN_WORDS, _KINDS, _QUALIFIERS, NAME, NOT_PLACES  # the place vocabulary

_PARENT = rf"{NAME}(?:\s+(?:{_KINDS}|{_ADMIN_WORDS}))?"
_ROAD_END = r"[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?"
_PHRASE_PATTERNS = (
    # "the Lamu-Malindi road", "the Isiolo-Garissa border", "on the axis Fada N'Gourma-Pama": a road between two towns
    re.compile(rf"\b(?P<p>{_ROAD_END}-{_ROAD_END}\s+(?:road|highway|axis|route|border|corridor)\b|axis\s+{_ROAD_END}-{_ROAD_END})"),
    # "Qaatabah district (Ad Dali)", "Hays city (Al Hudaydah)": a place with its parents in brackets
    # (also "Paungde town (Paungde township, Pyay district, Bago-west)": each parent may keep its kind word)
    # (and "Kani town, Kani township (Yinmarbin District, Sagaing Region)": the town before its township, one phrase)
    re.compile(rf"\b(?:{NAME}\s+{_KINDS},\s*)?{NAME}(?:\s*\((?:North|South|East|West|Central|Upper|Lower)\))?(?:\s+{_KINDS})?\s+\({_PARENT}(?:,\s*{_PARENT})*\)"),
    # "Bustan al-Qasr neighborhood of Aleppo", "Big Urem outside of Aleppo", "Tal Baydar in al-Hasakeh"
    re.compile(rf"\b{NAME}\s+(?:{_KINDS}\s+(?:of|in)|in|outside(?:\s+of)?|near)\s+{_PARENT}"),
    # "in rural Idlib", "near the besieged city of Aleppo", "outside Damascus"
    re.compile(
        rf"\b(?:in|at|near|from|into|around|toward|towards|outside|across)\s+(?P<p>(?:the\s+)?(?:{_QUALIFIERS}\s+)*"
        rf"(?:(?:city|town|village|province|governorate|outskirts|countryside)\s+of\s+)?{NAME}"
        rf"(?:\s+(?:{_ADMIN_WORDS}|{_KINDS}))?)"
    ),
    re.compile(rf"\boutside of\s+(?P<p>{NAME})"),
    # "in Watamu, Dabaso, Kilifi", "in Maungu, Taita Taveta County": a place, then what it lies in
    re.compile(rf"\b(?:in|at|near|outside)\s+(?P<p>{NAME}(?:\s+{_KINDS})?(?:,\s*{NAME}(?:\s+(?:{_KINDS}|{_ADMIN_WORDS}))?){{1,3}})"),
    re.compile(rf"\b{NAME}(?:'s|’s)?\s+capital(?:\s+city)?\b|\bcapital(?:\s+city)?\s+of\s+{NAME}"),
    re.compile(r"\b(?:in|at|near|outside|around|across|into)\s+the\s+(?P<p>capital(?:\s+city)?)\b(?!\s+of\b)"),
    # "Idlib province", "the Deir ez-Zor governorate", "Jobar district"
    re.compile(rf"\b{NAME}\s+(?:{_ADMIN_WORDS}|{_KINDS})\b"),
    # "the neighbourhood of Jobar", "the outskirts of Aleppo"
    # (never "in front of No.121 base": an English phrase, not a front line)
    re.compile(rf"\b(?<!in )(?:{_KINDS}|province|governorate|outskirts|countryside)\s+of\s+{NAME}"),
)


def place_phrases(sentence_text: str) -> list[tuple[int, int, str]]:
    """Candidate place phrases in a sentence as (start, end, text), longest first where they overlap."""
    found: list[tuple[int, int, str]] = []
    for pattern in _PHRASE_PATTERNS:
        for m in pattern.finditer(sentence_text):
            group = "p" if "p" in pattern.groupindex else 0
            start, end = m.span(group)
            text = m.group(group)
            # Drop a leading "the" and time words like "Monday" that NAME happily swallows.
            lead = re.match(r"(?:the\s+)", text, re.I)
            if lead:
                start += lead.end()
                text = text[lead.end():]
            words = text.split()
            while words and words[0] in NOT_PLACES:
                start += sentence_text[start:].index(words[0]) + len(words[0])
                start += len(sentence_text[start:]) - len(sentence_text[start:].lstrip())
                words.pop(0)
            while words and words[-1] in NOT_PLACES:
                words.pop()
            if not words:
                continue
            text = sentence_text[start:end]
            text = text[: text.rindex(words[-1]) + len(words[-1])]
            end = start + len(text)
            found.append((start, end, text))
    # Keep the longest of overlapping candidates: the composite phrase carries the parent.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    chosen: list[tuple[int, int, str]] = []
    for cand in found:
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    return sorted(chosen)
