"""Property-based fuzzing of every parser that reads untrusted text, with hypothesis.

Each property says what must hold for *any* input: no exception escapes (bad input becomes a
rejection or None), nothing is invented (cleaned text comes from the input), round trips are
exact. Example counts are bounded so the suite stays fast; raise them with
`SITROOM_FUZZ_EXAMPLES=3000` (see docs/reliability.md) for a longer hunt. Minimal failing
examples hypothesis found are kept at the bottom as plain regression tests.
"""

from __future__ import annotations

import io
import json
import os
import re
import string
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from sitroom import codec
from sitroom.clean import clean_html, clean_text, normalise
from sitroom.errors import InputError, MalformedInput
from sitroom.extract.counts import parse_number
from sitroom.extract.dates import DateResolver, explicit_dates, find_date_expressions
from sitroom.extract.figures import find_figures
from sitroom.gazetteer.folding import block, fold, simple, skeleton
from sitroom.ingest import IngestLimits
from sitroom.ingest.feeds import parse_feed
from sitroom.ingest.files import read_jsonl_stream
from sitroom.ingest.sources import decode_bytes
from sitroom.model import (
    Actor,
    Article,
    Claim,
    Contradiction,
    Event,
    Figure,
    Location,
    Rejection,
    SourceSpan,
    Story,
    SummarySentence,
)

# SITROOM_FUZZ_EXAMPLES=N runs every property N times instead (a longer hunt; see docs/reliability.md).
_HUNT = int(os.environ.get("SITROOM_FUZZ_EXAMPLES") or 0)
FAST = settings(max_examples=_HUNT or 150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=_HUNT or 40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like news more often than uniform unicode does: words, numbers, punctuation,
# newlines, scripts other than Latin, invisible and control characters.
_PIECES = st.sampled_from(
    ["killed", "at least", "dozens", "Deir ez-Zor", "on Saturday", "17 September 2016", "Share", "Advertisement",
     "Posted October 01, 2016", "\n", "\n\n", " ", ".", ",", "“", "”", "«", "-", "–", "62", "1,200", "twenty-one",
     "قتل", "погибли", "死亡", "。", "\u200b", "\u202e", "\x00", "\r\n", "\t", "<p>", "</p>", "&amp;", "By John Smith"]
)  # fmt: skip
NEWSY = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=400), NEWSY)


# ----------------------------------------------------------------------------- clean


@FAST
@given(ANY_TEXT)
def test_clean_text_never_invents_text(raw):
    cleaned = clean_text(raw)
    source = normalise(raw)
    assert "\r" not in cleaned.text and "\n\n\n" not in cleaned.text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]", cleaned.text)
    for line in cleaned.text.split("\n"):
        assert line == line.strip()
        assert line in source  # every line (or its complete-sentence head) comes from the input
    if cleaned.title:
        assert cleaned.title.lstrip("#").strip() in source


@FAST
@given(ANY_TEXT)
def test_clean_text_is_stable_on_its_own_output(raw):
    once = clean_text(raw, detect_title=False).text
    twice = clean_text(once, detect_title=False).text
    # Cleaning again may only drop lines, never add one (it may split lines into paragraphs: one per line).
    assert {line for line in twice.split("\n") if line} <= set(once.split("\n"))


_TAGS = st.sampled_from(["p", "div", "span", "script", "style", "article", "h1", "title", "a", "li", "noscript", "b", "table"])


@st.composite
def html_documents(draw) -> str:
    """Tag soup: nested, unclosed and stray tags around news-like text, with scripts that must not leak."""
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(_TAGS)
        kind = draw(st.integers(0, 3))
        if tag in ("script", "style"):
            parts.append(f"<{tag}>SCRIPTLEAK{draw(st.text(max_size=10))}</{tag}>")
        elif tag in ("title", "noscript"):
            # Raw-text elements: a <script> written inside them is their literal text, not a script.
            parts.append(f"<{tag}>{draw(NEWSY)}</{tag}>")
        elif kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(f"<{tag} class=\"x\">{draw(NEWSY)}</{tag}>")
    return "".join(parts)


