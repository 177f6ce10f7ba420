"""Where evidence lies in an article: character spans, sentences, the keys of sentences, labelled mentions.

Every figure, quote and statement of the model (`sitroom.model`, which re-exports these) points
into its article through one of these: an article id plus character offsets, and for a sentence
its index among the article's sentences (`SentenceRef`). They import nothing of sitroom, so every
stage may use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """A character span in an article, with the sentence it lies in (for display)."""

    article_id: str
    start: int
    end: int
    sentence: str

    def to_dict(self) -> dict:
        """The contract's `{"article_id", "sentence", "start", "end"}` shape."""
        return {"article_id": self.article_id, "sentence": self.sentence, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True, order=True)
class SentenceRef:
    """One sentence of one article: the article's id and the sentence's index among its sentences (in that order)."""

    article_id: str
    index: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article with its character offsets into `Article.text`."""

    article_id: str
    index: int
    start: int
    end: int
    text: str

    @property
    def ref(self) -> SentenceRef:
        """Which sentence of which article this is."""
        return SentenceRef(self.article_id, self.index)

    def span(self) -> SourceSpan:
        """This sentence as a source span."""
        return SourceSpan(self.article_id, self.start, self.end, self.text)


@dataclass(frozen=True, slots=True)
class DuplicateKeys:
    """The duplicate group of each sentence ("dup<label>"): sentences of one group are one source's words,
    copied or reworded, so fusion counts them as one piece of evidence. `starts` finds the sentence a
    cited span starts, by (article id, start offset)."""

    groups: Mapping[SentenceRef, str] = field(default_factory=dict)
    starts: Mapping[tuple[str, int], SentenceRef] = field(default_factory=dict)

    def group_of(self, span: SourceSpan) -> str | None:
        """The duplicate group of the sentence the span starts, if it has one."""
        ref = self.starts.get((span.article_id, span.start))
        return self.groups.get(ref) if ref is not None else None


@dataclass(frozen=True, slots=True)
class Mention:
    """A surface form found in the text (an entity, a date, a place) with its span."""

    text: str
    label: str  # spaCy-style label (GPE, LOC, ORG, NORP, PERSON, DATE, ...), or NAME: a capitalised name in an untagged sentence
    article_id: str
    start: int
    end: int
    sentence_index: int
