"""The parties of a report: who acted on whom (ACLED's actor1, actor2 and their associates), the victims
its figures count, and who blamed or denied what.
"""

from __future__ import annotations

import re

from sitroom.extract import roles
from sitroom.extract.actors import ActorMatch, civilians, country_name, country_of_word, crowd, find_actors, military_of, police_of, unidentified
from sitroom.extract.drafts import Draft, family
from sitroom.extract.figures import FigureMention
from sitroom.extract.roles import Parse
from sitroom.model import Actor, ActorKind, Sentence, Statement


_SPEAKER_AFTER = re.compile(r"^\s*(?:has |had |have )?(?:said|says|say|told|claimed|reported|announced|accused|blamed|denied|stated|noted|added|cited)\b", re.I)

_BLAME = re.compile(r"\b(?:blam(?:ed|es|ing)|accus(?:ed|es|ing)|held (?:\w+ )?responsible|responsible for)\b", re.I)

_DENIAL = re.compile(r"\bden(?:ied|ies|ying)\b|\brejected (?:\w+ )?(?:claims|accusations)\b", re.I)

_VICTIM_CUE = re.compile(r"\b(?:on|against|targeting|killed|killing|hit|struck|targeted)\s+(?:\w+\s+){0,2}$", re.I)

_CIVILIAN_WORDS = re.compile(r"\b(?:civilians?|people|children|women|residents|villagers|farmers?|fishermen|shepherds?|man|woman|boy|girl|family|families|activists?|journalists?|Palestinians?)\b", re.I)


