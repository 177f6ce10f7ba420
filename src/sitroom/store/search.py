"""Full-text search that forgives spelling, the same on SQLite (FTS5) and PostgreSQL (tsvector).

This module parses a query into clauses and describes the hits; each backend turns the clauses
into its own full-text query (`store/sqlite.py`: FTS5 MATCH, `store/postgres.py`: tsquery).

News copy spells one town five ways ("Deir ez-Zor", "Deir el-Zour", "Deir al-Zor", "Deir Ezzor",
"Dayr az Zawr") and one truce three ("ceasefire", "cease-fire", "truce"). Three things make a search
find them all:

- **Folded names.** Every search document keeps, beside its text, a `folded` column: the
  transliteration key (`gazetteer.folding.fold`) of each capitalised word, prefixed with `zq` so that
  keys never meet ordinary words ("Deir" and "Dayr" -> `zqder`, "Zor", "Zour" and "Zawr" -> `zqzur`).
  Articles ("al-", "ez-", "az") are left out, and a word with an article glued on ("Ezzor") also
  gives its key without it. A query word matches its own text or its key, so "Dayr az Zawr" finds
  "Deir ez-Zor". Only capitalised words are folded: "homes" never becomes a match for "Homs".
- **Synonyms.** A query word of a synonym group matches any member ("truce" finds "cease-fire";
  a hyphenated word is read joined, "cease-fire" -> "ceasefire").
- **Phrases.** A quoted phrase ("aid convoy") must appear as written; unquoted words must all
  appear, anywhere. English stop words are dropped from queries on both backends (PostgreSQL's
  English configuration ignores them, FTS5 would demand them).

PostgreSQL also stems English words ("killed" finds "kill"); FTS5 does not. Hits carry what a
reader needs to pick one: the event's date and place, the article's date, outlet and link, the
story's last date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from sitroom.gazetteer.folding import ARTICLES, fold, simple
from sitroom.store import schema
from sitroom.store.base import SearchHit

FOLD_PREFIX = "zq"  # no English word starts so: a key never meets a word (PostgreSQL keeps both in one tsvector)
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("ceasefire", "ceasefires", "cease fire", "cease fires", "truce", "truces", "armistice"),
    ("airstrike", "airstrikes", "air strike", "air strikes", "air raid", "air raids"),
    ("isis", "isil", "islamic state", "daesh"),
)
_SYNONYM_OF: dict[str, tuple[str, ...]] = {
    term.replace(" ", ""): group for group in SYNONYMS for term in group
}
# PostgreSQL's English stop words (tsearch_data/english.stop): dropped from queries on both backends.
STOP_WORDS = frozenset(
    ["i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now"]
)
_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")  # a word, hyphenated parts kept together
_CAPITALISED = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_GLUED = re.compile(r"^[aeu](?:l)?(sh|th|dh|[tdrszn])\1(?=[a-z]{2})")
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True, slots=True)
class SearchResult(SearchHit):
    """A search hit with what tells it apart in a list: date, place (events), outlet and link (articles)."""

    date: str | None = None
    place: str | None = None
    outlet: str | None = None
    url: str | None = None


def _keys(word: str) -> list[str]:
    """The folded keys of one word: its key, and its key without a glued article ("Ezzor" -> zur, ezur)."""
    plain = simple(word).replace(" ", "")
    if not plain:
        return []
    keys = [fold(plain)]
    stripped = _GLUED.sub(r"\1", plain)
    if stripped != plain:
        keys.append(fold(stripped))
    return [FOLD_PREFIX + k for k in dict.fromkeys(keys) if k]


def folded_names(*texts: str | None) -> str:
    """The `folded` column of a search document: the keys of its capitalised words, in order."""
    out: list[str] = []
    for body in texts:
        for m in _CAPITALISED.finditer(body or ""):
            word = m.group()
            if not word[0].isupper() or word.casefold() in ARTICLES:
                continue
            out.extend(_keys(word))
    return " ".join(out)


def search_doc(kind: str, ref_id: str, title: str | None, body: str) -> dict:
    """A `search_docs` row: the text as it is, and its folded names."""
    return {"kind": kind, "ref_id": ref_id, "title": title, "body": body, "folded": folded_names(title, body)}


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase of words to find; `folded`: a key of the folded-names column, not text."""

    words: tuple[str, ...]
    folded: bool = False


