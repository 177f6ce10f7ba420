"""From one analysed article to its reports: one `Report` per incident the article describes.

Sentence by sentence: a trigger says what happened, figures say who died, entities say where
and when, actor rules say who did it to whom. Sentence-level reports of one incident are then
merged within the article, so an article reporting three incidents yields three reports, and a
sentence such as "The strike killed about 20 people" joins the incident it continues.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from sitroom.extract import attribution, dates, roles
from sitroom.extract.actors import find_actors, organisation_actor, state_of_demonym
from sitroom.extract.place_phrases import place_phrases
from sitroom.extract.drafts import SHORT_NOTE, Draft, merge_within_article, stale, worth_keeping
from sitroom.extract.events import Trigger, accidental_blast, is_accident_report, is_court_report
from sitroom.extract.figures import FigureMention
from sitroom.extract.follow_ups import tells_case_news
from sitroom.extract.frame import context_countries, filed_from, focus_city, locate, within_city
from sitroom.extract.incident_dates import WEEKDAY, date_from_context, date_of, dates_later_act, is_background, states_year
from sitroom.extract.parties import claimant, find_statements, report_actors, victim_names, with_claimant
from sitroom.extract.roles import Parse
from sitroom.extract.targets import target_keywords
from sitroom.gazetteer.folding import fold
from sitroom.model import Article, Claim, Mention, Report, Sentence, SourceSpan


# The sentences that say what an article is about.
_LEAD_SENTENCES = 2
# A follow-up's lead: its title line may come first.
_FOLLOW_UP_LEAD = 3

# A dateline that names the town's state or province after it ("KENT, Wash.").
_STATE_DATELINE = re.compile(r",\s*\S")
_CITY_REFERENCE = re.compile(r"\b(?:the city|the town)['’]s\b", re.I)
# Quoted words, curly or straight, within one paragraph (a quote may run over sentences).
_QUOTED = re.compile(r"“[^“”]{1,2000}?”|\"[^\"\n]{1,2000}?\"")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where an article quotes someone's words: (start, end) of each quote, its marks included."""
    return [m.span() for m in _QUOTED.finditer(text)]


def retold(trigger: Trigger, figures: list[FigureMention], quotes: list[tuple[int, int]]) -> bool:
    """Whether a trigger with no toll of its own lies in quoted words: a witness retelling an incident."""
    return not figures and any(a < trigger.start and trigger.end < b for a, b in quotes)


