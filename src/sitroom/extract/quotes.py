"""Quoted words and who said them, as spans of the article.

Curly (“…”) and straight ("…") double quotes are read; single quotes are not, because apostrophes
make them ambiguous. A quote of one to three words is a scare quote ("terrorists") and is kept only
when a speech verb in its sentence makes it reported speech. The speaker comes from the same
sentence ("Kerry said", "said Kerry", "X told reporters", "X called the attack “…”") or is None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sitroom.extract.attribution import SPEECH_VERB_RE, _clean, _subject_before, attribute
from sitroom.model import Quote, SourceSpan

_QUOTE = re.compile(r"“(?P<c>[^“”]{1,2000}?)”|\"(?P<s>[^\"\n]{1,2000}?)\"")
# Verbs that introduce a characterisation in quotes: "X called the attack “…”".
_CHARACTERISE = re.compile(r"\b(?:called|calls|described|describes|branded|brands|termed|dubbed|labelled|labeled)\b",
                           re.I)
_PARTICIPLE = re.compile(r"\b(?:saying|adding|describing|calling|telling|noting|warning|insisting)\b", re.I)
_SENTENCE_SUBJECT = re.compile(r"^\s*(?:(?:The|A|An)\s+)?(?P<who>(?:[A-Z][\w'’.\-]*\s+){0,4}[A-Z][\w'’.\-]*)")


def _has_speech_verb(text: str) -> bool:
    # Reporting verbs only: "urged residents to avoid “terrorists”" is still a scare quote.
    return bool(SPEECH_VERB_RE.search(text) or _CHARACTERISE.search(text) or _PARTICIPLE.search(text))


def _speaker(masked: str) -> str | None:
    """The speaker named in a sentence whose quotes are blanked out."""
    who = attribute(masked)
    if who:
        return who
    m = _CHARACTERISE.search(masked)
    if m:
        who = _clean(_subject_before(masked, m.start()))
        if who:
            return who
    if _PARTICIPLE.search(masked):
        # "Assad cast doubt on ..., saying it “…”": the speaker is the sentence's subject.
        m = _SENTENCE_SUBJECT.match(masked)
        if m:
            return _clean(m.group("who"))
    return None


def find_quotes(text: str, sentences: Sequence[tuple[int, int]], article_id: str) -> list[Quote]:
    """Quotes in an article: quoted text spans with the speaker from the same sentence, or None."""
    quotes: list[Quote] = []
    for m in _QUOTE.finditer(text):
        group = "c" if m.group("c") is not None else "s"
        start, end = m.start(group), m.end(group)
        content = text[start:end]
        if not content.strip():
            continue
        s_start, s_end = next(((s, e) for s, e in sentences if s <= m.start() < e), (m.start(), m.end()))
        s_end = max(s_end, m.end())
        sentence = text[s_start:s_end]
        # Blank every quote in the sentence so its words are not read as the speaker.
        masked = _QUOTE.sub(lambda q: "“" + "_" * (len(q.group(0)) - 2) + "”", sentence)
        outside = masked.replace("_", " ")
        if len(content.split()) <= 3 and not _has_speech_verb(outside):
            continue  # a scare quote, not reported speech
        quotes.append(Quote(_speaker(masked), content, SourceSpan(article_id, start, end, sentence)))
    return quotes
