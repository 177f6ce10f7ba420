"""Stories maintained as articles arrive: a new article re-clusters its story neighbourhood only.

`sitroom.stories.cluster_articles` groups a set of articles (average link over four TF-IDF views).
Over a whole store that is a minute at 100,000 articles, so an update clusters only the new
articles' neighbourhood: the stored stories of the articles most like each new one (found through
the full-text index on its lead, entities and numbers) and of the articles that report the same
events. The stories of that neighbourhood are replaced by its clustering; the rest stay as they
are. A story keeps the id of its oldest stored story (a merged one becomes an alias).

Unlike events, this is not exactly what a clustering of the whole store gives (TF-IDF weights and
average link's order of merges are global); `sitroom rebuild` re-clusters everything, and
docs/benchmarks.md measures how far the two differ.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sitroom.corpus.ids import name_groups
from sitroom.stories import StoryDigest, cluster_articles
from sitroom.store.corpus import CorpusSession

NEIGHBOURS = 12  # similar stored articles looked up per new article
_TERM = re.compile(r"[A-Za-z][A-Za-z'-]{3,}|\d[\d,.]*\d")
_STOP = frozenset(
    "that this with from have been were their which would there about after said says into over they them than "
    "also more most some such only other when what where while will could should being those these because".split()
)

__all__ = ["StoriesUpdate", "cluster_all", "update_stories"]


@dataclass
class StoriesUpdate:
    """Stories whose membership an update decided: id -> sorted article ids; removed ids and merges."""

    members: dict[str, list[str]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    merged_into: dict[str, str] = field(default_factory=dict)


def story_id(members: Sequence[str]) -> str:
    """The id a story gets when nothing stored names it: the hash of its first article."""
    return "sty_" + hashlib.sha1(min(members).encode()).hexdigest()[:16]


def update_stories(session: CorpusSession, new_ids: Sequence[str], related: Mapping[str, Iterable[str]] = {}) -> StoriesUpdate:
    """Re-cluster the neighbourhood of the new articles (`related`: other articles each new one shares an event with)."""
    new = sorted(set(new_ids))
    if not new:
        return StoriesUpdate()
    digests = {d.article_id: d for d in session.digests(new)}
    near: set[str] = set()
    for aid in new:
        d = digests.get(aid)
        if d is not None:
            near.update(session.articles_sharing_terms(_salient_terms(d), NEIGHBOURS, exclude=new))
        near.update(related.get(aid, ()))
    near -= set(new)
    story_of = session.story_of_articles(near | set(new))
    old_members = session.story_members(set(story_of.values()))
    area = set(new) | {a for members in old_members.values() for a in members}
    digests.update((d.article_id, d) for d in session.digests(area - set(digests)))
    groups = cluster_articles([digests[a] for a in sorted(area) if a in digests])
    return _assign_ids(session, groups, {a: s for s, members in old_members.items() for a in members})


def cluster_all(session: CorpusSession) -> StoriesUpdate:
    """Cluster every stored article (the rebuild), keeping the stored ids where stories carry on."""
    digests = session.digests()
    groups = cluster_articles(digests)
    old = session.story_of_articles(d.article_id for d in digests)
    out = _assign_ids(session, groups, old)
    out.removed |= session.record_ids("story") - set(out.members)
    return out


def _assign_ids(session: CorpusSession, groups: list[list[str]], old_story: Mapping[str, str]) -> StoriesUpdate:
    """The oldest stored story among a group's articles names it (`corpus.ids`)."""
    groups = [sorted(m) for m in groups]
    naming = name_groups(session, "story", groups, [story_id(m) for m in groups], old_story)
    return StoriesUpdate(dict(zip(naming.ids, groups)), naming.removed, naming.merged_into)


def _salient_terms(d: StoryDigest) -> list[str]:
    """The words a similar article would share: the lead's and the entities' first, then numbers."""
    lead, entities, numbers = d.view_text("lead"), d.view_text("entities"), d.view_text("numbers")
    words = [w for w in _TERM.findall(lead) if w.lower() not in _STOP]
    names = [w for e in entities.split() for w in e.split("_") if len(w) > 3]
    counts = Counter(w.lower() for w in words + names)
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    return ranked[:24] + [n for n in numbers.split() if len(n) > 1][:8]
