"""Quotes with their speakers, and who a sentence attributes its claim to."""

import pytest

from sitroom.extract.attribution import attribute
from sitroom.extract.figures import split_sentences
from sitroom.extract.quotes import find_quotes


def quotes(text):
    return [(q.speaker, q.text) for q in find_quotes(text, split_sentences(text), "art1")]


def test_quote_spans_point_into_the_article():
    text = "Fighting resumed. “We will not give up Karvel”, Mayor Ilse Dorn told reporters."
    [q] = find_quotes(text, split_sentences(text), "art1")
    assert q.speaker == "Mayor Ilse Dorn"
    assert text[q.source.start:q.source.end] == q.text == "We will not give up Karvel"
    assert q.source.article_id == "art1" and q.source.sentence.startswith("“We will")


@pytest.mark.parametrize("text,expected", [
    ('Minister Varga said the shelling was "a clear breach of the truce".', ("Minister Varga", "a clear breach of the truce")),
    ("“The convoy never reached Brenna”, said Varga.", ("Varga", "The convoy never reached Brenna")),
    ("Envoy Halm called the raid “the worst attack on aid workers this year”.",
     ("Envoy Halm", "the worst attack on aid workers this year")),
    ("“Nobody has told us when the trucks can move on.”", (None, "Nobody has told us when the trucks can move on.")),
])
def test_quotes_find_speaker_in_same_sentence(text, expected):
    assert quotes(text) == [expected]


def test_scare_quotes_are_not_speech_unless_reported():
    assert quotes("Officials urged residents to avoid areas where “terrorists” operate.") == []
    assert quotes("The army said the strike was “dangerous aggression”.") == [("the army", "dangerous aggression")]


@pytest.mark.parametrize("sentence,speaker", [
    ("The blast killed 20 people, said the International Committee of the Red Cross.",
     "International Committee of the Red Cross"),
    ("Ostrava's military has said that 40 of its soldiers were killed.", "Ostrava's military"),
    ("According to the Karvel Monitor for Human Rights, 12 people died.", "Karvel Monitor for Human Rights"),
    ("Dr Lena Ruz, the head of a clinic in the east, told Reuters the toll was 30.", "Dr Lena Ruz"),
    ("Two of the dead were children, the group said.", "the group"),
    ("Ostrava state media said the army had retaken the bridge.", "Ostrava state media"),
    ("The night was the worst yet, the activist said, with 50 people killed.", "the activist"),
    ("Aid reached the town on Thursday, the United Nations tweeted.", "United Nations"),
    ("The ICRC said it was suspending convoys.", "ICRC"),
    ("Shelling hit the United States embassy compound.", None),
    ("He said the truce was over.", None),
])
def test_attribute_names_the_claimant(sentence, speaker):
    assert attribute(sentence) == speaker
