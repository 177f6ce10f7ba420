"""Who did what to whom, read from a sentence's dependency parse.

Only sentences that carry an incident trigger are parsed (`extract.analyse_articles`); the parse
is kept as a compact `Parse` (words, character offsets, heads, labels, tags), never as a spaCy
`Doc`. From it:

- `event_roles`: the agent and patient phrases of the trigger ("Gunmen killed five villagers",
  "five villagers were killed by gunmen", "an air strike by Russian jets on the convoy", "killed in
  a strike carried out by the coalition");
- `statements`: blame, accusation, denial and claims of responsibility, with the claimant and the
  accused kept apart ("the attack that the US blamed on Russia and the Syrian military", "Russia
  and Syria denied involvement", "X accused Y of ...", "was blamed on X by Y").

The verbs that make a statement are data: `sitroom/rules/statements.toml`.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dataclasses import replace

from sitroom import rules
from sitroom.extract.actors import ActorMatch
from sitroom.extract.attribution import SPEECH_VERBS
from sitroom.model import StatementKind

Span = tuple[int, int]
# Dependents that open a clause (or a coordinated phrase, see `conjuncts`) of their own: not part of the phrase.
_CLAUSAL = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "punct", "mark", "cc", "conj"}
_SUBJECTS = {"nsubj", "csubj", "expl"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
# Verbs whose subject meets the weapon rather than wields it: "stepped on a landmine", "the convoy hit a mine".
_VICTIM_VERBS = {"stepped", "steps", "step", "hit", "hits", "struck", "triggered", "triggers", "ran", "drove"}
# Verbs whose subject undergoes the harm: "one soldier died", "two villagers sustained injuries".
_UNDERGO_VERBS = {"died", "die", "dies", "dying", "perished", "succumbed", "sustained", "suffered", "suffers", "suffer", "drowned"}


@dataclass(frozen=True, slots=True)
class Parse:
    """A sentence's dependency parse: each word's offsets in the sentence, its head, label and tag."""

    words: tuple[str, ...]  # lower case
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    heads: tuple[int, ...]  # a root is its own head
    deps: tuple[str, ...]
    tags: tuple[str, ...]

    @classmethod
    def from_doc(cls, doc) -> Parse:
        """The compact parse of a spaCy Doc (one sentence)."""
        return cls(
            tuple(t.lower_ for t in doc), tuple(t.idx for t in doc), tuple(t.idx + len(t) for t in doc),
            tuple(t.head.i for t in doc), tuple(t.dep_ for t in doc), tuple(t.tag_ for t in doc),
        )

    def children(self, i: int) -> list[int]:
        """The words whose head is word i."""
        return [j for j, h in enumerate(self.heads) if h == i and j != i]

    def dependents(self, i: int, labels: Collection[str]) -> list[int]:
        """The words whose head is word i, attached by one of `labels`."""
        return [c for c in self.children(i) if self.deps[c] in labels]

    def subject(self, verb: int, labels: Collection[str]) -> list[int]:
        """A verb's subject (its dependents by `labels`), else that of the verb it is coordinated with
        or governed by (conj, xcomp): "stormed the village and killed five"."""
        seen: set[int] = set()
        while verb not in seen:
            seen.add(verb)
            subj = self.dependents(verb, labels)
            if subj:
                return subj
            if self.deps[verb] in ("conj", "xcomp") and self.heads[verb] != verb:
                verb = self.heads[verb]
            else:
                break
        return []

    def token_at(self, char: int) -> int | None:
        """The word covering a character offset, or None."""
        for i, (s, e) in enumerate(zip(self.starts, self.ends)):
            if s <= char < e:
                return i
        return None

    def is_verb(self, i: int) -> bool:
        """True for a verb form (VB*), including participles."""
        return self.tags[i].startswith("VB")

    def phrase(self, i: int) -> Span:
        """The character span of word i's phrase: its subtree without clauses of its own."""
        keep, todo = {i}, [i]
        while todo:
            for c in self.children(todo.pop()):
                if self.deps[c] not in _CLAUSAL and c not in keep:
                    keep.add(c)
                    todo.append(c)
        return self.starts[min(keep)], self.ends[max(keep)]

    def conjuncts(self, i: int) -> list[int]:
        """Word i and the words coordinated with it ("Russia and Syria")."""
        out, todo = [i], [i]
        while todo:
            for c in self.children(todo.pop()):
                if self.deps[c] == "conj" and c not in out:
                    out.append(c)
                    todo.append(c)
        return out


