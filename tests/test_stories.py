"""Stories: articles about one happening group together, look-alike happenings stay apart."""

import random

from sitroom.model import Article, ArticleAnalysis, Mention, Sentence
from sitroom.stories import average_link, cluster_articles


def _analysis(aid: str, text: str, entities: tuple[tuple[str, str], ...] = ()) -> ArticleAnalysis:
    """An analysis with one sentence per line and the given (text, label) entities."""
    sentences, at = [], 0
    for i, line in enumerate(text.split("\n")):
        sentences.append(Sentence(aid, i, at, at + len(line), line))
        at += len(line) + 1
    mentions = tuple(Mention(t, label, aid, text.find(t), text.find(t) + len(t), 0) for t, label in entities if t in text)
    return ArticleAnalysis(Article(aid, text), tuple(sentences), mentions, ())


QUAKE_A = [
    ("qa1", "A magnitude 6.1 earthquake struck Karvel on Monday, killing 12 people.\nRescuers searched the rubble of the old market."),
    ("qa2", "Twelve people died when a 6.1 quake hit Karvel, the mayor Ilse Brand said.\nThe old market collapsed."),
    ("qa3", "Karvel mourns 12 dead after the 6.1 earthquake.\nMayor Ilse Brand asked for tents and water."),
]
QUAKE_B = [
    ("qb1", "A magnitude 7.4 earthquake shook Portvale on Friday, killing 230 people.\nThe harbour district was flattened."),
    ("qb2", "At least 230 people were killed by the 7.4 quake in Portvale, governor Anton Reyes said.\nThe harbour burned."),
    ("qb3", "Portvale counts 230 dead after the 7.4 earthquake.\nGovernor Anton Reyes declared three days of mourning."),
]
ENTITIES = (("Karvel", "GPE"), ("Ilse Brand", "PERSON"), ("Portvale", "GPE"), ("Anton Reyes", "PERSON"))


def _corpus() -> list[ArticleAnalysis]:
    return [_analysis(aid, text, ENTITIES) for aid, text in QUAKE_A + QUAKE_B]


def test_stories_keep_two_look_alike_earthquakes_apart():
    groups = cluster_articles(_corpus())
    assert groups == [["qa1", "qa2", "qa3"], ["qb1", "qb2", "qb3"]]


