"""Event triggers: the words that say something happened, typed in ACLED's taxonomy.

Each rule is a regular expression over a sentence with the (event_type, sub_event_type) it
signals and a priority; the most specific rule that fires wins (a "suicide car bomb" is a
suicide bomb, not a remote explosive). Diplomatic talk, forecasts and calls to act are filtered
out before typing, because a sentence about a ceasefire *proposal* is not an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sitroom import rules
from sitroom.extract.figures import find_figures, weigh
from sitroom.rules.lexicon import non_combatant_words


@dataclass(frozen=True, slots=True)
class Trigger:
    """A typed event trigger found in a sentence."""

    event_type: str
    sub_event_type: str
    text: str
    start: int
    end: int
    priority: int
    rule: str = ""  # the name of the rule in rules/triggers.toml that fired


# The trigger rules are data (src/sitroom/rules/triggers.toml): (rule, event_type, sub_event_type, priority).
_TRIGGERS = rules.load("triggers")
_COMPILED = [(r.regex, r.get("event_type"), r.get("sub_event_type"), int(r.get("priority")), r.name) for r in _TRIGGERS]
# Every rule in one pass per case-sensitivity: most sentences match none, and one scan of a union
# costs a third of the 27 scans that would find nothing (backtracking keeps it exact: a branch
# that fails its word edge lets the next one try).
_NEEDS_ACT = frozenset(r.name for r in _TRIGGERS if r.get("needs_act"))
# What makes a named weapon a used one ("fired rockets", "mortars landed", "attacked with artillery").
_ACT = re.compile(
    r"\b(?:fir(?:ed|ing|es)|launch(?:ed|ing|es)|struck|strik(?:e|es|ing)|hit(?:s|ting)?|target\w*|pound\w*|bombard\w*|"
    r"land(?:ed|ing|s)|fell|explod\w*|attack\w*|kill\w*|wound\w*|injur\w*|damag\w*|destroy\w*|us(?:ed|ing)|with|"
    r"rain(?:ed|ing)|hurl\w*|lob\w*|shell\w*)\b",
    re.I,
)
_ANY_TRIGGER = [u for u in (_TRIGGERS.union(case_sensitive=False), _TRIGGERS.union(case_sensitive=True)) if u is not None]

# A sentence that only announces, proposes, forecasts or calls for something is not an event.
_NON_EVENT = re.compile(
    r"\b(?:would|will|could|might|(?-i:may)(?!\s+\d)|should|must|plans? to|proposal|proposed|called for|calls? for|urg(?:ed|ing)|"
    r"demand(?:ed|s)? (?:that|to)|threaten(?:ed|s)? to|warn(?:ed|s)? (?:that|of)|if\b|unless|hopes? to|in order to|"
    r"aimed at|prepar(?:ing|ation) for|ready to|due to be\b|(?:set|expected|scheduled) to\b|talks|negotiat|meeting|summit|diplomat)",
    re.I,
)
_HARM = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|died|deaths?|deadly|fatal|wounded|injur(?:ed|ies|ing)|casualt(?:y|ies)|destroy(?:ed|ing)|death toll|fatalit(?:y|ies)|hit|struck|targeted|damaged|(?:carried out|conducted|launched) (?:an? |\d+ |several |dozens of )?(?:air ?)?(?:strikes?|raids?|sorties))\b", re.I)
# Deaths and injuries from disease, drugs, disasters and accidents are not events of political violence.
_NOT_CONFLICT = re.compile(
    r"\b(?:coronavirus|covid(?:-19)?|virus|pandemic|infections?|overdoses?|fentanyl|disease|cancer|earthquakes?|"
    r"floods?|flooding|storms?|hurricanes?|cyclones?|typhoons?|landslides?|disasters?|accidents?|crash(?:ed|es)?|"
    r"collaps(?:ed|ing)|heat ?waves?|drown(?:ed|ing)|starvation|famine|blazes?|wildfires?|bushfires?|flames)\b",
    re.I,
)
# Road deaths and falling trees are accidents: "was hit by a car and killed", "struck by a vehicle", "the holiday road toll".
_TRAFFIC = re.compile(
    r"\b(?:(?:hit|struck|run\s+over|knocked\s+down|mowed\s+down)\s+by\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:car|vehicle|truck|bus|train|van|lorry|motorcycle|SUV|pickup|tractor)s?|road\s+tolls?|(?:car|road|traffic|motorcycle)\s+"
    r"(?:crash|accident|collision|death)s?|crashing|collisions?|(?:tree|wall|roof|building)\s+fell|"
    r"(?:deaths?|killed|died|fatalities)\s+on\s+(?:[\w'’]+\s+){0,2}?(?:roads|highways?|motorways?))\b|"
    r"\b(?:hit|struck|run\s+over)\s+by\s+(?:a|an|the)\s+[^,.;]{1,40}?,?\s+driven\s+by\b",
    re.I,
)
# A drug as a substance ("linked the drug to 15 deaths"), not the trade that fights over it.
_SUBSTANCE = re.compile(r"\b(?:the|this|that)\s+drugs?\b(?!\s+(?:gangs?|cartels?|lords?|traffickers?|trafficking|dealers?|war|barons?|mafia|trade))|\bopioids?\b", re.I)
# Who is deployed when a deployment changes a group's activity (troops and police are _GROUND's).
_ARMED_UNIT = re.compile(r"\b(?:army|military|units?|battalions?|brigades?|warships?|tanks?|jets?|militiamen|guardsmen|National\s+Guard|peacekeepers)\b", re.I)
# A death by one's own hand is no political violence: "hanged himself in his cell", "took his own life".
_SELF_HARM = re.compile(
    r"\b(?:committed\s+suicide|(?:hanged|hung|killed|shot)\s+(?:himself|herself|themselves)|took\s+(?:his|her|their)\s+own\s+lives?|"
    r"(?:apparent|suspected)\s+suicide)\b",
    re.I,
)
# An accident's blast is no explosive attack, whatever the weapon words ("a gas explosion injured 55").
_ACCIDENT = re.compile(
    r"\b(?:gas|gas[- ]cylinder|boiler|pipeline|fuel[- ]tank|chemical[- ]plant|factory|mine|mining|fireworks?)\s+(?:explosions?|blasts?|leaks?|fires?|accidents?)|"
    r"\b(?:earth)?quakes?\b|\btremors?\b|\bshort[- ]circuit|\belectrical fault|\bindustrial accident",
    re.I,
)
# A past-tense act of violence is an event even when nobody was hurt ("PKK militants attacked a post").
_DONE = re.compile(
    r"\b(?:attacked|raided|stormed|targeted|struck|shelled|bombed)\b"
    # A terse note's present tense: "Pokot raiders attack civilians", "Youths storm a police post".
    r"|\b(?:raiders|gunmen|militants|youths|attackers|assailants|bandits|rebels|police|soldiers|troops|men|mob|militia|militiamen|herders|warriors|residents|supporters|fighters|forces)\s+(?:\w+\s+)?(?:attack|attacks|raid|raids|storm|storms|target|targets|shell|shells|bomb|bombs)\b",
    re.I,
)
# Sport's fights and shots are no political violence unless someone is hurt ("boxers fought six-round contests").
_SPORT = re.compile(
    r"\b(?:boxers?|boxing|bouts?|wrestl(?:ers?|ing)|footballers?|soccer|basketball|cricket(?:ers?)?|rugby|tennis|golf(?:ers?)?|"
    r"championships?|tournaments?|contests|referees?|strikers?|goalkeepers?|goals?\s+(?:in|against)|Olympic\w*|"
    r"(?:first|second|third|final|opening)[- ]round|[\w-]+[- ]round\s+(?:contests?|bouts?|fights?)|rematch|knockout)\b",
    re.I,
)
# Police searching premises: "offices at the city hall were raided" reports a search, not violence.
_SEARCH = re.compile(
    r"\b(?:offices?|homes?|houses?|premises|headquarters|apartments?|flats?|properties)\b[^.;]{0,30}?\b(?:were|was|been|being)\s+raided\b|"
    r"\braid(?:ed|s)?\s+(?:on\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:offices?|homes?|houses?|premises|headquarters|apartments?|flats?)\b",
    re.I,
)
# A fight or battle word, which speech uses figuratively as often as news uses it of war.
_FIGURATIVE_FIGHT = re.compile(r"battles?|fight(?:s|ing)?|fought", re.I)
_DATED = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|overnight|last\s+night)\b|"
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_GROUND = re.compile(r"\b(?:gunmen|militants|fighters|troops|soldiers|forces|police|rebels|militia|insurgents)\b", re.I)
# Sides a fight word names outright, as terse notes do ("Two clans battle", "fighting between the Ostri
# and Karva militias"): no figure of speech fights between clans.
_SIDES = re.compile(r"\b(?:clans?|militias?|gangs?|ethnic|communities|tribes|tribesmen|raiders|bandits|warriors|herders)\b|"
                    r"\bbetween\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[\w'’-]+)?\s+(?:and|&)\s+(?:the\s+)?[A-Z]")


def _retyped(t: Trigger, event_type: str, sub_event_type: str) -> Trigger:
    """The same trigger typed otherwise by its context (it keeps the rule that found it)."""
    return replace(t, event_type=event_type, sub_event_type=sub_event_type)


def _hedged(sentence: str, trigger_at: int) -> bool:
    """True when a modal, plan or talk word governs the trigger, i.e. comes before it in its clause.

    "Russia will strike" is a forecast; "miners held a protest against plans to privatize the mine"
    is a protest, its "plans to" comes after the trigger.
    """
    for m in _NON_EVENT.finditer(sentence):
        if m.start() < trigger_at and not re.search(r"[;:]|,\s+(?:and|but)\b", sentence[m.end() : trigger_at]):
            return True
    return False


def mentions_trigger(sentence: str) -> bool:
    """Whether any trigger rule matches the sentence (one scan per case-sensitivity)."""
    return any(p.search(sentence) for p in _ANY_TRIGGER)


def find_triggers(sentence: str, offset: int = 0) -> list[Trigger]:
    """Every typed trigger in a sentence, best first."""
    if not mentions_trigger(sentence):
        return []
    out = []
    for pattern, et, st, pr, name in _COMPILED:
        for m in pattern.finditer(sentence):
            out.append(Trigger(et, st, m.group(0), offset + m.start(), offset + m.end(), pr, name))
    out.sort(key=lambda t: (-t.priority, t.start))
    return out


_VIOLENT = ("battles", "explosions_remote_violence", "violence_against_civilians")
# Agreements are events when one is made, enters into force or is announced, not when discussed.
_AGREEMENT_ACT = re.compile(
    r"\b(?:signed|agreed|reached|brokered|announced|declared|came into effect|went into effect|took effect|"
    r"entered into force|came into force|struck a deal)\b",
    re.I,
)
# What makes a bare "strike" or "raid" an air strike; a raid alone is as often cattle raiders or police.
# A truce named, not made: "failed to result in a newly-brokered ceasefire", "the truce brokered by X is holding".
# "The truce that took effect on 20 February has been violated daily": the truce as background of its breaches.
_AGREEMENT_NOT = re.compile(r"\b(?:failed|fail|fails|failing)\s+to\b|\bnot\b|n't\b|\bno\b|-brokered|\bbrokered\s+by|\bdiscuss|"
                            r"\bviolat\w*", re.I)
_AIR = re.compile(r"\b(?:air|plane|planes|jets?|drones?|warplanes?|aircraft|helicopters?|bomb(?:s|ing|ed)?|coalition|Saudi-led|aviation)\b", re.I)
_CIVILIAN = non_combatant_words()  # the shared victim lexicon (rules/victims.toml)


# "amid the ongoing clashes", "as battles continue": fighting named as background, not as the event.
_BACKGROUND_BEFORE = re.compile(r"\b(?:ongoing|recent|continuing|continued|previous|earlier|recently)\s+(?:\w+\s+)?$", re.I)
_BACKGROUND_AFTER = re.compile(r"^\s+(?:continues?|are continuing|were continuing|on the island)\b", re.I)
# Who ACLED counts as an organised armed side; a clash needs two of them, or it is a riot.
_ARMED_VICTIM = re.compile(r"\b(?:members?(?! of (?:the )?(?:[\w-]+ ){0,2}(?:clan|community|tribe|family|village|public))|fighters?|soldiers?|officers?|colonel|commander|militants?|operatives?|elements|troops|guards?|policem[ae]n|personnel|gendarmes?|gendarmerie|patrols?)\b", re.I)
# Crowds, supporters and factions without arms: their fights are riots, not armed clashes (ACLED).
_CROWD = re.compile(
    r"\b(?:youths?|residents|villagers|vendors|traders|demonstrators|protesters|rioters|Palestinians|"
    r"(?:dozens|hundreds|group|groups) of (?:\w+ )?(?:men|youths|people|residents|supporters)|families|supporters|"
    r"churchgoers|worshippers|congregants|voters|students?|fans|mourners|squatters|(?:student|party|political) factions?|factions of (?:the )?(?:\w+ )?(?:League|[Pp]arty)|supporters|activists|party members|members of (?:the )?\w+ (?:and \w+ )?part(?:y|ies)|mobs?)\b",
    re.I,
)
# A crowd named as the subject right before the act ("Youths, wielding sticks, attacked ...").
_CROWD_SUBJECT = re.compile(
    r"\b(?:youths|mobs?|supporters|activists|cadres|(?:student|party|political) factions?|(?<!Arab )League|rioters|(?:angry|irate)\s+(?:residents|villagers|locals|crowds?)|crowds?)\b[^.;]{0,40}$",
    re.I,
)
_RIOT_ACTS = re.compile(
    r"\b(?:burn(?:ing|ed|t|s)? (?:rubber )?(?:tires|tyres)|set (?:\w+ ){0,4}on fire|set (?:\w+ ){0,3}ablaze|hurled|threw|stormed|storm the|"
    # Blocking a road is not violence by itself: ACLED codes it peaceful in one region and a riot in another.
    r"burn(?:ed|t|s|ing)? (?:the |down )?(?:\w+ ){0,4}(?:offices?|buildings?|vehicles?|cars?|station|property)|vandali[sz]\w*|smash\w*|looted)\b",
    re.I,
)


# "had seen no such withdrawal", "did not attack": a trigger under a negation reports nothing.
_NEGATED = re.compile(r"\b(?:no|not|never|no such|nor any)\s+(?:\w+\s+)?$", re.I)


# How far (in characters, within the sentence's clause) a weapon's act stands from the weapon.
_ACT_REACH = 50


def _used(sentence: str, t: Trigger, offset: int) -> bool:
    """Whether an act of use ("fired", "landed", "with") stands near the weapon that trigger `t` names."""
    start, end = t.start - offset, t.end - offset
    left = sentence[max(0, start - _ACT_REACH) : start]
    right = sentence[end : end + _ACT_REACH]
    left = re.split(r"[.;:]", left)[-1]
    right = re.split(r"[.;:]", right)[0]
    return bool(_ACT.search(left) or _ACT.search(right) or _ACT.fullmatch(t.text))


def _background(sentence: str, t: Trigger, offset: int) -> bool:
    start, end = t.start - offset, t.end - offset
    head = sentence[:start]
    return bool(_BACKGROUND_BEFORE.search(head) or _BACKGROUND_AFTER.search(sentence[end:]) or _NEGATED.search(head))


_BACKGROUND_RULES = rules.load("background")
KEPT_CONTEXT: frozenset[str] = frozenset(_BACKGROUND_RULES.data.get("kept", ()))
_UNLESS = {r.name: re.compile(r.get("unless"), re.I) for r in _BACKGROUND_RULES if r.get("unless")}
# What ends the clause a marker governs: "the army said it would retake the town; rebels attacked".
_CLAUSE_END = re.compile(r"[.;:!?]|,\s+(?:but|while|whereas|and|where|which|who|whom|whose|when)\b|\bbut\b|\bwhile\b", re.I)


def _governed(sentence: str, t: Trigger, offset: int, *, has_figure: bool) -> str | None:
    """The background kind whose marker governs trigger `t`, or None (rules/background.toml)."""
    start = t.start - offset
    for rule in _BACKGROUND_RULES:
        if rule.get("violent_only") and t.event_type not in _VIOLENT:
            continue
        if rule.get("unless_figure") and has_figure:
            continue
        if rule.name in _UNLESS and _UNLESS[rule.name].search(sentence):
            continue
        after = int(rule.get("after", 0))
        end = t.end - offset
        for m in rule.regex.finditer(sentence):
            if rule.get("inside"):  # the marker holds the act it dates: "four days after a man was shot"
                if m.start() <= start < m.end():
                    return rule.get("kind")
                continue
            if rule.get("anywhere") or (m.end() <= start and not _CLAUSE_END.search(sentence, m.end(), start)):
                return rule.get("kind")
            if m.start() <= start < m.end():
                return rule.get("kind")  # the trigger is part of the marker: "in separate gun and bomb attacks"
            # "protested a policy that would cut grants": the marker is a relative clause's, not the act's.
            if after and end <= m.start() <= end + after and not re.search(r"[,.;:]|\b(?:that|which|who)\b", sentence[end : m.start()]):
                return rule.get("kind")
    return None


_TRIAL = next(r for r in _BACKGROUND_RULES if r.name == "trial")
# Markers that hold an earlier act inside them ("a week after a teenager was shot dead").
_RECALLING = [r for r in _BACKGROUND_RULES if r.get("inside") and r.get("kind") == "past_event"]


def recalled_spans(sentence: str) -> list[tuple[int, int]]:
    """Where a sentence names an earlier act within a marker ("a week after a teenager was shot dead",
    "video of a mother shot and killed ... was released"): the figures there count that act, not the sentence's."""
    return [m.span() for r in _RECALLING for m in r.regex.finditer(sentence)]