@SLOW
@given(st.one_of(html_documents(), st.text(max_size=300)))
def test_clean_html_never_fails_and_never_leaks_scripts(markup):
    cleaned = clean_html(markup)
    assert isinstance(cleaned.text, str)
    assert "SCRIPTLEAK" not in cleaned.text


# ----------------------------------------------------------------------------- decoding, JSONL


@FAST
@given(st.binary(max_size=2000))
def test_decode_bytes_gives_text_or_a_reason(data):
    try:
        text = decode_bytes(data, origin="fuzz")
    except InputError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)


@FAST
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig", "cp1252"]))
def test_decode_bytes_round_trips_encoded_text(text, encoding):
    assume("\x00" not in text and not re.search(r"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]", text))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    if encoding in ("utf-16", "utf-32", "utf-8-sig") or not data:
        assert decode_bytes(data, origin="fuzz") == text  # the BOM tells the encoding
    elif encoding == "utf-8":
        assert decode_bytes(data, origin="fuzz") == text
    else:
        try:
            assert decode_bytes(data, origin="fuzz") == text or text.isascii() is False
        except InputError:
            pass  # mostly non-ASCII cp1252 is refused rather than guessed


_RECORD = st.fixed_dictionaries(
    {"id": st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=20),
     "text": st.text(string.ascii_letters + " .,", min_size=5, max_size=200).filter(lambda t: any(c.isalpha() for c in t))},
    optional={"title": st.text(max_size=30), "published": st.sampled_from(["2016-09-17", "2016-09-17T10:00:00Z", "not a date", ""]),
              "source": st.text(max_size=20), "url": st.text(max_size=30)},
)  # fmt: skip
_GARBAGE_LINE = st.one_of(
    st.binary(max_size=200).filter(lambda b: b"\n" not in b and b"\r" not in b),
    st.sampled_from([b"{", b"[]", b"null", b"1", b'"text"', b'{"id": ""}', b'{"id": true, "text": "x y z"}',
                     b'{"id": "a", "text": 5}', b'{"id": [1], "text": "words here"}', b"[" * 5000 + b"]" * 5000]),
)  # fmt: skip


@FAST
@given(st.lists(st.one_of(_RECORD.map(lambda r: ("good", r)), _GARBAGE_LINE.map(lambda b: ("bad", b))), max_size=30))
def test_jsonl_reader_yields_one_result_per_line_and_keeps_every_good_record(lines):
    data = b"".join(
        (json.dumps(item).encode() if kind == "good" else item) + b"\n" for kind, item in lines
    )
    results = list(read_jsonl_stream(io.BytesIO(data), origin="fuzz.jsonl", limits=IngestLimits()))
    assert all(isinstance(r, (Article, Rejection)) for r in results)
    assert len(results) <= len(lines)
    ids = [r.id for r in results if isinstance(r, Article)]
    for kind, item in lines:
        if kind == "good" and clean_text(item["text"], title=(item.get("title") or "").strip() or None).text.strip():
            assert str(item["id"]).strip() in ids
    for r in results:
        if isinstance(r, Rejection):
            assert r.origin.startswith("fuzz.jsonl:") and r.reason


# ----------------------------------------------------------------------------- feeds


@FAST
@given(st.one_of(st.binary(max_size=500), NEWSY.map(str.encode)))
def test_feed_parser_returns_items_or_refuses(data):
    try:
        items = parse_feed(data)
    except MalformedInput as exc:
        assert str(exc)
    else:
        assert isinstance(items, list)


_XML_SAFE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@FAST
@given(st.lists(st.tuples(_XML_SAFE, st.text(string.ascii_lowercase, min_size=1, max_size=10), _XML_SAFE), max_size=8))
def test_rss_items_round_trip_through_the_parser(entries):
    from xml.sax.saxutils import escape

    items = "".join(
        f"<item><title>{escape(title)}</title><link>https://example.org/{slug}</link>"
        f"<description>{escape(summary)}</description></item>"
        for title, slug, summary in entries
    )
    doc = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    parsed = parse_feed(doc.encode("utf-8"))
    assert len(parsed) == len(entries)
    for item, (title, slug, summary) in zip(parsed, entries):
        assert item.title == (title.strip() or None)
        assert item.link == f"https://example.org/{slug}"
        assert item.summary == (summary.strip() or None)


