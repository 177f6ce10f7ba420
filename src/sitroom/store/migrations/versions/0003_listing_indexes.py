"""Listing indexes: event pages and the story list read in index order, never sorting payloads.

`ix_events_listing` holds the event order (undated last, date, id) and every filter column, so a
page of /api/events at any offset and with any filter is found in the index alone; the type and
country indexes gain the same order (replacing the single-column ones they extend).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ORDER: list[str | sa.TextClause] = [sa.text("(date IS NULL)"), "date", "id"]


def upgrade() -> None:
    op.create_index(
        "ix_events_listing", "events",
        [*_ORDER, "event_type", "sub_event_type", "country", "story_id", "place", "actors", "lat", "lon"],
    )
    op.drop_index("ix_events_type", table_name="events")
    op.create_index("ix_events_type_order", "events", ["event_type", *_ORDER])
    op.drop_index("ix_events_country", table_name="events")
    op.create_index("ix_events_country_order", "events", ["country", *_ORDER])
    # The story list's order: last_date DESC NULLS LAST (SQLite's DESC already puts NULLs last and
    # its CREATE INDEX takes no NULLS clause), then n_articles DESC, then id.
    nulls_last = " NULLS LAST" if op.get_bind().dialect.name == "postgresql" else ""
    op.create_index("ix_stories_order", "stories", [sa.text(f"last_date DESC{nulls_last}"), sa.text("n_articles DESC"), "id"])


def downgrade() -> None:
    op.drop_index("ix_stories_order", table_name="stories")
    op.drop_index("ix_events_country_order", table_name="events")
    op.create_index("ix_events_country", "events", ["country"])
    op.drop_index("ix_events_type_order", table_name="events")
    op.create_index("ix_events_type", "events", ["event_type"])
    op.drop_index("ix_events_listing", table_name="events")
