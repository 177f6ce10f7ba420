"""Turn raw page text or HTML into an article's main text, title and publication date.

Conservative by design: a line is dropped only when it is recognisably not part of the
report (share buttons, ad slots, teasers, date stamps, headlines of other stories at the
end, a truncated last fragment). A real sentence is never dropped. Paragraphs come out
separated by one blank line, because the NLP stages split on blank lines.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CleanedText:
    """An article's main text with the title and publication date found around it."""

    title: str | None
    published: date | None
    text: str


# ----------------------------------------------------------------------------- normalising

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise(raw: str) -> str:
    """NFC text with `\\n` newlines, no invisible or control characters and single spaces (quotes kept)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text.replace("\x0c", "\n"))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


# ----------------------------------------------------------------------------- boilerplate

_EXACT_BOILERPLATE = frozenset(
    """share|share this|share this article|share this story|share on facebook|share on twitter|tweet|email|
    print|advertisement|advertisements|advert|ad|sponsored|sponsored content|read more|related|related articles|
    related stories|related content|more on this story|comments|show comments|skip to main content|
    story continues below advertisement|continue reading|most read|top stories|you may also like|recommended|
    media playback is unsupported on your device""".replace("\n", "").replace("    ", "").split("|")
)
# Teasers: a label and a colon (or dash) in front of a link's text.
_TEASER = re.compile(
    r"^(video|videos|watch|photo|photos|picture|pictures|image|images|gallery|listen|audio|podcast|"
    r"read more|read also|also read|see also|related|more|recommended|sponsored|advertisement)\s*[:|–—]\s*\S",
    re.I,
)
_CREDIT = re.compile(r"^(image|media|photo) (copyright|caption|credit)\b", re.I)
_CALL_TO_ACTION = re.compile(r"^(click here|subscribe|sign up|follow us|follow @|download our app)\b", re.I)
_COPYRIGHT_START = re.compile(r"^(©|\(c\)|copyright\b)", re.I)
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def _words(line: str) -> int:
    return len(line.split())


def is_boilerplate(line: str) -> bool:
    """Whether a stripped line is a share button, ad slot, teaser, call to action or copyright line."""
    key = line.lower().rstrip(":.»›>|").strip()
    if key in _EXACT_BOILERPLATE:
        return True
    words = _words(line)
    if _TEASER.match(line) and words <= 30:
        return True
    if _CREDIT.match(line) and words <= 15:
        return True
    if _CALL_TO_ACTION.match(line) and words <= 30:
        return True
    if words <= 20 and (
        (_COPYRIGHT_START.match(line) and (_YEAR.search(line) or "rights reserved" in line.lower()))
        or "all rights reserved" in line.lower()
    ):
        return True
    return False


# ----------------------------------------------------------------------------- date lines

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_G = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE_FORMS = (
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR_G}",
    rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR_G}",
    r"(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)",
)
_TIME = r"(?:\s*(?:,|\||-|–|—|at)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}(?:[+-]\d{1,2})?\)?)?)?"
_LABEL = r"(?P<label>posted|published|first published|updated|last updated|last modified|date)(?:\s+on)?\s*:?\s*"
_DATE_LINES = [re.compile(rf"^(?:{_LABEL})?{form}{_TIME}\.?$", re.I) for form in _DATE_FORMS]


def parse_date_line(line: str) -> tuple[str | None, date] | None:
    """(label, date) when the whole line is a date stamp such as "Posted October 01, 2016"; else None."""
    if len(line) > 80:
        return None
    for pattern in _DATE_LINES:
        m = pattern.match(line)
        if not m:
            continue
        groups = m.groupdict()
        try:
            if groups.get("iy"):
                found = date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
            else:
                found = date(int(groups["year"]), _MONTHS[groups["mon"].lower()[:3]], int(groups["day"]))
        except ValueError:
            return None  # "February 30": not a date, so not a date line either
        label = groups.get("label")
        return (label.lower() if label else None, found)
    return None


# ----------------------------------------------------------------------------- headlines

# Full stops of other scripts too (CJK 。！？, Arabic ؟, Urdu ۔, Devanagari ।), or a report in those
# languages would lose its last paragraph as a "truncated fragment".
_TERMINAL = tuple(".!?…\"”’')]»。！？」』؟۔।॥")
_BYLINE = re.compile(r"^by\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:\s*(?:,|and|&)\s*[\w.'’ -]+)?$")
# `"..." he said` without a final period is still a sentence, not a headline.
_ATTRIBUTION = re.compile(r"[,”\"]\s+(?:\w+\s+){0,3}(said|says|told|added|stated)\b", re.I)


def looks_like_headline(line: str, *, max_words: int = 25) -> bool:
    """A short line that starts like a title and does not end like a sentence."""
    words = _words(line)
    if words < 2 or words > max_words or len(line) > 200:
        return False
    if line.endswith((".", ",", ";", ":")) and not line.endswith("..."):
        return False
    first = line.lstrip("\"“‘'#( ")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def _ends_like_sentence(line: str) -> bool:
    return line.endswith(_TERMINAL) or bool(_ATTRIBUTION.search(line))


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])")


def _drop_trailing_fragments(blocks: list[list[str]]) -> None:
    """Drop other stories' headlines and a truncated fragment after the last real paragraph."""
    while sum(len(b) for b in blocks) > 1:
        last_block = blocks[-1]
        line = last_block[-1]
        if _ends_like_sentence(line):
            return
        if len(last_block) > 1:
            # Several trailing headlines can sit in one block; a hard-wrapped paragraph also can,
            # and cutting a line of it could cut a real sentence: drop only a line that starts like
            # a headline and follows a finished sentence or another headline.
            previous = last_block[-2]
            if (
                _words(line) <= 20
                and looks_like_headline(line)
                and (_ends_like_sentence(previous) or looks_like_headline(previous))
            ):
                last_block.pop()
                continue
            return
        if _words(line) <= 20:
            log.debug("dropping trailing headline or fragment: %r", line)
            blocks.pop()
            continue
        # A long paragraph cut off mid-sentence: keep its complete sentences only.
        ends = list(_SENTENCE_END.finditer(line))
        if ends:
            last_block[-1] = line[: ends[-1].start() + 1 + len(ends[-1].group(0)[1:].rstrip())]
        return


