"""Actors: surface forms ("Moscow", "the Syrian army", "Pokot raiders") to ACLED-style names.

Two layers of data, one matcher. The vendored Phoenix index (`actor_index`, MIT) knows states and
their demonyms and capitals worldwide, national institutions, non-state armed groups with their
alternative names, international organisations and generic agents ("soldiers", "gunmen"). The
hand-written rules in `sitroom/rules/actors.toml` carry ACLED's own names and conventions on top
("Military Forces of X", "Protesters (X)", "Unidentified Armed Group (X)", "Al Shabaab", "JNIM:
..."). A sentence is cut into normalised words and every run of words is looked up in one table,
longest first; a generic agent takes the state named right before it ("Kenyan police", "Syria's
armed forces"), else the scene's country, so "rebels" in Somalia are never another country's group.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from sitroom import rules
from sitroom.extract import actor_index
from sitroom.extract.actor_index import fold
from sitroom.extract.actor_names import (  # re-exported: callers name parties through `actors`
    state_label,
    civilians,
    country_name,
    country_of_word,
    crowd,
    military_of,
    police_of,
    rule_family,
    state_of_demonym,
    unidentified,
)

_MAX_WORDS = 8
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+")
# Words that may stand between a state's name and its agent: "Syria's armed forces", "Syrian government troops".
_BETWEEN = {"s", "own", "state", "national", "special", "security", "elite", "regular", "federal", "central",
            "armed", "government"}
# Kinds whose name a state in front of them claims.
_STATE_KINDS = {"military", "police", "government"}


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """An actor named in a sentence: canonical name, kind, its country, the words used and where."""

    name: str
    kind: str  # state | military | police | government | group | civilians | protesters | rioters | organisation | settlers
    country: str | None
    surface: str
    start: int
    end: int
    role: str | None = None  # from the parse: agent | patient | accused | speaker (roles.annotate)


@dataclass(frozen=True, slots=True)
class _Entry:
    """What a run of words names: a fixed name or a template, and where it applies."""

    kind: str
    template: str  # "{state}", "Military Forces of {state}", "Protesters ({country})", or a fixed name
    country: str | None  # the state's own country, or where a named group fights
    agent: bool = False  # a generic word a state's name in front of it claims
    only_in: frozenset[str] = frozenset()
    exact: tuple[str, ...] | None = None  # the words as they must be written (case-sensitive rules, acronyms)
    capitalised: bool = False  # a Phoenix name: written with a capital somewhere
    group: str | None = None  # the ethnic group of an ethnic militia
    named: str | None = None  # "People's Defense Force - {name}": the unit a place name before the words names


# ---------------------------------------------------------------- the lexicon


def _family() -> rules.Family:
    return rule_family()


@functools.cache
def _lexicon() -> dict[tuple[str, ...], tuple[_Entry, ...]]:
    """Every known run of words -> what it may name; hand rules first, then the Phoenix index."""
    table: dict[tuple[str, ...], list[_Entry]] = {}
    fam = _family()
    for rule in fam:
        if rule.name == "ethnic_militia":
            continue  # composed from the ethnic groups below
        for term in rule.terms:
            key = tuple(actor_index.words(term))
            exact = tuple(_raw_words(term)) if rule.case_sensitive else None
            table.setdefault(key, []).append(_Entry(
                kind=rule.get("kind", "group"), template=rule.get("actor"), country=rule.get("country"),
                agent=bool(rule.get("agent")), only_in=frozenset(rule.get("only_in", ())), exact=exact,
                named=rule.get("named"),
            ))
    ethnic = fam.data.get("ethnic", {})
    aliases = ethnic.get("aliases", {})
    for group in ethnic.get("groups", ()):
        for noun in ethnic.get("nouns", ()):
            key = tuple(actor_index.words(f"{group} {noun}"))
            table.setdefault(key, []).append(_Entry("group", ethnic["actor"], None, group=aliases.get(group, group)))
    for word, iso in fam.data.get("demonyms", {}).items():
        table.setdefault(tuple(actor_index.words(word)), []).append(_Entry("state", "{state}", iso, capitalised=True))
    hand = set(table)
    for e in actor_index.load():
        key = tuple(e.form.split())
        if key in hand:
            continue  # the hand-written rule names these words ACLED's way
        entry = _phoenix_entry(e)
        if entry is not None:
            table.setdefault(key, []).append(entry)
    return {k: tuple(v) for k, v in table.items()}


def _phoenix_entry(e: actor_index.IndexEntry) -> _Entry | None:
    exact = tuple(w.upper() for w in e.form.split()) if e.cased else None
    if e.kind == "state":
        return _Entry("state", "{state}", e.country, exact=exact, capitalised=True)
    if e.kind in _STATE_KINDS:
        template = {"military": "Military Forces of {state}", "police": "Police Forces of {state}", "government": "Government of {state}"}[e.kind]
        return _Entry(e.kind, template, e.country, exact=exact, capitalised=True)
    if e.kind in ("group", "organisation"):
        return _Entry(e.kind, e.name or e.form.title(), e.country or None, exact=exact, capitalised=True)
    agent = {"agent_military": ("military", "Military Forces of {state}"), "agent_police": ("police", "Police Forces of {state}"),
             "agent_armed": ("group", "Unidentified Armed Group ({country})"), "agent_civilian": ("civilians", "Civilians ({country})")}.get(e.kind)
    if agent is None:
        return None
    return _Entry(agent[0], agent[1], None, agent=True)


def _raw_words(text: str) -> list[str]:
    text = re.sub(r"['’]s\b", " s", text)
    return [m.group(0).replace(".", "") for m in _TOKEN.finditer(text)]


def _render(entry: _Entry, state: str | None, scene: str | None) -> tuple[str, str | None] | None:
    """The entry's ACLED name in this sentence and scene, with the country it belongs to; None if it needs one it lacks."""
    template = entry.template
    if "{state}" in template:
        country = state or entry.country or scene
        label = country_name(country) if template == "{state}" else state_label(country)
        if not label:
            return None
        return template.replace("{state}", label), country
    if "{country}" in template or "{group}" in template:
        country = state or scene or entry.country
        label = country_name(country)
        name = template.replace("{group}", entry.group or "")
        if label:
            return name.replace("{country}", label), country
        return re.sub(r"\s*\(\{country\}\)", "", name), None
    return template, entry.country


