"""The production settings for real: the README's production commands on an empty database,
then the services of deploy/systemd/ (their ExecStart lines, with /opt/lending pointing
here): gunicorn serving the site over HTTP as behind a TLS proxy, a worker, the scheduler."""

import http.client
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import empty_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "pret.example.test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# One production database and one gunicorn for the whole module (the README's commands take
# some 20 s); the module's tests run on one pytest-xdist worker (--dist loadgroup).
pytestmark = pytest.mark.xdist_group("production")


@pytest.fixture(scope="module")
def production_env(_app):
    """The environment of a production service on a new empty database: no LENDING_ENV,
    real secrets."""
    env = {k: v for k, v in os.environ.items() if k not in ("LENDING_ENV", "TEST_DATABASE_URL")}
    with empty_database(_app.config["SQLALCHEMY_DATABASE_URI"]) as url:
        yield env | {
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url,
            "SERVER_NAME": HOST,
            "PROXY_HOPS": "1",
        }


def _flask(env, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _get(port: int, path: str, host: str) -> tuple[int, str, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)  # a busy CI machine
    try:
        conn.request(
            "GET",
            path,
            headers={"Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
        )
        response = conn.getresponse()
        return response.status, response.read().decode(), dict(response.getheaders())
    finally:
        conn.close()


def _unit_command(unit: str, **replace: str) -> list[str]:
    """The ExecStart command of a systemd unit of the repository, run from this checkout."""
    lines = (ROOT / "deploy" / "systemd" / unit).read_text().splitlines()
    command = next(line for line in lines if line.startswith("ExecStart="))
    argv = shlex.split(command.removeprefix("ExecStart="))
    argv = [
        arg.replace("/opt/lending/.venv/bin", str(BIN)).replace("/opt/lending", str(ROOT))
        for arg in argv
    ]
    return [replace.get(arg, arg) for arg in argv]


def _start(argv: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env | {"PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _stop(process: subprocess.Popen) -> int:
    process.terminate()
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@pytest.fixture(scope="module")
def migrated(production_env):
    """The README's production commands on the empty database."""
    _flask(production_env, "db", "upgrade")
    _flask(production_env, "lending", "load-reference")
    return production_env


@pytest.fixture(scope="module")
def gunicorn(migrated, tmp_path_factory):
    """lending-web.service on a free port; yields the port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    argv = _unit_command(
        "lending-web.service", **{"127.0.0.1:8000": f"127.0.0.1:{port}", "4": "2"}
    )  # 2 cores here
    process = _start(argv, migrated, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    yield port
    _stop(process)


def test_gunicorn_serves_the_site_with_the_production_settings(gunicorn):
    status, html, headers = _get(gunicorn, "/", HOST)
    assert status == 200
    assert "Prêter ou accueillir des salariés" in html
    assert "max-age" in headers.get("Strict-Transport-Security", "")
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "")
    status, html, _ = _get(gunicorn, "/connexion", HOST)
    assert status == 200
    assert "Se connecter" in html
    # the reference data loaded by the README's command answers the commune look-up
    status, body, _ = _get(gunicorn, "/api/communes?code_postal=47000", HOST)
    assert status == 200
    assert "Agen" in body


@pytest.mark.parametrize("host", ["ailleurs.example.org", "a" * 3000, "pret.example.test:99999"])
def test_a_foreign_or_malformed_host_gets_a_french_400_page(gunicorn, host):
    status, html, _ = _get(gunicorn, "/", host)
    assert status == 400
    assert "Requête invalide" in html
    assert "Internal Server Error" not in html


def test_the_worker_and_the_scheduler_run_as_services(migrated, tmp_path):
    logs = {unit: tmp_path / f"{unit}.log" for unit in ("worker", "scheduler")}
    worker = _start(_unit_command("lending-worker@.service"), migrated, logs["worker"])
    scheduler = _start(_unit_command("lending-scheduler.service"), migrated, logs["scheduler"])
    engine = create_engine(migrated["DATABASE_URL"])
    try:
        with engine.begin() as connection:  # a task, as the site or the scheduler queues one
            task_id = connection.execute(
                text(
                    "INSERT INTO task (kind, payload, status, created_at, run_after, attempts, "
                    "progress_done) VALUES ('round', '{\"scheme_id\": 999}', 'QUEUED', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, 0) RETURNING id"
                )
            ).scalar_one()
        deadline = time.monotonic() + 60
        while True:
            with engine.connect() as connection:
                status = connection.execute(
                    text("SELECT status FROM task WHERE id = :id"), {"id": task_id}
                ).scalar_one()
            if status == "DONE":
                break
            assert worker.poll() is None, logs["worker"].read_text()[-3000:]
            assert time.monotonic() < deadline, logs["worker"].read_text()[-3000:]
            time.sleep(0.3)
        while "Planificateur démarré" not in logs["scheduler"].read_text():
            assert scheduler.poll() is None, logs["scheduler"].read_text()[-3000:]
            assert time.monotonic() < deadline + 60, logs["scheduler"].read_text()[-3000:]
            time.sleep(0.3)
        time.sleep(1)
        assert scheduler.poll() is None, logs["scheduler"].read_text()[-3000:]  # still running
    finally:
        engine.dispose()
        codes = [_stop(worker), _stop(scheduler)]
    assert codes[0] == 0, logs["worker"].read_text()[-3000:]  # SIGTERM: a clean stop
    assert "arrêté" in logs["worker"].read_text()


def test_production_refuses_to_start_without_a_random_secret_key(production_env):
    env = production_env | {"SECRET_KEY": "dev-only-not-secret"}
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "current"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_app_creates_its_instance_folder(tmp_path, monkeypatch):
    import lending

    instance = tmp_path / "instance"
    monkeypatch.setattr(lending, "INSTANCE_DIR", instance)
    lending.create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    assert instance.is_dir()
