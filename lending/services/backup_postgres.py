"""PostgreSQL backups through pg_dump and pg_restore (used by services/backup.py).

pg_dump reads one snapshot, so the dump is consistent while the site writes. pg_restore
runs in a single transaction: an error leaves the target as it was. The tools must be of
the server's major version (Debian: postgresql-client-15, `make pgclient`). The password
goes to them through PGPASSWORD, never on their command line (visible to every local user).
"""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from lending.services.errors import ServiceError

KIND = "postgresql"


def backup(database_url: str, dest: Path) -> None:
    conninfo, env = _libpq(database_url)
    _run(["pg_dump", "--format=custom", "--no-password", f"--file={dest}", conninfo], env)


def restore(path: Path, database_url: str) -> None:
    conninfo, env = _libpq(database_url)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--no-password",
            f"--dbname={conninfo}",
            str(path),
        ],
        env,
    )


def check_file(path: Path) -> None:
    """Raise ServiceError unless pg_restore can read the dump's table of contents."""
    _run(["pg_restore", "--list", str(path)], dict(os.environ))


def tables_with_rows(database_url: str) -> list[str]:
    """Names (schema.table) of the target's tables holding at least one row."""
    conninfo, _env = _libpq(database_url)
    password = make_url(database_url).password
    try:
        with psycopg.connect(conninfo, password=password, connect_timeout=10) as conn:
            tables = conn.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' "
                "AND table_schema NOT IN ('pg_catalog', 'information_schema') "
                "ORDER BY table_schema, table_name"
            ).fetchall()
            found = []
            for schema, table in tables:
                query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(
                    sql.Identifier(schema, table)
                )
                exists = conn.execute(query).fetchone()
                if exists is not None and exists[0]:
                    found.append(table if schema == "public" else f"{schema}.{table}")
            return found
    except psycopg.OperationalError as exc:
        raise ServiceError(
            f"Connexion impossible à la base cible (elle doit exister : createdb) : {exc}"
        ) from None


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and an environment carrying it as PGPASSWORD."""
    url = make_url(database_url)
    password = url.password or url.query.get("password")
    libpq = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query={k: v for k, v in url.query.items() if k != "password"},
    )
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return libpq.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise ServiceError(
            f"{command[0]} introuvable : installer le client PostgreSQL de la version du "
            "serveur (Debian : postgresql-client-15 ; `make pgclient`)."
        )
    result = subprocess.run(
        [program, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ServiceError(f"{command[0]} a échoué : {result.stderr.strip()}")