# ---------------------------------------------------------------- matching


@dataclass(slots=True)
class _Hit:
    first: int  # token indexes [first, last)
    last: int
    entries: tuple[_Entry, ...]


def _tokens(sentence: str) -> list[tuple[str, str, int, int]]:
    """(normalised word, raw word, start, end) for every word; "Russia's" gives russia + s."""
    return [(fold(m.group(0).replace(".", "")), m.group(0).replace(".", ""), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]


def _fits(entry: _Entry, raw: list[str], scene: str | None) -> bool:
    if entry.exact is not None and tuple(raw) != entry.exact:
        return False
    if entry.capitalised and not any(w[:1].isupper() for w in raw):
        return False
    if entry.only_in and scene not in entry.only_in:
        return False
    return True


def _scan(tokens: list[tuple[str, str, int, int]], scene: str | None) -> list[_Hit]:
    """Longest known runs of words, left to right, without overlaps."""
    table = _lexicon()
    hits, i = [], 0
    while i < len(tokens):
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            entries = table.get(tuple(t[0] for t in tokens[i : i + n]))
            if not entries:
                continue
            raw = [t[1] for t in tokens[i : i + n]]
            fitting = tuple(e for e in entries if _fits(e, raw, scene))
            if fitting:
                hits.append(_Hit(i, i + n, fitting))
                i += n
                break
        else:
            i += 1
    return hits


def _choose(entries: tuple[_Entry, ...], where: str | None) -> _Entry:
    """A rule limited to the country in question wins over the general one ("rebels" in Syria)."""
    return next((e for e in entries if e.only_in and where in e.only_in), None) or next((e for e in entries if not e.only_in), entries[0])


def find_actors(sentence: str, offset: int = 0, *, country: str | None = None) -> list[ActorMatch]:
    """Actors named in a sentence, canonicalised, longest match first, without overlaps."""
    tokens = _tokens(sentence)
    hits = _scan(tokens, country)
    found: list[ActorMatch] = []
    used: set[int] = set()
    for k, hit in enumerate(hits):
        if k in used:
            continue
        entry = _choose(hit.entries, country)
        if entry.kind == "none":
            continue  # "Movement of forces:": a note's label, no party
        if _ANTI.search(sentence, 0, tokens[hit.first][2]):
            # "anti-Houthi forces", "pro-Turkish fighters": the name says whom they oppose or back, not who they are.
            claimed = _claimed_agent(hits, k, tokens, country) if entry.kind == "state" else None
            used.update(range(k, (claimed or k) + 1))
            continue
        if entry.kind == "state":
            claimed = _claimed_agent(hits, k, tokens, country)
            if claimed is not None:
                # "Kenyan police", "Russian and Syrian jets": the states' names belong to the agent after them.
                j = claimed
                used.update(range(k, j + 1))
                for s in range(k, j):
                    state = _choose(hits[s].entries, country).country
                    agent = _choose(tuple(e for e in hits[j].entries if e.agent), state)
                    rendered = _render(agent, state, country)
                    if rendered:
                        a, b = tokens[hits[s].first][2], tokens[hits[j].last - 1][3] if s == j - 1 else tokens[hits[s].last - 1][3]
                        found.append(ActorMatch(rendered[0], agent.kind, rendered[1], sentence[a:b], offset + a, offset + b))
                continue
            if _currency_after(tokens, hit):
                continue  # "the US dollar" is a currency, not a party
        start, end = tokens[hit.first][2], tokens[hit.last - 1][3]
        if _HELD.match(sentence, end):
            continue
        if entry.agent and k and hits[k - 1].last == hit.first and not _choose(hits[k - 1].entries, country).agent:
            continue  # "Saudi-led coalition forces", "Taliban fighters": the agent word belongs to the name before it
        owner = None
        if entry.agent and hit.first and tokens[hit.first - 1][0] in ("its", "their"):
            # "Russia said its jets ...": the agent belongs to the state named before it.
            owner = next((a.country for a in reversed(found) if a.kind in ("state", "military") and a.country), None)
        rendered = _render(entry, owner, country)
        if rendered is None:
            continue
        unit = _unit_name(tokens, hit, hits[k - 1] if k else None) if entry.named else None
        if unit and entry.named:
            # "the Myingyan PDF", "the Nyaung-U PDF": a local unit ACLED names by its place, spelt as written
            start = tokens[hit.first - unit][2]
            rendered = (entry.named.replace("{name}", sentence[start : tokens[hit.first - 1][3]]), rendered[1])
        found.append(ActorMatch(rendered[0], entry.kind, rendered[1], sentence[start:end], offset + start, offset + end))
    found += _communal_groups(sentence, offset, country, found)
    found += _named_with_acronym(sentence, offset, country, found)
    found.sort(key=lambda a: a.start)
    return _joint(found, sentence, offset)


# "the Ayadaw Revolutionary Alliance (ARA)": an armed group the text names with its acronym, as ACLED names it ("ARA: ...").
_WITH_ACRONYM = re.compile(
    r"\b(?P<name>(?:(?-i:[A-Z])[\w'’-]*\s+)(?:(?:of|for|the|and|de|du|des|la|-)\s+|(?-i:[A-Z])[\w'’-]*\s+){0,6}?"
    r"(?-i:[A-Z])[\w'’-]*)\s*\((?P<acronym>(?-i:[A-Z][A-Z0-9/-]{1,9}))\)"
)
_GROUP_NOUN = re.compile(r"\b(?:Army|Front|Forces?|Alliance|Movement|Group|Guerrillas?|Liberation|Militia|Brigades?|Battalion|"
                         r"Organi[sz]ation|Council|Union|Party|Resistance|Defen[cs]e|Revolutionary|Squad|Tigers|Comrades)\b")


def _named_with_acronym(sentence: str, offset: int, country: str | None, found: list[ActorMatch]) -> list[ActorMatch]:
    """Groups named in full with their acronym after them: "ACRONYM: Full Name", as ACLED writes them."""
    out: list[ActorMatch] = []
    for m in _WITH_ACRONYM.finditer(sentence):
        acronym = m.group("acronym")
        letters = acronym.replace("-", "").replace("/", "")
        words = m.group("name").split()
        # "Fighters of the Ta'ang National Liberation Army (TNLA)": the name is the longest tail whose initials fit the acronym.
        name = next((" ".join(words[i:]) for i in range(len(words)) if words[i][:1].isupper()
                     and _initials(words[i:]).startswith(letters[:1]) and abs(len(_initials(words[i:])) - len(letters)) <= 2), None)
        if name is None or not _GROUP_NOUN.search(name):
            continue  # "Kenya Red Cross (KRC)" is no armed group; "(ARA)" after another name is no acronym of it
        if any(country_of_word(w) for w in re.findall(r"[\w'’]+", name)):
            continue  # "Kenya Defence Forces (KDF)": a state's own force, named by the state
        start, end = m.end("name") - len(name), m.end("name")
        overlapping = [a for a in found if a.start - offset < end and start < a.end - offset]
        if any(a.kind == "state" or ":" in a.name for a in overlapping):
            continue  # a group the rules already name ACLED's way
        # "fighters of the TNLA": the generic word before "of" is the group's own
        owned = [a for a in found if a.end - offset <= start and re.fullmatch(r"\s+of\s+(?:the\s+)?", sentence[a.end - offset : start])]
        found[:] = [a for a in found if a not in overlapping and a not in owned]
        out.append(ActorMatch(f"{acronym}: {name}", "group", country, sentence[start:m.end()], offset + start, offset + m.end()))
    return out


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


# "the Matan and Geledle clans", "between the Luo and the Kuria communities", "Borana and Somalis clashed":
# communities named by their own names, one or two at a time, before a noun that says they are a group.
_COMMUNAL = re.compile(
    r"\b(?P<a>(?-i:[A-Z])[\w'’-]+)(?:\s*(?:,|and|or|&)\s*(?:the\s+)?(?P<b>(?-i:[A-Z])[\w'’-]+))?"
    r"(?:\s+(?P<noun>(?:sub-?)?clans?(?:\s+militias?)?|(?:ethnic\s+)?communit(?:y|ies)|(?:ethnic\s+)?groups?|tribes?|ethnic\s+groups?)\b"
    r"|(?=\s+(?P<verb>clash(?:ed|es)?|fought|fight|attack(?:s|ed)?|raid(?:s|ed)?|kill(?:s|ed)?|torch(?:es|ed)?|burn(?:s|ed|t)?)\b))",
    re.I,
)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)
# Capitalised words before "clan" that name no clan.
_NOT_CLAN = {"the", "a", "two", "three", "rival", "both", "local", "other", "several", "many", "some", "one", "another", "their",
             "his", "her", "its", "this", "that", "these", "those", "neighbouring", "neighboring", "different", "warring", "opposing"}