def report_actors(d: Draft) -> tuple[Actor, ...]:
    """actor1 = who acted, actor2 = who was acted on; assoc actors the next on each side.

    The parse decides first (`roles.annotate`: the trigger's agent and patient, the accused of a
    blame, the speakers who are sources, not parties). Actors the parse says nothing about fall
    back on word windows: named before the trigger, or first in "clashes between X and Y". A state
    that acts violently is its military ("Russia bombed ..."). ACLED's defaults fill what the text
    leaves implicit: a protest's actor is the protesters of the scene's country, an attack on
    civilians has those civilians as actor2, a bombing by no one named an unidentified armed group.
    """
    perpetrators: dict[str, list[str]] = {}
    targets: dict[str, list[str]] = {}
    accused: dict[str, list[str]] = {}
    violent = family(d.trigger.event_type) == "violence"
    device = d.trigger.sub_event_type in _DEVICES
    trigger_sentence = d.sentence
    for a in sorted(d.actors, key=lambda a: a.role is None):  # the parse's readings first
        if a.kind == "organisation" or a.role == "speaker":
            continue
        name = a.name
        if device and a.kind == "civilians":
            targets.setdefault(name, []).append(a.surface)  # "a villager stepped on a mine": hit by it, whatever the parse says
            continue
        if a.kind in ("state", "government") and violent and a.role in ("agent", "accused", "patient"):
            name = military_of(a.country) or a.name  # "Russia bombed the town": Russia's forces did
        if a.role == "agent":
            perpetrators.setdefault(name, []).append(a.surface)
            continue
        if a.role == "patient":
            targets.setdefault(name, []).append(a.surface)
            continue
        if a.role == "accused":
            accused.setdefault(name, []).append(a.surface)
            continue
        if _SPEAKER_AFTER.search(_suffix(d, a)):
            continue  # "Russia's military has said ...": a source, not a party to the incident
        after_trigger = violent and trigger_sentence.start <= a.start < trigger_sentence.end and a.start >= d.trigger.end
        is_victim = a.name in d.victims or bool(_VICTIM_CUE.search(_prefix(d, a))) or after_trigger
        if device and a.kind in ("military", "police", "civilians"):
            # "a bomb exploded at the police station", "a villager stepped on a mine": forces and people near a
            # device the text gives no user are what it hit; who set it is unidentified (ACLED).
            is_victim = True
        if a.kind in ("state", "government") and not is_victim:
            continue  # a state named in passing ("tensions between the US and Russia") is not an actor here
        if a.kind in ("state", "government") and violent:
            name = military_of(a.country) or a.name  # "strikes on Syria": on its forces, as ACLED codes a state
        (targets if is_victim else perpetrators).setdefault(name, []).append(a.surface)
    if not perpetrators and accused:
        perpetrators = accused  # "an air attack the US blamed on Russia": the accused, as the source says
    # The kind of each party, under the name it is given: a state that acts violently is its military.
    kind_of = {a.name: ActorKind(a.kind) for a in reversed(d.actors)}
    kind_of |= {forces: ActorKind.MILITARY for a in d.actors if a.kind in ("state", "government") and (forces := military_of(a.country))}
    kind_of |= d.victims
    if violent:
        kinds = {a.name: a.kind for a in d.actors}
        # "armed farmers attacked a camp": civilians who attack are a communal militia, as ACLED codes them
        perpetrators = {(_communal(d.country) if kinds.get(n) == "civilians" else n): f for n, f in perpetrators.items()}
        kind_of[_communal(d.country)] = ActorKind.MILITIA
    for v in d.victims:
        targets.setdefault(v, [])
    parsed_agents = {n for n, forms in perpetrators.items() if any(a.role == "agent" and a.surface in forms for a in d.actors)}
    for name in list(perpetrators):
        if name in targets:
            # One party on both sides: the parse's agent stays the agent, a guess from word order yields.
            del (targets if name in parsed_agents else perpetrators)[name]
    if not perpetrators and len(targets) >= 2:
        # "clashes took place between regime forces and rebels": the first named side acted. Near a device
        # only a named group can have set it ("an IED planted by JNIM"): the soldiers and police a bomb
        # went off near did not, and who set it is otherwise unidentified.
        patients = {n for n, forms in targets.items() if any(a.role == "patient" and a.surface in forms for a in d.actors)}
        first = next((n for n in targets if n not in d.victims and n not in patients
                      and (not device or kind_of.get(n) in (ActorKind.ARMED_GROUP, ActorKind.MILITIA))), None)
        if first:
            perpetrators[first] = targets.pop(first)
    if d.trigger.event_type == "battles" and not perpetrators:
        # "clashes between rival clans", "ethnic clashes left five dead": ACLED codes a fight whose sides go
        # unnamed as an unidentified ethnic militia where the text says it is communal, else an unidentified armed group.
        side = next((n for n in targets if kind_of.get(n) in (ActorKind.ARMED_GROUP, ActorKind.MILITIA) and n not in d.victims), None)
        if side:
            perpetrators[side] = targets.pop(side)
        else:
            name = (_ethnic_unnamed if any(_COMMUNAL_CUE.search(s.text) for s in d.sources) else unidentified)(d.country)
            perpetrators[name] = []
            kind_of[name] = ActorKind.MILITIA if name.startswith("Unidentified Ethnic") else ActorKind.ARMED_GROUP
    named = [n for n in perpetrators if kind_of.get(n) == ActorKind.ARMED_GROUP and not n.startswith("Unidentified")]
    if named:
        # "suspected JNIM militants raided the village ... the assailants seized cash": the unnamed attackers
        # of a report that names the group are that group, not another one.
        perpetrators = {n: f for n, f in perpetrators.items() if not n.startswith("Unidentified Armed Group")}
    if d.trigger.event_type == "battles" and len(perpetrators) >= 2 and not targets:
        second = list(perpetrators)[1]
        targets[second] = perpetrators.pop(second)  # a battle's second side is actor2, not an ally
    if d.trigger.event_type in ("protests", "riots"):
        perpetrators, targets = _crowd_sides(d, perpetrators, targets)
        kind_of[crowd(d.trigger.event_type, _crowd_country(d))] = ActorKind.RIOTERS if d.trigger.event_type == "riots" else ActorKind.PROTESTERS
    if not perpetrators and d.trigger.event_type in _UNNAMED_PERPETRATOR and d.trigger.sub_event_type != "air_drone_strike":
        perpetrators[unidentified(d.country)] = []  # "a bomb exploded": ACLED codes an unidentified armed group
        kind_of[unidentified(d.country)] = ActorKind.ARMED_GROUP
    if not targets and d.trigger.event_type == "violence_against_civilians" and any(_CIVILIAN_WORDS.search(s.text) for s in d.sources):
        targets[civilians(d.country)] = []
        kind_of[civilians(d.country)] = ActorKind.CIVILIANS
    actors = []
    if perpetrators:
        name, forms = next(iter(perpetrators.items()))
        actors.append(Actor(name, "actor1", tuple(dict.fromkeys(forms)), kind_of.get(name)))
        for extra, forms in list(perpetrators.items())[1:2]:
            actors.append(Actor(extra, "assoc_actor_1", tuple(dict.fromkeys(forms)), kind_of.get(extra)))
    for i, (name, forms) in enumerate(list(targets.items())[:2]):
        actors.append(Actor(name, "actor2" if i == 0 else "assoc_actor_2", tuple(dict.fromkeys(forms)), kind_of.get(name)))
    return tuple(actors)