# ----------------------------------------------------------------------------- text


def _blocks(text: str) -> tuple[list[list[str]], date | None, date | None]:
    """Paragraph blocks with boilerplate and date lines removed, plus the dates those lines gave."""
    lines = text.strip("\n").split("\n")
    # Text with no blank lines between paragraphs (scraped, or trafilatura's output) has one per line.
    one_per_line = "" not in lines
    blocks: list[list[str]] = []
    current: list[str] = []
    published: date | None = None
    updated: date | None = None
    seen_content = 0

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(current)
            current = []

    for line in lines:
        if not line:
            flush()
            continue
        if is_boilerplate(line):
            flush()  # ads and share bars sit between paragraphs
            continue
        stamp = parse_date_line(line)
        if stamp is not None and (stamp[0] is not None or seen_content < 2):
            label, found = stamp
            if label in ("updated", "last updated", "last modified"):
                updated = updated or found
            else:
                published = published or found
            flush()
            continue
        if seen_content < 2 and _BYLINE.match(line) and _words(line) <= 8:
            flush()
            continue
        seen_content += 1
        # A line that goes on in lower case after one that ends mid-sentence is a hard wrap
        # ("the country's largest mental" / "facility escaped"), not a new paragraph.
        wrapped = bool(current) and line[:1].islower() and not _ends_like_sentence(current[-1])
        if one_per_line and not wrapped:
            flush()
        current.append(line)
    flush()
    return blocks, published, updated


def _join(blocks: list[list[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks if block)


def _take_title(blocks: list[list[str]]) -> str | None:
    if not blocks or sum(len(b) for b in blocks) < 2:
        return None  # a lone line is the article, not its title
    first = blocks[0][0]
    if not looks_like_headline(first):
        return None
    blocks[0].pop(0)
    if not blocks[0]:
        blocks.pop(0)
    return first.lstrip("#").strip()


def _clean(raw: str, *, detect_title: bool, known_title: str | None = None) -> CleanedText:
    text = normalise(raw)
    if not any(text.split("\n")):
        return CleanedText(title=known_title, published=None, text="")
    blocks, published, updated = _blocks(text)
    title = _take_title(blocks) if detect_title else None
    if known_title and blocks and blocks[0][0].strip().lower() == known_title.strip().lower():
        # The page or record repeats its own title as the first line of the text.
        blocks[0].pop(0)
        if not blocks[0]:
            blocks.pop(0)
    _drop_trailing_fragments(blocks)
    return CleanedText(title=known_title or title, published=published or updated, text=_join(blocks))


def clean_text(raw: str, *, detect_title: bool = True, title: str | None = None) -> CleanedText:
    """Clean a plain-text report: boilerplate dropped, title and publication date found."""
    return _clean(raw, detect_title=detect_title and not title, known_title=title)


# ----------------------------------------------------------------------------- HTML

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head",
              "nav", "footer", "form", "button", "select", "textarea", "aside")  # fmt: skip
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "ul", "ol", "blockquote", "pre", "tr", "table", "br", "hr", "dd", "dt", "figcaption")  # fmt: skip


