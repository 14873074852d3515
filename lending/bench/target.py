"""The database the benchmark fills: never someone's working database.

By default a new SQLite file in a temporary folder, removed afterwards unless kept. A
database given by URL must exist and hold no firm; its schema is built by the migrations
(so the indexes timed are the migrations' own) and the reference data by their loaders.
"""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.exc import ArgumentError, OperationalError

from lending.extensions import db
from lending.models import Firm


class UnusableDatabaseError(Exception):
    """The database cannot be filled (it holds data, or cannot be reached): the message
    says why, in French."""


@dataclass
class Target:
    url: str
    folder: Path | None  # the temporary folder of the default SQLite file


@contextmanager
def target_database(url: str | None, keep: bool) -> Iterator[Target]:
    """The URL to fill: `url`, or a fresh SQLite file removed on exit unless `keep`."""
    if url:
        yield Target(url, None)
        return
    folder = Path(tempfile.mkdtemp(prefix="lending-bench-"))
    try:
        yield Target(f"sqlite:///{folder / 'bench.sqlite3'}", folder)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def refuse_unless_empty(url: str) -> None:
    """Raise UnusableDatabaseError unless the database can be reached and holds no firm
    and no table the migrations did not make."""
    try:
        engine = create_engine(url)
    except ArgumentError:
        raise UnusableDatabaseError(f"Adresse de base de données invalide : {url!r}.") from None
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if Firm.__tablename__ in tables:
                firms = conn.scalar(select(func.count()).select_from(Firm.__table__))
                if firms:
                    raise UnusableDatabaseError(
                        f"La base contient déjà {firms} entreprise(s) : le banc d'essai ne "
                        "remplit qu'une base vide. Indiquez une base neuve avec --database-url "
                        "(ou aucune : un fichier SQLite temporaire est créé)."
                    )
            if tables and "alembic_version" not in tables:
                raise UnusableDatabaseError(
                    "La base contient des tables qui ne viennent pas des migrations : "
                    "indiquez une base neuve avec --database-url."
                )
    except OperationalError as error:
        raise UnusableDatabaseError(f"Base inaccessible : {error.orig or error}") from None
    finally:
        engine.dispose()


def bench_app(url: str) -> Flask:
    """An app of its own on the benchmark database, configured as a development server
    (no debug, no test mode: errors become 500 pages, as in production)."""
    from lending import create_app

    return create_app(
        "development", SQLALCHEMY_DATABASE_URI=url, SERVER_NAME=None, MAIL_BACKEND="locmem"
    )


def build_schema() -> None:
    """Migrations up to head, then the reference data (idempotent loaders). In an app context."""
    from lending.reference.loader import load_reference
    from lending.reference.skills_loader import load_skills

    upgrade()
    session = db.session()
    load_reference(session)
    load_skills(session)
    session.commit()
