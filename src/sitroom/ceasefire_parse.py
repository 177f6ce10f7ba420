"""Who made a truce and who alleges which violation against whom, read from the dependency parse.

`ceasefire.truce_notes` parses the few sentences of an article that name a truce or violations
(tok2vec + tagger + parser, as `extract.analyse_articles` does for incident sentences) and asks:

- `parties`: the sides of a truce: the subject of the verb that made it, coordinated and possessive
  ("Yemen's government and the Houthis agreed a ceasefire"), the "by" agent of a passive ("a truce
  brokered by Qatar and Egypt"), the objects of "between" ("a truce between Armenia and Azerbaijan");
- `violations`: violations one party alleges against another, the claimant and the accused kept
  apart: "X said Y had violated the truce 15 times", "X said Y had committed 12 violations",
  "X accused Y of shelling the town despite the truce", "40 violations were recorded by the mission".
  A negated or denied violation ("they had not violated", "Y denied it had violated") is none.

The words that do this are data: `sitroom/rules/truces.toml`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sitroom import rules
from sitroom.extract.attribution import SPEECH_VERBS
from sitroom.extract.counts import parse_number
from sitroom.extract.nlp import load_nlp, parsing
from sitroom.extract.roles import Parse

TRUCE_WORDS = frozenset({"ceasefire", "ceasefires", "cease-fire", "cease-fires", "truce", "truces", "armistice", "cessation"})
_DENY = frozenset({"denied", "denies", "deny", "denying", "rejected", "rejects", "dismissed"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "this", "one"})
_SUBJECTS = ("nsubj", "nsubjpass")
# Whom an act is ascribed to: the active subject alone ("the rebels violated", not "the truce was violated").
_ACTIVE_SUBJECT = ("nsubj",)
# A canonical party name for a phrase: `ceasefire._canonical` (kept there: it names the record's parties).
Namer = Callable[[str], str | None]


@functools.cache
def _terms(rule: str) -> frozenset[str]:
    r = rules.load("truces")[rule]
    return frozenset(t.lower() for t in r.terms)


@functools.cache
def _nouns(rule: str) -> frozenset[str]:
    return frozenset(rules.load("truces")[rule].get("nouns", ()))


def parse_sentences(texts: Sequence[str]) -> list[Parse]:
    """The dependency parse of each text, in one batch of the shared pipeline."""
    with parsing(load_nlp()) as nlp:
        return [Parse.from_doc(doc) for doc in nlp.pipe(list(texts))]


def _negated(p: Parse, i: int) -> bool:
    """Word i is negated ("had not violated", "never breached"), or has "no" as determiner ("no violations")."""
    return any(p.deps[c] == "neg" or (p.deps[c] == "det" and p.words[c] == "no") for c in p.children(i))


def _text(p: Parse, sentence: str, i: int) -> str | None:
    """The words of word i's phrase, or None for a pronoun (it names nobody by itself)."""
    if p.words[i] in _PRONOUNS:
        return None
    s, e = p.phrase(i)
    return sentence[s:e]


def _names(p: Parse, sentence: str, heads: Sequence[int], name: Namer) -> tuple[str, ...]:
    """The parties the phrases headed at `heads` (and their conjuncts) name, first mention first."""
    out: list[str] = []
    for h in heads:
        for c in p.conjuncts(h):
            words = _text(p, sentence, c)
            named = name(words) if words else None
            if named and named not in out:
                out.append(named)
    return tuple(out)


def _one(p: Parse, sentence: str, heads: Sequence[int], name: Namer) -> str | None:
    found = _names(p, sentence, heads, name)
    return found[0] if found else None


def _truce_nouns(p: Parse) -> list[int]:
    return [i for i, w in enumerate(p.words) if w in TRUCE_WORDS]


def _governing_verb(p: Parse, noun: int) -> int | None:
    """The verb a truce noun is the object (or passive subject) of: "agreed *a ceasefire*", "*a truce* was signed"."""
    i, seen = noun, set()
    while i not in seen:
        seen.add(i)
        head = p.heads[i]
        if head == i:
            return None
        if p.deps[i] in ("dobj", "nsubjpass", "pobj", "compound", "conj", "appos") and (p.is_verb(head) or p.deps[i] in ("compound", "conj", "appos", "pobj")):
            if p.is_verb(head):
                return head
            i = head
            continue
        return None
    return None


def parties(p: Parse, sentence: str, name: Namer) -> tuple[str, ...] | None:
    """The sides of the truce a sentence names as making it (subject or agent of "agreed", objects of "between");
    None when the parse shows no one making it, () when it does but names no one ("the warring sides")."""
    agree, between = _terms("agree"), _terms("between")
    out: list[str] = []
    seen = False
    for noun in _truce_nouns(p):
        heads: list[int] = []
        for prep in p.children(noun):
            if p.deps[prep] == "prep" and p.words[prep] in between:
                heads += p.dependents(prep, {"pobj"})
        for verb in [v for v in [_governing_verb(p, noun)] if v is not None] + [c for c in p.children(noun) if p.deps[c] == "acl"]:
            if p.words[verb] not in agree or _negated(p, verb):
                continue
            agents = [a for c in p.dependents(verb, {"agent"}) for a in p.dependents(c, {"pobj"})]
            heads += agents or ([] if p.deps[verb] == "acl" else p.subject(verb, _ACTIVE_SUBJECT))
        seen = seen or bool(heads)
        out += [n for n in _names(p, sentence, heads, name) if n not in out]
    return tuple(out) if seen else None


@dataclass(frozen=True, slots=True)
class Alleged:
    """One violation as the parse reads it: who alleges it, against whom, how many, and the rule that read it."""

    alleged_by: str | None
    against: str | None
    count: int | None
    rule: str


