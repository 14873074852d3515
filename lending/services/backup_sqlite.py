"""SQLite backups through the sqlite3 online backup API (used by services/backup.py).

The copy runs in one step (pages=-1) under one read lock, so it is one consistent state of
the database however the site writes meanwhile; a writer waits at most for the copy.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from lending.services.errors import ServiceError

KIND = "sqlite"
BUSY_TIMEOUT_S = 60  # how long to wait for a writer's lock before giving up


def database_path(database_url: str) -> Path:
    """The file of a SQLite URL; raises ServiceError for an in-memory database."""
    url = make_url(database_url)
    if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
        raise ServiceError("Base SQLite en mémoire : elle n'a pas de fichier à sauvegarder.")
    return Path(url.database)


def backup(database_url: str, dest: Path) -> None:
    source = database_path(database_url)
    if not source.is_file():
        raise ServiceError(f"Base SQLite introuvable : {source}")
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)) as src,
            closing(sqlite3.connect(dest)) as dst,
        ):
            src.backup(dst)
            # One self-contained file, even when the site's database runs in WAL mode.
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        raise ServiceError(f"Sauvegarde de {source} impossible : {exc}") from None


def restore(path: Path, database_url: str) -> None:
    """Copy the backup over the target; the copy is one write transaction on the target."""
    target = database_path(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(_connect_read_only(path)) as src,
            closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_S)) as dst,
        ):
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise ServiceError(f"Restauration dans {target} impossible : {exc}") from None


def check_file(path: Path) -> None:
    """Raise ServiceError unless `path` is a sound SQLite database."""
    try:
        with closing(_connect_read_only(path)) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ServiceError(f"Sauvegarde SQLite illisible ({path}) : {exc}") from None
    if result != "ok":
        raise ServiceError(f"Sauvegarde SQLite endommagée ({path}) : {result}")


def tables_with_rows(database_url: str) -> list[str]:
    """Names of the target's tables holding at least one row; [] if the file is absent."""
    target = database_path(database_url)
    if not target.exists():
        return []
    try:
        with closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_S)) as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
                )
            ]
            quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
            return [
                name
                for name in names
                if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted[name]})").fetchone()[0]
            ]
    except sqlite3.DatabaseError as exc:
        raise ServiceError(f"La cible {target} n'est pas une base SQLite lisible : {exc}") from None


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """For backup files: mode=ro never creates a missing file nor writes to it."""
    uri = path.resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
