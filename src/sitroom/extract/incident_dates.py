"""When a sentence dates its incident: the stated or relative day it gives (not the day someone spoke),
the dated sentence before an undated one, and the dates that make an incident background.
"""

from __future__ import annotations

import re
from datetime import date

from sitroom.extract import dates
from sitroom.extract.follow_ups import after_incident, follow_up_date
from sitroom.model import DateBasis, DatePrecision, Mention, Sentence


DATE_RANK = {"day": 0, "week": 1, "month": 2}

WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")

# An incident dated more than this long before its article's publication is background.
_BACKGROUND_DAYS = 365

_YEAR = re.compile(r"\b(?:in|since|of|during)\s+((?:19|20)\d\d)\b(?![-/]\d)")


def date_of(sent: Sentence, mentions: list[Mention], resolver, relative_weak: bool) -> tuple[date | None, DatePrecision | None, DateBasis | None, str | None]:
    """The date the sentence gives the incident: (date, precision, basis, a yearless day as "--MM-DD").

    A stated day ("on September 17") outranks a relative one ("on Saturday") of the same
    precision; a date that only says when someone spoke ("Barazi said on Sunday") is not the
    incident's when the sentence gives another.
    """
    exprs = [m.text for m in mentions if m.label == "DATE"]
    exprs += [t for _, _, t in dates.find_date_expressions(sent.text) if t not in exprs]
    found = []
    partial = weekday = None
    act_day = None  # the day of a follow-up act the sentence dates ("died Tuesday"), to count back from
    for order, expr in enumerate(exprs):
        resolved = resolver.resolve(expr)
        if resolved is None:
            partial = partial or dates.partial_day(expr)
            if resolver.reference is None and not _SPOKEN_ON.search(sent.text[: max(0, sent.text.find(expr))][-40:]):
                # Nothing to count back from: the story dates it (`fusion.dates`), from what else the article reports.
                weekday = weekday or dates.partial_weekday(expr)
            continue
        if court_date(sent.text, expr):
            continue  # "pleaded guilty on Sept. 27": the day of the plea, not of the shooting
        if follow_up_date(sent.text, expr):
            act_day = act_day or resolved.date
            continue  # "was arrested Thursday", "a vigil was held Sunday": the follow-up's day, not the incident's
        precision = resolved.precision
        stated = dates.is_stated(expr)
        if relative_weak and precision == "day" and not re.search(r"\d", expr):
            precision = "week"  # resolved against other dates in the text, not a publication date
        spoken = _SPOKEN_ON.search(sent.text[: max(0, sent.text.find(expr))][-40:]) is not None and not stated
        found.append((spoken, DATE_RANK.get(precision, 3), not stated, order, resolved.date, precision))
    if act_day is not None or not found:
        # "died Tuesday, days after being shot", "Four weeks after the massacre, police have a suspect".
        counted = after_incident(sent.text, act_day or (resolver.reference if not found else None))
        if counted is not None:
            found.append((False, DATE_RANK[counted[1]], True, len(exprs), counted[0], counted[1]))
    if not found:
        if partial is None and weekday is not None:
            return None, None, "relative", weekday
        return None, None, ("stated" if partial else None), partial
    # The most precise reading wins: the tagger's "May 2020" must not hide the text's "7 May 2020".
    spoken, _, relative, _, when, precision = min(found)
    return when, precision, "relative" if relative else "stated", None


# What a court does to a case: a date it governs is the case's day in court, not the incident's.
_COURT_ACT = (r"(?:pleaded|pleads|plead|sentenced|arraigned|indicted|convicted|acquitted|testified|"
              r"(?:appeared|appears|appear|was\s+due|is\s+due|is\s+scheduled\s+to\s+appear)\s+in\s+court|"
              r"found\s+guilty|ordered\s+held|denied\s+bond|held\s+without\s+bond)")