def _crowd_sides(d: Draft, perpetrators: dict[str, list[str]], targets: dict[str, list[str]]) -> tuple[dict, dict]:
    """A protest's or riot's actor1 is its crowd, "Protesters (X)" / "Rioters (X)", whoever the text names
    as marching (students, a party, "Bangladesh" in a union's name); named groups join it as
    associates, and the police or army it faced are the other side."""
    kinds = {a.name: a.kind for a in d.actors}
    name = crowd(d.trigger.event_type, _crowd_country(d))
    forces = {n: f for n, f in {**perpetrators, **targets}.items() if kinds.get(n) in ("military", "police")}
    crowd_forms = [f for n, forms in perpetrators.items() if kinds.get(n) in ("protesters", "rioters", "civilians") for f in forms]
    sides = {name: crowd_forms}
    sides.update({n: f for n, f in perpetrators.items() if kinds.get(n) == "group" and n not in forces})
    others = {n: f for n, f in targets.items() if n not in forces and kinds.get(n) not in ("state", "government")}
    if d.trigger.event_type == "protests":
        # "youths protested over the killing of a trader": whom a protest is about is no party to it (ACLED
        # codes a protest's other side only where forces intervened); a riot's victims stay its actor2.
        others = {n: f for n, f in others.items() if kinds.get(n) != "civilians" and n not in d.victims}
    return sides, {**forces, **others}


def _crowd_country(d: Draft) -> str | None:
    """The country of a protest's or riot's crowd: the scene's, else that of a state or group it names."""
    return d.country or next((a.country for a in d.actors if a.country and a.kind in ("state", "group")), None)


_COMMUNAL_CUE = re.compile(r"\b(?:ethnic|inter-?ethnic|communal|inter-?communal|communities|clans?|tribal|tribes|pastoralists|herders)\b", re.I)


def _ethnic_unnamed(country: str | None) -> str:
    label = country_name(country)
    return f"Unidentified Ethnic Militia ({label})" if label else "Unidentified Ethnic Militia"


def _communal(country: str | None) -> str:
    label = country_name(country)
    return f"Unidentified Communal Militia ({label})" if label else "Unidentified Communal Militia"

# Weapons that act without their user in sight: a party named near one is its target unless the parse makes it the agent.
_DEVICES = {"remote_explosive_landmine_ied", "grenade"}

# Kinds of event whose unnamed perpetrator ACLED codes as "Unidentified Armed Group (X)".
_UNNAMED_PERPETRATOR = {"explosions_remote_violence", "violence_against_civilians"}


def _suffix(d: Draft, a: ActorMatch) -> str:
    for s in d.sources:
        if s.start <= a.start < s.end:
            return s.text[a.end - s.start : a.end - s.start + 30]
    return ""


def _prefix(d: Draft, a: ActorMatch) -> str:
    for s in d.sources:
        if s.start <= a.start < s.end:
            return s.text[max(0, a.start - s.start - 30) : a.start - s.start]
    return ""


def victim_names(figures: list[FigureMention], country: str | None) -> dict[str, ActorKind]:
    """ACLED-style names of the victims the figures count, in order, each with its kind."""
    out: dict[str, ActorKind] = {}
    for f in figures:
        words = (f.victims or "").lower()
        state_country = next((country_of_word(w) for w in re.findall(r"[a-z]+", words) if country_of_word(w)), None)
        state = country_name(state_country)
        if f.victim_kind == "military" and re.search(r"\bpolice|policem[ae]n|gendarmes?\b|constables?", words):
            name, kind = police_of(state_country or country), ActorKind.POLICE  # "three police officers were injured"
        elif f.victim_kind == "military":
            name = f"Military Forces of {'the United States' if state == 'United States' else state}" if state else military_of(country)
            kind = ActorKind.MILITARY
        elif f.victim_kind == "civilians" or (f.victim_kind == "unknown" and re.search(r"people|civilians|children|women|residents|workers", words)):
            name, kind = civilians(country), ActorKind.CIVILIANS
        else:
            continue
        if name:
            out.setdefault(name, kind)
    return out


