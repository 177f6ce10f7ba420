"""From one analysed article to its reports: one `Report` per incident the article describes.

Sentence by sentence: a trigger says what happened, figures say who died, entities say where
and when, actor rules say who did it to whom. Sentence-level reports of one incident are then
merged within the article, so an article reporting three incidents yields three reports, and a
sentence such as "The strike killed about 20 people" joins the incident it continues.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from sitroom.extract import attribution, dates, places, roles
from sitroom.extract.geo import compatible as places_compatible, country_hint, distance_km, same_place
from sitroom.gazetteer import Gazetteer
from sitroom.gazetteer.folding import fold
from sitroom.extract.actors import ActorMatch, civilians, country_name, crowd, find_actors, military_of, organisation_actor, state_of_demonym, unidentified
from sitroom.extract.events import Trigger, is_court_report
from sitroom.extract.figures import FigureMention
from sitroom.extract.roles import Parse
from sitroom.model import Actor, Article, Claim, Location, Mention, Report, Sentence, SourceSpan, Statement

_PRECISION_RANK = {"exact": 0, "city": 1, "admin1": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2}
# Nouns that identify *what* was hit; two reports that name different targets are different incidents.
_TARGETS = re.compile(
    r"\b(convoy|trucks?|warehouse|hospital|clinic|school|market|mosque|church|bakery|camp|checkpoint|"
    r"neighbou?rhoods?|district|village|base|airport|positions?|supply routes?|bridge|power station|"
    r"wedding|funeral|bus|vehicle|car|house|home|residential|Red Crescent|aid)\b",
    re.I,
)
# Target words in classes: an aid convoy, its trucks and the Red Crescent staff are one target.
TARGET_CLASSES: dict[str, str] = {
    "convoy": "humanitarian", "truck": "humanitarian", "aid": "humanitarian", "red crescent": "humanitarian",
    "warehouse": "humanitarian", "hospital": "medical", "clinic": "medical", "school": "school",
    "market": "market", "bakery": "market", "mosque": "religious", "church": "religious",
    "neighbourhood": "residential", "neighborhood": "residential", "district": "residential",
    "village": "residential", "house": "residential", "home": "residential", "residential": "residential",
    "base": "military", "checkpoint": "military", "position": "military", "supply route": "military",
    "airport": "military", "bridge": "infrastructure", "power station": "infrastructure",
    "wedding": "gathering", "funeral": "gathering", "bus": "vehicle", "vehicle": "vehicle", "car": "vehicle",
    "camp": "camp",
}


def target_classes(keywords) -> set[str]:
    """The classes of target a report's keywords name."""
    return {TARGET_CLASSES.get(k, k) for k in keywords}


_SPEAKER_AFTER = re.compile(r"^\s*(?:has |had |have )?(?:said|says|say|told|claimed|reported|announced|accused|blamed|denied|stated|noted|added|cited)\b", re.I)
_AFTER_PREPOSITION = re.compile(r"\b(?:in|at|near|of|outside|around|inside|shelled|bombed|struck|raided|stormed|attacked|targeted|hit)\s+((?:[A-Z][\w'’-]+)(?:\s+(?:al-|el-)?[A-Z][\w'’-]+){0,3})")
_LOCATIVE = re.compile(r"(?:\b(?:in|at|near|outside|around|across|inside|into|of|on|over|towards?|east of|west of|north of|south of|shelled|bombed|struck|raided|stormed|attacked|targeted|hit)\s+(?:the\s+)?(?:\w+\s+)?)$", re.I)
_BLAME = re.compile(r"\b(?:blam(?:ed|es|ing)|accus(?:ed|es|ing)|held (?:\w+ )?responsible|responsible for)\b", re.I)
_DENIAL = re.compile(r"\bden(?:ied|ies|ying)\b|\brejected (?:\w+ )?(?:claims|accusations)\b", re.I)
_VICTIM_CUE = re.compile(r"\b(?:on|against|targeting|killed|killing|hit|struck|targeted)\s+(?:\w+\s+){0,2}$", re.I)
# "the US dollar", "Saudi-led": a country named without the story being there.
_NOT_CONTEXT = re.compile(r"^(?:\s+dollars?\b|-led\b|-backed\b)", re.I)
_CIVILIAN_WORDS = re.compile(r"\b(?:civilians?|people|children|women|residents|villagers|farmers?|fishermen|shepherds?|man|woman|boy|girl|family|families|activists?|journalists?|Palestinians?)\b", re.I)
# An incident dated more than this long before its article's publication is background.
_BACKGROUND_DAYS = 365
# The sentences that say what an article is about.
_LEAD_SENTENCES = 2
_YEAR = re.compile(r"\b(?:in|since|of|during)\s+((?:19|20)\d\d)\b(?![-/]\d)")
_CITY_REFERENCE = re.compile(r"\b(?:the city|the town)['’]s\b", re.I)


