"""Each report's fusion profile, kept with the report (`reports.profile`, `reports.profile_version`).

Linking a new report reads the stored reports of its blocking window and compares profiles
(`fusion.evidence.Profile`: canonical places through the gazetteer, victims' ages, names,
streets...). Computing one took about 16 ms, mostly the gazetteer lookups, and a window at a
few thousand reports made every update pay for all of them again. The profile is now computed
when the report is indexed and stored beside it; `profile_version` says which fusion code
computed it, so a profile of older code is recomputed (and stored again) on first use.

Existing rows get NULL: their profiles are computed the first time an update reads them.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("profile", sa.LargeBinary))
    op.add_column("reports", sa.Column("profile_version", sa.String(16)))


def downgrade() -> None:
    op.drop_column("reports", "profile_version")
    op.drop_column("reports", "profile")