@dataclass(frozen=True, slots=True)
class Clause:
    """One thing every hit must contain: any of `alternatives`."""

    alternatives: tuple[Term, ...]


def parse_query(query: str) -> list[Clause]:
    """The clauses of a query: quoted phrases, then each remaining word with its synonyms and folded keys."""
    clauses: list[Clause] = []
    for phrase in _QUOTED.findall(query):
        phrase_words = tuple(w.casefold() for w in re.findall(r"[^\W_]+", phrase))
        if phrase_words:
            clauses.append(Clause((Term(phrase_words),)))
    rest = _QUOTED.sub(" ", query).replace('"', " ")
    words = _WORD.findall(rest)
    kept = [w for w in words if w.casefold() not in STOP_WORDS] or words
    skip_next = False
    for i, word in enumerate(kept):
        if skip_next:
            skip_next = False
            continue
        joined = re.sub(r"[-‐‑]", "", word).casefold()
        pair = joined + re.sub(r"[-‐‑]", "", kept[i + 1]).casefold() if i + 1 < len(kept) else ""
        if pair in _SYNONYM_OF and joined not in _SYNONYM_OF:  # two words of one synonym: "cease fire", "air raid"
            joined, skip_next = pair, True
        if joined in _SYNONYM_OF:
            clauses.append(Clause(tuple(Term(tuple(term.split())) for term in _SYNONYM_OF[joined])))
            continue
        parts = re.split(r"[-‐‑]", word)
        for j, part in enumerate(parts):
            last = i == len(kept) - 1 and j == len(parts) - 1
            if part.casefold() in ARTICLES and not last:
                continue  # "al-", "ez-", "az": the spellings disagree on them
            alternatives = [Term((part.casefold(),))] + [Term((k,), folded=True) for k in _keys(part)]
            clauses.append(Clause(tuple(dict.fromkeys(alternatives))))
    return clauses


Hit = tuple[str, str, str | None, str | None, float]  # (kind, ref_id, title, snippet, score), best first


def search(conn: Connection, ranked: Callable[[Connection, list[Clause], int], list[Hit]], query: str, limit: int = 20) -> list[SearchResult]:
    """Ranked hits for `query` over articles, events and stories, each with its date and place or outlet.

    `ranked` is the backend's full-text query (`SqliteStore._ranked_hits`, `PostgresStore._ranked_hits`).
    """
    clauses = parse_query(query)
    if not clauses:
        return []
    return list(described(conn, ranked(conn, clauses, limit)))


def described(conn: Connection, hits: list[Hit]) -> Iterator[SearchResult]:
    """The hits with each record's date and place (events), date, outlet and link (articles), last date (stories)."""
    ids: dict[str, list[str]] = {}
    for kind, ref_id, *_ in hits:
        ids.setdefault(kind, []).append(ref_id)
    facts: dict[tuple[str, str], dict] = {}
    if ids.get("event"):
        t = schema.events
        for r in conn.execute(select(t.c.id, t.c.date, t.c.payload).where(t.c.id.in_(ids["event"]))):
            loc = json.loads(r.payload).get("location") or {}
            place = ", ".join(x for x in (loc.get("name"), loc.get("country")) if x) or None
            facts["event", r.id] = {"date": r.date, "place": place}
    if ids.get("article"):
        t = schema.articles
        for a in conn.execute(select(t.c.id, t.c.published, t.c.source, t.c.url).where(t.c.id.in_(ids["article"]))):
            facts["article", a.id] = {"date": a.published, "outlet": a.source, "url": a.url}
    if ids.get("story"):
        t = schema.stories
        for st in conn.execute(select(t.c.id, t.c.last_date).where(t.c.id.in_(ids["story"]))):
            facts["story", st.id] = {"date": st.last_date}
    for kind, ref_id, title, snippet, score in hits:
        yield SearchResult(kind, ref_id, title, snippet or "", score, **facts.get((kind, ref_id), {}))
