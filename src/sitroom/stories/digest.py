"""What story building reads of an article: its title and its four view texts (words, entities, numbers, lead)."""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sitroom.model import ArticleAnalysis

LEAD_SENTENCES = 3
_ENTITY_FORM = re.compile(r"^the_|_s$")
_ENTITY_LABELS = {"GPE", "LOC", "FAC", "ORG", "NORP", "PERSON", "EVENT", "NAME"}
_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")

VIEWS = ("words", "entities", "numbers", "lead")


@dataclass(frozen=True, slots=True)
class StoryDigest:
    """What story building keeps of one article: its id, its title and its four view texts, compressed.

    The corpus stage streams the stored analyses once and keeps only this (about a third of the
    article's text) instead of the whole analysis; the texts are exactly those the views are
    built from, so clustering a digest gives what clustering the analysis gives.
    """

    article_id: str
    title: str | None
    untitled_heading: str | None  # the text's first line (80 characters at most), for articles without a title
    packed: bytes  # zlib of the JSON list of the four view texts, in VIEWS order
    published: date | None = None

    @classmethod
    def of(cls, a: ArticleAnalysis) -> StoryDigest:
        """The digest of one analysed article."""
        texts = [
            f"{a.article.title or ''}\n{a.article.text}",
            " ".join(_entity_terms(a)),
            " ".join(_NUMBER.findall(a.article.text)),
            f"{a.article.title or ''}\n" + " ".join(s.text for s in a.sentences[:LEAD_SENTENCES]),
        ]
        heading = None if a.article.title else a.article.text[:80].split("\n")[0]
        return cls(a.article.id, a.article.title, heading, zlib.compress(json.dumps(texts).encode("utf-8"), 6), a.article.published)

    def view_text(self, view: str) -> str:
        """The text of one view ("words", "entities", "numbers" or "lead")."""
        return json.loads(zlib.decompress(self.packed))[VIEWS.index(view)]


def in_id_order(articles: Sequence[ArticleAnalysis | StoryDigest]) -> list[StoryDigest]:
    """Digests in article id order (analyses are digested here)."""
    out = [a if isinstance(a, StoryDigest) else StoryDigest.of(a) for a in articles]
    return sorted(out, key=lambda d: d.article_id)


def _entity_terms(a: ArticleAnalysis) -> list[str]:
    """Named entities as single terms ("Mark Teixeira" -> mark_teixeira), in text order."""
    # "The Red Sox" and "Red Sox", "Obama's" and "Obama" are one entity.
    return [_ENTITY_FORM.sub("", re.sub(r"\W+", "_", m.text.lower()).strip("_")) for m in a.mentions if m.label in _ENTITY_LABELS]
