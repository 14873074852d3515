"""Fixtures: one database per test session (SQLite file, or PostgreSQL from
TEST_DATABASE_URL; one per pytest-xdist worker), reference data loaded once, every other
table emptied after each test — except in a module that shares one world between its
tests, each rolled back to a savepoint (tests/savepoints.py).

CSRF stays enabled: `client.post_form()` fetches a token the way a browser would.
`login(user)` starts a session without the form (tests/factories.py); test_auth.py posts it.
"""

import contextvars
import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from lending import create_app
from lending.extensions import db
from lending.models import (
    Commune,
    Departement,
    NafCode,
    NafDivision,
    NafSection,
    PostalCode,
    Region,
)
from lending.models.skills import JobTitle, Skill, SkillFamily, job_title_skill
from lending.reference.loader import load_reference
from lending.reference.skills_loader import load_skills

REFERENCE_TABLES = {
    m.__table__.name
    for m in (Region, Departement, Commune, PostalCode, NafSection, NafDivision, NafCode)
} | {SkillFamily.__tablename__, Skill.__tablename__, JobTitle.__tablename__, job_title_skill.name}
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")

pytest_plugins = [
    "tests.factories",
    "tests.savepoints",
    "tests.services.market",
    "tests.services.agreement_helpers",
    "tests.services.billing_helpers",
]


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL pass, a skipped postgres test is a failure (LENDING_REQUIRE_PG=1)."""
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (TEST_DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if os.environ.get("LENDING_REQUIRE_PG") and not ON_POSTGRES:
        terminalreporter.write_line("LENDING_REQUIRE_PG is set but tests ran without PostgreSQL")


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller judges the whole run
    if os.environ.get("LENDING_REQUIRE_PG"):
        skipped = session.config.pluginmanager.get_plugin("terminalreporter").stats.get(
            "skipped", []
        )
        if not ON_POSTGRES or any("postgres" in r.keywords for r in skipped):
            session.exitstatus = 1


class CsrfClient(FlaskClient):
    """A test client that sends the CSRF token, as the site's own forms do."""

    def open(self, *args, **kwargs):
        # Each request runs in a fresh context, as on a real server: its own app context,
        # `g` and database session, not those the test itself uses.
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/mentions-legales").get_data(as_text=True)
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


def _own_database(url: str) -> str:
    """Under pytest-xdist each worker (gw0, gw1...) has its own PostgreSQL database,
    created here if missing: <name>_gw0, <name>_gw1..."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    base, _, name = url.rpartition("/")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_{worker}"}
        ).first()
        if exists is None:
            conn.execute(text(f'CREATE DATABASE "{name}_{worker}"'))
    admin.dispose()
    return f"{base}/{name}_{worker}"


def _commits_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """A commit of the test database returns before its log reaches the disk: SQLite's
    `synchronous = OFF`, PostgreSQL's `synchronous_commit = off`. Nothing else changes
    (isolation, locks, constraints); only a power cut could lose the last commits, which
    a throw-away database does not mind. A suite makes tens of thousands of commits, and
    waiting for the disk on each costs about 5 ms here."""
    if type(dbapi_connection).__module__ == "sqlite3":
        dbapi_connection.execute("PRAGMA synchronous = OFF")
        return
    # psycopg: outside a transaction, or the pool's rollback on check-in would undo the SET.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    dbapi_connection.execute("SET synchronous_commit = off")
    dbapi_connection.autocommit = autocommit


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    # SQLite: a file per session, so per xdist worker too (each has its own tmp folder).
    url = _own_database(os.environ.get("TEST_DATABASE_URL", "")) or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    app.test_client_class = CsrfClient
    with app.app_context():
        event.listen(db.engine, "connect", _commits_without_waiting_for_the_disk)
        db.drop_all()
        db.create_all()
        load_reference(db.session)
        load_skills(db.session)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    with _app.app_context():
        _app.extensions["mailman"].outbox = []
        yield _app
        _empty_tables()
        db.session.remove()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Emails sent during the test (Flask-Mailman's locmem backend)."""
    return app.extensions["mailman"].outbox


@contextmanager
def empty_database(like_url: str):
    """A brand-new empty database of the same kind as `like_url`, dropped afterwards."""
    if not like_url.startswith("postgresql"):
        path = Path(f"/tmp/lending-migrations-{uuid.uuid4().hex}.sqlite3")
        yield f"sqlite:///{path}"
        path.unlink(missing_ok=True)
        return
    name = f"lending_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(like_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield like_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_database_url(app):
    """A brand-new empty database of the same kind as the test database."""
    with empty_database(app.config["SQLALCHEMY_DATABASE_URI"]) as url:
        yield url


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counted:` … `counted()` is the number of SQL statements the
    app's engine ran meanwhile (requests of the test client included)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting
