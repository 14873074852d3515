"""A world built once per module, each test rolled back to a savepoint (a pytest plugin).

Most tests build their own data and tests/conftest.py empties the tables after each. A
module whose many tests all need the same, larger world (tests/web/test_access.py: every
route × every role) builds it once instead:

    @pytest.fixture
    def app(rolled_back_app):          # this module's tests run on the module's world
        return rolled_back_app

    @pytest.fixture(scope="module")
    def _world(module_database):       # built once, with the new_* factories
        ...

How: while the module runs, every database session — the test's, and each request's —
works on one connection, inside one transaction that is rolled back after the module's
last test (SQLAlchemy's "joining a session into an external transaction" recipe). Each
session holds a SAVEPOINT of its own (join_transaction_mode="create_savepoint"), so the
app's commits and rollbacks (uow.commit, flush_or_refuse...) work as usual; each test runs
inside a further SAVEPOINT, rolled back after it, so the next test finds the world intact.

What differs from a real database, hence from the other modules:
- a session sees what another one flushed but has not committed yet (one connection);
- a rollback of the test's own session also undoes what requests committed since that
  session's transaction began (their savepoints are nested in its one);
- the dashboard runs its queries one after the other (DASHBOARD_CONNECTIONS = 1);
- nothing may write through another connection (services/sessions.py's last-seen update
  does, after a minute without a request: `login` makes a fresh session row per test),
  as SQLite would wait for the module's transaction to end.
So share a world only where tests build the same data and read responses.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, event

from lending.extensions import db


@contextmanager
def _sqlite_savepoints(connection: Connection) -> Iterator[None]:
    """pysqlite begins transactions itself, late, and SAVEPOINTs go wrong with it: on this
    connection, let SQLAlchemy emit BEGIN (the "Serializable isolation / Savepoints /
    Transactional DDL" recipe of SQLAlchemy's SQLite dialect documentation)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.connection.dbapi_connection.isolation_level = None

    def begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    event.listen(connection, "begin", begin)
    try:
        yield
    finally:
        event.remove(connection, "begin", begin)
        connection.invalidate()  # its driver settings never go back to the pool


@pytest.fixture(scope="module")
def module_database(_app) -> Iterator[Connection]:
    """The module's connection and transaction, rolled back after its last test; meanwhile
    every session of db.session works on it, each within a SAVEPOINT of its own."""
    with _app.app_context():
        db.session.remove()
        connection = db.engine.connect()
        with _sqlite_savepoints(connection), pytest.MonkeyPatch.context() as patch:
            transaction = connection.begin()
            factory = db.session.session_factory
            patch.setattr(
                factory, "kw", {**factory.kw, "join_transaction_mode": "create_savepoint"}
            )
            # Flask-SQLAlchemy's sessions pick the engine themselves; here, the connection.
            patch.setattr(factory.class_, "get_bind", lambda self, *args, **kwargs: connection)
            # The dashboard's queries in the request's session, not on connections of
            # their own (lending/services/dashboard/fanout.py): there is only this one.
            patch.setitem(_app.config, "DASHBOARD_CONNECTIONS", 1)
            try:
                yield connection
            finally:
                db.session.remove()
                transaction.rollback()
        connection.close()


@pytest.fixture
def rolled_back_app(_app, module_database: Connection):
    """The `app` of a module with a shared world: the test runs inside a SAVEPOINT of the
    module's transaction, rolled back after it (instead of emptying the tables)."""
    with _app.app_context():
        _app.extensions["mailman"].outbox = []
        savepoint = module_database.begin_nested()
        yield _app
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