def _html_date(html: str, url: str | None) -> date | None:
    try:
        import htmldate

        found = htmldate.find_date(
            html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
    except Exception as exc:  # htmldate raises assorted errors on odd markup; a date is optional
        log.debug("htmldate failed: %s", exc)
        return None
    if not found:
        return None
    try:
        return date.fromisoformat(found)
    except ValueError:
        return None


def _lxml_fallback(html: str) -> tuple[str | None, str]:
    """(title, text) by plain lxml: scripts and styles removed, one line per block element."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(_XML_DECL.sub("", html) or "<html></html>")
    except (etree.ParserError, ValueError):
        return None, ""
    title = None
    for xpath in ("//h1", "//title"):
        found = tree.xpath(xpath)
        if found:
            title = normalise(found[0].text_content()).replace("\n", " ").strip() or None
            if title:
                break
    for element in list(tree.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in tree.iter(etree.Comment, etree.ProcessingInstruction):
        element.text = ""
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    return title, tree.text_content()


class _FlatText(HTMLParser):
    """A page's text at any nesting depth: the stdlib parser streams tags and builds no tree."""

    _SKIP = frozenset(_DROP_TAGS) - {"embed", "head"}  # void or often unclosed: skipping would eat the page

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skipping:
            self.parts.append(data)


def _flat_text(html: str) -> tuple[str | None, str]:
    """(title, text) of a page too deeply nested for lxml, one line per block element."""
    parser = _FlatText()
    parser.feed(html)
    parser.close()
    title = normalise("".join(parser.title_parts)).replace("\n", " ").strip() or None
    return title, "".join(parser.parts)


def _too_deep_for_lxml(html: str) -> bool:
    """Whether libxml2 stops at its nesting limit (256 levels) on this page, silently dropping the rest."""
    from lxml import etree

    parser = etree.HTMLParser()
    try:
        etree.fromstring(_XML_DECL.sub("", html) or "<html></html>", parser)
    except (etree.ParserError, ValueError):
        return False
    return any("Excessive depth" in e.message for e in parser.error_log)


def clean_html(html: str, url: str | None = None, *, title: str | None = None) -> CleanedText:
    """Clean an HTML page: main text by trafilatura (lxml as fallback), title and date from the page."""
    import trafilatura

    # libxml2 refuses control characters in text nodes (a ValueError mid-cleaning); they are never content.
    html = _XML_CONTROL.sub(" ", html)
    if _too_deep_for_lxml(html):
        # trafilatura and lxml would both return only the text above the limit; a hostile or broken
        # page must not lose its text silently, so it is read flat (boilerplate lines are still dropped).
        log.warning("page %s is nested more than 256 levels deep; reading its text without structure", url or "(a file)")
        flat_title, body = _flat_text(html)
        if title:
            title = normalise(title).replace("\n", " ").strip() or None
        else:
            title = flat_title
        body = "\n".join(line for line in normalise(body).split("\n") if line)
        cleaned = _clean(body, detect_title=title is None, known_title=title)
        return CleanedText(title=cleaned.title, published=cleaned.published, text=cleaned.text)

    body = ""
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura fails on some malformed markup; the fallback copes
        log.debug("trafilatura failed on %s: %s", url, exc)
        doc = None
    if doc is not None:
        title = title or getattr(doc, "title", None) or None
        body = getattr(doc, "text", None) or ""
    if not body.strip():
        fallback_title, body = _lxml_fallback(html)
        title = title or fallback_title
        # Block elements become lines; blank lines between them carry no meaning here.
        body = "\n".join(line for line in normalise(body).split("\n") if line)
    if title:
        title = normalise(title).replace("\n", " ").strip() or None
    cleaned = _clean(body, detect_title=title is None, known_title=title)
    published = _html_date(html, url) or cleaned.published
    return CleanedText(title=cleaned.title, published=published, text=cleaned.text)
