"""Casualty figures in a sentence: how many were killed or injured, as written, with qualifiers.

Regexes over plain text, no model: a sentence is scanned for count phrases ("at least 62",
"dozens of", "between 250 and 300", "a", "three") and each is kept only when its context makes it a
casualty count: a kill/injure verb right before it ("killing 3"), a passive verb after its victim
noun ("62 Syrian soldiers were killed"), a toll ("the death toll was 45"), "left 5 dead",
"the bodies of 4", "3 fatalities". Anything else (years, ages, trucks, residents, strikes,
percentages, evacuation counts) never becomes a figure, because nothing in its context says that
anybody died or was hurt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from sitroom import rules
from sitroom.extract.counts import COUNT, DIGITS, NUMWORD, count_value, parse_number
from sitroom.extract.victim_counts import counted_victims
from sitroom.model import FigureField
from sitroom.rules.lexicon import VictimKind, victim_group

Scope = Literal["incident", "period"]


@dataclass(frozen=True, slots=True)
class FigureMention:
    """One casualty figure as stated in a sentence, with its span in the article."""

    field: FigureField
    value: int
    low: int | None
    high: int | None
    qualifier: str | None
    text: str
    start: int
    end: int
    victims: str | None = None
    victim_kind: VictimKind = "unknown"
    group: str = "unspecified"  # civilians | passengers | security_forces | militants | unspecified
    scope: Scope = "incident"  # "period": a total over weeks or years, not this incident's toll


# --- context ----------------------------------------------------------------------------------

_KILL = r"(?:killed|killing|kills|shot\s+dead|shooting\s+dead|shot\s+and\s+killed|gunned\s+down|" \
        r"assassinated|assassinating|executed|executing|massacred|claimed\s+the\s+li(?:fe|ves)\s+of|" \
        r"took\s+the\s+li(?:fe|ves)\s+of|left\s+dead)"
_INJURE = r"(?:injured|injuring|injures|injure|wounded|wounding|wounds|wound|hurt|hurting|maimed)"
# A verb whose object is the count: "killing 3", "shot dead 2 civilians", "injuring 4".
_LEFT_KILL = re.compile(rf"\b{_KILL}\s+(?:(?:at\s+least|all|only)\s+)?$", re.I)
_LEFT_INJURE = re.compile(rf"\b{_INJURE}\s+(?:of\s+)?$", re.I)
# "killing and injuring dozens": a mixed count is neither a death toll nor an injury count.
_LEFT_MIXED = re.compile(rf"\b(?:{_KILL}|{_INJURE})\s+(?:and|or)\s+(?:{_KILL}|{_INJURE})\s+$", re.I)
_LEFT_TOLL = re.compile(
    r"\b(?:death|casualty|fatality)\s+toll\b[^.;]{0,40}?\b(?:was|is|of|at|to|reached|hit|stood\s+at|"
    r"rose\s+to|climbed\s+to|risen\s+to|jumped\s+to|increased\s+to)\s+$"
    r"|\btoll\s+(?:was|is|of|stood\s+at|rose\s+to|reached|climbed\s+to)\s+$"
    r"|\bnumber\s+of\s+(?:the\s+)?(?:dead|deaths|people\s+killed|those\s+killed|fatalities)\b[^.;]{0,40}?\b(?:was|is|rose\s+to|reached|climbed\s+to|stood\s+at|risen\s+to)\s+$",
    re.I,
)
_LEFT_BODIES = re.compile(r"\b(?:dead\s+)?bod(?:y|ies)\s+of\s+$", re.I)
_LEFT_DEATH_OF = re.compile(r"\b(?:deaths?|killings?)\s+of\s+$", re.I)
# A death this event did not cause: a protest "against the death of a man" shot weeks ago.
_LEFT_OTHER_DEATH = re.compile(
    r"\b(?:against|over|involved\s+in|responsible\s+for|suspected\s+of|accused\s+of|protest\w*|mourn\w*|condemn\w*|denounc\w*|commemorat\w*|investigat\w*|"
    r"anniversary\s+of)\s+the\s+(?:deaths?|killings?)\s+of\s+$", re.I)
_LEFT_PARENT_OF = re.compile(r"\b(?:mother|father|mom|dad|parent|grandmother|grandfather|grandparent)s?\s+of\s+$", re.I)
_LEFT_SUBSET = re.compile(
    r"(?:\bincluding|\bamong\s+(?:them|whom|the\s+dead|those\s+killed|the\s+victims)|\bof\s+whom|"
    r"\bmostly)[\s,:]+$",
    re.I,
)
# Victim words: no digits but an age ("a 24-year-old man"), no verbs we test for, at most six words (pro-Houthi, Syria's, U.N.).
_STOP = r"(?-i:were|was|are|is|have|has|had|been|being|and|or|who|whom|which|that|while|when|on|at|by|" \
        r"during|after|as|with|near|over|to|for|but|because|since|before|then|in(?!\s+[A-Z])|" \
        r"killed|dead|died|wounded|injured|including|among|it|its|they|them)"
_VWORD = rf"(?!{_STOP}\b)(?:[A-Za-z(][\w'’.\-()]*|\d+(?:st|nd|rd|th)\b|\d+-(?:year|month)-old\b)"
_VICTIMS = rf"(?P<victims>(?:{_VWORD}\s+){{0,12}}?)"
_AUX = r"(?:(?:were|was|are|is|have\s+been|has\s+been|had\s+been|been|being|got|reportedly|reported|" \
       r"also|later|all|allegedly|believed\s+to\s+have(?:\s+been)?|said\s+to\s+have(?:\s+been)?|" \
       r"feared|confirmed|found|thought\s+to\s+have(?:\s+been)?|now|each|both|subsequently|" \
       r"initially|either)\s+)*"
_PASSIVE_DEATH = r"(?:killed|dead|died|shot\s+dead|shot\s+and\s+killed|gunned\s+down|assassinated|" \
                 r"fatally\s+(?:shot|stabbed|struck|wounded|injured)|(?:shot|stabbed|beaten|hacked)\s+to\s+death|" \
                 r"executed|slain|perished|handcuffed\s+and\s+killed|drowned|found\s+dead|" \
                 r"succumbed\s+to\s+(?:his|her|their)\s+(?:wounds|injuries))"
_PASSIVE_INJURY = r"(?:wounded|injured|hurt|maimed)"
_RIGHT_PASSIVE = re.compile(
    rf"\s+{_VICTIMS}(?P<paren>,[^,.;]{{1,70}},\s+|\s*(?:--|—|–)[^.;]{{1,70}}?(?:--|—|–)\s*|\s*including\s[^,.;]{{1,60}},\s+)?(?P<aux>{_AUX})"
    rf"(?:(?P<death>{_PASSIVE_DEATH})|(?P<injury>{_PASSIVE_INJURY}))\b",
    re.I,
)
# "13 people, including women and children, are believed to have died"
_RIGHT_PASSIVE_PAREN = re.compile(
    rf"\s+(?P<victims>(?:{_VWORD}\s+){{0,4}}?{_VWORD}),[^,.;]{{1,70}},\s+(?P<aux>{_AUX})"
    rf"(?:(?P<death>{_PASSIVE_DEATH})|(?P<injury>{_PASSIVE_INJURY}))\b",
    re.I,
)
_RIGHT_NOUN = re.compile(
    rf"\s+(?P<victims>(?:{_VWORD}\s+){{0,4}}?)(?:(?P<death>fatalities|fatality|deaths|death|dead)|"
    rf"(?P<injury>injuries|injured|wounded))\b(?!\s+(?:toll|count|penalty|sentence|threats?))",
    re.I,
)
_RIGHT_OBJECT = re.compile(rf"\s+(?P<victims>(?:{_VWORD}\s+){{0,6}}{_VWORD})", re.I)
# After an active verb's object, something that is not a clause boundary means the count was not
# the object ("a raid killed dozens" is fine; "14 air strikes killed 5 people" must not give 14).
_ACTIVE_AFTER = re.compile(r"\s+(?:\d|a\b|an\b|the\b|dozens|several|scores|hundreds|many|at\s+least|more\s+than|"
                           r"about|some|two|three|four|five|six|seven|eight|nine|ten|him|her|them|his|their)",
                           re.I)
_ZERO = re.compile(
    r"\b(?:no|zero)\s+(?:reported\s+|immediate\s+|human\s+)?(?P<f1>casualties|fatalities|deaths|injuries|"
    r"victims)\b(?:\s+(?:nor|or|and)\s+(?P<f2>injuries|fatalities|casualties|deaths))?"
    r"|\bneither\s+(?P<f3>fatalities|injuries|casualties)\s+nor\s+(?P<f4>injuries|fatalities)\b"
    r"|\bno[\s-]+one\s+was\s+(?P<f5>killed|hurt|injured|wounded)\b(?:\s+or\s+(?P<f6>injured|hurt|wounded))?"
    r"|\bno\s+reports?\s+of\s+(?P<f7>fatalities|casualties|deaths|injuries)\b"
    r"(?:\s+(?:nor|or|and)\s+(?P<f8>injuries|fatalities))?",
    re.I,
)
_NOT_EXPLICIT_ZERO = re.compile(r"\b(?:information|details|word)\b", re.I)

# A count is not of people when its noun is one of these.
_NON_PERSON = re.compile(
    r"\b(?:strikes?|airstrikes?|raids?|air\s*raids?|attacks?|shells?|rockets?|missiles?|bombs?|mortars?|"
    r"trucks?|lorr(?:y|ies)|vehicles?|cars?|tanks?|buses|houses?|homes?|buildings?|warehouses?|"
    r"violations?|breaches|times|years?|months?|weeks?|days?|hours?|minutes?|km|kilometers?|"
    r"kilometres?|miles?|meters?|metres?|mm|per\s*cent|percent|countries|nations|flags?|points?|"
    r"sites?|positions?|villages?|towns?|areas?|hideouts?|convoys?|tons?|tonnes?|dollars?|"
    r"prisoners|detainees|hostages|aircraft|planes?|jets?|drones?|weapons?|boats?|ships?|"
    r"checkpoints?|operations?|incidents?|events?|explosions?|cases?|locations?|fronts?|shops?|"
    r"residents|cats?|dogs?|animals?|pets?|cattle|cows?|goats?|sheep|camels?|livestock|horses?|donkeys?|chickens?|birds?)\b",
    re.I,
)
_PERSON = re.compile(
    r"\b(?:civilians?|people|persons?|individuals?|m[ae]n|wom[ae]n|child(?:ren)?|kids?|boys?|girls?|"
    r"bab(?:y|ies)|infants?|teenagers?|youths?|elderly|residents?|villagers?|farmers?|shepherds?|"
    r"workers?|drivers?|journalists?|reporters?|doctors?|nurses?|medics?|paramedics?|students?|"
    r"teachers?|engineers?|pharmacists?|hawkers?|traders?|merchants?|bystanders?|passers-?by|"
    r"citizens?|refugees?|idps?|migrants?|pilgrims?|worshippers?|mothers?|fathers?|sons?|daughters?|"
    r"husbands?|wives|wife|brothers?|sisters?|family|relatives?|soldiers?|troops?|officers?|"
    r"policem[ae]n|police|personnel|servicem[ae]n|guards?|gendarmes?|conscripts?|recruits?|"
    r"lieutenants?|colonels?|generals?|commanders?|leaders?|fighters?|militants?|rebels?|insurgents?|"
    r"jihadists?|gunm[ae]n|militiam[ae]n|tribesm[ae]n|elements|members?|loyalists?|combatants?|"
    r"suicide\s+bombers?|bombers?|snipers?|protesters?|demonstrators?|rioters?|activists?|"
    r"officials?|employees?|staff(?:ers)?|volunteers?|aid\s+workers?|victims?|others?|"
    r"[\w-]*year-olds?|imams?|clerics?|sheikhs?|mukhtars?|mayors?|prisoners?|detainees?|"
    r"inmates?|hostages?|abductees?|casualties|dead|policemen|cadets?|pilots?|crew|passengers?|commuters?|"
    r"candidates?|chiefs?|politicians?|legislators?|MPs?|MCAs?|councill?ors?|herders?|herdsm[ae]n|pastoralists?|"
    r"businessm[ae]n|shopkeepers?|clansm[ae]n|bodyguards?|watchm[ae]n|"
    r"militiamen|operatives?|cell|agents?|collaborators?|informants?)\b",
    re.I,
)
_MANY = r"(?:(?:at\s+least|more\s+than|over|some)\s+)?(?:[1-9]\d{1,3}|[3-9]|three|four|five|six|seven|eight|nine|ten|dozens\s+of|scores\s+of|hundreds\s+of|numerous)"
_INCIDENTS = r"(?:attacks|incidents|operations|raids|strikes|clashes|bombings|shootings|ambushes)"
_MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# A period the count covers ("since 2019", "in the last year", "so far this year"): a total, not one incident's toll.
_PERIOD = (
    rf"since\s+(?:(?:early\s+|late\s+|mid-?)?(?:19|20)\d\d|(?:early\s+|late\s+)?{_MONTH_NAMES}|the\s+(?:start|beginning|outbreak|war|conflict|uprising|coup|invasion|revolution|insurgency|crisis|takeover)|"
    r"it\s+(?:began|started|erupted))|(?:over|in|during|within)\s+the\s+(?:past|last|previous)\s+(?:\w+\s+)?"
    r"(?:years?|decades?|months?|weeks?)|so\s+far\s+(?:this\s+(?:year|month)|in\s+(?:the\s+war|(?:19|20)\d\d))|"
    r"this\s+year(?:\s+alone)?|last\s+year|in\s+(?:the\s+)?(?:past|last)\s+(?:\w+\s+)?years|"
    r"(?:over|across|during)\s+(?:\w+\s+){0,2}(?:decades?|years)\s+of|in\s+recent\s+(?:weeks|months|years)|over\s+the\s+(?:summer|winter|spring|autumn)|"
    # A count over many incidents is no one incident's toll: "in separate gun and bomb attacks", "in 120 operations".
    rf"in\s+(?:{_MANY}\s+)?separate\s+(?:[\w-]+,?\s+(?:and\s+)?){{0,6}}{_INCIDENTS}|in\s+{_MANY}\s+(?:[\w-]+\s+){{0,2}}{_INCIDENTS}|"
    # A round-up: "a series of weekend shootings left five dead", "wounded in shootings across the city".
    rf"(?:series|spate|string|wave|rash)\s+of\s+(?:[\w-]+\s+){{0,2}}{_INCIDENTS}|in\s+(?:[\w-]+\s+)?shootings\b|{_INCIDENTS}\s+across\b|"
    r"within\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:hours|days|weeks)"
)
_IN_THE_WAR = re.compile(r"^[^.;,]{0,40}?\b(?:in|during|by)\s+the\s+(?:[\w-]+\s+){0,2}?(?:war|conflict|insurgency|uprising)\b(?!\s+zone)", re.I)
_HISTORICAL_RIGHT = re.compile(rf"^[^.;,]{{0,60}}\b(?:{_PERIOD})\b", re.I)
_PERIOD_LEFT = re.compile(rf"\b(?:{_PERIOD})\b[^.;]*$", re.I)
# "the deadliest attack this year": a superlative compares the incident with the period, it is no total.
_SUPERLATIVE = re.compile(r"\b(?:deadliest|worst|biggest|largest|bloodiest|highest|first|latest|single)\b", re.I)
_MONTH_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.I)


def classify_victims(victims: str | None) -> VictimKind:
    """Coarse kind of victims named by a noun phrase ("Syrian soldiers" -> military)."""
    return victim_group(victims)[1]


def _mention(field: FigureField, m: re.Match[str], victims: str | None, offset: int) -> FigureMention | None:
    parsed = count_value(m)
    if parsed is None:
        return None
    value, low, high, qual = parsed
    victims = victims.strip(" ,") if victims else None
    victims = victims or None
    group, kind = victim_group(victims)
    return FigureMention(field, value, low, high, qual, m.group(0), offset + m.start(), offset + m.end(),
                         victims, kind, group)


def _head(victims: str | None) -> str | None:
    """The head noun of a victim phrase: "members of the regime's Air Force" -> "members"."""
    if not victims:
        return None
    v = re.sub(r"^(?:of|the)\s+", "", victims.strip(" ,"), flags=re.I)
    v = re.sub(r"\([^)]*\)?", " ", v)
    first = re.split(r"\s+(?:of|from|in|with)\s+", v, maxsplit=1, flags=re.I)[0].strip()
    words = [w.strip(".,;:'’") for w in first.split()]
    words = [w for w in words if w]
    # "a young man defected from ...": the person noun, not a trailing verb, heads the phrase.
    persons = [w for w in words if _PERSON.fullmatch(w)]
    if not persons and words and _NON_PERSON.fullmatch(words[-1]):
        return words[-1]  # "4 hours in Stockton five people were killed": the hours are what is counted
    if not persons:
        # "a University of Nairobi student": the person noun comes after the name it is of.
        persons = [w.strip(".,;:'’") for w in v.split() if _PERSON.fullmatch(w.strip(".,;:'’"))][:1]
    return persons[-1] if persons else (words[-1] if words else None)


def _is_person_phrase(victims: str | None) -> bool:
    head = _head(victims)
    return head is not None and bool(_PERSON.fullmatch(head)) and not _NON_PERSON.fullmatch(head)


def _is_thing_phrase(victims: str | None) -> bool:
    head = _head(victims)
    return head is not None and bool(_NON_PERSON.fullmatch(head))


_PLURAL_PERSON = re.compile(r"(?:people|men|women|children|police|personnel|troops|\w+s)$", re.I)
_MIXED_AFTER = re.compile(r"\s*(?:,\s*|\s+or\s+|\s+and\s+)(?:injured|wounded|captured|arrested|missing|abducted)"
                          r"\b(?:\s+or\s+\w+)?", re.I)
_NOT_VIOLENT = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:from|of|due\s+to|after\s+contracting)\s+(?:the\s+)?"
                          r"(?:coronavirus|covid|covid-19|illness|disease|natural\s+causes|cancer|"
                          r"heart\s+attack|cholera|hunger|starvation|cold)\b", re.I)
_PRONOUN = re.compile(rf"\b(?:{_KILL}|left|leaving)\s+(?P<p>him|her)(?=\s*[,.;]|\s*$|\s+(?:and|in|on|at|"
                      rf"while|with|killed|dead)\b)", re.I)
_AND_RELATIVE = re.compile(r"\s+and\s+(?P<p>her|his|their)\s+(?P<v>(?:\w+\s+)?(?:son|daughter|husband|wife|"
                           r"child|brother|sister|father|mother|baby|nephew|niece|cousin|grandson|"
                           r"granddaughter|uncle|aunt))\b", re.I)
_CONTINUE_GAP = re.compile(r"(?:\s+(?:of|from|in)\s+[^.;,]{1,50}?)?\s*(?:,\s*(?:and\s+)?|and\s+)", re.I)


def find_figures(sentence: str, offset: int = 0, *, periods: bool = False) -> list[FigureMention]:
    """Casualty figures stated in one sentence; `offset` is the sentence's start in the article.

    A count over a period ("since 2019 ... more than 2,000", "in the last year 300 militants")
    is not this incident's toll: it is left out, or kept with scope "period" when `periods`.
    """
    found: list[FigureMention] = []
    taken: list[tuple[int, int]] = []
    last_end = -1  # end of the previous accepted figure's phrase, for "2 soldiers and 3 civilians"
    last_field: FigureField | None = None

    for zm in _ZERO.finditer(sentence):
        if _NOT_EXPLICIT_ZERO.search(sentence[max(0, zm.start() - 30):zm.start()]):
            continue
        words = {g.lower() for g in zm.groups() if g}
        fields: list[FigureField] = []
        if words & {"casualties", "fatalities", "deaths", "killed", "victims"}:
            fields.append("fatalities")
        if words & {"casualties", "injuries", "hurt", "injured", "wounded"}:
            fields.append("injured")
        for f in fields:
            found.append(FigureMention(f, 0, 0, 0, "none reported", zm.group(0), offset + zm.start(),
                                       offset + zm.end(), None, "unknown"))
        taken.append((zm.start(), zm.end()))

    for c in counted_victims(sentence):  # "a baby and a man were killed", "three were shot, one fatally"
        if not any(s <= c.start < e for s, e in taken):
            group, kind = victim_group(c.victims)
            found.append(FigureMention(c.field, c.value, c.value, c.value, None, sentence[c.start:c.end],
                                       offset + c.start, offset + c.end, c.victims, kind, group))
            taken.append((c.start, c.end))
    for m in COUNT.finditer(sentence):
        if any(s <= m.start() < e for s, e in taken):
            continue
        left, right = sentence[:m.start()], sentence[m.end():]
        one = m.group("one")
        singular = one is not None
        if singular and m.group("qual"):
            continue
        if _MONTH_BEFORE.search(left[-12:]) or re.match(r"\s*(?:-year|years?\s+old|%)", right, re.I):
            continue
        if singular and re.match(r"\s+(?:number|group|few|lot|total|couple|series|wave|handful|dozen|"
                                 r"score|hundred|thousand|other|same)\b", right, re.I):
            continue
        if _LEFT_PARENT_OF.search(left[-25:]):
            continue  # "Mother of 13 Zurana Horton shot and killed": her children, not the dead
        if _LEFT_SUBSET.search(left[-25:]):
            last_end = -1
            continue
        if _LEFT_MIXED.search(left[-40:]) or _LEFT_OTHER_DEATH.search(left[-60:]):
            continue
        field: FigureField | None = None
        victims: str | None = None
        end_of_phrase = m.end()
        obj = _RIGHT_OBJECT.match(right)
        obj_victims = obj.group("victims") if obj else None
        if obj_victims:
            obj_victims = re.sub(r"^of\s+", "", obj_victims, flags=re.I)

        if _LEFT_KILL.search(left[-40:]):
            field = "fatalities"
        elif _LEFT_INJURE.search(left[-28:]):
            field = "injured"
        elif _LEFT_TOLL.search(left[-70:]):
            field, obj_victims, obj = "fatalities", None, None
        elif _LEFT_BODIES.search(left[-20:]) or _LEFT_DEATH_OF.search(left[-15:]):
            field = "fatalities"
        if field is not None:
            if _is_thing_phrase(obj_victims):
                continue
            if singular and not _is_person_phrase(obj_victims):
                continue
            if one and one.lower() == "the" and _PLURAL_PERSON.search(_head(obj_victims) or ""):
                continue  # "killing the soldiers": no count
            victims = obj_victims
            if obj:
                end_of_phrase = m.end() + obj.end()
        else:
            pm = _RIGHT_PASSIVE.match(right) or _RIGHT_PASSIVE_PAREN.match(right) or _RIGHT_NOUN.match(right)
            if pm is not None:
                victims = pm.group("victims")
                n_words = len(victims.split()) if victims else 0
                if _is_thing_phrase(victims) or (n_words > 4 and not _is_person_phrase(victims)):
                    pm = None
            if pm is not None and re.match(r"of\s", pm.group("victims") or "", re.I) and not (pm.group("aux") if pm.re is not _RIGHT_NOUN else ""):
                pm = None  # "two of the people killed were children", "one of the dead": a part of a toll, no toll
            if pm is not None:
                is_noun = pm.re is _RIGHT_NOUN
                aux = "" if is_noun else (pm.group("aux") or "")
                after = right[pm.end():]
                death = (pm.group("death") or "").lower()
                field = "fatalities" if death else "injured"
                # "14 air strikes killed 5 people": no auxiliary and an object after means active voice.
                if not is_noun and not aux.strip() and death in ("killed", "shot dead", "gunned down",
                                                                 "assassinated", "executed") \
                        and _ACTIVE_AFTER.match(after):
                    field = None
                # "3 militants were killed, injured or captured": one count for several fates.
                if field and not is_noun and _MIXED_AFTER.match(after):
                    field = None
                if field and death in ("died", "dead") and _NOT_VIOLENT.match(after):
                    field = None
                if field and singular:
                    # A lone "a" counts a person only in the passive ("a soldier was killed",
                    # "a prisoner died"), never "a raid killed" or "a convoy was hit".
                    has_aux = re.search(r"\b(?:were|was|are|is|been|being|got|found)\b", aux, re.I)
                    if one.lower() == "the" or not _is_person_phrase(victims) or \
                            (not has_aux and not death.startswith(("died", "succumbed", "perished", "drowned"))
                             and not is_noun):
                        field = None
                if field:
                    end_of_phrase = m.end() + pm.end()
            if field is None and re.search(r"\b(?:left|leaving|leaves)\s+$", left[-10:], re.I):
                # "left 3 fighters (including a commander) and 1 policeman dead".
                chain = re.match(
                    rf"\s+{_VICTIMS}(?:\([^)]{{0,80}}\)\s+)?(?:(?:,\s*|and\s+)[^.;]{{1,60}}?\s+)?"
                    rf"(?P<w>dead|killed|injured|wounded)\b", right, re.I)
                if chain and not _is_thing_phrase(chain.group("victims")):
                    victims = chain.group("victims")
                    if not singular or _is_person_phrase(victims):
                        field = "fatalities" if chain.group("w").lower() in ("dead", "killed") else "injured"
                        end_of_phrase = m.end() + len(victims.rstrip()) + 1
            if field is None and last_field is not None and last_end >= 0 and obj \
                    and _CONTINUE_GAP.fullmatch(sentence[last_end:m.start()]) \
                    and _is_person_phrase(obj_victims) \
                    and not (one and one.lower() == "the"):
                # "killing 2 soldiers and 3 civilians": the verb is shared with the previous count.
                field, victims = last_field, obj_victims
                end_of_phrase = m.end() + obj.end()
        if field is None:
            continue
        if m.group("vague") and re.match(r"\s*(?:of\s+)?thousands\b", right, re.I):
            continue  # "hundreds of thousands": only ever a war's overall toll or a population
        window_left = left[-90:]
        period = bool(
            re.search(rf"\b(?:war|conflict|uprising|insurgency)\b[^.;]{{0,40}}\b(?:{_KILL}|(?:has|have|had)\s+left)", window_left, re.I)
            or _HISTORICAL_RIGHT.search(right)
            # "Thousands have been killed in the conflict": the war's toll, not one incident's.
            or _IN_THE_WAR.match(right)
            or (_PERIOD_LEFT.search(window_left) and not _SUPERLATIVE.search(window_left))
        )
        if period and not periods:
            continue
        mention = _mention(field, m, victims, offset)
        if mention is None:
            continue
        if period:
            found.append(replace(mention, scope="period"))
            taken.append((m.start(), end_of_phrase))
            continue
        found.append(mention)
        taken.append((m.start(), end_of_phrase))
        last_end, last_field = end_of_phrase, field
        rel = _AND_RELATIVE.match(sentence, end_of_phrase)
        if rel and field == "fatalities" and singular:
            # "killing a woman and her son": the relative is a second victim.
            found.append(FigureMention(field, 1, 1, 1, None, rel.group("p"), offset + rel.start("p"),
                                       offset + rel.end("p"), rel.group("v"), "civilians", "civilians"))
            taken.append((rel.start(), rel.end()))
    for pm in _PRONOUN.finditer(sentence):
        if any(s <= pm.start("p") < e for s, e in taken):
            continue
        found.append(FigureMention("fatalities", 1, 1, 1, None, pm.group("p"), offset + pm.start("p"),
                                   offset + pm.end("p"), None, "unknown"))
    # "2 severed heads found", "three bodies were recovered": the dead counted by what was found.
    for bm in re.finditer(rf"\b(?P<n>{DIGITS}|{NUMWORD})\s+(?:[\w-]+\s+)?(?:bod(?:y|ies)|corpses?|severed\s+heads?)\s+"
                          rf"(?:(?:were|was|have\s+been|had\s+been)\s+)?(?:\w+\s+)?(?:found|discovered|recovered|dumped)\b", sentence, re.I):
        if any(s <= bm.start() < e for s, e in taken):
            continue
        value = parse_number(bm.group("n"))
        if value:
            found.append(FigureMention("fatalities", value, value, value, None, bm.group("n"), offset + bm.start("n"),
                                       offset + bm.end("n"), None, "unknown", "unspecified"))
            taken.append((bm.start(), bm.end()))
    # "a man's body was found"
    for bm in re.finditer(r"\b(?P<one>an?)\s+(?P<victims>(?:[\w\-]+\s+){0,3}?[\w\-]+)['’]s\s+(?:dead\s+)?body\s+"
                          r"(?:was|has\s+been)\s+(?:\w+\s+)?(?:found|discovered|recovered)", sentence, re.I):
        if any(s <= bm.start() < e for s, e in taken) or not _is_person_phrase(bm.group("victims")):
            continue
        v = bm.group("victims")
        group, kind = victim_group(v)
        found.append(FigureMention("fatalities", 1, 1, 1, None, bm.group("one"), offset + bm.start(),
                                   offset + bm.start() + len(bm.group("one")), v, kind, group))
    found.sort(key=lambda f: f.start)
    return found


# --- aggregation over a short report (ACLED notes) ----------------------------------------------

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans for short texts such as ACLED notes (the pipeline uses spaCy instead)."""
    spans, start = [], 0
    for m in _SENT_SPLIT.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentence_fatalities(figures: list[FigureMention]) -> int | None:
    """Deaths stated by one sentence: distinct victim groups add up ("2 soldiers and 3 civilians" = 5)."""
    values = [f.value for f in figures if f.field == "fatalities"]
    return sum(values) if values else None


def note_fatalities(text: str) -> int:
    """ACLED-style fatalities for one short report: the lowest positive per-sentence total, else 0.

    Within a sentence, figures for different victims add up; across sentences they are usually the
    same deaths told again or another source's number ("Other sources report 2 killed"), so the
    conservative reading is the smallest positive total. No figure at all, or "no fatalities", is 0.
    """
    totals = []
    for s, e in split_sentences(text):
        total = sentence_fatalities(find_figures(text[s:e], s))
        if total:
            totals.append(total)
    return min(totals) if totals else 0


def check_victim_rule(rule: rules.Rule, sentence: str) -> bool:
    """Whether `find_figures` counts victims of the rule's group in a sentence (rules/victims.toml's checker)."""
    return any(f.group == rule.get("group") and f.value > 0 for f in find_figures(sentence))


def weigh(figures: list[FigureMention]) -> tuple[bool, bool]:
    """(the sentence states a casualty of its incident, every casualty it states counts a period).

    "No one was killed" states no casualty: a zero is a figure, not a harm.
    """
    incident = any(f.value > 0 for f in figures if f.scope == "incident")
    period = any(f.value > 0 for f in figures if f.scope == "period")
    return incident, period and not incident