def _communal_groups(sentence: str, offset: int, country: str | None, found: list[ActorMatch]) -> list[ActorMatch]:
    """Communities and clans named by their names: '<X> Ethnic Militia (<country>)', '<X> Clan Militia (<country>)'."""
    ethnic = _family().data.get("ethnic", {})
    aliases = ethnic.get("aliases", {})
    known = {fold(g): aliases.get(g, g) for g in ethnic.get("groups", ())}
    label = country_name(country)
    out: list[ActorMatch] = []
    for m in _COMMUNAL.finditer(sentence):
        noun = (m.group("noun") or "").lower()
        names = [m.group("a")] + ([m.group("b")] if m.group("b") else [])
        clan = noun.startswith(("clan", "sub"))
        if not noun and not (m.group("b") or m.group("verb") or _BETWEEN_BEFORE.search(sentence, 0, m.start())):
            continue  # a bare name with nothing saying it is a party (only known communities are read bare, below)
        for k, raw in enumerate(names):
            start = m.start("a") if k == 0 else m.start("b")
            end = start + len(raw)
            if any(a.start - offset < end and start < a.end - offset for a in found + out):
                continue  # already read as another actor
            if country_of_word(raw) and fold(raw) not in known:
                continue  # "Somali clans", "Kenyan communities": a nation, not a community's militia
            if clan and fold(raw) not in _NOT_CLAN:
                name = f"{raw} Clan Militia"
            elif fold(raw) in known:
                name = f"{known[fold(raw)]} Ethnic Militia"
            else:
                continue
            name = f"{name} ({label})" if label else name
            out.append(ActorMatch(name, "group", country, sentence[start:end], offset + start, offset + end))
    return out


