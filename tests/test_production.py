"""The production settings for real: the README's production commands on an empty database,
then gunicorn serving the site over HTTP, as a deployment behind a TLS proxy would."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "pret.example.test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_env(empty_database_url):
    """The environment of a production service: no LENDING_ENV, real secrets."""
    env = {k: v for k, v in os.environ.items() if k not in ("LENDING_ENV", "TEST_DATABASE_URL")}
    env |= {
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": empty_database_url,
        "SERVER_NAME": HOST,
        "PROXY_HOPS": "1",
    }
    return env


def _flask(env, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _get(port: int, path: str, host: str) -> tuple[int, str, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET", path, headers={"Host": host, "X-Forwarded-Proto": "https",
                                  "X-Forwarded-For": "203.0.113.7"},
        )  # fmt: skip
        response = conn.getresponse()
        return response.status, response.read().decode(), dict(response.getheaders())
    finally:
        conn.close()


@pytest.fixture
def gunicorn(production_env, tmp_path):
    """The README's production commands, then gunicorn on a free port; yields the port."""
    _flask(production_env, "db", "upgrade")
    _flask(production_env, "lending", "load-reference")
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=production_env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
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
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


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


def test_production_refuses_to_start_without_a_random_secret_key(production_env):
    env = production_env | {"SECRET_KEY": "dev-only-not-secret"}
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "current"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_app_creates_its_instance_folder(tmp_path, monkeypatch):
    import lending

    instance = tmp_path / "instance"
    monkeypatch.setattr(lending, "INSTANCE_DIR", instance)
    lending.create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    assert instance.is_dir()
