"""Follow-up articles: the acts that come after an incident (an arrest, a charge, a death in hospital,
a funeral, a vigil) and the references that date the incident from them ("a week after he was shot").

A follow-up published days or weeks after a shooting dates its own news: "was arrested Thursday",
"died Monday", "a vigil was held Sunday". Those days are not the shooting's, and a record dated by
them splits from the shooting's first reports. What the follow-up says of the incident itself
("the Aug. 5 shooting", "last month's shooting", "two days after being shot") is what dates it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sitroom.extract.dates import _SMALL

# Acts of a case after its incident, which a following date governs ("arrested Thursday").
_CASE_ACT = (r"(?:arrested|re-?arrested|charged|booked|jailed|apprehended|captured|detained|taken\s+into\s+custody|"
             r"turned\s+(?:himself|herself|themselves)\s+in|surrendered|extradited|identified|named)")
# What is never the incident's day: the mourning after it.
_MOURNING = (r"(?:buried|laid\s+to\s+rest|mourned|remembered|honou?red|eulogi[sz]ed|"
             r"(?:vigil|funeral|memorial|wake|service|march|rally)s?(?:\s+(?:was|were|is|will\s+be|are))?\s+(?:held|planned|set|scheduled))")
_DEATH = r"(?:died|dies|succumbed(?:\s+to\s+(?:his|her|their)\s+(?:injuries|wounds))?|passed\s+away|was\s+taken\s+off\s+life\s+support)"
_ACT = rf"(?:{_CASE_ACT}|{_MOURNING}|{_DEATH})"
# "was arrested on Thursday", "died late Monday": the act, then its date.
_ACT_BEFORE = re.compile(rf"\b{_ACT}(?:\s+[\w'’.-]+){{0,3}}?\s+(?:on\s+|late\s+|early\s+|last\s+|this\s+|about\s+|around\s+)?$", re.I)
# "On Thursday, police arrested ...", "Monday, the boy died": a date opening the sentence, a subject, then the act.
_ACT_AFTER = re.compile(rf"^(?:\s+(?:morning|afternoon|evening|night))?\s*,?\s*(?:[\w'’.-]+\s+){{0,5}}?(?:was\s+|were\s+|is\s+|has\s+been\s+|had\s+been\s+)?{_ACT}\b", re.I)
_OPENING = re.compile(r"^\W*(?:(?:on|late|early|by|last|this)\s+)?$", re.I)
# "the Aug. 5 shooting", "Saturday's shooting", "Saturday night's killing": the date names the incident.
_NAMES_INCIDENT = re.compile(r"^(?:['’]s)?(?:\s+(?:morning|afternoon|evening|night)(?:['’]s)?)?\s+(?:(?!(?:in|at|on|for|of|after|with|near|during|the|a|an)\b)[\w-]+\s+){0,2}?"
                             r"(?:shooting|shootings|killing|murder|slaying|massacre|attack|stabbing|homicide|shootout|gunfire)\b", re.I)
# A sentence about a case speaks of its incident: without one, an arrest is the news itself
# ("police arrested five protesters on Monday").
_INCIDENT_WORD = re.compile(r"\b(?:shot|shooting|shootings|gunfire|gunshot|gunman|killing|killed|murder|murdered|slaying|homicide|"
                            r"massacre|stabbing|stabbed|attack|death|wounded|injured|fired)\b", re.I)
# Dying of wounds from an earlier day: "died Tuesday, days after being shot", "died of his injuries".
_EARLIER_WOUND = re.compile(r"\b(?:after\s+being\s+shot|(?:days?|weeks?|months?)\s+after|from\s+(?:his|her|their)\s+(?:injuries|wounds)|"
                            r"of\s+(?:his|her|their)\s+(?:injuries|wounds)|(?:injuries|wounds)\s+(?:he|she|they)\s+suffered|"
                            r"(?:who|that)\s+(?:was|were|had\s+been)\s+(?:shot|wounded|injured)|(?:shot|wounded|injured)\s+(?:in|on|last)\s+\w+)", re.I)

# "a week after he was shot", "two days after the shooting", "Four weeks after a backyard massacre".
_AFTER_INCIDENT = re.compile(
    r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few)?\s*(?P<unit>days?|weeks?|months?)\s+after\s+"
    r"(?:(?:he|she|they|it|the\s+\w+|\w+)\s+(?:was|were|had\s+been)\s+(?:shot|wounded|killed)|being\s+(?:shot|wounded)|"
    r"(?:the|a|an|his|her|their)\s+(?:[\w'’.-]+\s+){0,4}?(?:shooting|killing|murder|slaying|massacre|attack|stabbing|homicide))",
    re.I,
)


def follow_up_date(text: str, expr: str) -> bool:
    """Whether the date expression dates a follow-up act in this sentence, not its incident.

    An arrest, a charge or an identification counts only in a sentence that speaks of the incident
    too ("arrested Thursday in the shooting"); a death only when the wounds came earlier ("died
    Monday of his injuries"); a funeral or a vigil always.
    """
    at = text.find(expr)
    if at < 0:
        return False
    before = text[max(0, at - 60) : at]
    after = text[at + len(expr) : at + len(expr) + 80]
    if _NAMES_INCIDENT.match(after):
        return False
    act = _ACT_BEFORE.search(before) or (_ACT_AFTER.match(after) if _OPENING.match(text[:at]) else None)
    if not act:
        return False
    said = act.group(0)
    if re.search(_MOURNING, said, re.I):
        return True
    if re.search(_DEATH, said, re.I):
        return bool(_EARLIER_WOUND.search(text))
    return bool(_INCIDENT_WORD.search(text[:at] + " " + text[at + len(expr) :]))


def after_incident(text: str, reference: date | None) -> tuple[date, str] | None:
    """The incident's date from "N days/weeks after the shooting" in a sentence dated `reference`.

    (date, precision): a stated number of days keeps the day, "days after" or weeks give the week,
    months the month. None when the sentence says no such thing or nothing dates it.
    """
    m = _AFTER_INCIDENT.search(text)
    if m is None or reference is None:
        return None
    word = (m.group("n") or "").lower()
    unit = m.group("unit").lower().rstrip("s")
    exact = word.isdigit() or word in _SMALL
    n = int(word) if word.isdigit() else _SMALL.get(word, 3 if unit == "day" else 1)
    if unit == "day":
        return reference - timedelta(days=n), "day" if exact and n <= 3 else "week"
    if unit == "week":
        return reference - timedelta(weeks=n), "week"
    month = reference.month - n
    year = reference.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1), "month"


# What the lead of a follow-up tells: the case moving on after its incident (not in court: a trial, a plea
# or a sentence recalls its shooting as the case's history, which stays background).
_CASE_NEWS = re.compile(
    r"\b(?:arrest|arrests|arrested|charged|charges|charging|suspects?|custody|manhunt|died|dies|funeral|vigil|memorial|"
    r"mourn\w*|identified|reward|investigation|investigators|autopsy)\b",
    re.I,
)


def tells_case_news(lead: str) -> bool:
    """Whether an article's lead tells what became of a case (an arrest, a charge, a death, a funeral)."""
    return bool(_CASE_NEWS.search(lead))