# What puts a blast or a fire down to an accident: "may have been caused by a gas leak".
_ACCIDENT_CAUSE = re.compile(
    r"\b(?:caused\s+by|blamed\s+on|due\s+to|(?:the\s+)?result\s+of)\s+(?:an?\s+)?(?:(?:suspected|possible|faulty|electrical)\s+)?"
    r"(?:gas|leak|short[- ]circuit|electrical|wiring|fault|accident|negligence|flammable)",
    re.I,
)
# What makes a blast an attack, whatever the article's frame: a bomb, an attacker, a placed device.
_ATTACK_SIGN = re.compile(r"\b(?:bomb\w*|attack\w*|militants?|gunmen|suspects?|terror\w*|IEDs?|planted|claimed\s+responsibility|suicide)\b", re.I)


def is_accident_report(lead: str) -> bool:
    """Whether an article's lead puts its blast or fire down to an accident ("may have been caused by a gas leak")."""
    return bool(_ACCIDENT.search(lead) or _ACCIDENT_CAUSE.search(lead))


def accidental_blast(sentence: str, trigger: Trigger) -> bool:
    """In an accident report, whether the trigger is that accident's blast told again ("The explosion was loud")."""
    return trigger.rule == "explosive_device" and not _ATTACK_SIGN.search(sentence)


