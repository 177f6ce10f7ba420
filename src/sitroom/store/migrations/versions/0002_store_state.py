"""Store state: the articles version and the version the fused records were computed from.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "store_state",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    # An existing store's fused records were saved by the run that stored its articles: up to date.
    op.bulk_insert(state, [{"key": "articles_version", "value": 0}, {"key": "results_version", "value": 0}])


def downgrade() -> None:
    op.drop_table("store_state")
