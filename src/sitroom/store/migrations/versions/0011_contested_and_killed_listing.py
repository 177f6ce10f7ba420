"""Partial listing indexes for the UI's "contested only" and "at least N killed" filters.

`n_contradictions` and `fatalities_best` are not in `ix_events_listing`, so at 100,000 events a
contested-only page read every listing entry and looked each event up (1.1 s for a page; the
contradictions view, which walks every contested event, 24 s). Each index holds the listing order
(undated last, date, id) and the other filter columns, only for the events that can match:

- `ix_events_contested_order` WHERE n_contradictions > 0;
- `ix_events_killed_order` WHERE fatalities_best IS NOT NULL (SQLite and PostgreSQL both see that
  `fatalities_best >= N` implies it);
- `ix_events_contested_country`, `ix_events_killed_country`: the same two, led by the country.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ORDER: list[str | sa.TextClause] = [sa.text("(date IS NULL)"), "date", "id"]
# Every other filter column too, as in ix_events_listing: a filter combined with these is answered
# from the index alone (without `place` here, place + min killed looked up each event: 3.5 s a count).
_FILTERS = ["event_type", "sub_event_type", "country", "story_id", "place", "actors", "lat", "lon"]


def upgrade() -> None:
    op.create_index("ix_events_contested_order", "events", [*_ORDER, *_FILTERS, "fatalities_best"],
                    sqlite_where=sa.text("n_contradictions > 0"), postgresql_where=sa.text("n_contradictions > 0"))
    op.create_index("ix_events_killed_order", "events", [*_ORDER, "fatalities_best", *_FILTERS, "n_contradictions"],
                    sqlite_where=sa.text("fatalities_best IS NOT NULL"), postgresql_where=sa.text("fatalities_best IS NOT NULL"))
    # With a country too (the commonest pairing), a seek into that country's part: otherwise the
    # planner takes ix_events_country_order and looks each event up (1.1 s for Syria's contested page).
    op.create_index("ix_events_contested_country", "events", ["country", *_ORDER, "fatalities_best"],
                    sqlite_where=sa.text("n_contradictions > 0"), postgresql_where=sa.text("n_contradictions > 0"))
    op.create_index("ix_events_killed_country", "events", ["country", *_ORDER, "fatalities_best", "n_contradictions"],
                    sqlite_where=sa.text("fatalities_best IS NOT NULL"), postgresql_where=sa.text("fatalities_best IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_events_killed_country", table_name="events")
    op.drop_index("ix_events_contested_country", table_name="events")
    op.drop_index("ix_events_killed_order", table_name="events")
    op.drop_index("ix_events_contested_order", table_name="events")
