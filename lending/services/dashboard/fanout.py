"""The dashboard's queries on several connections at once.

A page asks about twenty aggregate queries, each reading up to hundreds of thousands of
rows at Passerelles size: one after the other they take about 600 ms, on two connections
about 350 ms (README, "Speed"). Each task runs in a thread with an app context of its own,
hence a session and a connection of its own from the pool.

On PostgreSQL every task reads one snapshot, exported by the request's transaction
(`pg_export_snapshot`) and imported by each task's REPEATABLE READ transaction, so the
figures are those of one instant, as if read in one transaction. SQLite cannot share a
snapshot: each connection reads the database as it is at its first query, a few
milliseconds apart (readers never wait for writers in WAL mode), so a loan signed during
those milliseconds may be counted by one table and not yet by another.

DASHBOARD_CONNECTIONS = 1 runs the tasks in the request's own session, one after the
other: the tests' shared worlds (tests/savepoints.py) set it, as every session there works
on the module's one connection.
"""

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import current_app
from sqlalchemy import text

from lending.extensions import db

SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")


def run(tasks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each task's result by name. The longest tasks should come first: they start first."""
    workers = current_app.config["DASHBOARD_CONNECTIONS"]
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if workers <= 1:
        if postgres:
            _no_jit()
        return {name: task() for name, task in tasks.items()}
    snapshot = None
    if postgres:
        snapshot = db.session.execute(text("SELECT pg_export_snapshot()")).scalar_one()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with ThreadPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        futures = {
            name: pool.submit(_in_own_session, app, snapshot, task) for name, task in tasks.items()
        }
        return {name: future.result() for name, future in futures.items()}


def _in_own_session(app, snapshot: str | None, task: Callable[[], Any]) -> Any:
    with app.app_context():  # its own db.session, removed (connection returned) on exit
        try:
            if snapshot is not None:
                _import_snapshot(snapshot)
            return task()
        finally:
            db.session.rollback()


def _import_snapshot(snapshot: str) -> None:
    if not SNAPSHOT_ID.fullmatch(snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    # SET TRANSACTION SNAPSHOT takes no bound parameter: the id is checked above.
    db.session.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
    _no_jit()


def _no_jit() -> None:
    """The estimated costs of the correlated sub-queries pass PostgreSQL's thresholds for
    compiling the queries (JIT), which then takes longer than running them."""
    db.session.execute(text("SET LOCAL jit = off"))