@dataclass
class _Draft:
    """A sentence-level report being assembled (mutable until frozen into a Report)."""

    trigger: Trigger
    sentence: Sentence
    location: Location | None
    place_text: str | None
    date: date | None
    date_precision: str | None
    figures: list[FigureMention]
    date_basis: str | None = field(default=None, kw_only=True)  # stated | relative | published
    date_partial: str | None = field(default=None, kw_only=True)  # "--09-17": a stated day whose year nothing fixes
    weekdays: set[str] = field(default_factory=set, kw_only=True)  # weekdays its sentences name, resolved or not
    before_weekday: str | None = field(default=None, kw_only=True)  # "on Thursday resumed ... after the strike": it came before
    attributed_to: str | None
    actors: list[ActorMatch]
    victims: list[str]
    statements: list[Statement]
    keywords: set[str]
    place_names: set[str] = field(default_factory=set)
    country: str | None = None  # the scene's country, or the article's main one
    sources: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def build_reports(
    article: Article, sentences: list[Sentence], mentions: list[Mention], incidents: dict[int, tuple[list[FigureMention], Trigger]],
    parses: dict[int, Parse] | None = None,
) -> list[Report]:
    """Every incident the article reports, each with its own place, date, actors and figures.

    `incidents` maps the index of each sentence reporting one to its figures and trigger
    (`extract.find_incidents`, which chose the sentences the tagger read); `parses` holds the
    dependency parse of those sentences, from which each actor's part is read (`roles`).
    """
    countries = _context_countries(mentions, sentences)
    focus = _focus_city(mentions, countries)
    resolver = dates.DateResolver(article.published, dates.explicit_dates(article.text, published=article.published))
    relative_weak = article.published is None
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence_index, []).append(m)

    # A court report tells the case's past acts by their dates ("arrested on May 21, 2015"): they are the case, not news.
    court_report = any(is_court_report(s.text) for s in sentences[:_LEAD_SENTENCES])
    drafts: list[_Draft] = []
    for sent in sentences:
        if sent.index not in incidents:
            continue
        figures, trigger = incidents[sent.index]
        sent_mentions = by_sentence.get(sent.index, [])
        named = find_actors(sent.text, sent.start, country=countries[0] if countries else None)
        taken = [(a.start - sent.start, a.end - sent.start) for a in named if a.kind in ("state", "group", "organisation", "military", "coalition")]
        location, place_text = _locate(sent, sent_mentions, countries, taken)
        names = _place_keys([t for _, _, t in places.place_phrases(sent.text)] + [m.text for m in sent_mentions if m.label in ("GPE", "LOC", "FAC")])
        if focus is not None and _CITY_REFERENCE.search(sent.text) and not _within(location, focus):
            # "the city's Bustan al-Qasr neighbourhood": inside the article's city, whatever a look-alike
            # name elsewhere says; the city's point, at city precision.
            location = focus
        when, precision, basis, partial = _date_of(sent, sent_mentions, resolver, relative_weak)
        if article.published and _background(sent.text, when, precision, article.published):
            continue  # "The single biggest attack, in 2009, killed 25": background, not news
        if court_report and when and _states_year(sent.text):
            continue
        later_act = _date_before_after(sent.text, trigger.start - sent.start)
        if when and precision == "day" and later_act:
            precision, basis = "week", "relative"  # "on Tuesday suspended ... after the attack": the attack came earlier
        elif dates.is_partial_weekday(partial) and later_act:
            partial, basis = None, None
        country = location.country if location else (countries[0] if countries else None)
        # The scene's country only changes how unnamed parties are called; most sentences keep the first reading.
        actors = named if country == (countries[0] if countries else None) else find_actors(sent.text, sent.start, country=country)
        for m in sent_mentions:
            if m.label == "ORG" and not any(m.start < a.end and a.start < m.end for a in actors):
                extra = organisation_actor(m.text, m.start, m.end)
                if extra:
                    actors.append(extra)
        actors.sort(key=lambda a: a.start)
        parse = (parses or {}).get(sent.index)
        if parse is not None:
            actors = roles.annotate(actors, parse, sent.start, (trigger.start, trigger.end))
        draft = _Draft(
            trigger=trigger,
            sentence=sent,
            location=location,
            place_text=place_text,
            date=when,
            date_precision=precision,
            date_basis=basis,
            date_partial=partial,
            weekdays=set() if later_act else set(_WEEKDAY.findall(sent.text)),  # the weekday of a later act is not the incident's
            before_weekday=next(iter(_WEEKDAY.findall(sent.text[: trigger.start - sent.start])), None) if later_act else None,
            figures=figures,
            attributed_to=attribution.attribute(sent.text),
            actors=actors,
            victims=_victims(figures, country),
            statements=_statements(sent, actors, parse),
            keywords={k.lower().rstrip("s") for k in _TARGETS.findall(sent.text)},
            place_names={n for n in names if n},
            sources=[sent],
            country=country,
        )
        draft.claims = [_claim(f, sent, draft.attributed_to) for f in figures]
        if _worth_keeping(draft) or len(sentences) <= _SHORT_NOTE:
            drafts.append(draft)
    for d in drafts:
        if d.date is None and d.date_partial is None:
            d.date, d.date_precision, d.date_basis, d.date_partial = _date_from_context(d, sentences, by_sentence, resolver, relative_weak)
    merged = _merge_within_article(drafts, short=len(sentences) <= _SHORT_NOTE)
    for d in merged:
        if d.date is None and d.date_partial is None and article.published:
            # A fresh incident the text does not date: news reports it by its publication day.
            d.date, d.date_precision, d.date_basis = article.published, "day", "published"
    return [_freeze(article, i, d) for i, d in enumerate(merged)]


