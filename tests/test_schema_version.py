"""Opening a store whose schema is current runs no migration (store/schema_version.py): one query, no Alembic."""

from __future__ import annotations

import subprocess
import sys

from sitroom.store import open_store, schema_version


def test_the_head_is_the_newest_migration_script() -> None:
    names = sorted(p.name for p in (schema_version.MIGRATIONS / "versions").glob("[0-9]*.py"))
    assert schema_version.head_revision() == names[-1].split("_", 1)[0]


def test_a_current_store_opens_without_alembic_and_a_new_one_is_migrated(tmp_path) -> None:
    db = tmp_path / "s.db"
    store = open_store(str(db))  # a new file: migrated by Alembic
    assert schema_version.is_current(store.engine)
    store.close()
    check = "import sys; from sitroom.store import open_store; open_store(sys.argv[1]).close(); print('alembic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", check, str(db)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_store_without_a_version_is_not_current(tmp_path) -> None:
    store = open_store(str(tmp_path / "bare.db"), migrate=False)
    assert not schema_version.is_current(store.engine)
    store.close()
