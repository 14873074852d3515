"""The worker process (`flask --app wsgi lending worker`): takes queued tasks one at a time
and carries them out, beating a heartbeat from a thread of its own while the task runs.
Several workers, on one machine or several, share the queue (services/tasks.py).

SIGTERM (systemd stop) or Ctrl+C lets the current task finish, then the worker exits; a
worker killed outright is noticed by the others within tasks.DEAD_AFTER: its task fails,
and the round it carried frees its scheme.
"""

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable

from flask import Flask
from flask_babel import gettext as _

from lending.extensions import db
from lending.models import Task
from lending.models._time import utcnow
from lending.services import employee_import, rounds, tasks, uow

log = logging.getLogger(__name__)

# kind → handler(task, progress) → result (a JSON object), raising tasks.DeferError to wait
HANDLERS: dict[str, Callable] = {
    "round": rounds.run_task,
    "employee-import": employee_import.run_task,
}


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def reap(now) -> int:
    """Fail the tasks of dead workers and the rounds they carried; commits."""
    count = rounds.reap(now)
    db.session.commit()
    return count


def run(
    app: Flask,
    *,
    name: str | None = None,
    burst: bool = False,
    poll: float = 1.0,
    stop: threading.Event | None = None,
) -> int:
    """Take and run tasks until stopped (or, with `burst`, until none is due). Returns the
    number of tasks run."""
    name = name or default_name()
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_args: stop.set())
    try:
        return _loop(app, name, burst, poll, stop)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _loop(app: Flask, name: str, burst: bool, poll: float, stop: threading.Event) -> int:
    done = 0
    while not stop.is_set():
        with app.app_context():
            try:
                reap(utcnow())
                task_id = tasks.claim_next(name, utcnow())
            except Exception:
                log.exception("worker %s: the queue could not be read", name)
                db.session.rollback()
                task_id = None
            finally:
                db.session.remove()
        if task_id is None:
            if burst:
                break
            stop.wait(poll)
            continue
        run_task(app, task_id, name)
        done += 1
    return done


def run_task(app: Flask, task_id: int, name: str, *, eager: bool = False) -> None:
    """Carry out a claimed task to done or failed (or back to the queue). `eager`: in the
    caller's context and session (tests), without heartbeat thread."""
    progress = tasks.Progress()
    if eager:
        db.session.get(Task, task_id).status = tasks.TaskStatus.RUNNING
        db.session.commit()
        _execute(task_id, progress)
        return
    stop_beating = threading.Event()
    beater = threading.Thread(
        target=_beat_until,
        args=(app, task_id, progress, stop_beating),
        name=f"heartbeat-{task_id}",
        daemon=True,
    )
    beater.start()
    try:
        with app.app_context():
            try:
                _execute(task_id, progress)
            finally:
                db.session.remove()
    finally:
        stop_beating.set()
        beater.join()


def _execute(task_id: int, progress: tasks.Progress) -> None:
    task = db.session.get(Task, task_id)
    log.info("task %s (%s) started", task_id, task.kind)
    try:
        result = HANDLERS[task.kind](task, progress)
    except tasks.DeferError:
        uow.rollback()
        tasks.requeue(task_id, utcnow())
        log.info("task %s deferred", task_id)
        return
    except Exception:
        uow.rollback()
        log.exception("task %s failed", task_id)
        tasks.fail(
            task_id,
            _("Le traitement a échoué ; rien n'a été enregistré. L'erreur a été journalisée."),
        )
        return
    tasks.finish(task_id, result, progress.take())
    log.info("task %s done", task_id)


def _beat_until(app: Flask, task_id: int, progress: tasks.Progress, stop: threading.Event):
    with app.app_context():
        engine = db.engine
    while not stop.wait(tasks.HEARTBEAT_EVERY):
        try:
            with engine.begin() as connection:
                tasks.beat(connection, task_id, progress.take(), utcnow())
        except Exception:  # a busy database: the next beat will tell
            log.warning("task %s: heartbeat not written", task_id, exc_info=True)
