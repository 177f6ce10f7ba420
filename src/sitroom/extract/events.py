"""Event triggers: the words that say something happened, typed in ACLED's taxonomy.

Each rule is a regular expression over a sentence with the (event_type, sub_event_type) it
signals and a priority; the most specific rule that fires wins (a "suicide car bomb" is a
suicide bomb, not a remote explosive). Diplomatic talk, forecasts and calls to act are filtered
out before typing, because a sentence about a ceasefire *proposal* is not an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Trigger:
    """A typed event trigger found in a sentence."""

    event_type: str
    sub_event_type: str
    text: str
    start: int
    end: int
    priority: int


# (pattern, event_type, sub_event_type, priority). Higher priority wins within a sentence.
_RULES: list[tuple[str, str, str, int]] = [
    # Explosions / remote violence
    (r"chemical (?:weapons? )?attack|chlorine|sarin|nerve agent|toxic gas", "explosions_remote_violence", "chemical_weapon", 90),
    (r"suicide (?:car )?bomb(?:er|ing|s)?|suicide attack|blew (?:himself|herself|themselves) up|suicide vest|SVBIED", "explosions_remote_violence", "suicide_bomb", 88),
    (r"air ?strikes?|air[- ]raids?|dropp(?:ed|ing) (?:\w+ )?bombs|air attacks?|aerial (?:attack|bombardment|bombing)s?|drone (?:strike|attack)s?|warplanes?|war ?planes|fighter jets?|jets|airplanes|helicopter gunships?|barrel bombs?|bombing raids?|bombed|bombing|bombardment|UAV", "explosions_remote_violence", "air_drone_strike", 70),
    (r"shell(?:ing|ed|s)|artillery|mortars?|rockets?|missiles?|missles|Grad|howitzers?|tank fire|projectiles?|heavy weapons|ATGMs?|anti-tank (?:guided )?missiles?", "explosions_remote_violence", "shelling_artillery_missile_attack", 65),
    (r"IEDs?|improvised explosive|remote explosive|roadside bombs?|landmines?|land mines?|(?:car|vehicle)[- ]bombs?|explosive devices?|booby[- ]trap(?:ped)?|VBIED|mine (?:blast|explosion)|sticky bomb|detonat(?:ed|ing)|explosions?|blasts?", "explosions_remote_violence", "remote_explosive_landmine_ied", 60),
    # "fired 14.5mm machine guns at ...", "fired a RPG at a checkpoint": ACLED codes fire from a
    # distance at a place as shelling/artillery/missile.
    (r"fired (?:[\w.,'-]+\s+){0,14}?(?:machine[- ]?guns?|weapons|RPGs?|rifles|shots|rounds|shells|recoilless|mortars?)\b[^.]{0,80}?\bat\b", "explosions_remote_violence", "shelling_artillery_missile_attack", 64),
    (r"grenades?", "explosions_remote_violence", "grenade", 75),
    # Battles
    (r"clash(?:es|ed)?|fighting|fought|firefights?|gun ?(?:battles?|fights?)|armed (?:fist )?fights?|fight (?:ensued|broke out)|exchanged fire|repelled|repulsed|thwarted|incursions?|waged (?:\w+ )?attacks|responded to (?:\w+[- ])?fire|exchange of fire|battles?|ambush(?:ed)?|offensive|skirmish(?:es)?|attacked (?:the )?(?:positions?|posts?|checkpoints?|bases?)|(?:an|the|ground) assaults?", "battles", "armed_clash", 50),
    (r"(?:regained|retook|recaptured|regain(?:ed)? control|made territorial gains|gained control)", "battles", "government_regains_territory", 55),
    (r"(?:seized|captured|overran|took (?:control|contol) of|taken control of)\s+(?:the\s+)?(?:town|village|city|areas?|district|base|positions?|hill|airport|HQs?|headquarters|(?-i:[A-Z])[\w'-]+)", "battles", "non_state_actor_overtakes_territory", 52),
    # Violence against civilians
    (r"raped|rape|sexual (?:violence|assault)", "violence_against_civilians", "sexual_violence", 80),
    (r"kidnapp(?:ed|ing)|abduct(?:ed|ion|s)|forcibly disappeared|taken hostage", "violence_against_civilians", "abduction_forced_disappearance", 78),
    (r"shot (?:dead|and killed)|shot (?:a|an|the|two|three|\d+) (?!down)|fired (?:live |rubber(?:[- ]coated)? )?bullets at|bod(?:y|ies) of [^.]{0,60}?(?:was|were) found|gunned down|executed|execution|massacre|stabbed|beat(?:en)?(?: to death)?|assaulted|tortured|sniper fire|opened fire (?:on|at)|shot at|drive-by shooting|shooting|gunmen|assassinat(?:ed|ion)|lynched|attack on (?:a |the )?(?:humanitarian|aid|UN|United Nations)|attacks? on (?:the )?(?:aid )?convoy|convoy (?:was )?(?:attacked|hit|struck)", "violence_against_civilians", "attack", 45),
    # Protests and riots
    (r"protest(?:s|ed|ers|ing)?|demonstrat(?:ion|ions|ors|ed)|rall(?:y|ies|ied)|sit-ins?|marched|took to the streets|gathered\b(?=[^.]*\b(?:demand|protest|condemn|chant|slogan|reject|denounc|against))|strike by workers|general strike|vigil", "protests", "peaceful_protest", 40),
    (r"(?:tear gas|dispersed|water cannons?|rubber bullets|(?:police|security forces|soldiers|forces) intervened|by force|(?:arrested|detained|detaining) (?:\w+ )?(?:protesters|demonstrators))", "protests", "protest_with_intervention", 42),
    (r"riot(?:s|ers|ing|ed)?|violent (?:protest|demonstration)s?|(?:threw|hurled) (?:stones|rocks|molotov)|torched|set (?:fire|ablaze)|burn(?:ed|t) (?:tyres|tires)", "riots", "violent_demonstration", 44),
    (r"mobs?|vigilantes|lynch mob", "riots", "mob_violence", 46),
    # Strategic developments
    (r"arrest(?:ed|s)|arrest campaign|detain(?:ed|s)|rounded up|raid(?:ed)? (?:the )?homes?", "strategic_developments", "arrests", 30),
    (r"cease-?fire|truce|peace (?:deal|agreement|accord)|agreement|signed (?:a|an) (?:deal|accord)|prisoner (?:swap|exchange)|cessation of hostilities", "strategic_developments", "agreement", 20),
    (r"looted|looting|plunder(?:ed)?|demolish(?:ed)?|arson|set on fire|razed|uprooted|cut down|bulldozed|destroyed (?:homes|houses|property|shops)|burned (?:down )?(?:homes|houses|shops)|confiscat(?:ed|ion)", "strategic_developments", "looting_property_destruction", 32),
    (r"defused|dismantled|intercepted|shot down|weapons? cache|cleared (?:mines|explosives)", "strategic_developments", "disrupted_weapons_use", 35),
    # "seized 8 hand-grenades, one AK-47 ...": a seizure of weapons outranks the weapons it lists.
    (r"seized (?:[\d,]+ |\w+ ){0,3}(?:weapons|arms|ammunition|explosives|rifles|hand-grenades|grenades|mines)", "strategic_developments", "disrupted_weapons_use", 80),
    (r"established (?:a )?(?:new )?(?:base|headquarters|checkpoint)|set up (?:a )?(?:base|headquarters)", "strategic_developments", "headquarters_or_base_established", 33),
    (r"withdr(?:ew|awn|awal)|handed over|pulled out|evacuat(?:ed|ion)|transferred control", "strategic_developments", "non_violent_transfer_of_territory", 25),
    (r"recruit(?:ed|ment)|deployed|reinforcements|mobiliz(?:ed|ation)|military parade|curfew|(?:joint |military |security )?patrols?|military (?:columns?|convoys?)|column|fortifications|lockdown|mandatory (?:use|wearing)|halted (?:all )?entr(?:y|ies)|sealed off|closed (?:all )?(?:of )?[\w']+ entrances|set up checkpoints|(?:imposed|instituted) (?:a |an )?(?:\w+ )?(?:ban|curfew)|heightened (?:their )?security|(?:fighters|tribesmen|forces|troops|reinforcements)\b[^.]{0,120}?\barrived (?:at|in|on)", "strategic_developments", "change_to_group_activity", 22),
    # Generic violence: a strike, raid or attack that kills, typed by context in `refine`.
    (r"strikes?|struck|raid(?:s|ed)?|attack(?:s|ed)?|targeted|hit|bombs?", "explosions_remote_violence", "air_drone_strike", 10),
    (r"killed|killing|dead|died|deaths?|wounded|injured|casualties|death toll", "violence_against_civilians", "attack", 5),
]
_COMPILED = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w])", re.I if not p.startswith("IED") else 0), et, st, pr) for p, et, st, pr in _RULES]
# Every rule in one pass per case-sensitivity: most sentences match none, and one scan of a union
# costs a third of the 27 scans that would find nothing (backtracking keeps it exact: a branch
# that fails its word edge lets the next one try).
_ANY_TRIGGER = [
    re.compile(rf"(?<![\w-])(?:{'|'.join(f'(?:{p})' for p, *_ in _RULES if p.startswith('IED') == sensitive)})(?![\w])", 0 if sensitive else re.I)
    for sensitive in (False, True)
]

# A sentence that only announces, proposes, forecasts or calls for something is not an event.
_NON_EVENT = re.compile(
    r"\b(?:would|will|could|might|(?-i:may)(?!\s+\d)|should|must|plans? to|proposal|proposed|called for|calls? for|urg(?:ed|ing)|"
    r"demand(?:ed|s)? (?:that|to)|threaten(?:ed|s)? to|warn(?:ed|s)? (?:that|of)|if\b|unless|hopes? to|in order to|"
    r"aimed at|prepar(?:ing|ation) for|ready to|due to be\b|(?:set|expected|scheduled) to\b|talks|negotiat|meeting|summit|diplomat)",
    re.I,
)
_HARM = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|died|deaths?|deadly|fatal|wounded|injur(?:ed|ies|ing)|casualt(?:y|ies)|destroy(?:ed|ing)|death toll|fatalit(?:y|ies)|hit|struck|targeted|damaged|carried out (?:an? )?(?:air ?)?strikes?|conducted (?:an? )?(?:air ?)?strikes?)\b", re.I)
_HISTORY = re.compile(r"\b(?:since 20\d\d|since 19\d\d|war that (?:has )?killed|the (?:\w+[- ])*(?:year|years)[- ]old (?:war|conflict)|hundreds of thousands|all previous|like all previous)\b", re.I)
# Deaths and injuries from disease, drugs, disasters and accidents are not events of political violence.
_NOT_CONFLICT = re.compile(
    r"\b(?:coronavirus|covid(?:-19)?|virus|pandemic|infections?|overdoses?|fentanyl|disease|cancer|earthquakes?|"
    r"floods?|flooding|storms?|hurricanes?|cyclones?|typhoons?|landslides?|disasters?|accidents?|crash(?:ed|es)?|"
    r"collaps(?:ed|ing)|heat ?waves?|drown(?:ed|ing)|starvation|famine)\b",
    re.I,
)
# A past-tense act of violence is an event even when nobody was hurt ("PKK militants attacked a post").
_DONE = re.compile(r"\b(?:attacked|raided|stormed|targeted|struck|shelled|bombed)\b", re.I)
_GROUND = re.compile(r"\b(?:gunmen|militants|fighters|troops|soldiers|forces|police|rebels|militia|insurgents)\b", re.I)


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
    for pattern, et, st, pr in _COMPILED:
        for m in pattern.finditer(sentence):
            out.append(Trigger(et, st, m.group(0), offset + m.start(), offset + m.end(), pr))
    out.sort(key=lambda t: (-t.priority, t.start))
    return out


_VIOLENT = ("battles", "explosions_remote_violence", "violence_against_civilians")
# Agreements are events when one is made, enters into force or is announced, not when discussed.
_AGREEMENT_ACT = re.compile(
    r"\b(?:signed|agreed|reached|brokered|announced|declared|came into effect|went into effect|took effect|"
    r"entered into force|came into force|struck a deal)\b",
    re.I,
)
_AIR = re.compile(r"\b(?:air|plane|planes|jets?|drones?|raid|warplanes?|aircraft|helicopters?|bomb(?:s|ing|ed)?)\b", re.I)
_CIVILIAN = re.compile(r"\b(?:civilians?|people|children|women|residents|villagers|farmers?|fishermen|shepherds?|workers|students|worshippers|family|man|woman|boy|girl)\b", re.I)


# "amid the ongoing clashes", "as battles continue": fighting named as background, not as the event.
_BACKGROUND_BEFORE = re.compile(r"\b(?:ongoing|recent|continuing|continued|previous|earlier|recently)\s+(?:\w+\s+)?$", re.I)
_BACKGROUND_AFTER = re.compile(r"^\s+(?:continues?|are continuing|were continuing|on the island)\b", re.I)
# Who ACLED counts as an organised armed side; a clash needs two of them, or it is a riot.
_ARMED_VICTIM = re.compile(r"\b(?:members?|fighters?|soldiers?|officers?|colonel|commander|militants?|operatives?|elements|troops|guards?|policem[ae]n|personnel)\b", re.I)
_CROWD = re.compile(r"\b(?:youths?|residents|villagers|vendors|demonstrators|protesters|rioters|Palestinians|(?:dozens|hundreds|group) of (?:\w+ )?men|families)\b", re.I)
_RIOT_ACTS = re.compile(r"\b(?:burn(?:ing|ed|t)? (?:rubber )?(?:tires|tyres)|set (?:\w+ ){0,4}on fire|hurled|threw|stormed|storm the)\b", re.I)


# "had seen no such withdrawal", "did not attack": a trigger under a negation reports nothing.
_NEGATED = re.compile(r"\b(?:no|not|never|no such|nor any)\s+(?:\w+\s+)?$", re.I)


def _background(sentence: str, t: Trigger, offset: int) -> bool:
    start, end = t.start - offset, t.end - offset
    head = sentence[:start]
    return bool(_BACKGROUND_BEFORE.search(head) or _BACKGROUND_AFTER.search(sentence[end:]) or _NEGATED.search(head))


def classify(sentence: str, offset: int = 0, *, has_figure: bool = False) -> Trigger | None:
    """The event a sentence reports, or None when it reports none (talk, plans, history)."""
    triggers = [t for t in find_triggers(sentence, offset) if not _background(sentence, t, offset)]
    if not triggers:
        return None
    harm = bool(_HARM.search(sentence)) or has_figure or bool(_DONE.search(sentence))
    if _HISTORY.search(sentence) and not has_figure:
        return None
    best = triggers[0]
    violent = [t for t in triggers if t.event_type in _VIOLENT and t.priority > 5]
    if best.event_type == "strategic_developments" and violent and harm:
        best = violent[0]  # "the truce ended after an attack that killed 90": the attack is the event
    if best.sub_event_type == "agreement":
        if _AGREEMENT_ACT.search(sentence) and not re.search(r"\b(?:end|ended|collapse|collapsed|over)\b", sentence, re.I):
            return best
        return None
    if not harm and _hedged(sentence, best.start - offset):
        return None
    if best.priority <= 10 and _NOT_CONFLICT.search(sentence):
        return None  # "144 coronavirus-related deaths", "collapsing buildings injured 15": not political violence
    if best.priority <= 10:
        # A bare "strike"/"attack" is an event only when something was hit or someone harmed.
        if not harm:
            return None
        if not _AIR.search(sentence) and not re.search(r"\bstrikes?\b|\bstruck\b", best.text, re.I):
            sub = ("violence_against_civilians", "attack") if _CIVILIAN.search(sentence) else ("battles", "armed_clash")
            return Trigger(sub[0], sub[1], best.text, best.start, best.end, best.priority)
    if best.priority <= 5:
        if not has_figure:
            return None
        if _CIVILIAN.search(sentence) or not _GROUND.search(sentence):
            return best
        return Trigger("battles", "armed_clash", best.text, best.start, best.end, best.priority)
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
    if best.sub_event_type == "protest_with_intervention" and not protest and not re.search(r"protest|demonstrat|rall(?:y|ies)|sit-in|march", lower):
        # Tear gas or rubber bullets fired at fishermen or farmers: an attack, there is no protest.
        return Trigger("violence_against_civilians", "attack", best.text, best.start, best.end, best.priority)
    if best.event_type == "protests" and _RIOT_ACTS.search(sentence):
        return Trigger("riots", "violent_demonstration", best.text, best.start, best.end, best.priority)
    if best.event_type == "battles" and best.sub_event_type == "armed_clash" and _CROWD.search(sentence):
        # A clash needs two organised armed sides (ACLED); a crowd against forces is a riot.
        riot = any(t.event_type == "protests" for t in triggers) or re.search(r"demonstrat|protest|rioters", lower)
        sub = "violent_demonstration" if riot else "mob_violence"
        return Trigger("riots", sub, best.text, best.start, best.end, best.priority)
    if best.event_type == "violence_against_civilians" and best.sub_event_type == "attack":
        after = sentence[best.start - offset :]
        passive = re.search(r"\b(?:was|were)\s+(?:shot|killed|assassinated|wounded)", lower)
        if (_ARMED_VICTIM.search(after) or (passive and _ARMED_VICTIM.search(sentence))) and not _CIVILIAN.search(sentence):
            # Killing a fighter or an officer is an armed clash in ACLED's terms, not violence against civilians.
            return Trigger("battles", "armed_clash", best.text, best.start, best.end, best.priority)
    if best.sub_event_type == "shelling_artillery_missile_attack":
        clash = next((t for t in triggers if t.sub_event_type == "armed_clash" and re.search(r"clash|exchang|fight|battle", t.text, re.I)), None)
        if clash or re.search(r"\bexchanged (?:artillery|shelling|fire)\b", lower):
            return Trigger("battles", "armed_clash", best.text, best.start, best.end, best.priority)
    if best.sub_event_type == "peaceful_protest":
        for t in triggers:
            if t.event_type in ("protests", "riots") and t.priority > best.priority:
                return t
        if re.search(r"\b(?:protesters|demonstrators) (?:were )?(?:killed|shot)", lower):
            return Trigger("protests", "excessive_force_against_protesters", best.text, best.start, best.end, best.priority)
    if best.event_type == "battles" and best.sub_event_type == "armed_clash":
        if any(t.sub_event_type == "air_drone_strike" and t.priority >= 70 for t in triggers) and not re.search(r"clash", lower):
            return next(t for t in triggers if t.sub_event_type == "air_drone_strike")
    return best