# "was sentenced on Monday", "pleaded guilty Sept. 27", "was indicted last week on": the act, then the date.
_COURT_BEFORE = re.compile(rf"\b{_COURT_ACT}\b(?:\s+(?:not\s+)?guilty)?(?:\s+\w+){{0,2}}?\s+(?:on\s+|late\s+|early\s+|last\s+)?$", re.I)
# "On Sept. 27, 2016, Smith pleaded guilty": the date, its subject, then the act.
_COURT_AFTER = re.compile(rf"^[,\s]*(?:[\w'’.-]+\s+){{0,4}}?(?:was\s+|were\s+|is\s+|has\s+been\s+)?{_COURT_ACT}\b", re.I)


def court_date(text: str, expr: str) -> bool:
    """Whether the date expression is a court's act in this sentence (a plea, an arraignment, a sentence)."""
    at = text.find(expr)
    if at < 0:
        return False
    return bool(_COURT_BEFORE.search(text[max(0, at - 60) : at]) or _COURT_AFTER.match(text[at + len(expr) : at + len(expr) + 80]))


# "said on Sunday", "told reporters on Friday": the day someone spoke, not the incident's.
_SPOKEN_ON = re.compile(r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?|announced|reported|stated|added|confirmed|claimed|tweeted)\s+(?:on\s+|late\s+|early\s+|last\s+)?$", re.I)


def date_from_context(first: int, sentences: list[Sentence], by_sentence: dict, resolver, relative_weak: bool):
    """An undated incident, told from sentence `first` on, happened when the sentences before it say
    ("On 3 May, ... Soldiers also fired ...").

    The nearest earlier dated sentence gives the day; it is only "day" precise when that sentence
    is right before the incident, else "week".
    """
    for back, sent in enumerate(reversed(sentences[:first])):
        when, precision, basis, _ = date_of(sent, by_sentence.get(sent.index, []), resolver, relative_weak)
        if when is not None:
            return when, precision if back == 0 and precision == "day" else _coarser(precision), basis, None
    return None, None, None, None


def _coarser(precision: str | None) -> str:
    return "month" if precision == "month" else "week"


def states_year(text: str) -> bool:
    """Whether a date the sentence states names its year ("on May 21, 2015", "an August 2015 strike")."""
    return any(re.search(r"\b(?:19|20)\d\d\b", e) for _, _, e in dates.find_date_expressions(text))


def is_background(text: str, when: date | None, precision: str | None, published: date) -> bool:
    """An incident dated long before its article, or only by an earlier year ("in 2009"), is background."""
    if when and (published - when).days > _BACKGROUND_DAYS:
        return True
    if when and precision == "day":
        # "arrested on May 21, 2015" in a 2016 article: a day of an earlier year, months back, is history.
        year = re.search(r"\b(?:19|20)\d\d\b", " ".join(e for _, _, e in dates.find_date_expressions(text)))
        return bool(year) and when.year < published.year and (published - when).days > 60
    years = [int(y) for y in _YEAR.findall(text)]
    if years and max(years) < published.year:
        return True
    # "killed in an August 2015 drone strike" in a 2016 article: a stated earlier year is history.
    stated = [int(y) for _, _, e in dates.find_date_expressions(text) for y in re.findall(r"\b(?:19|20)\d\d\b", e)]
    return bool(stated) and max(stated) < published.year and not (when and (published - when).days <= 60)


# "were coping Saturday with the death of their boss, who was gunned down": the day is the main
# clause's, the act is told in a relative clause after it, as what had happened by then.
_RELATIVE_AFTER_DAY = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b[^.;]*,\s+(?:who|which|whom)\s+(?:was|were|had\s+been|has\s+been|had)\s+(?:\w+\s+)?$"
)


def dates_later_act(text: str, trigger_pos: int) -> bool:
    """True when the sentence dates a later action and the incident comes 'after' ... 'before' it,
    or is told in a relative clause after the day its main clause dates."""
    head = text[:trigger_pos]
    return bool(re.search(r"\b(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b.*\bafter\b", head)
                or _RELATIVE_AFTER_DAY.search(head))