@dataclass(frozen=True, slots=True)
class Roles:
    """The character spans (in the sentence) of who acted and who was acted on."""

    agents: tuple[Span, ...] = ()
    patients: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class StatementSpans:
    """A blame, denial or claim found in the parse: its kind, the claimant's and the accused's spans."""

    kind: StatementKind
    by: tuple[Span, ...]
    against: tuple[Span, ...]


def _phrases(parse: Parse, heads: Iterable[int]) -> tuple[Span, ...]:
    return tuple(parse.phrase(c) for h in heads for c in parse.conjuncts(h))


def _dependents(parse: Parse, i: int, labels: set[str]) -> list[int]:
    return parse.dependents(i, labels)


def _pobjs(parse: Parse, i: int, preps: set[str]) -> list[int]:
    """The objects of word i's prepositions in `preps` ("attack *on* the convoy", "killed *by* gunmen")."""
    out = []
    for c in parse.children(i):
        if parse.deps[c] in ("prep", "agent") and parse.words[c] in preps:
            out += _dependents(parse, c, {"pobj"})
    return out


def _subject(parse: Parse, verb: int) -> list[int]:
    return parse.subject(verb, _SUBJECTS)


def _verb_roles(parse: Parse, verb: int) -> tuple[list[int], list[int]]:
    """Agents and patients of a verb, active or passive."""
    passive = _dependents(parse, verb, _PASSIVE_SUBJECTS) or any(parse.deps[c] == "auxpass" for c in parse.children(verb))
    agents = [p for c in _dependents(parse, verb, {"agent"}) for p in _dependents(parse, c, {"pobj"})]
    patients = _dependents(parse, verb, _PASSIVE_SUBJECTS) + _dependents(parse, verb, {"dobj"})
    if parse.deps[verb] == "acl" and parse.is_verb(verb) and parse.tags[verb] == "VBN":
        patients.append(parse.heads[verb])  # "civilians killed by the strike": the noun it describes
    if parse.words[verb] in _UNDERGO_VERBS:
        patients += _subject(parse, verb)  # "one soldier died", "a man sustained injuries": who suffered it
    elif not passive:
        agents += _subject(parse, verb)
    patients += _pobjs(parse, verb, {"on", "against", "at"})
    return agents, patients


def event_roles(parse: Parse, trigger: Span) -> Roles:
    """Who acted and who was acted on, for the trigger word(s) at `trigger` (sentence offsets)."""
    t = parse.token_at(trigger[0])
    if t is None:
        return Roles()
    if parse.deps[t] in ("aux", "auxpass") and parse.is_verb(parse.heads[t]):
        t = parse.heads[t]  # a trigger that opens on its auxiliary ("was shot"): the verb it helps
    agents: list[int] = []
    patients: list[int] = []
    if parse.is_verb(t):
        agents, patients = _verb_roles(parse, t)
    else:
        # A noun trigger ("the attack", "air strikes"): its own modifiers, then the verb that governs it.
        head = t
        while parse.deps[head] == "compound" and parse.heads[head] != head:
            head = parse.heads[head]
        agents += _dependents(parse, head, {"poss"}) + _pobjs(parse, head, {"by"})
        agents += [c for c in _dependents(parse, head, {"amod", "compound", "nmod"}) if c != t and not parse.is_verb(c)]
        patients += _pobjs(parse, head, {"on", "against", "targeting", "at"})
        for c in _dependents(parse, head, {"acl"}):  # "a strike carried out by jets", "an attack targeting X"
            a, p = _verb_roles(parse, c)
            agents += [x for x in a if x != head]
            patients += [x for x in p if x != head]
        dep, gov = parse.deps[head], parse.heads[head]
        if parse.deps[gov] == "prep" and parse.heads[gov] != gov:
            gov = parse.heads[gov]
        if gov != head and parse.words[gov] in _VICTIM_VERBS and dep in ("dobj", "pobj"):
            patients += _subject(parse, gov)  # "a villager stepped on a landmine": the subject is hit, not hitting
        elif gov != head:
            if dep == "pobj":
                gov = parse.heads[head]
            if dep == "dobj" and parse.is_verb(gov):  # "gunmen carried out an attack"
                agents += _subject(parse, gov)
            elif dep in ("nsubj",) and parse.is_verb(gov):  # "the strike killed 20 civilians"
                patients += _dependents(parse, gov, {"dobj"})
            elif dep == "pobj" and parse.deps[gov] == "prep" and parse.heads[gov] != gov:
                verb = parse.heads[gov]  # "20 people were killed in an air strike"
                if parse.is_verb(verb):
                    a, p = _verb_roles(parse, verb)
                    patients += [x for x in p if x != head]
                    agents += [x for x in a if x != head]
    return Roles(_phrases(parse, dict.fromkeys(agents)), _phrases(parse, dict.fromkeys(patients)))


