"""PostgreSQL full-text search folds diacritics, as SQLite's FTS5 index already does.

`Hamah` then finds `Ḩamāh` on both backends. The folding is the contrib `unaccent` dictionary,
wrapped in an IMMUTABLE function so that the generated `tsv` column may use it. `unaccent` is a
trusted extension (any user who may create objects in the database can install it); where it
cannot be installed, the function folds nothing and search works as before.

Revision ID: 0005
Revises: 0004
"""

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TSV = "to_tsvector('english', {fold}(coalesce(title, '') || ' ' || body))"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # FTS5's tokenizer already removes diacritics (remove_diacritics 2)
    fold_body = "SELECT $1"
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema = bind.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
        ).scalar_one()
        fold_body = f"SELECT \"{schema}\".unaccent('\"{schema}\".unaccent'::regdictionary, $1)"
    except DBAPIError:
        pass  # no unaccent here: search still works, without folding
    op.execute(f"CREATE OR REPLACE FUNCTION sitroom_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ {fold_body} $$")
    _rebuild_tsv("sitroom_fold")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _rebuild_tsv("")
    op.execute("DROP FUNCTION IF EXISTS sitroom_fold(text)")


def _rebuild_tsv(fold: str) -> None:
    """Replace the generated tsvector column and its GIN index with one that applies `fold`."""
    op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
    op.execute("ALTER TABLE search_docs DROP COLUMN tsv")
    op.execute(f"ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({_TSV.format(fold=fold)}) STORED")
    op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING GIN (tsv)")