# ----------------------------------------------------------------------------- numbers and figures

_UNIT_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


@FAST
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_reads_digits_with_and_without_thousands_separators(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"  {n:,}\n") == n


@FAST
@given(st.sampled_from(sorted(_TENS_WORDS)), st.integers(0, 9), st.sampled_from(["-", " "]))
def test_parse_number_reads_compound_number_words(tens, unit, joiner):
    words = tens if unit == 0 else f"{tens}{joiner}{_UNIT_WORDS[unit - 1]}"
    assert parse_number(words) == _TENS_WORDS[tens] + unit
    assert parse_number(words.upper()) == _TENS_WORDS[tens] + unit


@FAST
@given(ANY_TEXT)
def test_parse_number_never_raises(text):
    value = parse_number(text)
    assert value is None or (isinstance(value, int) and value >= 0)


@FAST
@given(ANY_TEXT)
def test_figures_point_at_their_own_text(sentence):
    for fig in find_figures(sentence, offset=100):
        assert 100 <= fig.start <= fig.end <= 100 + len(sentence)
        assert fig.value >= 0


# ----------------------------------------------------------------------------- dates

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"]  # fmt: skip


@FAST
@given(ANY_TEXT, st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_date_expressions_are_real_spans_and_resolve_or_not(text, published):
    spans = find_date_expressions(text)
    for start, end, expr in spans:
        assert text[start:end] == expr
    for (_, end1, _), (start2, _, _) in zip(spans, spans[1:]):
        assert end1 <= start2  # sorted and non-overlapping
    resolver = DateResolver(published)
    for _, _, expr in spans:
        resolved = resolver.resolve(expr)
        if resolved is not None:
            assert abs((resolved.date - published).days) < 366 * 200
    for d in explicit_dates(text, published):
        assert isinstance(d, date)


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 2))
def test_written_out_dates_are_read_exactly(day, form):
    month = _MONTH_NAMES[day.month - 1]
    text = [f"on {day.day} {month} {day.year} the", f"on {month} {day.day}, {day.year} the", f"on {day.isoformat()} the"][form]
    assert explicit_dates(text) == [day]
    resolved = DateResolver(day + timedelta(days=3)).resolve(text[3:-4])
    assert resolved is not None and resolved.date == day and resolved.precision == "day"


# ----------------------------------------------------------------------------- gazetteer folding


@FAST
@given(ANY_TEXT)
def test_fold_gives_an_ascii_key(name):
    key = fold(name)
    assert key == "" or re.fullmatch(r"[a-z0-9]+", key)
    assert skeleton(key) == "" or re.fullmatch(r"[a-z0-9]+", skeleton(key))
    assert len(block(key)) <= 2
    assert re.fullmatch(r"[a-z0-9 ]*", simple(name))


@FAST
@given(st.lists(st.text(string.ascii_letters + "éüâ'’", min_size=1, max_size=10), min_size=1, max_size=4))
def test_fold_ignores_separators_and_case(words):
    assert fold(" ".join(words)) == fold("-".join(words)) == fold("  ".join(words).upper().lower())


@FAST
@given(st.text(max_size=30))
def test_fold_ignores_unicode_normal_form(name):
    assert fold(unicodedata.normalize("NFC", name)) == fold(unicodedata.normalize("NFD", name))


# ----------------------------------------------------------------------------- codec

_TEXT = st.text(max_size=20)
_ID = st.text(min_size=1, max_size=12)
_DATE = st.none() | st.dates()
_SPAN = st.builds(SourceSpan, article_id=_ID, start=st.integers(0, 10_000), end=st.integers(0, 10_000), sentence=_TEXT)
_CLAIM = st.builds(Claim, field=st.sampled_from(["fatalities", "injured"]), value=st.integers(0, 10**6), source=_SPAN,
                   qualifier=st.none() | _TEXT, low=st.none() | st.integers(0, 10**6), high=st.none() | st.integers(0, 10**6),
                   attributed_to=st.none() | _TEXT, text=st.none() | _TEXT)  # fmt: skip