def is_court_report(lead: str) -> bool:
    """Whether an article's lead reports a trial or a sentence ("was sentenced on Wednesday to 20 years")."""
    return bool(_TRIAL.search(lead))


def read_sentence(
    sentence: str, offset: int = 0, *, has_figure: bool = False, period_only: bool = False
) -> tuple[Trigger | None, str | None]:
    """What a sentence states: (its incident's trigger, None), (a background trigger, its kind), or (None, None).

    A trigger that a background marker governs ("threatened to attack", "since 2019 ... killed",
    "sentenced for the bombing") is background; the sentence reports an incident only through a
    trigger no marker governs. `period_only`: every casualty figure it has counts a period.
    """
    triggers = [t for t in find_triggers(sentence, offset) if not _background(sentence, t, offset)]
    # "displayed its artillery", "failed to sell missiles": a weapon named, not used; its act stands beside it.
    triggers = [t for t in triggers if t.rule not in _NEEDS_ACT or _used(sentence, t, offset)]
    if not triggers:
        return None, None
    if period_only:
        return _typed(sentence, offset, triggers, has_figure=True) or triggers[0], "period_total"
    kinds = {id(t): _governed(sentence, t, offset, has_figure=has_figure) for t in triggers}
    free = [t for t in triggers if kinds[id(t)] is None]
    incident = _typed(sentence, offset, free, has_figure=has_figure) if free else None
    if incident is not None or len(free) == len(triggers):
        return incident, None
    governed = [t for t in triggers if kinds[id(t)] is not None]
    return _typed(sentence, offset, governed, has_figure=True) or governed[0], kinds[id(governed[0])]


