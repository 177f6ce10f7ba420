"""The statistical tagger runs only where reports are extracted; other sentences get cheap names."""

from __future__ import annotations

from datetime import date

from sitroom.extract import analyse_articles, find_incidents, proper_names
from sitroom.model import Article, Sentence

ARTICLE = Article(
    id="sel",
    published=date(2020, 5, 8),
    text=(
        "Talks resumed in Geneva on Thursday, where Staffan de Mistura met Russian and Turkish envoys.\n\n"
        "The envoys discussed prisoner exchanges and humanitarian access for another three hours.\n\n"
        "Residents of the old city said the markets had reopened after months of closure.\n\n"
        "On Wednesday, an air strike killed 12 civilians in Aleppo, the White Helmets said."
    ),
)


def _sentence(text: str, index: int = 1, start: int = 100) -> Sentence:
    return Sentence("a", index, start, start + len(text), text)


def test_only_incident_sentences_the_one_before_each_and_the_first_are_tagged():
    analysis = next(analyse_articles([ARTICLE]))
    incident = next(s for s in analysis.sentences if "air strike" in s.text)
    before = analysis.sentences[incident.index - 1]
    untagged = next(s for s in analysis.sentences if s.text.startswith("The envoys"))
    by_sentence = {}
    for m in analysis.mentions:
        by_sentence.setdefault(m.sentence_index, set()).add(m.label)
    # The tagger's fine labels where reports are built (the DATE of the strike)...
    assert "DATE" in by_sentence[incident.index]
    # ...the sentence before it and the lead are tagged too; the rest only get names.
    assert "DATE" in by_sentence[0]
    assert "NAME" not in by_sentence.get(before.index, set())
    assert by_sentence.get(untagged.index, set()) <= {"NAME", "GPE"}
    [report] = analysis.reports
    assert report.location is not None and report.location.country == "SY"
    assert [c.value for c in report.claims if c.field == "fatalities"] == [12]


def test_find_incidents_keeps_figures_and_trigger_with_article_offsets():
    s = _sentence("Shelling killed two people in Aleppo on Monday.", start=40)
    [(index, (figures, trigger))] = find_incidents([s]).items()
    assert index == s.index
    assert [f.value for f in figures] == [2]
    assert 40 <= trigger.start < s.end
    assert find_incidents([_sentence("The talks will resume next week.")]) == {}


def test_proper_names_drop_a_lone_capitalised_first_word_and_leading_function_words():
    names = proper_names(_sentence("The delegation from Jordan met Staffan de Mistura and the Syrian Observatory."))
    found = {(m.text, m.label) for m in names}
    assert ("Jordan", "GPE") in found
    assert ("Staffan de Mistura", "NAME") in found
    assert ("Syrian Observatory", "NAME") in found
    assert not any(m.text in ("The", "The delegation") for m in names)
    assert all(_sentence("x").article_id == m.article_id for m in names)
    # Spans point into the article, not the sentence.
    text = "The delegation from Jordan met Staffan de Mistura and the Syrian Observatory."
    for m in names:
        assert text[m.start - 100 : m.end - 100] == m.text


def test_a_sentence_opening_with_a_name_keeps_it():
    names = [m.text for m in proper_names(_sentence("Staffan de Mistura arrived in Damascus."))]
    assert names[:2] == ["Staffan de Mistura", "Damascus"]