def build_context_reports(
    article: Article, sentences: list[Sentence], mentions: list[Mention], contexts: dict, countries: list[str] | None = None
) -> list[Report]:
    """Background the article states (a period total, a plan, a threat, an old attack on trial) as reports
    of kind "context": traceable like any report, never fused into an event.

    `contexts` maps a sentence index to (its figures, its trigger, the kind of background), as
    `extract.find_context` gives them.
    """
    if not contexts:
        return []
    countries = countries or _context_countries(mentions, sentences)
    resolver = dates.DateResolver(article.published, dates.explicit_dates(article.text, published=article.published))
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence_index, []).append(m)
    out = []
    for sent in sentences:
        if sent.index not in contexts:
            continue
        figures, trigger, kind = contexts[sent.index]
        sent_mentions = by_sentence.get(sent.index, [])
        location, _ = _locate(sent, sent_mentions, countries)
        when, precision, basis, partial = _date_of(sent, sent_mentions, resolver, article.published is None)
        speaker = attribution.attribute(sent.text)
        rid = "ctx_" + hashlib.sha1(f"{article.id}:{sent.start}".encode()).hexdigest()[:16]
        out.append(Report(
            id=rid, article_id=article.id, event_type=trigger.event_type, sub_event_type=trigger.sub_event_type,
            trigger=trigger.text, date=when, date_precision=precision, location=location, actors=(),  # type: ignore[arg-type]
            claims=tuple(_claim(f, sent, speaker) for f in figures), sources=(sent.span(),),
            published=article.published, date_basis=basis if when else None, date_partial=partial,  # type: ignore[arg-type]
            kind="context", context=kind,
        ))
    return out


def _date_from_context(d: _Draft, sentences: list[Sentence], by_sentence: dict, resolver, relative_weak: bool):
    """An undated incident happened when the sentences before it say ("On 3 May, ... Soldiers also fired ...").

    The nearest earlier dated sentence gives the day; it is only "day" precise when that sentence
    is right before the incident, else "week".
    """
    first = min(s.index for s in d.sources)
    for back, sent in enumerate(reversed(sentences[:first])):
        when, precision, basis, _ = _date_of(sent, by_sentence.get(sent.index, []), resolver, relative_weak)
        if when is not None:
            return when, precision if back == 0 and precision == "day" else _coarser(precision), basis, None
    return None, None, None, None


def _coarser(precision: str | None) -> str:
    return "month" if precision == "month" else "week"


# How far from a city's point its neighbourhoods lie.
_CITY_REACH_KM = 25.0


def _within(location: Location | None, city: Location) -> bool:
    """Whether a place lies in or beside the city."""
    km = distance_km(location, city) if location is not None else None
    return km is not None and km <= _CITY_REACH_KM


def _states_year(text: str) -> bool:
    """Whether a date the sentence states names its year ("on May 21, 2015", "an August 2015 strike")."""
    return any(re.search(r"\b(?:19|20)\d\d\b", e) for _, _, e in dates.find_date_expressions(text))


def _background(text: str, when: date | None, precision: str | None, published: date) -> bool:
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


# Only a note or a short dispatch is about one town throughout; a longer article moves on.
LEAD_PLACE_MAX_SENTENCES = 6


class _Countries(list):
    """The article's countries, most mentioned first, carrying the provinces it names (`admin1s`)
    and, where its lead places everything in one town or village, that place (`place`)."""

    admin1s: tuple[tuple[str, str], ...] = ()
    place: tuple[Location, str] | None = None


