"""Ceasefires from truce notes (what the corpus stage keeps of an article) equal those from whole analyses."""

import random

import pytest

from conftest import corpus_path

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


def test_ceasefire_notes_give_the_records_of_the_analyses():
    from sitroom.ceasefire import track_ceasefires, truce_notes
    from sitroom.extract import analyse_articles
    from sitroom.fuse import fuse
    from sitroom.ingest.files import read_sources

    seeds = corpus_path("seeds")
    analyses = list(analyse_articles([a for a in read_sources([str(seeds)]) if not hasattr(a, "reason")]))
    events = fuse([r for a in analyses for r in a.reports])
    expected = track_ceasefires(analyses, events)
    assert expected[0], "the seeds report the September 2016 truce"

    notes = [truce_notes(a) for a in analyses]
    assert sum(n is not None for n in notes) >= 2  # several seeds tell of the truce
    random.Random(1).shuffle(notes)  # notes are merged in article id order, whatever order they come in
    assert track_ceasefires(notes, events) == expected