def build_reports(
    article: Article, sentences: list[Sentence], mentions: list[Mention], incidents: dict[int, tuple[list[FigureMention], Trigger]],
    parses: dict[int, Parse] | None = None,
) -> list[Report]:
    """Every incident the article reports, each with its own place, date, actors and figures.

    `incidents` maps the index of each sentence reporting one to its figures and trigger
    (`extract.find_incidents`, which chose the sentences the tagger read); `parses` holds the
    dependency parse of those sentences, from which each actor's part is read (`roles`).
    """
    countries = context_countries(mentions, sentences, outlet=article.source)
    filed = filed_from(article.text, countries)
    if filed is not None and not countries and filed[0].country:
        countries.append(filed[0].country)  # a dateline is the only place the story names
    elif filed is not None and filed[0].country and filed[0].country not in countries and _STATE_DATELINE.search(filed[1]):
        # "FORT WAYNE, Ind. --": a town and its state say which country the story is filed from, whatever
        # namesake elsewhere a word of the text matched.
        countries.insert(0, filed[0].country)
    focus = focus_city(mentions, countries)
    resolver = dates.DateResolver(article.published, dates.explicit_dates(article.text, published=article.published))
    relative_weak = article.published is None
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence_index, []).append(m)

    # A court report tells the case's past acts by their dates ("arrested on May 21, 2015"): they are the case, not news.
    court_report = any(is_court_report(s.text) for s in sentences[:_LEAD_SENTENCES])
    # An accident report ("may have been caused by a gas leak") tells its blast again in later sentences.
    accident = any(is_accident_report(s.text) for s in sentences[:_LEAD_SENTENCES])
    quotes = quoted_spans(article.text)
    drafts: list[Draft] = []
    for sent in sentences:
        if sent.index not in incidents:
            continue
        figures, trigger = incidents[sent.index]
        if accident and accidental_blast(sent.text, trigger):
            continue
        sent_mentions = by_sentence.get(sent.index, [])
        named = find_actors(sent.text, sent.start, country=countries[0] if countries else None)
        taken = [(a.start - sent.start, a.end - sent.start) for a in named if a.kind in ("state", "group", "organisation", "military", "coalition")]
        location, place_text = locate(sent, sent_mentions, countries, taken)
        if location is None and filed is not None and filed[0].country == countries[0]:
            # A sentence that names no place, in a story filed from a town of the country it is about.
            location, place_text = filed
        elif location is not None and filed is not None and location.precision == "admin1" and location.country == filed[0].country \
                and location.admin1 == filed[0].admin1:
            # "FORT WAYNE, Ind. -- Fort Wayne police found ...": only the state named, the dateline's town in it.
            location, place_text = filed
        names = _place_keys([t for _, _, t in place_phrases(sent.text)] + [m.text for m in sent_mentions if m.label in ("GPE", "LOC", "FAC")])
        if focus is not None and _CITY_REFERENCE.search(sent.text) and not within_city(location, focus):
            # "the city's Bustan al-Qasr neighbourhood": inside the article's city, whatever a look-alike
            # name elsewhere says; the city's point, at city precision.
            location = focus
        when, precision, basis, partial = date_of(sent, sent_mentions, resolver, relative_weak)
        # A short note that opens on its incident's full date ("On 19 Sept 2018, police shot ...") is about
        # that incident however late it was filed; in a longer story an old date is background.
        late_note = len(sentences) <= SHORT_NOTE and sent.index == sentences[0].index and precision == "day" and basis == "stated"
        if article.published and not late_note and is_background(sent.text, when, precision, article.published):
            continue  # "The single biggest attack, in 2009, killed 25": background, not news
        if court_report and when and states_year(sent.text):
            continue
        later_act = dates_later_act(sent.text, trigger.start - sent.start)
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
        draft = Draft(
            trigger=trigger,
            sentence=sent,
            location=location,
            place_text=place_text,
            date=when,
            date_precision=precision,
            date_basis=basis,
            date_partial=partial,
            weekdays=set() if later_act else set(WEEKDAY.findall(sent.text)),  # the weekday of a later act is not the incident's
            before_weekday=next(iter(WEEKDAY.findall(sent.text[: trigger.start - sent.start])), None) if later_act else None,
            figures=figures,
            attributed_to=attribution.attribute(sent.text),
            actors=actors,
            victims=victim_names(figures, country),
            statements=find_statements(sent, actors, parse),
            keywords=target_keywords(sent.text),
            place_names={n for n in names if n},
            sources=[sent],
            country=country,
            retold=retold(trigger, figures, quotes),
        )
        draft.claims = [_claim(f, sent, draft.attributed_to) for f in figures]
        if worth_keeping(draft) or len(sentences) <= SHORT_NOTE:
            drafts.append(draft)
    for d in drafts:
        if d.date is None and d.date_partial is None:
            d.date, d.date_precision, d.date_basis, d.date_partial = date_from_context(min(s.index for s in d.sources), sentences, by_sentence, resolver, relative_weak)
    merged = merge_within_article(drafts, short=len(sentences) <= SHORT_NOTE)
    if court_report and len(sentences) > SHORT_NOTE:
        # A court report tells the case's acts without their day ("he grabbed a knife and stabbed him"):
        # only an act it dates is news of its own (a new attack, a riot outside the court).
        merged = [d for d in merged if d.date is not None or d.date_partial is not None]
    if article.published and len(sentences) > SHORT_NOTE:
        # Dated well before the article: recalled, not reported (a note's one incident is its subject, whatever its upload date).
        fresh = [d for d in merged if not stale(d, article.published)]
        lead = " ".join(s.text for s in sentences[:_FOLLOW_UP_LEAD])
        if merged and not fresh and not court_report and tells_case_news(lead):
            # Every incident dated well before the article, whose lead tells what became of a case (an
            # arrest, a death in hospital, a funeral): a follow-up, and its case is the incident it reports.
            fresh = [max(merged, key=lambda d: (len(d.sources), len(d.figures), -d.sentence.index))]
        merged = fresh
    # A story about one city (named twice or more, every incident it places lies there) puts an incident no
    # sentence of it places in that city, as a reader would; placed only now, once the drafts are kept and
    # merged on what their own sentences say. A story that moves between towns leaves it unplaced.
    one_city = focus if focus is not None and all(d.location is None or within_city(d.location, focus) for d in merged) else None
    for d in merged:
        if d.location is None and one_city is not None:
            d.location, d.place_text = one_city, one_city.name
        if d.date is None and d.date_partial is None and article.published:
            # A fresh incident the text does not date: news reports it by its publication day.
            d.date, d.date_precision, d.date_basis = article.published, "day", "published"
    reports = [_freeze(article, i, d) for i, d in enumerate(merged)]
    return _claimed(reports, merged, sentences, countries[0] if countries else None)