_LOCATION = st.none() | st.builds(Location, name=_TEXT, country=st.none() | st.text(string.ascii_uppercase, min_size=2, max_size=2),
                                  lat=st.none() | st.floats(-90, 90), lon=st.none() | st.floats(-180, 180),
                                  geonames_id=st.none() | st.integers(1, 10**8))  # fmt: skip
_ACTOR = st.builds(Actor, name=_TEXT, role=st.sampled_from(["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"]),
                   mentions=st.lists(_TEXT, max_size=3).map(tuple))  # fmt: skip
_FIGURE = st.builds(Figure, best=st.none() | st.integers(0, 10**6), low=st.none() | st.integers(0, 10**6), high=st.none() | st.integers(0, 10**6))
_EVENT = st.builds(
    Event, id=_ID, story_id=st.none() | _ID, event_type=_TEXT, sub_event_type=_TEXT, date=_DATE,
    date_precision=st.none() | st.sampled_from(["day", "week", "month"]), location=_LOCATION,
    actors=st.lists(_ACTOR, max_size=3).map(tuple), fatalities=_FIGURE, injured=_FIGURE,
    claims=st.lists(_CLAIM, max_size=3).map(tuple),
    contradictions=st.lists(st.builds(Contradiction, field=st.sampled_from(["fatalities", "injured"]),
                                      values=st.lists(st.integers(0, 999), max_size=3).map(tuple),
                                      claims=st.lists(st.integers(0, 5), max_size=3).map(tuple)), max_size=2).map(tuple),
    sources=st.lists(_SPAN, max_size=3).map(tuple), summary=st.none() | _TEXT,
)  # fmt: skip
_ARTICLE = st.builds(Article, id=_ID, text=st.text(max_size=200), title=st.none() | _TEXT, url=st.none() | _TEXT,
                     source=st.none() | _TEXT, published=_DATE, origin=st.none() | _TEXT, content_hash=_TEXT)  # fmt: skip
_STORY = st.builds(Story, id=_ID, title=_TEXT,
                   summary=st.lists(st.builds(SummarySentence, sentence=_TEXT, sources=st.lists(_SPAN, max_size=2).map(tuple)), max_size=2).map(tuple),
                   article_ids=st.lists(_ID, max_size=3).map(tuple), event_ids=st.lists(_ID, max_size=3).map(tuple))  # fmt: skip


@settings(max_examples=_HUNT or 30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(_EVENT.map(lambda v: (Event, v)), _ARTICLE.map(lambda v: (Article, v)), _STORY.map(lambda v: (Story, v)),
                 _CLAIM.map(lambda v: (Claim, v))))  # fmt: skip
def test_codec_round_trips_through_json(pair):
    cls, value = pair
    wire = json.loads(json.dumps(codec.to_jsonable(value), ensure_ascii=False))
    assert codec.from_jsonable(cls, wire) == value


# ----------------------------------------------------------------------------- regressions found by fuzzing


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": "x", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # RecursionError escaped json.loads
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_regression_deeply_nested_json_line_is_a_rejection(line):
    (result,) = read_jsonl_stream(io.BytesIO(line + b"\n"), origin="deep.jsonl", limits=IngestLimits())
    assert isinstance(result, Rejection) and "too deeply" in result.reason


def test_regression_cjk_paragraph_is_not_dropped_as_a_fragment():
    # The last paragraph ends in 。, which was not a sentence end: the whole report was dropped.
    text = clean_text("韦尔马市场遭炮击\n\n地方官员说，周二炮弹击中市场，造成至少七人死亡。").text
    assert "造成至少七人死亡。" in text


@pytest.mark.parametrize("markup", ['<p><p class="x">\x1f</p>', "<div>\x00report\x0b text</div>", "\x7f<p>\x08</p>"])
def test_regression_control_characters_in_html_are_not_a_crash(markup):
    # lxml raised ValueError ("All strings must be XML compatible") from the fallback extractor.
    assert isinstance(clean_html(markup).text, str)


def test_regression_bare_tuple_fields_come_back_as_tuples():
    # Contradiction.values is typed `tuple`: the codec returned the JSON list, so a round trip was unequal.
    value = Contradiction(field="fatalities", values=(62, 90), claims=(0, 1))
    assert codec.from_jsonable(Contradiction, json.loads(json.dumps(codec.to_jsonable(value)))) == value