def _context_countries(mentions: list[Mention], sentences: list[Sentence] = ()) -> list[str]:
    """Countries the article talks about, most mentioned first: they disambiguate place names.

    Entity mentions count, and so do the names inside place phrases the tagger missed
    ("in Qaatabah district (Ad Dali)"): a province named once pins the country of the villages.
    A name inside a phrase counts only when it is a country, its people, a province or a town of
    20,000: a village abroad that shares a word with it ("Nadas") must not pull the story there.
    The list also carries, as `admin1s`, the provinces the article names ("in Idleb", "(Lahij)").
    """
    counts: Counter[str] = Counter()
    by_index = {s.index: s for s in sentences}
    names: list[str] = []
    for m in mentions:
        sent = by_index.get(m.sentence_index)
        after = sent.text[m.end - sent.start :] if sent else ""
        if m.label in ("GPE", "LOC", "NORP") and not _NOT_CONTEXT.match(after):
            names.append(m.text)
            loc = country_hint(m.text)
            if loc:
                counts[loc] += 1
    tagged = {m.text for m in mentions}
    g = Gazetteer.default()
    for sent in sentences:
        for _, _, phrase in places.place_phrases(sent.text):
            for part in re.split(r"\s*[(),]\s*|\s+(?:in|of|near|outside)\s+", phrase):
                part = re.sub(r"^(?:the|rural|northern|southern|eastern|western|central)\s+", "", part.strip(), flags=re.I)
                if part and part[:1].isupper():
                    names.append(part)
                if part and part not in tagged and part[:1].isupper():
                    loc = g.country_of(part) or g.country_of_folded(part)
                    if loc:
                        counts[loc] += 1
    if not counts:
        # No place names a country: the parties do ("pro-Houthi forces" fight in Yemen).
        for sent in sentences:
            for a in find_actors(sent.text):
                if a.country and a.kind in ("military", "group", "coalition"):
                    counts[a.country] += 1
    out = _Countries(c for c, _ in counts.most_common())
    out.admin1s = _named_provinces(names, out[:3], g)
    out.place = _lead_place(mentions, sentences, out)
    return out


def _lead_place(mentions: list[Mention], sentences: list[Sentence], countries: _Countries) -> tuple[Location, str] | None:
    """The one town or village a short article's lead puts it in ("On 23 Sept, workers blocked the road
    in Naivasha. Rioters lit bonfires ..."): the place of its incident sentences that name none."""
    if not sentences or len(sentences) > LEAD_PLACE_MAX_SENTENCES:
        return None
    found: dict[tuple, tuple[Location, str]] = {}
    for sent in sentences[:3]:
        loc, text = _locate(sent, [m for m in mentions if m.sentence_index == sent.index], countries)
        if loc is not None and loc.precision in ("exact", "city"):
            found.setdefault((loc.geonames_id, loc.name, loc.country), (loc, text))
    return next(iter(found.values())) if len(found) == 1 else None


def _named_provinces(names: list[str], countries: list[str], g: Gazetteer) -> tuple[tuple[str, str], ...]:
    """(country, admin1 code) of the provinces the names are, or whose namesake seat they are ("Idleb")."""
    found: dict[tuple[str, str], None] = {}
    for name in dict.fromkeys(names):
        if g.country_of(name):
            continue
        loc = places.resolve_place(name, countries=countries, gazetteer=g)
        if loc is None or loc.country not in countries or loc.precision not in ("admin1", "city"):
            continue
        if loc.precision == "city" and (loc.admin1 is None or fold(loc.admin1) != fold(loc.name)):
            continue
        code = g.admin1_code(loc)
        if code:
            found[(loc.country, code)] = None
    return tuple(found)


def _focus_city(mentions: list[Mention], countries: list[str]) -> Location | None:
    """The city the article is mostly about, when one clearly dominates its place mentions."""
    counts: Counter[str] = Counter(m.text for m in mentions if m.label in ("GPE", "LOC", "NORP"))
    for text, n in counts.most_common(5):
        loc = places.resolve_place(text, countries=countries[:3])
        if loc and loc.precision == "city" and n >= 2 and countries and loc.country == countries[0]:
            return loc
    return None


def _locate(sent: Sentence, mentions: list[Mention], countries: list[str], taken: list[tuple[int, int]] = ()) -> tuple[Location | None, str | None]:
    """The most specific place the sentence puts the incident in (never a name that stands for an actor)."""
    candidates: list[tuple[int, int, str]] = []
    for s, e, text in places.place_phrases(sent.text):
        candidates.append((s, e, text))
    for m in _AFTER_PREPOSITION.finditer(sent.text):
        span = (m.start(1), m.end(1), m.group(1))
        if span not in candidates:
            candidates.append(span)
    g = Gazetteer.default()
    adjectives = set()
    for m in mentions:
        # A people's adjective ("Kurdish positions") is no scene, whichever pattern picked it up; a
        # NORP span only counts where the tagger mislabels a known place ("Aleppo").
        if m.label == "NORP" and (g.country_of(m.text) or g.country_of_folded(m.text) is None):
            adjectives.add((m.start - sent.start, m.end - sent.start))
            continue
        if m.label in ("GPE", "LOC", "FAC", "NORP"):
            s, e = m.start - sent.start, m.end - sent.start
            if (s, e, m.text) not in candidates:
                candidates.append((s, e, m.text))
    candidates = [c for c in candidates if c[2].split()[0] not in places.NOT_PLACES and (c[0], c[1]) not in adjectives]
    candidates = [c for c in candidates if not any(c[0] < te and ts < c[1] and not _LOCATIVE.search(sent.text[: c[0]]) for ts, te in taken)]
    best: tuple[tuple, Location, str] | None = None
    admin1s = getattr(countries, "admin1s", ())
    for s, e, text in candidates:
        loc = places.resolve_place(text, countries=countries, admin1s=admin1s)
        if loc is None:
            continue
        locative = bool(_LOCATIVE.search(sent.text[:s]))
        if loc.precision == "country" and not locative:
            continue  # "Russia said ..." names an actor, not a place
        if not locative and countries and loc.country not in countries[:2]:
            continue  # "mediators from Lakeland": a name abroad, outside any locative, is not the scene
        # A village of the name in another province than the ones the article names is a namesake.
        elsewhere = bool(admin1s) and loc.precision in ("exact", "city") and loc.country in {c for c, _ in admin1s} \
            and (loc.country, g.admin1_code(loc)) not in admin1s
        key = (0 if locative else 1, elsewhere, _PRECISION_RANK.get(loc.precision, 4), s)
        if best is None or key < best[0]:
            best = (key, loc, text)
    if best is None and getattr(countries, "place", None) is not None:
        return countries.place  # a sentence that names no place, in a short article about one town
    return (best[1], best[2]) if best else (None, None)


