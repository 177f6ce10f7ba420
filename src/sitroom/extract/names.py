"""The cheap name pass: capitalised names in the sentences the tagger does not read.

`extract.analyse_articles` tags only the sentences a report can come from; every other sentence
gets its names here, for the story clustering's entity view and the article's country context.
"""

from __future__ import annotations

import functools
import re

from sitroom.gazetteer import Gazetteer
from sitroom.model import Mention, Sentence

# A run of capitalised words on one line, with the lower-case particles names carry ("Bashar
# al-Assad", "Bosnia and Herzegovina"); `proper_names` cuts it after a possessive.
_WORD = r"[A-Z][\w'’.&-]*"
_NAME = re.compile(rf"(?<![\w'’-]){_WORD}(?:[ \t]+(?:(?:of|al|el|bin|ibn|de|del|da|la|le|van|von)[ \t]+)?{_WORD})*")
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$|['’]$")
# What opens a sentence: a capitalised word there is capitalised for that reason alone.
_SENTENCE_OPENING = re.compile(r"^[\s`'\"“‘(\[-]*$")
_FUNCTION_WORDS = frozenset(
    "the a an in on at but and or so as if when while after before since although though he she it they we i you "
    "this that these those there here his her its their our my your some many most both other another such "
    "according last next earlier later meanwhile however also still yet then now today about what who how why "
    "no not all one two three for with from by to of i i'm i’m i'd i’d i'll i’ll i've i’ve".split()
)
# Titles before a name ("Rep. Nick Rahall", "Superior Court Judge James Bodiford" keeps "Superior Court").
_TITLES = frozenset(
    "mr mrs ms dr rep sen senator gov governor president vice judge justice minister prime secretary general gen "
    "col lt sgt capt adm king queen prince princess pope chief ceo attorney sheriff coach mayor ambassador "
    "commander spokesman spokeswoman officer sir lord lady".split()
)
# Days and months the tagger would call DATE (which stories leave out), with their abbreviations.
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


_NOT_A_NAME_START = _FUNCTION_WORDS | _CALENDAR | _TITLES


def proper_names(sentence: Sentence, known: frozenset[str] = frozenset()) -> list[Mention]:
    """Capitalised names in an untagged sentence: GPE when they name a country, its people or a sizeable place, else NAME.

    A cheap stand-in for the tagger where no report is extracted: the story clustering's entity
    view and the article's country context need names, not their fine types. A lone word that
    opens the sentence counts only when it is one of the article's `known` name words ("Reid
    launched ..." after "Tara Reid").
    """
    return name_mentions(sentence, name_candidates(sentence), known)


def name_candidates(sentence: Sentence) -> list[tuple[int, int, bool]]:
    """(start, end, is a lone sentence-opening word) of every name span in the sentence."""
    text = sentence.text
    return [span for m in _NAME.finditer(text) for span in _name_spans(text, m.start(), m.end())]


def name_mentions(sentence: Sentence, candidates: list[tuple[int, int, bool]], known: frozenset[str]) -> list[Mention]:
    """Mentions of the candidate names; a lone opening word only when it is a `known` name word."""
    out = []
    for start, end, lone_opening in candidates:
        text = sentence.text[start:end]
        if lone_opening and text.rstrip(".") not in known:
            continue  # a lone capitalised first word is usually just the sentence's first word
        out.append(Mention(text, _name_label(text), sentence.article_id, sentence.start + start, sentence.start + end, sentence.index))
    return out


@functools.lru_cache(maxsize=50_000)
def _name_label(name: str) -> str:
    """GPE for a country, its people or a sizeable place the gazetteer knows; NAME otherwise."""
    gazetteer = Gazetteer.default()
    return "GPE" if gazetteer.country_of(name) or gazetteer.country_of_folded(name) else "NAME"


def _name_spans(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The names inside one capitalised run, each flagged when it is a lone sentence-opening word:
    cut after possessives, without leading function words, titles, days, months or a trailing full stop."""
    words = [(w.start() + start, w.end() + start) for w in re.finditer(r"\S+", text[start:end])]
    parts: list[list[tuple[int, int]]] = [[]]
    for ws, we in words:
        possessive = _POSSESSIVE.search(text[ws:we])
        parts[-1].append((ws, we - len(possessive.group(0)) if possessive else we))
        if possessive:
            parts.append([])
    spans = []
    for part in parts:
        opening = bool(part) and bool(_SENTENCE_OPENING.match(text[: part[0][0]]))
        while part and text[part[0][0] : part[0][1]].lower().rstrip(".") in _NOT_A_NAME_START:
            part = part[1:]
            opening = False
        titled = [i for i, (ws, we) in enumerate(part[:-1]) if text[ws:we].lower().rstrip(".") in _TITLES]
        if titled:  # "Superior Court Judge James Bodiford": the court and the judge are two names
            spans += _name_spans(text, part[0][0], part[titled[0]][0] - 1) if titled[0] else []
            part = part[titled[-1] + 1 :]
            opening = False
        if not part:
            continue
        s, e = part[0][0], part[-1][1]
        if text[s:e].endswith(".") and text[s:e].count(".") == 1:
            e -= 1  # the sentence's full stop, not an abbreviation's ("U.S.", "Colo.")
        if e > s + 1:
            spans.append((s, e, opening and len(part) == 1))
    return spans