def classify(sentence: str, offset: int = 0, *, has_figure: bool = False) -> Trigger | None:
    """The event a sentence reports, or None when it reports none (talk, plans, history, totals)."""
    trigger, kind = read_sentence(sentence, offset, has_figure=has_figure)
    return trigger if kind is None else None


def context_of(sentence: str, offset: int = 0, *, has_figure: bool = False, period_only: bool = False) -> str | None:
    """The kind of background a sentence states instead of an incident, or None."""
    return read_sentence(sentence, offset, has_figure=has_figure, period_only=period_only)[1]


def _typed(sentence: str, offset: int, triggers: list[Trigger], *, has_figure: bool) -> Trigger | None:
    """The event the triggers report, typed by context, or None when they report none."""
    if not triggers:
        return None
    harm = bool(_HARM.search(sentence)) or has_figure or bool(_DONE.search(sentence))
    best = triggers[0]
    violent = [t for t in triggers if t.event_type in _VIOLENT and t.priority > 5]
    if best.event_type == "strategic_developments" and violent and harm:
        best = violent[0]  # "the truce ended after an attack that killed 90": the attack is the event
    if best.sub_event_type == "agreement":
        if _AGREEMENT_ACT.search(sentence) and not re.search(r"\b(?:end|ended|collapse|collapsed|over)\b", sentence, re.I) \
                and not _AGREEMENT_NOT.search(sentence):
            return best
        return None
    if not harm and _hedged(sentence, best.start - offset):
        # "marched against prices amid the call for a general strike": the strike is called for, the march happened.
        free = [t for t in triggers if not _hedged(sentence, t.start - offset)]
        if not free:
            return None
        return _typed(sentence, offset, free, has_figure=has_figure)
    if best.rule == "clash" and _FIGURATIVE_FIGHT.fullmatch(best.text) and not harm and not _DATED.search(sentence) \
            and not _GROUND.search(sentence) and not _ARMED_VICTIM.search(sentence) and not _SIDES.search(sentence):
        return None  # "in this battle, we were fighting for all children": no armed side, no harm, no day
    if _ACCIDENT.search(sentence):
        return None
    hurt = has_figure or bool(_HARM.search(sentence))
    if not hurt and best.event_type in _VIOLENT + ("riots",) and _SPORT.search(sentence):
        return None
    if not hurt and best.event_type in _VIOLENT and _SEARCH.search(sentence) and not any(t.sub_event_type == "arrests" for t in triggers):
        return None
    if best.priority <= 10 and (_NOT_CONFLICT.search(sentence) or _TRAFFIC.search(sentence)):
        return None  # "144 coronavirus-related deaths", "collapsing buildings injured 15": not political violence
    if best.priority <= 10 and _SUBSTANCE.search(sentence):
        return None  # "has linked the drug to 15 deaths": deaths from a substance, not from violence
    if best.rule == "territory_transfer" and best.text.lower().startswith("evacuat") and _NOT_CONFLICT.search(sentence):
        return None  # "flooding ... 9,000 people have been evacuated": a disaster's evacuation moves no front line
    if best.rule == "group_activity" and best.text.lower() == "deployed" and not (_GROUND.search(sentence) or _ARMED_VICTIM.search(sentence) or _ARMED_UNIT.search(sentence)):
        return None  # "salt trucks have been deployed": only armed forces' deployments change a group's activity
    if best.priority <= 10 and not has_figure and _SELF_HARM.search(sentence):
        return None  # "was found dead after he hanged himself": a suicide; a gunman's toll before killing himself still counts
    if best.priority <= 5 and not has_figure:
        return None  # "no one was killed", "the dead were buried": death words without a toll report no incident
    if best.priority <= 10:
        # A bare "strike"/"attack" is an event only when something was hit or someone harmed.
        if not harm:
            return None
        if not _AIR.search(sentence) and not re.search(r"\bstrikes?\b|\bstruck\b", best.text, re.I):
            # A clash needs an armed side named; "a road rage case led to gunshots" names none, an attack is the reading.
            armed = _GROUND.search(sentence) or _ARMED_VICTIM.search(sentence)
            sub = ("violence_against_civilians", "attack") if _CIVILIAN.search(sentence) or not armed else ("battles", "armed_clash")
            return _retyped(best, sub[0], sub[1])
    if best.priority <= 5:
        if not has_figure:
            return None
        if _CIVILIAN.search(sentence) or not _GROUND.search(sentence):
            return best
        return _retyped(best, "battles", "armed_clash")
    return refine(sentence, best, triggers, offset)