def _date_of(sent: Sentence, mentions: list[Mention], resolver, relative_weak: bool) -> tuple[date | None, str | None, str | None, str | None]:
    """The date the sentence gives the incident: (date, precision, basis, a yearless day as "--MM-DD").

    A stated day ("on September 17") outranks a relative one ("on Saturday") of the same
    precision; a date that only says when someone spoke ("Barazi said on Sunday") is not the
    incident's when the sentence gives another.
    """
    exprs = [m.text for m in mentions if m.label == "DATE"]
    exprs += [t for _, _, t in dates.find_date_expressions(sent.text) if t not in exprs]
    found = []
    partial = weekday = None
    for order, expr in enumerate(exprs):
        resolved = resolver.resolve(expr)
        if resolved is None:
            partial = partial or dates.partial_day(expr)
            if resolver.reference is None and not _SPOKEN_ON.search(sent.text[: max(0, sent.text.find(expr))][-40:]):
                # Nothing to count back from: the story dates it (`fusion.dates`), from what else the article reports.
                weekday = weekday or dates.partial_weekday(expr)
            continue
        precision = resolved.precision
        stated = dates.is_stated(expr)
        if relative_weak and precision == "day" and not re.search(r"\d", expr):
            precision = "week"  # resolved against other dates in the text, not a publication date
        spoken = _SPOKEN_ON.search(sent.text[: max(0, sent.text.find(expr))][-40:]) is not None and not stated
        found.append((spoken, _DATE_RANK.get(precision, 3), not stated, order, resolved.date, precision))
    if not found:
        if partial is None and weekday is not None:
            return None, None, "relative", weekday
        return None, None, ("stated" if partial else None), partial
    # The most precise reading wins: the tagger's "May 2020" must not hide the text's "7 May 2020".
    spoken, _, relative, _, when, precision = min(found)
    return when, precision, "relative" if relative else "stated", None


# "said on Sunday", "told reporters on Friday": the day someone spoke, not the incident's.
_SPOKEN_ON = re.compile(r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?|announced|reported|stated|added|confirmed|claimed|tweeted)\s+(?:on\s+|late\s+|early\s+|last\s+)?$", re.I)


def _date_before_after(text: str, trigger_pos: int) -> bool:
    """True when the sentence dates a later action and the incident comes 'after' ... 'before' it."""
    head = text[:trigger_pos]
    return bool(re.search(r"\b(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b.*\bafter\b", head))


# "Big Urem outside of Aleppo": two places, each its own key (the composite names neither).
_PLACE_JOIN = re.compile(r"\s+(?:outside(?:\s+of)?|near|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of)\s+", re.I)


def _place_keys(texts: list[str]) -> set[str]:
    """The folded place names a sentence gives, for fusion to compare: each part of a composite
    phrase apart, no leading "the", and no "Syrian state" (a demonym's phrase names a country, which every report of its war names)."""
    out = set()
    for text in texts:
        for part in _PLACE_JOIN.split(re.sub(r"^the\s+", "", text.strip(), flags=re.I)):
            words = part.split()
            if not words or state_of_demonym(words[0].lower()):
                continue
            key = fold(part)
            if key:
                out.add(key)
    return out


def _victims(figures: list[FigureMention], country: str | None) -> list[str]:
    """ACLED-style names of the victims the figures count."""
    out = []
    for f in figures:
        words = (f.victims or "").lower()
        state = next((state_of_demonym(w) for w in re.findall(r"[a-z]+", words) if state_of_demonym(w)), None)
        if f.victim_kind == "military":
            name = f"Military Forces of {'the United States' if state == 'United States' else state}" if state else military_of(country)
        elif f.victim_kind == "civilians" or (f.victim_kind == "unknown" and re.search(r"people|civilians|children|women|residents|workers", words)):
            name = civilians(country)
        else:
            name = None
        if name and name not in out:
            out.append(name)
    return out