def test_stories_do_not_depend_on_arrival_order():
    corpus = _corpus()
    expected = cluster_articles(corpus)
    for seed in range(5):
        shuffled = corpus[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_articles(shuffled) == expected


def test_stories_a_new_article_joins_its_story_and_leaves_the_others_alone():
    before = cluster_articles(_corpus())
    late = _analysis("qb4", "Aid reached Portvale three days after the 7.4 earthquake that killed 230.\nGovernor Anton Reyes thanked the volunteers.", ENTITIES)
    after = cluster_articles([*_corpus(), late])
    assert after == [before[0], [*before[1], "qb4"]]
    unrelated = _analysis("zz1", "The central bank left interest rates unchanged.\nInflation eased to 2 percent.")
    assert ["zz1"] in cluster_articles([*_corpus(), unrelated])


def test_stories_average_link_joins_by_mean_similarity():
    # a-b close, c close to a only: the mean (0.9 + 0.1) / 2 = 0.5 decides whether c joins.
    sims = {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.1}
    assert average_link(3, sims, 0.5) == [0, 0, 0]
    assert average_link(3, sims, 0.6) == [0, 0, 2]
    # Two groups of three never join in the pass that only lets small stories in.
    start = [0, 0, 0, 3, 3, 3]
    dense = {(i, j): 0.5 for i in range(6) for j in range(i + 1, 6)}
    assert average_link(6, dense, 0.1, start=start, small=2) == start
    assert average_link(6, dense, 0.1, start=start) == [0] * 6


def test_stories_single_or_empty_corpus():
    assert cluster_articles([]) == []
    assert cluster_articles([_analysis("only", "One article.")]) == [["only"]]


def test_stories_digest_keeps_the_view_texts_and_the_heading():
    from sitroom.stories import VIEWS, StoryDigest

    a = _analysis("qa1", QUAKE_A[0][1], ENTITIES)
    digest = StoryDigest.of(a)
    assert digest.view_text("words") == "\n" + a.article.text
    assert digest.view_text("entities") == "karvel"
    assert digest.view_text("numbers") == "6.1 12"
    assert [digest.view_text(v) for v in VIEWS][3].startswith("\nA magnitude 6.1")
    assert (digest.title, digest.untitled_heading) == (None, QUAKE_A[0][1].split("\n")[0][:80])
    assert cluster_articles([StoryDigest.of(a) for a in _corpus()]) == cluster_articles(_corpus())


def test_stories_pair_arrays_keep_first_position_and_last_value_of_each_pair():
    import numpy as np

    from sitroom.stories.similarity import _first_found

    n = 4
    # Pair (0, 2) found first with 0.5 and again later with 0.5000001 (the other row's product).
    codes = [np.array([0 * n + 2, 0 * n + 1]), np.array([1 * n + 3, 0 * n + 2])]
    values = [np.array([0.5, 0.25]), np.array([0.75, 0.5000001])]
    pairs = _first_found(codes, values, n)
    assert list(pairs.items()) == [((0, 2), 0.5000001), ((0, 1), 0.25), ((1, 3), 0.75)]


def test_stories_average_link_on_pair_arrays_equals_on_a_dict():
    import numpy as np

    from sitroom.stories import PairSimilarities

    rng = random.Random(3)
    sims = {(i, j): rng.random() ** 3 for i in range(40) for j in range(i + 1, 40) if rng.random() < 0.4}
    arrays = PairSimilarities(
        np.array([i for i, _ in sims], np.int32), np.array([j for _, j in sims], np.int32), np.array(list(sims.values()))
    )
    assert list(arrays.items(chunk=7)) == list(sims.items())
    for threshold in (0.05, 0.2, 0.4):
        labels = average_link(40, sims, threshold)
        assert average_link(40, arrays, threshold) == labels
        assert average_link(40, arrays, 0.01, start=labels, small=2) == average_link(40, sims, 0.01, start=labels, small=2)


def _families(families: int = 6, size: int = 15) -> list[ArticleAnalysis]:
    """Articles about `families` look-alike happenings, each told `size` times in other words."""
    rng = random.Random(3)
    filler = "officials said residents reported witnesses described later added morning evening".split()
    out = []
    for f in range(families):
        town, toll, mayor = f"Town{f}", 10 + 7 * f, f"Mayor{f} Quill"
        facts = [f"A blast hit {town} market", f"killing {toll} people", f"{mayor} asked for calm", f"the {town} bridge closed"]
        for k in range(size):
            words = rng.sample(facts, 3) + rng.sample(filler, 4)
            rng.shuffle(words)
            text = " ".join(words) + ".\n" + f"{town} report {k}."
            out.append(_analysis(f"f{f}-{k:02d}", text, ((town, "GPE"), (mayor, "PERSON"))))
    return out


def test_stories_sketch_candidates_find_the_exact_nearest_neighbours():
    from sitroom.stories import article_similarities

    corpus = _families()
    exact = article_similarities(corpus, neighbours=5, exact_limit=10**9)
    sketched = article_similarities(corpus, neighbours=5, exact_limit=0)
    as_dict = lambda sims: {pair: value for pair, value in sims.items()}  # noqa: E731
    assert set(as_dict(sketched)) == set(as_dict(exact))
    for pair, value in as_dict(exact).items():
        assert abs(as_dict(sketched)[pair] - value) < 1e-6  # float32 views past the exact limit


def test_stories_over_the_exact_limit_are_the_same_stories(monkeypatch):
    import sitroom.stories.clustering as clustering

    corpus = _families()
    expected = cluster_articles(corpus)
    assert len(expected) == 6
    monkeypatch.setattr(clustering, "EXACT_LIMIT", 10)
    monkeypatch.setattr(clustering, "PAIR_BUDGET", 600)  # a few neighbours each, as a big corpus gets
    monkeypatch.setattr(clustering, "MIN_NEIGHBOURS", 8)
    assert cluster_articles(corpus) == expected


def test_stories_word_for_word_copies_weigh_as_many_articles():
    # Ten re-posts of one report and two other reports of the same quake: one story, and the
    # copies count ten times in the mean (they are one node of weight ten, not ten nodes).
    copies = [_analysis(f"qa1-copy{i}", QUAKE_A[0][1], ENTITIES) for i in range(10)]
    groups = cluster_articles([*_corpus(), *copies])
    assert groups == [sorted(["qa1", "qa2", "qa3", *(c.article.id for c in copies)]), ["qb1", "qb2", "qb3"]]


def test_stories_average_link_with_weights_equals_the_expanded_items():
    from sitroom.stories import PairSimilarities
    import numpy as np

    # Item 0 stands for three identical items; expanded, its copies are 0, 1, 2 (similarity 1 to each other).
    weighted = average_link(3, PairSimilarities(np.array([0, 0]), np.array([1, 2]), np.array([3 * 0.3, 3 * 0.05])), 0.2, weights=[3, 1, 1])
    expanded_sims = {(0, 1): 1.0, (0, 2): 1.0, (1, 2): 1.0, (0, 3): 0.3, (1, 3): 0.3, (2, 3): 0.3, (0, 4): 0.05, (1, 4): 0.05, (2, 4): 0.05}
    expanded = average_link(5, expanded_sims, 0.2)
    assert (weighted[0] == weighted[1]) == (expanded[0] == expanded[3]) is True
    assert (weighted[0] == weighted[2]) == (expanded[0] == expanded[4]) is False


def test_stories_too_big_for_their_articles_neighbour_lists_come_out_whole():
    # Six stories of 40 rewrites, each article keeping only its 4 nearest pairs (as an article of
    # a 100,000-article corpus keeps 50): the pieces that average link over those pairs leaves
    # are joined again on their exact mean similarity, and look-alike stories stay apart.
    import sitroom.stories as stories

    corpus = _families(size=40)
    sims = stories.article_similarities(sorted(corpus, key=lambda a: a.article.id), 4)
    pieces = set(average_link(len(corpus), sims, stories.STORY_THRESHOLD))
    assert len(pieces) > 6  # the neighbour lists alone leave stories in pieces
    groups = cluster_articles(corpus, neighbours=4)
    assert sorted(len(g) for g in groups) == [40] * 6
    assert all(len({aid.split("-")[0] for aid in g}) == 1 for g in groups)


def test_stories_pieces_past_the_exact_limit_are_joined_through_the_sketch(monkeypatch):
    # As above with the exact limit set low: pieces find each other through the random projection.
    import sitroom.stories.clustering as clustering

    monkeypatch.setattr(clustering, "EXACT_LIMIT", 10)
    groups = cluster_articles(_families(size=40), neighbours=4)
    assert sorted(len(g) for g in groups) == [40] * 6
    assert all(len({aid.split("-")[0] for aid in g}) == 1 for g in groups)


def test_summary_states_blame_and_denial_as_the_sources_do():
    from sitroom.model import SourceSpan, Statement
    from sitroom.stories.summaries import _statement_text

    span = SourceSpan("a", 0, 1, "x")
    said = [Statement("blame", "United States", ("Russia", "Military Forces of Syria"), span),
            Statement("denial", "Russia", (), span), Statement("denial", "Syria", (), span)]
    assert _statement_text(said) == "the United States blamed Russia and Syria; Russia and Syria denied involvement"


def test_stories_never_pair_articles_published_more_than_a_year_apart():
    from dataclasses import replace
    from datetime import date

    def dated(a: ArticleAnalysis, when: date | None) -> ArticleAnalysis:
        return replace(a, article=replace(a.article, published=when))

    corpus = [_analysis(aid, text, ENTITIES) for aid, text in QUAKE_A]
    undated = cluster_articles(corpus)
    assert undated == [["qa1", "qa2", "qa3"]]
    # The same three reports, one of them published two years later: a look-alike, not the same quake.
    later = [dated(corpus[0], date(2021, 3, 1)), dated(corpus[1], date(2021, 3, 2)), dated(corpus[2], date(2023, 3, 2))]
    assert cluster_articles(later) == [["qa1", "qa2"], ["qa3"]]
    within = [dated(corpus[0], date(2021, 3, 1)), dated(corpus[1], date(2021, 3, 2)), dated(corpus[2], date(2021, 9, 2))]
    assert cluster_articles(within) == [["qa1", "qa2", "qa3"]]