def _speaker(p: Parse, clause_verb: int, sentence: str, name: Namer) -> tuple[str | None, bool]:
    """Who says the clause of `clause_verb` ("*Armenia* said Azerbaijan had ..."), and whether they deny it."""
    i, seen = clause_verb, set()
    while p.deps[i] in ("ccomp", "conj", "xcomp", "advcl") and p.heads[i] != i and i not in seen:
        seen.add(i)
        head = p.heads[i]
        word = p.words[head]
        if word in _DENY:
            return None, True
        if word in SPEECH_VERBS or word in _terms("recorded"):
            return _one(p, sentence, p.subject(head, _ACTIVE_SUBJECT), name), False
        i = head
    return None, False


def _count(p: Parse, i: int) -> int | None:
    """The number on a noun ("12 violations") or in a "N times" adverb of a verb ("violated the truce 15 times")."""
    for c in p.children(i):
        if p.deps[c] == "nummod":
            return parse_number(p.words[c])
        if p.words[c] == "times" and p.deps[c] in ("npadvmod", "dobj", "advmod", "obj"):
            nums = [parse_number(p.words[n]) for n in p.dependents(c, {"nummod"})]
            if nums and nums[0] is not None:
                return nums[0]
    return None


def _mentions_truce(p: Parse, i: int) -> bool:
    """Word i's phrase names a truce ("the truce", "the ceasefire agreement", "violations of the truce")."""
    s, e = p.phrase(i)
    return any(s <= p.starts[t] < e for t in _truce_nouns(p))


def _modified(p: Parse, noun: int) -> bool:
    """A violations noun that says of what ("human rights violations", "traffic violations"): no truce's."""
    return any(p.deps[c] in ("amod", "compound") for c in p.children(noun))


def violations(p: Parse, sentence: str, name: Namer) -> list[Alleged]:
    """The violations a sentence alleges, each with its claimant and the accused kept apart."""
    truce_named = bool(_truce_nouns(p))
    out: list[Alleged] = []
    for i, w in enumerate(p.words):
        if not p.is_verb(i) or _negated(p, i):
            continue
        if w in _terms("violate"):
            objects = p.dependents(i, {"dobj", "nsubjpass"})
            if not any(_mentions_truce(p, o) for o in objects):
                continue
            by, denied = _speaker(p, i, sentence, name)
            if not denied:
                out.append(Alleged(by, _one(p, sentence, p.subject(i, _ACTIVE_SUBJECT), name), _count(p, i), "violate"))
        elif w in _terms("committed"):
            nouns = [o for o in p.dependents(i, {"dobj"}) if p.words[o] in _nouns("committed") and not _negated(p, o)]
            if nouns and (truce_named or not _modified(p, nouns[0])):
                by, denied = _speaker(p, i, sentence, name)
                if not denied:
                    out.append(Alleged(by, _one(p, sentence, p.subject(i, _ACTIVE_SUBJECT), name), _count(p, nouns[0]), "committed"))
        elif w in _terms("recorded"):
            passive = [o for o in p.dependents(i, {"nsubjpass"}) if p.words[o] in _nouns("recorded")]
            active = [o for o in p.dependents(i, {"dobj"}) if p.words[o] in _nouns("recorded")]
            for noun in passive + active:
                if _negated(p, noun) or not (truce_named or not _modified(p, noun)):
                    continue
                if passive:
                    by = _one(p, sentence, [a for c in p.dependents(i, {"agent"}) for a in p.dependents(c, {"pobj"})], name)
                else:
                    by = _one(p, sentence, p.subject(i, _ACTIVE_SUBJECT), name)
                against = [a for c in p.children(noun) if p.deps[c] == "prep" and p.words[c] == "by" for a in p.dependents(c, {"pobj"})]
                out.append(Alleged(by, _one(p, sentence, against, name), _count(p, noun), "recorded"))
        elif w in _terms("accuse"):
            accused = [o for o in p.dependents(i, {"dobj"}) if p.words[o] not in ("other", "another", "each", "one")]
            acts = [c for c in p.children(i) if p.deps[c] == "prep" and p.words[c] in ("of", "for")]
            if not accused or not acts:
                continue
            objects = [o for c in acts for o in p.dependents(c, {"pobj", "pcomp"})]
            count = next((_count(p, o) for o in objects if p.words[o] in _nouns("committed")), None)
            if truce_named or any(_mentions_truce(p, o) for o in objects):
                out.append(Alleged(_one(p, sentence, p.subject(i, _ACTIVE_SUBJECT), name), _one(p, sentence, accused, name), count, "accuse"))
    # "accusing each other of violating the truce" names no one here (the mutual reading is `ceasefire`'s)
    return [v for v in out if v.alleged_by or v.against]


def names_by_rule(p: Parse, sentence: str, rule: str) -> tuple[str, ...]:
    """The parties one rule alone reads (the other parties rule's words taken out): the rules' checker's view."""
    if rule == "between":
        return tuple(n for noun in _truce_nouns(p) for prep in p.children(noun) if p.words[prep] in _terms("between")
                     for n in _names(p, sentence, p.dependents(prep, {"pobj"}), plain_name))
    kept = [w if w not in _terms("between") else "" for w in p.words]
    return parties(Parse(tuple(kept), p.starts, p.ends, p.heads, p.deps, p.tags), sentence, plain_name) or ()


def plain_name(words: str) -> str | None:
    """A phrase as its own name, "the" dropped (the rules' checker needs no actor lexicon)."""
    return re.sub(r"^the\s+", "", words.strip(), flags=re.I) or None