def _statements(sent: Sentence, actors: list[ActorMatch], parse: Parse | None = None) -> list[Statement]:
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
            for by in names or ([None] if against else []):
                # "the government and rebels accused each other": each blames the other
                blamed = tuple(n for n in names if n != by) if mutual else against
                out.append(Statement(found.kind, by, blamed if found.kind == "blame" else (), sent.span()))  # type: ignore[arg-type]
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


_BAD_SPEAKER = re.compile(r"^(?:an?|the|it|they|he|she|we|this|that|which|what|who)$|\b(?:what|results)\b", re.I)


def clean_speaker(who: str | None) -> str | None:
    """A speaker phrase fit to show as a claim's source, or None ("an", "which the X" -> "the X")."""
    if not who:
        return None
    who = re.sub(r"^(?:which|who|that|as)\s+", "", who.strip())
    if _BAD_SPEAKER.search(who) or len(who) < 3:
        return None
    return who


def _claim(f: FigureMention, sent: Sentence, attributed_to: str | None) -> Claim:
    span = SourceSpan(sent.article_id, f.start, f.end, sent.text)
    return Claim(
        field=f.field,
        value=f.value,
        source=span,
        qualifier=f.qualifier,
        low=f.low,
        high=f.high,
        attributed_to=clean_speaker(attributed_to),
        text=f.text,
        group=f.group,
        scope=f.scope,
    )


def _worth_keeping(d: _Draft) -> bool:
    """A report needs an anchor in the world: a place, a date, a figure, or a named target."""
    return bool(d.location or d.figures or d.date or d.keywords or d.trigger.priority >= 40)


def _family(event_type: str) -> str:
    return "violence" if event_type in ("battles", "explosions_remote_violence", "violence_against_civilians") else event_type


_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _compatible(a: _Draft, b: _Draft) -> bool:
    """Could two sentence reports of one article describe the same incident?"""
    if a.date is None and b.date is None and a.weekdays and b.weekdays and not (a.weekdays & b.weekdays):
        return False  # "Wednesday's toll" and "strikes on Friday morning", in an undated article: two days
    if not (_may_precede(a, b) and _may_precede(b, a)):
        return False  # "strikes on Friday" cannot be what "on Thursday ... after the strike" came after
    if _family(a.trigger.event_type) != _family(b.trigger.event_type):
        return False
    if a.location and b.location and not places_compatible(a.location, b.location):
        return False
    if a.date and b.date and abs((a.date - b.date).days) > (1 if a.date_precision == b.date_precision == "day" else 7):
        return False
    ka, kb = target_classes(a.keywords), target_classes(b.keywords)
    if ka and kb and not (ka & kb):
        return False
    return True


def _may_precede(a: _Draft, b: _Draft) -> bool:
    """Whether a's weekdays can fall before the later act b's sentence dates (within one week)."""
    if b.before_weekday is None or not a.weekdays or a.date is not None or b.date is not None:
        return True
    order = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return min(order.index(w) for w in a.weekdays) < order.index(b.before_weekday)


def _affinity(a: _Draft, b: _Draft) -> int:
    score = 0
    if a.location and b.location and places_compatible(a.location, b.location):
        score += 3
    if a.trigger.sub_event_type == b.trigger.sub_event_type:
        score += 1
    score += 2 * len(target_classes(a.keywords) & target_classes(b.keywords))
    score += len({x.name for x in a.actors} & {x.name for x in b.actors})
    shared_victims = set(a.victims) & set(b.victims)
    score += len(shared_victims)
    if a.victims and b.victims and not shared_victims:
        score -= 2  # civilians hit in one sentence, soldiers in the other: two incidents told side by side
    if {c.value for c in a.claims} & {c.value for c in b.claims}:
        score += 2
    if a.date and b.date and a.date_precision == b.date_precision == "day":
        score += 1 if a.date == b.date else -2
    return score


def _toll_only(d: _Draft) -> bool:
    """A sentence that gives a toll and names no act or weapon of its own ("the death toll was 45")."""
    return bool(d.figures) and d.trigger.priority <= 5


def _same_incident_possible(a: _Draft, b: _Draft) -> bool:
    """Kind, place and day allow one incident (targets aside: a toll's speaker may name a hospital)."""
    if _family(a.trigger.event_type) != _family(b.trigger.event_type):
        return False
    if a.location and b.location and not places_compatible(a.location, b.location):
        return False
    return not (a.date and b.date and abs((a.date - b.date).days) > 1)


# A text this short is a note or a snippet about one incident ("Mob kills man suspected of theft").
_SHORT_NOTE = 4