def _joint(found: list[ActorMatch], sentence: str, offset: int) -> list[ActorMatch]:
    """Two groups a source cannot tell apart ("JNIM and/or ISGS militants") under ACLED's joint name, where it has one;
    "JNIM and ISGS militants clashed" names two sides, not one."""
    joint = _family().data.get("joint", {}).get("names", ())
    out: list[ActorMatch] = []
    for a in found:
        prev = out[-1] if out else None
        if prev and prev.kind == a.kind == "group" and re.fullmatch(r"\s*(?:and\s*/\s*or|or)\s*", sentence[prev.end - offset : a.start - offset]):
            name = next((j for j in joint if prev.name in j and a.name in j and prev.name != a.name), None)
            if name:
                out[-1] = ActorMatch(name, "group", prev.country or a.country, sentence[prev.start - offset : a.end - offset], prev.start, a.end, prev.role)
                continue
        out.append(a)
    return out


def _claimed_agent(hits: list[_Hit], k: int, tokens, scene: str | None) -> int | None:
    """The hit of the agent that the state named at hit k (and any "and <state>" after it) stands in front of."""
    j = k
    while j + 1 < len(hits) and _choose(hits[j + 1].entries, scene).kind == "state":
        gap = [tokens[t][0] for t in range(hits[j].last, hits[j + 1].first)]
        if any(g not in ("and", "or") for g in gap):
            return None
        j += 1
    j += 1
    if j >= len(hits) or not any(e.agent for e in hits[j].entries):
        return None
    gap = [tokens[t][0] for t in range(hits[j - 1].last, hits[j].first)]
    if any(g not in _BETWEEN for g in gap):
        return None
    return j


