"""The geoparser users call: every place a text names, with its character span and the place it means.

`sitroom geoparse` and `POST /api/geoparse` are thin shells over `geoparse_record`. A text is
read in three steps:

1. **Mentions**: the tagger's place entities (GPE, LOC, FAC), and where the small model mislabels
   or misses a place (NORP "Aleppo", ORG "Texas", PERSON "Giza", an untagged name) the span when it
   names a people ("Russian"), a country, a province or a town of 20,000.
2. **Context**: the countries the text is about, weighed by how often it names them, their
   people or places that only one country has; the provinces it names.
3. **Resolution** of each mention in that context (`extract.places.resolve_framed`): the
   "X, Y" and "X in Y" frames first (a town within the province or country after it), then the
   article's countries and provinces, nearness to the places already placed, prominence,
   population.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sitroom.clean import clean_html
from sitroom.errors import InputError
from sitroom.extract import places
from sitroom.extract.datelines import find_dateline
from sitroom.extract.nlp import load_nlp, paragraphs
from sitroom.gazetteer import Gazetteer
from sitroom.model import Location

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_CAPITALISED = re.compile(r"(?<![\w'’.-])[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?![\w'’-])")
_ADMIN_WORD = re.compile(r"\s+(province|governorate|region|oblast|state|county|district)\b", re.I)
# How many of the article's countries rank candidates: the first few carry the story.
CONTEXT_COUNTRIES = 4


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One place named in a text: the span that names it and the place it means."""

    text: str
    start: int
    end: int
    location: Location

    def to_dict(self) -> dict:
        """The geoparse output object of one mention."""
        loc = self.location
        return {
            "text": self.text, "start": self.start, "end": self.end, "geonames_id": loc.geonames_id,
            "name": loc.name, "country": loc.country, "admin1": loc.admin1, "lat": loc.lat, "lon": loc.lon,
            "feature": loc.feature, "precision": loc.precision,
        }


def find_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of the place-like entities the tagger finds in a text, in text order."""
    nlp = load_nlp()
    chunks = paragraphs(text)
    found = []
    with nlp.select_pipes(disable=["senter"]):
        for doc, offset in nlp.pipe(((chunk, off) for off, chunk in chunks), as_tuples=True, batch_size=16):
            for ent in doc.ents:
                if ent.label_ in PLACE_LABELS or ent.label_ in ("NORP", "ORG", "PERSON"):
                    start, end = offset + ent.start_char, offset + ent.end_char
                    if text[start:start + 4].lower() == "the ":
                        start += 4  # "the United States": the place is the name
                    found.append((start, end, ent.label_))
    return found


def _keep(text: str, label: str, g: Gazetteer) -> bool:
    """Whether a tagged span may be a place mention.

    Place labels always; a NORP span when it names a people ("Syrians") or a known place
    ("Aleppo"); an ORG or PERSON span, or a capitalised name the tagger left out, only when it is a
    country, its people, a province or a town of 20,000 ("Texas" read as ORG, "Giza" as PERSON).
    """
    if label in PLACE_LABELS:
        return True
    if label == "NORP":
        return bool(g.country_of(text)) or g.country_of_folded(text) is not None
    if len(text.split()) > 3 or not text[:1].isupper():
        return False
    return bool(g.country_of(text)) or places.us_state_code(text) is not None or g.country_of_folded(text) is not None


def _untagged_names(text: str, tagged: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Capitalised names the tagger did not label at all (start, end, "NAME")."""
    out = []
    for m in _CAPITALISED.finditer(text):
        s, e = m.span()
        if any(s < te and ts < e for ts, te, _ in tagged):
            continue
        word = m.group(0)
        opening = s == 0 or text[max(0, s - 2):s].strip() in ("", ".", "!", "?", '"', "“")
        if opening and " " not in word:
            continue  # a lone capitalised first word is usually only the sentence's first word
        out.append((s, e, "NAME"))
    return out