def _merge_within_article(drafts: list[_Draft], *, short: bool = False) -> list[_Draft]:
    """Merge sentence reports of one incident; placeless ones join their best-matching incident.

    A placeless, undated report with no toll is too vague to stand alone in an article, except in
    a `short` text (a note, a snippet), where it is the incident the text is about.
    """
    anchored = [d for d in drafts if d.location]
    floating = [d for d in drafts if not d.location]
    groups: list[_Draft] = []
    vague: list[_Draft] = []
    for d in anchored:
        target = next((g for g in groups if _compatible(g, d) and (same_place(g.location, d.location) or _affinity(g, d) >= 5)), None)
        if target:
            _absorb(target, d)
        else:
            groups.append(d)
    for d in floating:
        if _toll_only(d):
            # "... told Reuters the death toll was 45": a toll with no act of its own is the toll of
            # the incident the sentences just before told (one event, two tolls to weigh).
            before = [g for g in groups if _same_incident_possible(g, d) and any(0 < d.sentence.index - x.index <= 2 for x in g.sources)]
            if before:
                _absorb(max(before, key=lambda g: max(x.index for x in g.sources)), d)
                continue
        scored = [(_affinity(g, d), i) for i, g in enumerate(groups) if _compatible(g, d)]
        if len(scored) == 1 and groups[scored[0][1]].trigger.sub_event_type == d.trigger.sub_event_type:
            scored = [(max(2, scored[0][0]), scored[0][1])]  # the article's only incident of this kind
        scored = [s for s in scored if s[0] >= 2]
        if scored:
            _absorb(groups[max(scored)[1]], d)
        elif d.figures or d.keywords or d.date_precision == "day":
            # An incident with no place but a toll, a target or its own day is still an incident
            # (the place may be a village the gazetteer lacks); others are too vague.
            target = next((g for g in groups if g.location is None and _compatible(g, d) and _affinity(g, d) >= 2), None)
            if target:
                _absorb(target, d)
            else:
                groups.append(d)
        elif short:
            vague.append(d)
    if short and len(groups) == 1 and vague:
        # "A group of men riot over a cleric's detention. Two civilians killed.": a note's one incident.
        for d in vague:
            _absorb(groups[0], d)
    if short and not groups and floating:
        head = max(floating, key=lambda d: (d.trigger.priority, -d.sentence.start))
        for d in floating:
            if d is not head and _compatible(head, d):
                _absorb(head, d)
        groups.append(head)
    groups.sort(key=lambda g: g.sentence.start)
    return groups


_BASIS_RANK = {"stated": 0, "relative": 1, "published": 2}


def _date_rank(d: _Draft) -> tuple[int, int]:
    """How well a draft is dated: the more precise first, then stated before relative."""
    return _DATE_RANK.get(d.date_precision or "month", 3), _BASIS_RANK.get(d.date_basis or "relative", 1)


def _absorb(into: _Draft, other: _Draft) -> None:
    if other.trigger.priority > into.trigger.priority:
        into.trigger = other.trigger
    if other.location and (
        into.location is None
        or (_PRECISION_RANK[other.location.precision] < _PRECISION_RANK[into.location.precision] and places_compatible(into.location, other.location) and other.claims)
    ):
        into.location, into.place_text = other.location, other.place_text
    if other.date and (into.date is None or _date_rank(other) < _date_rank(into)):
        into.date, into.date_precision, into.date_basis, into.date_partial = other.date, other.date_precision, other.date_basis, None
    elif into.date is None and other.date_partial and (not into.date_partial or (dates.is_partial_weekday(into.date_partial) and not dates.is_partial_weekday(other.date_partial))):
        # A stated day without its year ("September 17") outranks a weekday.
        into.date_partial, into.date_basis = other.date_partial, other.date_basis or "stated"
    into.actors += other.actors
    into.victims += [v for v in other.victims if v not in into.victims]
    into.statements += other.statements
    into.keywords |= other.keywords
    into.weekdays |= other.weekdays
    into.before_weekday = into.before_weekday or other.before_weekday
    into.place_names |= other.place_names
    into.sources += other.sources
    into.claims += other.claims
    into.figures += other.figures


