"""The story list's reads, shared by both SQL backends: pages in list order and per-story aggregates.

A mixin of `SqlStore` (store/sql.py), kept apart so that the store's module holds its writes and
event reads; it needs only the store's engine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from sitroom.store import schema
from sitroom.store.base import Page, StoredRecord
from sitroom.store.chunked import chunks


class StoryReads:
    """Story listings and their statistics, read with `self.engine`."""

    engine: Engine

    def list_stories(self, limit: int = 100, offset: int = 0) -> Page:
        """Stories, most recent last event first, then by size."""
        page = self.list_story_json(limit, offset)
        return replace(page, items=[json.loads(record.json) for record in page.items])

    def list_story_json(self, limit: int = 100, offset: int = 0) -> Page:
        """`list_stories` with each item a StoredRecord: the stored JSON text, not decoded."""
        t = schema.stories
        rows = self._story_page(select(t.c.id, t.c.payload, t.c.n_articles), limit, offset)
        return replace(rows, items=[StoredRecord(r.id, r.payload, r.n_articles) for r in rows.items])

    def list_story_summaries(self, limit: int = 100, offset: int = 0) -> Page:
        """The story list's order with only `id`, `title` and `n_articles`, from columns (no payload read)."""
        t = schema.stories
        rows = self._story_page(select(t.c.id, t.c.title, t.c.n_articles), limit, offset)
        return replace(rows, items=[dict(r._mapping) for r in rows.items])

    def _story_page(self, columns: Select, limit: int, offset: int) -> Page:
        """Rows of `columns` over stories in list order (ix_stories_order), and the number of stories."""
        t = schema.stories
        sel = columns.order_by(t.c.last_date.desc().nulls_last(), t.c.n_articles.desc(), t.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(sel).all()
            total = conn.execute(select(func.count()).select_from(t)).scalar_one()
        return Page(list(rows), total, limit, offset)

    def story_stats(self, story_ids: Sequence[str]) -> dict[str, dict]:
        """Per story: its events' count, date span, summed best fatality figure and contradictions.

        One aggregate query for a whole page of stories, answered from ix_events_story_stats alone.
        """
        t = schema.events
        out: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(list(dict.fromkeys(story_ids))):
                rows = conn.execute(
                    select(
                        t.c.story_id, func.count().label("n"), func.min(t.c.date).label("first"), func.max(t.c.date).label("last"),
                        func.sum(t.c.fatalities_best).label("killed"), func.coalesce(func.sum(t.c.n_contradictions), 0).label("contra"),
                    ).where(t.c.story_id.in_(chunk)).group_by(t.c.story_id)
                )
                for r in rows:
                    out[r.story_id] = {"n_events": r.n, "first_date": r.first, "last_date": r.last,
                                       "fatalities_best_total": r.killed, "n_contradictions": int(r.contra)}
        return out