# ---------------------------------------------------------------- statements


@functools.cache
def _statement_verbs() -> dict[str, rules.Rule]:
    """Verb form (lower case) -> the statements rule it belongs to."""
    out: dict[str, rules.Rule] = {}
    for rule in rules.load("statements"):
        for term in rule.terms:
            out.setdefault(term.lower(), rule)
    return out


def statements(parse: Parse) -> list[StatementSpans]:
    """Every blame, denial and claim of responsibility the sentence states, with whose words they are."""
    out = []
    verbs = _statement_verbs()
    for i, word in enumerate(parse.words):
        rule = verbs.get(word)
        if rule is None or not parse.is_verb(i):
            continue
        obj = rule.get("object")
        if obj and not any(parse.words[c] in obj for c in parse.children(i) for c in [c, *parse.children(c)]):
            continue  # "claimed" without "responsibility" is speech, not a claim of responsibility
        passive = any(parse.deps[c] in ("auxpass", "nsubjpass") for c in parse.children(i))
        by = [p for c in _dependents(parse, i, {"agent"}) for p in _dependents(parse, c, {"pobj"})] if passive else _subject(parse, i)
        against: list[int] = []
        for where in rule.get("against", ()):
            if where == "dobj":
                against += _dependents(parse, i, {"dobj"})
            elif where == "nsubjpass" and passive:
                against += _dependents(parse, i, {"nsubjpass"})
            else:
                against += _pobjs(parse, i, {where})
        if by or against:
            out.append(StatementSpans(rule.get("kind", rule.name), _phrases(parse, by), _phrases(parse, against)))
    return out


def inside(span: Span, phrases: Iterable[Span]) -> bool:
    """True when a character span lies within one of the phrases."""
    return any(s <= span[0] and span[1] <= e for s, e in phrases)


def speakers(parse: Parse) -> tuple[Span, ...]:
    """The subjects of speech verbs ("Russia said ...", "the army announced ..."): sources, not parties."""
    return _phrases(parse, [s for i, w in enumerate(parse.words) if w in SPEECH_VERBS and parse.is_verb(i) for s in _subject(parse, i)])


def annotate(actors: list[ActorMatch], parse: Parse, sentence_start: int, trigger: Span) -> list[ActorMatch]:
    """The actors of one sentence with the part the parse gives them: agent, patient, accused or speaker.

    Offsets are the article's; `trigger` too. An actor the parse says nothing about keeps role None,
    and the word-window rules of `reports` decide for it.
    """
    found = event_roles(parse, (trigger[0] - sentence_start, trigger[1] - sentence_start))
    said = statements(parse)
    accused = [p for s in said if s.kind == "blame" for p in s.against]
    sources = [p for s in said for p in s.by] + list(speakers(parse))
    out = []
    for a in actors:
        span = (a.start - sentence_start, a.end - sentence_start)
        if inside(span, found.agents):
            role = "agent"
        elif inside(span, found.patients):
            role = "patient"
        elif inside(span, accused):
            role = "accused"
        elif inside(span, sources):
            role = "speaker"
        else:
            role = None
        out.append(replace(a, role=role))
    return out