def _unit_name(tokens, hit: _Hit, before: _Hit | None) -> int:
    """How many capitalised place words stand right before a unit's name ("Pakokku PDF", "Daik Oo PDF"): 0, 1 or 2."""
    n = 0
    i = hit.first - 1
    while i >= 0 and n < 2 and tokens[i][1][:1].isupper() and tokens[i][0] not in _NOT_UNIT and not (before and before.last > i):
        n += 1
        i -= 1
    return n


# Capitalised words before a unit's name that are no place: articles, titles, the sentence's first words.
_NOT_UNIT = {"the", "a", "an", "and", "of", "local", "joint", "combined", "on", "in", "at", "by", "as", "s"}


def _currency_after(tokens, hit: _Hit) -> bool:
    nxt = tokens[hit.last][0] if hit.last < len(tokens) else ""
    return nxt in ("dollar", "dollars")


_ANTI = re.compile(r"\b(?:anti|pro)-\s*$", re.I)
# "rebel-held", "Houthi-controlled": the words describe a place, not a party acting.
_HELD = re.compile(r"-(?:held|controlled|run|occupied|dominated|besieged|allied|backed|aligned|affiliated|owned|linked|appointed|installed|sponsored)\b"
                   r"|\s+(?:owned|appointed|installed|sponsored|run)\s+(?:company|companies|firm|business|bank|administrators?|officials?|ward|village|council|station|tower|media|newspaper|broadcaster)", re.I)


# ---------------------------------------------------------------- helpers for reports


def organisation_actor(text: str, start: int, end: int) -> ActorMatch | None:
    """An actor for an ORG entity the lexicon does not know ("the Northern Front")."""
    name = re.sub(r"^(?:the|The)\s+", "", text).strip()
    if len(name) < 3 or not name[0].isupper():
        return None
    kind = "group" if re.search(r"\b(?:Front|Army|Brigade|Militia|Movement|Forces|Liberation|Group|Battalion|Party|Council|Alliance)\b", name) else "organisation"
    return ActorMatch(name, kind, None, text, start, end)


def ruler_patterns() -> list[dict]:
    """Entity-ruler patterns from the hand-written rules: named groups ORG, seats of power and states GPE.

    The Phoenix index stays out of the ruler: its thousands of forms would slow loading and some
    are common words; the matcher reads them from the text directly.
    """
    patterns = []
    for rule in _family():
        if rule.get("agent") or rule.name == "ethnic_militia":
            continue
        label = "GPE" if rule.get("kind") == "state" else "ORG"
        for term in rule.terms:
            if len(term) > 3 and not term.islower():
                patterns.append({"label": label, "pattern": term})
    return patterns


def check_actor_rule(rule: rules.Rule, sentence: str) -> bool:
    """The rules checker: does `find_actors` name the rule's actor in the sentence (scene in `example_country`)?"""
    scene = rule.get("example_country")
    if rule.get("expect_none"):
        # fires when the rule's words are there and no actor is read from them
        m = rule.search(sentence)
        return m is not None and not any(a.start < m.end() and m.start() < a.end for a in find_actors(sentence, country=scene))
    expected = rule.get("expect")
    if expected is None:
        entry = _Entry(rule.get("kind", "group"), rule.get("actor"), rule.get("country"))
        rendered = _render(entry, None, scene)
        expected = rendered[0] if rendered else rule.get("actor")
    return expected in {a.name for a in find_actors(sentence, country=scene)}