def refine(sentence: str, best: Trigger, triggers: list[Trigger], offset: int = 0) -> Trigger:
    """Adjust the type by context ACLED's coders use (who was hit, by what, by whom)."""
    lower = sentence.lower()
    protest = next((t for t in triggers if t.event_type == "protests" and t.sub_event_type == "peaceful_protest"), None)
    if protest and best.event_type not in ("protests", "riots"):
        # "families who claim their children have been kidnapped ... continued their sit-in protest":
        # the violence is what they protest, not the event.
        head = sentence[: best.start - offset]
        if re.search(r"(?:have|has|had) been\s+$|\b(?:against|of|over|condemn\w*)\s+(?:the\s+)?$|\bclaim", head, re.I) or not re.search(
            r"\b(?:killed|shot|wounded|injured|died)\b", sentence, re.I
        ):
            best = protest
    if best.sub_event_type == "protest_with_intervention" and not protest and not re.search(r"protest|demonstrat|rall(?:y|ies)|sit-in|march|dispers|crowd|supporters|voters|students", lower):
        # Tear gas or rubber bullets fired at fishermen or farmers: an attack, there is no protest.
        return _retyped(best, "violence_against_civilians", "attack")
    if best.event_type == "protests" and _RIOT_ACTS.search(sentence):
        return _retyped(best, "riots", "violent_demonstration")
    if best.event_type == "battles" and best.sub_event_type == "armed_clash" and _CROWD.search(sentence):
        # A clash needs two organised armed sides (ACLED); a crowd against forces is a riot.
        riot = any(t.event_type == "protests" for t in triggers) or re.search(r"demonstrat|protest|rioters", lower)
        sub = "violent_demonstration" if riot else "mob_violence"
        return _retyped(best, "riots", sub)
    if best.event_type == "violence_against_civilians" and best.sub_event_type == "attack" and best.rule != "armed_men":
        subject = _CROWD_SUBJECT.search(sentence[: best.start - offset])
        if subject and not re.search(r"\b(?:was|were|been|by)\b", subject.group(0)):
            # "supporters of the chairman assaulted a journalist", "youths attacked workers": a crowd's violence is mob violence (ACLED).
            return _retyped(best, "riots", "mob_violence")
    if best.event_type == "violence_against_civilians" and best.sub_event_type == "attack":
        after = sentence[best.start - offset :]
        passive = re.search(r"\b(?:was|were)\s+(?:shot|killed|assassinated|wounded)|\b(?:shot(?: dead)?|killed|assassinated|wounded) by\b", lower)
        if (_ARMED_VICTIM.search(after) or (passive and _ARMED_VICTIM.search(sentence))) and not _CIVILIAN.search(sentence):
            # Killing a fighter or an officer is an armed clash in ACLED's terms, not violence against civilians.
            return _retyped(best, "battles", "armed_clash")
    if best.sub_event_type == "remote_explosive_landmine_ied" and any(
            t.sub_event_type == "armed_clash" and re.search(r"repuls|repel|clash|exchang|fight|battle", t.text, re.I) for t in triggers):
        # A bomb the troops answered, fighting that followed a blast: the fight is the event (ACLED's battle);
        # an ambush laid with mines alone stays the mines'.
        return _retyped(best, "battles", "armed_clash")
    if best.sub_event_type == "shelling_artillery_missile_attack":
        clash = next((t for t in triggers if t.sub_event_type == "armed_clash" and re.search(r"clash|exchang|fight|battle", t.text, re.I)), None)
        if clash or re.search(r"\bexchanged (?:artillery|shelling|fire)\b", lower):
            return _retyped(best, "battles", "armed_clash")
    if best.sub_event_type == "peaceful_protest":
        for t in triggers:
            if t.event_type in ("protests", "riots") and t.priority > best.priority:
                return t
        if re.search(r"\b(?:protesters|demonstrators) (?:were )?(?:killed|shot)", lower):
            return _retyped(best, "protests", "excessive_force_against_protesters")
    if best.event_type == "battles" and best.sub_event_type == "armed_clash":
        if any(t.sub_event_type == "air_drone_strike" and t.priority >= 70 for t in triggers) and not re.search(r"clash", lower):
            return next(t for t in triggers if t.sub_event_type == "air_drone_strike")
    return best


def check_trigger_rule(rule: rules.Rule, sentence: str) -> bool:
    """Whether the sentence is read as the rule's event, its figures weighed as the pipeline does (rules/triggers.toml's checker).

    A rule with a fixed type fires when the sentence is typed as it; a generic rule
    (`typed_by_context`) fires when its trigger is the one that `classify` kept.
    """
    has_figure, period_only = weigh(find_figures(sentence, periods=True))
    t, kind = read_sentence(sentence, has_figure=has_figure, period_only=period_only)
    if t is None or kind is not None:
        return False
    if rule.get("typed_by_context"):
        return t.rule == rule.name
    return (t.event_type, t.sub_event_type) == (rule.get("event_type"), rule.get("sub_event_type"))


def check_background_rule(rule: rules.Rule, sentence: str) -> bool:
    """Whether `context_of` reads the sentence as the rule's kind of background (rules/background.toml's checker)."""
    has_figure, period_only = weigh(find_figures(sentence, periods=True))
    return context_of(sentence, has_figure=has_figure, period_only=period_only) == rule.get("kind")
