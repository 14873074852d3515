"""The task queue, in the database: work that can outlast a request (matching rounds,
large imports) is queued by the site or the scheduler and carried out by
`flask lending worker` processes (lending/worker.py), on one machine or several.

- `enqueue` adds a task in the caller's unit of work: it exists once the caller commits,
  with the data it describes.
- `claim_next` gives each queued task to one worker: the row is locked with
  `FOR UPDATE SKIP LOCKED` on PostgreSQL (other workers skip it instead of waiting) and
  taken by a conditional update (`status = queued`), which alone suffices on SQLite.
- The worker's heartbeat thread writes `heartbeat_at` and the progress every
  HEARTBEAT_EVERY seconds on a connection of its own (`beat`).
- `reap` marks failed the running tasks whose heartbeat stopped for DEAD_AFTER: their
  worker was killed (a worker of this machine whose process still exists is spared: on
  SQLite a long write holds its heartbeat back). Every worker, the scheduler and the site
  starting a round reap as they go.

Why not a queue library: the site and the workers share the database already; a queue in
it needs no broker, enqueues in the same transaction as the data, and works on SQLite and
PostgreSQL alike (huey's SQL storage needs peewee, procrastinate and pgqueuer are
PostgreSQL-only, RQ, Celery and Dramatiq need Redis or RabbitMQ).
"""

import os
import socket
from datetime import datetime, timedelta
from threading import Lock
from typing import overload

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lending.extensions import db
from lending.models import Task, TaskStatus
from lending.models._time import utcnow
from lending.services import uow

HEARTBEAT_EVERY = 2.0  # seconds
DEAD_AFTER = timedelta(seconds=60)  # without heartbeat: the worker is gone
DEFER_BY = timedelta(seconds=30)


class DeferError(Exception):
    """The task cannot run yet (its scheme is busy): back in the queue for a while."""


class Progress:
    """What a running task reports; the heartbeat thread writes it."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._values: dict = {}

    def __call__(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        with self._lock:
            self._values["progress_done"] = done
            if total is not None:
                self._values["progress_total"] = total
            if stage is not None:
                self._values["stage"] = stage

    def take(self) -> dict:
        with self._lock:
            values, self._values = self._values, {}
        return values


# Without a dedupe_key, the task queued is always returned.
@overload
def enqueue(
    kind: str,
    payload: dict,
    *,
    actor=None,
    data: bytes | None = None,
    dedupe_key: None = None,
    now: datetime | None = None,
) -> Task: ...
@overload
def enqueue(
    kind: str,
    payload: dict,
    *,
    actor=None,
    data: bytes | None = None,
    dedupe_key: str,
    now: datetime | None = None,
) -> Task | None: ...
def enqueue(
    kind: str,
    payload: dict,
    *,
    actor=None,
    data: bytes | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> Task | None:
    """Queue a task (the caller commits). With a dedupe_key, a task already queued under
    that key is returned instead of a second one (None if a worker took it meanwhile)."""
    now = now or utcnow()
    if dedupe_key is not None and (queued := _queued(dedupe_key)) is not None:
        return queued
    task = Task(
        kind=kind,
        payload=payload,
        data=data,
        dedupe_key=dedupe_key,
        created_by_id=getattr(actor, "id", None),
        created_at=now,
        run_after=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(task)
    except IntegrityError:  # queued meanwhile by another process
        if dedupe_key is None:  # not a clash on the key: the index is on queued keys only
            raise
        return _queued(dedupe_key)
    return task


def _queued(dedupe_key: str) -> Task | None:
    return db.session.scalar(
        select(Task).where(Task.dedupe_key == dedupe_key, Task.status == TaskStatus.QUEUED)
    )


def kick(task_id: int) -> None:
    """After the commit that queued it: run the task now in tests (TASKS_EAGER), else
    leave it to the workers."""
    if current_app.config["TASKS_EAGER"]:
        from lending.worker import run_task

        app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy
        run_task(app, task_id, "eager", eager=True)


def claim_next(worker: str, now: datetime) -> int | None:
    """Take the next due task for `worker` and commit; None when there is none."""
    candidate = db.session.scalar(
        select(Task.id)
        .where(Task.status == TaskStatus.QUEUED, Task.run_after <= now)
        .order_by(Task.run_after, Task.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if candidate is None:
        db.session.rollback()
        return None
    result = db.session.execute(
        update(Task)
        .where(Task.id == candidate, Task.status == TaskStatus.QUEUED)
        .values(
            status=TaskStatus.RUNNING,
            worker=worker[:120],
            started_at=now,
            heartbeat_at=now,
            attempts=Task.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    taken = uow.rowcount(result)
    db.session.commit()
    return candidate if taken == 1 else None


def beat(connection, task_id: int, values: dict, now: datetime) -> None:
    """The heartbeat: on the heartbeat thread's own connection, never the task's session."""
    connection.execute(
        update(Task)
        .where(Task.id == task_id, Task.status == TaskStatus.RUNNING)
        .values(heartbeat_at=now, **values)
    )


def _close(task_id: int, values: dict) -> None:
    """Done or failed; the uploaded file (personal data) is dropped with it."""
    db.session.execute(
        update(Task)
        .where(Task.id == task_id, Task.status == TaskStatus.RUNNING)
        .values(finished_at=utcnow(), data=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def finish(task_id: int, result: dict | None, progress: dict) -> None:
    _close(task_id, {**progress, "status": TaskStatus.DONE, "result": result or {}})


def fail(task_id: int, message: str) -> None:
    _close(task_id, {"status": TaskStatus.FAILED, "error": message})


def requeue(task_id: int, now: datetime) -> None:
    """Back in the queue after DEFER_BY; if another task of the same key was queued
    meanwhile, this one is done: the queued one does the same work."""
    values = dict(
        status=TaskStatus.QUEUED,
        run_after=now + DEFER_BY,
        worker=None,
        started_at=None,
        heartbeat_at=None,
    )
    try:
        db.session.execute(
            update(Task)
            .where(Task.id == task_id, Task.status == TaskStatus.RUNNING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        finish(task_id, {"superseded": True}, {})


def _alive_on_this_machine(worker: str | None) -> bool:
    """A worker named host:pid (the default) of this machine whose process still exists:
    alive, whatever its heartbeat says (on SQLite a long write holds the heartbeat back)."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap(now: datetime) -> list[int]:
    """Mark failed the running tasks whose worker stopped beating; their ids (the caller
    fails what they carried, then commits)."""
    silent = db.session.execute(
        select(Task.id, Task.worker).where(
            Task.status == TaskStatus.RUNNING, Task.heartbeat_at < now - DEAD_AFTER
        )
    )
    dead = [task_id for task_id, worker in silent if not _alive_on_this_machine(worker)]
    if dead:
        db.session.execute(
            update(Task)
            .where(Task.id.in_(dead), Task.status == TaskStatus.RUNNING)
            .values(
                status=TaskStatus.FAILED, finished_at=now, error=interrupted_message(), data=None
            )
            .execution_options(synchronize_session=False)
        )
    return dead


def interrupted_message() -> str:
    return _(
        "Traitement interrompu : son processus s'est arrêté avant la fin. Rien n'a été "
        "enregistré ; recommencez l'opération."
    )
