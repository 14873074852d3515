"""Backup and restore of the whole database to one file, for SQLite and PostgreSQL.

- SQLite: the sqlite3 online backup API, one step under one read lock, so the copy is one
  consistent state of the database even while the site writes.
- PostgreSQL: `pg_dump -Fc` (one snapshot) and `pg_restore --single-transaction` (all or
  nothing); see backup_postgres.py.

A restore never destroys data silently: it refuses a target holding any row unless forced,
and checks first that the file is a readable backup of the target's kind. The file says
what it holds by its first bytes, so a dump can never be restored into the wrong kind of
database.
"""

from pathlib import Path
from types import ModuleType

from sqlalchemy.engine import make_url

from lending.services import backup_postgres, backup_sqlite
from lending.services.errors import ServiceError

# Tables whose rows are not data: a freshly migrated schema holds its alembic version.
NOT_DATA = frozenset({"alembic_version"})
_MAGIC = {backup_sqlite.KIND: b"SQLite format 3\x00", backup_postgres.KIND: b"PGDMP"}
_LABEL = {backup_sqlite.KIND: "SQLite", backup_postgres.KIND: "PostgreSQL (pg_dump -Fc)"}


def backup(database_url: str, path: Path) -> int:
    """Write a backup of the database at `database_url` to `path`; returns its size in bytes.

    The file appears under its name only once complete and checked, so an interrupted backup
    never leaves a truncated file looking like a good one. Raises ServiceError.
    """
    engine = _engine_module(database_url)
    if not path.parent.is_dir():
        raise ServiceError(f"Dossier introuvable : {path.parent}")
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        engine.backup(database_url, partial)
        engine.check_file(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def restore(path: Path, database_url: str, *, force: bool = False) -> None:
    """Replace the content of the database at `database_url` with the backup `path`.

    Refuses, changing nothing, when the file is not a readable backup of the target's kind,
    or when the target holds rows and `force` is false. Raises ServiceError.
    """
    engine = _engine_module(database_url)
    kind = file_kind(path)
    if kind != engine.KIND:
        found = _LABEL[kind] if kind else "inconnu"
        raise ServiceError(
            f"{path} n'est pas une sauvegarde {_LABEL[engine.KIND]} (format : {found}). "
            "Rien n'a été modifié."
        )
    engine.check_file(path)
    if not force:
        tables = [t for t in engine.tables_with_rows(database_url) if t not in NOT_DATA]
        if tables:
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise ServiceError(
                f"La base cible {display_url(database_url)} n'est pas vide "
                f"({len(tables)} table(s) avec des données : {shown}). Rien n'a été modifié. "
                "Relancer avec --force pour remplacer son contenu par la sauvegarde."
            )
    engine.restore(path, database_url)


def file_kind(path: Path) -> str | None:
    """The kind of database a backup file holds, from its first bytes, or None."""
    with path.open("rb") as file:
        head = file.read(16)
    return next((kind for kind, magic in _MAGIC.items() if head.startswith(magic)), None)


def display_url(database_url: str) -> str:
    """The URL with its password masked, for messages."""
    return make_url(database_url).render_as_string(hide_password=True)


def _engine_module(database_url: str) -> ModuleType:
    backend = make_url(database_url).get_backend_name()
    if backend == backup_sqlite.KIND:
        return backup_sqlite
    if backend == backup_postgres.KIND:
        return backup_postgres
    raise ServiceError(f"Base non prise en charge : {backend} (SQLite ou PostgreSQL).")