def document_context(names: Iterable[str], g: Gazetteer) -> tuple[list[str], list[tuple[str, str]]]:
    """The countries a text is about (most named first) and the provinces it names, from its place mentions."""
    counts: defaultdict[str, float] = defaultdict(float)  # mentions; a province counts half a mention of its country
    provinces: Counter[tuple[str, str]] = Counter()
    for name in names:
        iso = g.country_of(name) or g.country_of_folded(name)
        if iso:
            counts[iso] += 1
        if g.country_of(name):
            continue  # "German" is Germany's, not a parish of that name
        loc = g.lookup(name)
        if loc is not None and loc.precision == "admin1" and loc.country:
            code = g.admin1_code(loc)
            if code:
                provinces[(loc.country, code)] += 1
                counts[loc.country] += 0.5 if iso is None else 0
    # As Counter.most_common: by count, ties in the order first seen.
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:CONTEXT_COUNTRIES]
    return [c for c, _ in ranked], [p for p, _ in provinces.most_common()]


def _dateline_spans(text: str) -> list[tuple[int, int, str]]:
    """The city and state of the dateline that opens the text ("KENT, Wash. --"), which the tagger reads as no place."""
    dateline = find_dateline(text)
    if dateline is None:
        return []
    spans = [(dateline.city_start, dateline.city_end, "GPE")]
    if dateline.region_start is not None and dateline.region_end is not None:
        spans.append((dateline.region_start, dateline.region_end, "GPE"))
    return spans


def geoparse(text: str, *, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Every place mention in a text that the gazetteer can place, in text order."""
    g = gazetteer or Gazetteer.default()
    tagged = find_mentions(text)
    found = sorted(tagged + _untagged_names(text, tagged))
    dateline = _dateline_spans(text)
    found = sorted(found + [d for d in dateline if not any(s < d[1] and d[0] < e for s, e, _ in found)])
    dateline_city = dateline[0][:2] if dateline else None
    spans = [(s, e, text[s:e]) for s, e, label in found if _keep(text[s:e], label, g)]
    countries, provinces = document_context((t for _, _, t in spans), g)
    resolved: list[PlaceMention] = []
    placed: list[Location] = []
    framing: dict[int, Location] = {}  # mention index -> the reading its "X, Y" frame gave it
    for i, (start, end, name) in enumerate(spans):
        frame = places.frame_after(text, end, spans[i + 1:])
        admin = _ADMIN_WORD.match(text, end)
        query = f"{name} {admin[1]}" if admin else name  # "Idlib province": the province, not the city
        loc, parent = places.resolve_framed(
            query, countries=countries, admin1s=provinces, within=frame, placed=placed, gazetteer=g
        )
        if parent is not None and frame == (spans[i + 1][2] if i + 1 < len(spans) else None):
            framing[i + 1] = parent
        loc = framing.get(i, loc)
        if loc is None:
            continue
        if (start, end) == dateline_city and loc.precision not in ("exact", "city"):
            continue  # a dateline names a town: "WASHINGTON --" read as the state is no reading of it
        resolved.append(PlaceMention(name, start, end, loc))
        placed.append(loc)
    return resolved


def article_text(record: object) -> str:
    """The text of one article record whose spans the output gives: its "text" as given, else its cleaned "html"."""
    if not isinstance(record, dict):
        raise InputError("an article must be a JSON object {\"id\", \"text\"}")
    text, markup = record.get("text"), record.get("html")
    if isinstance(text, str):
        return text
    if isinstance(markup, str) and markup.strip():
        return clean_html(markup, url=record.get("url") if isinstance(record.get("url"), str) else None).text
    raise InputError(f"article {record.get('id')!r} has neither \"text\" nor \"html\"; add one of them")


def geoparse_record(record: dict, *, gazetteer: Gazetteer | None = None) -> dict:
    """One article in (`id`, `text` or `html`), its place mentions out: {"id", "places": [...]}.

    Spans index the "text" as given; for an "html" article they index its cleaned text, which the
    answer then carries as "text".
    """
    text = article_text(record)
    out = {"id": record.get("id"), "places": [m.to_dict() for m in geoparse(text, gazetteer=gazetteer)]}
    if not isinstance(record.get("text"), str):
        out["text"] = text
    return out


def geoparse_jsonl(lines: Iterable[str], *, origin: str = "<input>", gazetteer: Gazetteer | None = None) -> Iterator[dict]:
    """`geoparse_record` over JSONL lines; a line that is no article yields {"error": why} and reading goes on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            yield geoparse_record(record, gazetteer=gazetteer)
        except json.JSONDecodeError as exc:
            yield {"error": f"{origin}:{number} is not valid JSON ({exc.msg} at column {exc.colno}); fix or remove that line"}
        except InputError as exc:
            yield {"error": f"{origin}:{number}: {exc}"}