def _roles(d: _Draft) -> tuple[Actor, ...]:
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
    violent = _family(d.trigger.event_type) == "violence"
    trigger_sentence = d.sentence
    for a in sorted(d.actors, key=lambda a: a.role is None):  # the parse's readings first
        if a.kind == "organisation" or a.role == "speaker":
            continue
        name = a.name
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
        if a.kind in ("state", "government") and not is_victim:
            continue  # a state named in passing ("tensions between the US and Russia") is not an actor here
        if a.kind in ("state", "government") and violent:
            name = military_of(a.country) or a.name  # "strikes on Syria": on its forces, as ACLED codes a state
        (targets if is_victim else perpetrators).setdefault(name, []).append(a.surface)
    if not perpetrators and accused:
        perpetrators = accused  # "an air attack the US blamed on Russia": the accused, as the source says
    if violent:
        kinds = {a.name: a.kind for a in d.actors}
        # "armed farmers attacked a camp": civilians who attack are a communal militia, as ACLED codes them
        perpetrators = {(_communal(d.country) if kinds.get(n) == "civilians" else n): f for n, f in perpetrators.items()}
    for v in d.victims:
        targets.setdefault(v, [])
    parsed_agents = {n for n, forms in perpetrators.items() if any(a.role == "agent" and a.surface in forms for a in d.actors)}
    for name in list(perpetrators):
        if name in targets:
            # One party on both sides: the parse's agent stays the agent, a guess from word order yields.
            del (targets if name in parsed_agents else perpetrators)[name]
    if not perpetrators and len(targets) >= 2:
        # "clashes took place between regime forces and rebels": the first named side acted.
        first = next((n for n in targets if n not in d.victims), None)
        if first:
            perpetrators[first] = targets.pop(first)
    if d.trigger.event_type == "battles" and len(perpetrators) >= 2 and not targets:
        second = list(perpetrators)[1]
        targets[second] = perpetrators.pop(second)  # a battle's second side is actor2, not an ally
    if d.trigger.event_type in ("protests", "riots"):
        perpetrators, targets = _crowd_sides(d, perpetrators, targets)
    if not perpetrators and d.trigger.event_type in _UNNAMED_PERPETRATOR and d.trigger.sub_event_type != "air_drone_strike":
        perpetrators[unidentified(d.country)] = []  # "a bomb exploded": ACLED codes an unidentified armed group
    if not targets and d.trigger.event_type == "violence_against_civilians" and any(_CIVILIAN_WORDS.search(s.text) for s in d.sources):
        targets[civilians(d.country)] = []
    actors = []
    if perpetrators:
        name, forms = next(iter(perpetrators.items()))
        actors.append(Actor(name, "actor1", tuple(dict.fromkeys(forms))))
        for extra, forms in list(perpetrators.items())[1:2]:
            actors.append(Actor(extra, "assoc_actor_1", tuple(dict.fromkeys(forms))))
    for i, (name, forms) in enumerate(list(targets.items())[:2]):
        actors.append(Actor(name, "actor2" if i == 0 else "assoc_actor_2", tuple(dict.fromkeys(forms))))
    return tuple(actors)


def _crowd_sides(d: _Draft, perpetrators: dict[str, list[str]], targets: dict[str, list[str]]) -> tuple[dict, dict]:
    """A protest's or riot's actor1 is its crowd, "Protesters (X)" / "Rioters (X)", whoever the text names
    as marching (students, a party, "Bangladesh" in a union's name); named groups join it as
    associates, and the police or army it faced are the other side."""
    kinds = {a.name: a.kind for a in d.actors}
    country = d.country or next((a.country for a in d.actors if a.country and a.kind in ("state", "group")), None)
    name = crowd(d.trigger.event_type, country)
    forces = {n: f for n, f in {**perpetrators, **targets}.items() if kinds.get(n) in ("military", "police")}
    crowd_forms = [f for n, forms in perpetrators.items() if kinds.get(n) in ("protesters", "rioters", "civilians") for f in forms]
    sides = {name: crowd_forms}
    sides.update({n: f for n, f in perpetrators.items() if kinds.get(n) == "group" and n not in forces})
    others = {n: f for n, f in targets.items() if n not in forces and kinds.get(n) not in ("state", "government")}
    return sides, {**forces, **others}


def _communal(country: str | None) -> str:
    label = country_name(country)
    return f"Unidentified Communal Militia ({label})" if label else "Unidentified Communal Militia"


# Kinds of event whose unnamed perpetrator ACLED codes as "Unidentified Armed Group (X)".
_UNNAMED_PERPETRATOR = {"explosions_remote_violence", "violence_against_civilians"}


def _suffix(d: _Draft, a: ActorMatch) -> str:
    for s in d.sources:
        if s.start <= a.start < s.end:
            return s.text[a.end - s.start : a.end - s.start + 30]
    return ""


def _prefix(d: _Draft, a: ActorMatch) -> str:
    for s in d.sources:
        if s.start <= a.start < s.end:
            return s.text[max(0, a.start - s.start - 30) : a.start - s.start]
    return ""


def _freeze(article: Article, index: int, d: _Draft) -> Report:
    key = f"{article.id}:{d.sentence.start}"
    rid = "rep_" + hashlib.sha1(key.encode()).hexdigest()[:16]
    return Report(
        id=rid,
        article_id=article.id,
        event_type=d.trigger.event_type,
        sub_event_type=d.trigger.sub_event_type,
        trigger=d.trigger.text,
        date=d.date,
        date_precision=d.date_precision,  # type: ignore[arg-type]
        date_basis=d.date_basis if d.date else None,  # type: ignore[arg-type]
        date_partial=d.date_partial if d.date is None else None,
        location=d.location,
        actors=_roles(d),
        claims=tuple(d.claims),
        sources=tuple(dict.fromkeys(s.span() for s in d.sources)),
        statements=tuple(d.statements),
        keywords=tuple(sorted(d.keywords)),
        published=article.published,
        place_names=tuple(sorted(d.place_names)),
    )


def with_story(report: Report, **changes) -> Report:
    """A copy of a report with some fields changed."""
    return replace(report, **changes)