def find_statements(sent: Sentence, actors: list[ActorMatch], parse: Parse | None = None) -> list[Statement]:
    """Blame, denials and claims in the sentence ("the US blamed Russia and Syria; both denied involvement").

    With a parse, the claimant is the verb's subject (or a passive's "by" agent) and the accused its
    object or "on" phrase, each named by the actors found inside those phrases; without one,
    word order decides (the claimant before the verb, the accused after).
    """
    parties = [a for a in actors if a.kind in _STATEMENT_KINDS]
    if parse is not None:
        out = []
        for found in roles.statements(parse):
            against = tuple(dict.fromkeys(_statement_name(a) for a in parties if roles.inside(_local(a, sent), found.against)))
            # "Russia and Syria denied involvement": every party inside the subject speaks.
            claimants = [a for p in found.by for a in parties if roles.inside(_local(a, sent), [p])]
            names = list(dict.fromkeys(_statement_name(a) for a in claimants))
            against = tuple(x for x in against if x not in names)
            mutual = found.kind == "blame" and not against and len(names) > 1 and _EACH_OTHER.search(sent.text)
            speakers: list[str | None] = [*names] if names else [None] if against else []
            for by in speakers:
                # "the government and rebels accused each other": each blames the other
                blamed = tuple(n for n in names if n != by) if mutual else against
                out.append(Statement(found.kind, by, blamed if found.kind == "blame" else (), sent.span()))
        return out
    out = []
    blame, denial = _BLAME.search(sent.text), _DENIAL.search(sent.text)
    if blame:
        by = next((_statement_name(a) for a in parties if a.start - sent.start < blame.start()), None)
        against = tuple(dict.fromkeys(_statement_name(a) for a in parties if a.start - sent.start > blame.start()))
        against = tuple(a for a in against if a != by)
        if by or against:
            out.append(Statement("blame", by, against, sent.span()))
    if denial:
        for d in dict.fromkeys(_statement_name(a) for a in parties if a.start - sent.start < denial.start()):
            out.append(Statement("denial", d, (), sent.span()))
    return out

_EACH_OTHER = re.compile(r"\b(?:each other|one another)\b", re.I)

# Who can blame, deny or claim: states and their forces, armed groups, organisations.
_STATEMENT_KINDS = {"state", "military", "police", "government", "group", "organisation"}


def _statement_name(a: ActorMatch) -> str:
    """A state's government speaks for the state: "the Kremlin denied" is Russia's denial."""
    return (country_name(a.country) or a.name) if a.kind == "government" else a.name


def _local(a: ActorMatch, sent: Sentence) -> tuple[int, int]:
    return a.start - sent.start, a.end - sent.start


# "The Hlegu PDF later claimed responsibility for the blast", "responsibility was claimed by X": who claims an act.
_CLAIM = re.compile(r"\b(?:claimed|claims|claiming|admitted|took)\s+(?:\w+\s+)?(?:responsibility|credit)\b"
                    r"|\bresponsibility\s+(?:was|has\s+been|had\s+been)\s+claimed\s+by\b", re.I)
_CLAIMANT_KINDS = ("group", "militia")
_UNNAMED = ("Unidentified Armed Group", "Unidentified Communal Militia", "Unidentified Ethnic Militia")


def claimant(sent: Sentence, country: str | None) -> ActorMatch | None:
    """The armed group a sentence says claimed an act ("the Karvel Front later claimed responsibility"), or None."""
    m = _CLAIM.search(sent.text)
    if m is None or re.search(r"\b(?:not|never|yet\s+to|no\s+one|nobody|denied|denies)\b|n't\b", sent.text[max(0, m.start() - 30) : m.start()], re.I):
        return None  # "had not claimed responsibility", "no one has claimed it yet"
    passive = m.group(0).lower().startswith("responsibility")
    groups = [a for a in find_actors(sent.text, sent.start, country=country)
              if a.kind in _CLAIMANT_KINDS and not a.name.startswith(_UNNAMED)
              and ((a.start - sent.start >= m.end()) if passive else (a.end - sent.start <= m.start()))]
    return (groups[0] if passive else groups[-1]) if groups else None


def with_claimant(actors: tuple[Actor, ...], group: ActorMatch | None) -> tuple[Actor, ...]:
    """A report's actors with the group that claimed it as actor1 where the text named no one who did it.

    ACLED codes the claimant of an unattributed bombing or attack as its actor1: "an explosion took place
    at the school ... The Taunggyi PDF claimed responsibility" is the PDF's bombing.
    """
    if group is None or not actors or actors[0].role != "actor1" or not actors[0].name.startswith(_UNNAMED):
        return actors
    return (Actor(group.name, "actor1", (group.surface,), ActorKind(group.kind)), *actors[1:])