def _claimed(reports: list[Report], merged: list[Draft], sentences: list[Sentence], country: str | None) -> list[Report]:
    """Each report whose doer goes unnamed takes the group a later sentence says claimed it, the nearest report before that sentence."""
    firsts = [min(s.index for s in d.sources) for d in merged]
    for sent in sentences:
        group = claimant(sent, country) if firsts else None
        before = [i for i, first in enumerate(firsts) if first <= sent.index]
        if group is not None and before:
            i = max(before, key=lambda k: firsts[k])
            reports[i] = replace(reports[i], actors=with_claimant(reports[i].actors, group))
    return reports


def build_context_reports(
    article: Article, sentences: list[Sentence], mentions: list[Mention], contexts: dict, countries: list[str] | None = None
) -> list[Report]:
    """Background the article states (a period total, a plan, a threat, an old attack on trial) as reports
    of kind "context": traceable like any report, never fused into an event.

    `contexts` maps a sentence index to (its figures, its trigger, the kind of background), as
    `extract.read_trigger_sentences` gives them (`Readings.context`).
    """
    if not contexts:
        return []
    countries = countries or context_countries(mentions, sentences, outlet=article.source)
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
        location, _ = locate(sent, sent_mentions, countries)
        when, precision, basis, partial = date_of(sent, sent_mentions, resolver, article.published is None)
        speaker = attribution.attribute(sent.text)
        rid = "ctx_" + hashlib.sha1(f"{article.id}:{sent.start}".encode()).hexdigest()[:16]
        out.append(Report(
            id=rid, article_id=article.id, event_type=trigger.event_type, sub_event_type=trigger.sub_event_type,
            trigger=trigger.text, date=when, date_precision=precision, location=location, actors=(),
            claims=tuple(_claim(f, sent, speaker) for f in figures), sources=(sent.span(),),
            published=article.published, date_basis=basis if when else None, date_partial=partial,
            kind="context", context=kind,
        ))
    return out

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


def _freeze(article: Article, index: int, d: Draft) -> Report:
    key = f"{article.id}:{d.sentence.start}"
    rid = "rep_" + hashlib.sha1(key.encode()).hexdigest()[:16]
    return Report(
        id=rid,
        article_id=article.id,
        event_type=d.trigger.event_type,
        sub_event_type=d.trigger.sub_event_type,
        trigger=d.trigger.text,
        date=d.date,
        date_precision=d.date_precision,
        date_basis=d.date_basis if d.date else None,
        date_partial=d.date_partial if d.date is None else None,
        location=d.location,
        actors=report_actors(d),
        claims=tuple(d.claims),
        sources=tuple(dict.fromkeys(s.span() for s in d.sources)),
        statements=tuple(d.statements),
        keywords=tuple(sorted(d.keywords)),
        published=article.published,
        place_names=tuple(sorted(d.place_names)),
    )
