"""Real worker processes (`flask lending worker`) over the suite's database: killed in the
middle of a 2,000-row import, and two of them sharing one queue."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lending import worker
from lending.extensions import db
from lending.models import Employee, Role, Task, TaskStatus
from lending.services import employee_import, tasks, uow
from tests.conftest import ON_POSTGRES
from tests.web.test_employee_import import _csv, _row

ROOT = Path(__file__).resolve().parent.parent


def _start_worker(app, name: str | None, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "LENDING_ENV": "testing",
        "PYTHONUNBUFFERED": "1",
        "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "wsgi",
                "lending",
                "worker",
                *(["--name", name] if name else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for(predicate, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.2)
    return value


def _task(task_id: int) -> Task:
    db.session.rollback()  # a fresh snapshot of what the workers wrote
    return db.session.get(Task, task_id)


def _employees() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Employee))


@pytest.fixture
def hr(make_firm, make_user):
    return make_user(Role.HR, firm=make_firm())


def test_a_worker_killed_mid_import_leaves_nothing_and_is_noticed(app, hr, client, login, tmp_path):
    content = _csv([_row(n) for n in range(2000)])
    task_id = employee_import.queue(hr.firm, content, hr).id
    uow.commit()
    log = tmp_path / "worker.log"
    process = _start_worker(app, None, log)  # named host:pid, as by default
    try:
        # Killed while it writes the rows: PostgreSQL shows the progress of the writing;
        # SQLite holds the heartbeat back while the worker writes (2,000 rows take seconds).
        if ON_POSTGRES:
            _wait_for(
                lambda: _task(task_id).stage == "saving" and _task(task_id).progress_done,
                "the import to write rows",
            )
        else:
            _wait_for(lambda: "started" in log.read_text(), "the import to start")
            time.sleep(3)
        process.kill()
        process.wait()
    finally:
        process.kill()
    task = _task(task_id)
    assert task.status == TaskStatus.RUNNING, log.read_text()  # killed mid-job; nobody knows
    assert task.worker == f"{socket.gethostname()}:{process.pid}"
    assert _employees() == 0
    # Within a minute without heartbeat, the next worker or the scheduler notices.
    assert worker.reap(task.heartbeat_at + tasks.DEAD_AFTER - timedelta(seconds=1)) == 0
    assert worker.reap(task.heartbeat_at + tasks.DEAD_AFTER + timedelta(seconds=1)) == 1
    assert _employees() == 0
    login(hr)
    page = client.get(f"/entreprise/salaries/import/{task_id}").get_data(as_text=True)
    assert "Traitement interrompu" in page
    assert "Importer un fichier corrigé" in page


def test_two_workers_share_the_queue_and_take_each_task_once(app, hr, tmp_path):
    logs = {name: tmp_path / f"{name}.log" for name in ("w1", "w2")}
    workers = {name: _start_worker(app, name, log) for name, log in logs.items()}
    try:
        for log in logs.values():
            _wait_for(lambda log=log: "démarré" in log.read_text(), "the worker to start")
        ids = []
        for batch in range(30):
            rows = [_row(batch * 20 + n) for n in range(20)]
            ids.append(employee_import.queue(hr.firm, _csv(rows), hr).id)
        uow.commit()
        _wait_for(lambda: all(_task(i).finished for i in ids), "every task to finish")
        for process in workers.values():
            process.send_signal(signal.SIGTERM)  # systemd's stop: finish, then exit
        assert [process.wait(60) for process in workers.values()] == [0, 0]
    finally:
        for process in workers.values():
            process.kill()
    done = [_task(i) for i in ids]
    assert {(t.status, t.attempts, t.result["imported"]) for t in done} == {
        (TaskStatus.DONE, 1, 20)
    }
    assert _employees() == 600  # no file imported twice
    assert db.session.scalar(select(func.count()).where(Task.data.is_not(None))) == 0
    if ON_POSTGRES:  # SQLite's single write lock may let one worker take every task
        assert {t.worker for t in done} == {"w1", "w2"}
    assert all("arrêté" in log.read_text() for log in logs.values())
