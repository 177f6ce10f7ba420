"""Which schema a store is at: the newest migration read from the scripts, and the one a store holds.

Opening a store ran Alembic's upgrade every time, importing Alembic (0.6 s of CPU) to find nothing
to do; `is_current` answers that with one query, and `SqlStore.migrate` calls Alembic only when not.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from sitroom.errors import StoreError

if TYPE_CHECKING:
    from sitroom.store.sql import SqlStore

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*=\s*['"]?([^'"\s]*)['"]?\s*$""", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision id, read from the scripts' own lines (None when there is no single head)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None  # a script this reader does not understand: let Alembic decide
        revisions.add(found["revision"])
        if found.get("down_revision") not in (None, "", "None"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_current(engine: Engine) -> bool:
    """True when the version Alembic stored is the newest migration (one query; False when in doubt)."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:  # a new store: no version table yet
        return False
    return stored == [head]


def upgrade(store: SqlStore) -> None:
    """Run Alembic's upgrade to head on this store, in one write transaction."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with store._writing() as conn:  # concurrent first runs would race to create tables
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot migrate the store at {store.url}: {exc}. "
            "Is it a sitroom store and writable? Point --db at a new file to start afresh."
        ) from exc
