"""Tests for sitroom.clean: boilerplate, title, date and paragraph handling."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitroom import clean
from sitroom.clean import clean_html, clean_text, is_boilerplate, looks_like_headline, parse_date_line

FIXTURES = Path(__file__).parent / "fixtures"


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_clean_text_seeds_like_report_drops_boilerplate_and_finds_title_and_date():
    cleaned = clean_text((FIXTURES / "karvel_report.txt").read_text(encoding="utf-8"))
    assert cleaned.title == "Ostrin and Karvel trade blame as truce frays; talks set for Monday"
    assert cleaned.published == date(2031, 3, 4)
    lines = _lines(cleaned.text)
    for dropped in ("Share", "Advertisement", "Read more"):
        assert dropped not in lines
    assert not any(line.startswith(("Video:", "Related:", "Posted")) for line in lines)
    # Trailing headlines of other stories and the truncated fragment are gone; the last real sentence stays.
    assert lines[-1] == "Mediators said both sides had agreed to meet again on Monday."
    assert "Ostrin army says rebels shelled border crossing" not in cleaned.text
    assert cleaned.text.startswith("Shelling hit the eastern districts of Karvel overnight")
    assert "“We need guarantees before we go further”" in cleaned.text  # curly quotes kept
    assert cleaned.text.count("\n\n") == 3 and "\n\n\n" not in cleaned.text


def test_clean_text_crlf_and_published_label():
    raw = (FIXTURES / "crlf_report.txt").read_bytes().decode("utf-8")
    cleaned = clean_text(raw)
    assert cleaned.title == "Karvel fighting resumes as talks stall"
    assert cleaned.published == date(2031, 3, 5)
    assert cleaned.text == "Fighting resumed around Karvel on Tuesday, residents said.\n\nThe council said 3 people were wounded."


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Posted October 01, 2016", ("posted", date(2016, 10, 1))),
        ("Published: 1 Oct 2016", ("published", date(2016, 10, 1))),
        ("Updated Saturday, October 1, 2016 10:42 GMT", ("updated", date(2016, 10, 1))),
        ("Published on 3rd Sept 2016 at 09:00", ("published", date(2016, 9, 3))),
        ("2016-10-01", (None, date(2016, 10, 1))),
        ("October 1, 2016", (None, date(2016, 10, 1))),
        ("Posted by the army on Friday.", None),
        ("Published February 30, 2016", None),
        ("The truce began on October 1, 2016 and collapsed a week later.", None),
    ],
)
def test_parse_date_line(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    ["Share", "SHARE", "Advertisement", "Video: Inside Karvel's old town", "Watch: the convoy arrives",
     "Read more", "Related: Ostrin talks", "Photo: Reuters", "Click here to subscribe",
     "Subscribe to our newsletter", "© 2031 Example Herald", "Copyright 2031 Example Herald. All rights reserved."],
)  # fmt: skip
def test_is_boilerplate_true(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    ["Share prices fell in Ostrin after the shelling.", "Subscribers to the channel said they saw the convoy.",
     "Video footage showed smoke over Karvel.", "Advertisements for the rally appeared across Ostrin on Monday.",
     "Related talks will be held in Velmar.", "Copyright law was not the issue, the minister said."],
)  # fmt: skip
def test_is_boilerplate_never_matches_real_sentences(line):
    assert not is_boilerplate(line)


def test_clean_text_keeps_short_final_sentences_and_attributed_quotes():
    raw = (
        "Karvel shelled again\n\nShelling hit Karvel on Monday, officials said.\n\n"
        "Assad appears as uncompromising as ever.\n\n“We will hold the line,” the commander said"
    )
    cleaned = clean_text(raw)
    assert cleaned.text.endswith("“We will hold the line,” the commander said")
    assert "Assad appears as uncompromising as ever." in cleaned.text


def test_clean_text_trims_a_long_truncated_final_paragraph_to_its_last_sentence():
    raw = (
        "Karvel shelled again\n\nShelling hit Karvel on Monday, officials said.\n\n"
        "The council said 4 people were killed. Monitors from the Velmar mission said they would visit "
        "the district on Tuesday to speak with residents and count the damaged houses near the old bridge and"
    )
    cleaned = clean_text(raw)
    assert cleaned.text.endswith("The council said 4 people were killed.")


def test_clean_text_single_line_is_body_not_title():
    cleaned = clean_text("Karvel shelled overnight")
    assert cleaned.title is None
    assert cleaned.text == "Karvel shelled overnight"


def test_clean_text_without_title_when_first_line_is_a_sentence():
    cleaned = clean_text("Rebels have held the town since 2012.\n\nThe council said 3 people died.")
    assert cleaned.title is None
    assert cleaned.text.startswith("Rebels have held the town since 2012.")


def test_clean_text_one_paragraph_per_line_when_no_blank_lines():
    cleaned = clean_text("Karvel talks resume\nTalks resumed in Velmar on Monday.\nBoth sides sent envoys.")
    assert cleaned.title == "Karvel talks resume"
    assert cleaned.text == "Talks resumed in Velmar on Monday.\n\nBoth sides sent envoys."


def test_clean_text_normalises_unicode_to_nfc_and_strips_invisible_characters():
    cleaned = clean_text("Caf\u0065\u0301 in Karvel\u200b was hit\u00a0on  Monday.")
    assert cleaned.text == "Caf\u00e9 in Karvel was hit on Monday."


def test_clean_text_explicit_title_removes_repeated_first_line():
    cleaned = clean_text("Karvel talks resume\n\nTalks resumed on Monday.", title="Karvel talks resume")
    assert cleaned.title == "Karvel talks resume"
    assert cleaned.text == "Talks resumed on Monday."


def test_looks_like_headline():
    assert looks_like_headline("US, Russia fail to revive Syrian truce")
    assert not looks_like_headline("Rebels have held the city since 2012.")
    assert not looks_like_headline("the council said")


def test_clean_html_page_extracts_text_title_date_without_scripts():
    cleaned = clean_html((FIXTURES / "page.html").read_text(encoding="utf-8"), url="https://herald.example.org/a")
    assert cleaned.title == "Karvel residents flee as shelling intensifies"
    assert cleaned.published == date(2024, 3, 6)  # htmldate refuses future dates
    assert "Hundreds of families left the eastern districts of Karvel" in cleaned.text
    assert "Monitors from the Velmar observer mission" in cleaned.text
    for leak in ("SCRIPT-LEAK", "STYLE-LEAK", "NOSCRIPT-LEAK", "window.tracker", "function ad"):
        assert leak not in cleaned.text
    assert "Advertisement" not in _lines(cleaned.text)
    assert "\n\n" in cleaned.text


def test_clean_html_lxml_fallback_never_leaks_scripts(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    html = (
        "<?xml version='1.0' encoding='utf-8'?><html><head><title>Ostrin talks</title>"
        "<script>var x='SCRIPT-LEAK';</script><style>p{}</style></head><body>"
        "<p>Talks opened in Velmar on Monday.</p><script>alert('SCRIPT-LEAK-2')</script>"
        "<div>Both sides sent envoys.<!-- COMMENT-LEAK --></div></body></html>"
    )
    cleaned = clean_html(html, url=None)
    assert cleaned.title == "Ostrin talks"
    assert cleaned.text == "Talks opened in Velmar on Monday.\n\nBoth sides sent envoys."
    assert "LEAK" not in cleaned.text


def test_clean_html_garbage_gives_empty_text():
    assert clean_html("", url=None).text == ""
    assert clean_html("<html><script>only('SCRIPT-LEAK')</script></html>", url=None).text == ""


def test_clean_module_has_docstrings_on_public_functions():
    for name in ("clean_text", "clean_html", "is_boilerplate", "parse_date_line", "looks_like_headline", "normalise"):
        assert getattr(clean, name).__doc__


def test_clean_text_hard_wrapped_lines_without_blank_lines_stay_one_paragraph():
    raw = (
        "Hours after the nurses' walkout began, 40 patients of the region's largest\n"
        "          clinic left the grounds and walked into the town.\n"
        "Police said all of them were back by evening.\n"
    )
    text = clean_text(raw, detect_title=False).text
    # the wrap is no paragraph break: the sentence reads whole; the next sentence is its own paragraph
    assert text.split("\n\n") == [
        "Hours after the nurses' walkout began, 40 patients of the region's largest\nclinic left the grounds and walked into the town.",
        "Police said all of them were back by evening.",
    ]
