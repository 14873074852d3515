"""Backups: `flask lending backup FILE` and `lending restore FILE` (lending/services/backup.py).

Each test runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL points at one. Restores
go into brand-new databases (a fresh SQLite file; a PostgreSQL database created and dropped
here), and the data is then read back through the application.
"""

import os
import sqlite3
import threading
import uuid
from contextlib import closing, contextmanager

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from lending import create_app
from lending.extensions import db
from lending.models import Firm, Role, User
from lending.reference.loader import load_reference
from lending.reference.skills_loader import load_skills
from lending.services import backup, backup_postgres, backup_sqlite
from lending.services.errors import ServiceError
from tests.conftest import ON_POSTGRES, CsrfClient
from tests.factories import PASSWORD

KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture
def new_database(tmp_path):
    """Make brand-new empty databases: new_database(kind) -> URL. PostgreSQL ones are dropped
    after the test."""
    created: list[str] = []
    admin_url = os.environ.get("TEST_DATABASE_URL", "")

    def make(kind: str) -> str:
        name = f"lending_bk_{uuid.uuid4().hex[:10]}"
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        with _admin(admin_url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    yield make
    if created:
        with _admin(admin_url) as conn:
            for name in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _admin(url: str):
    libpq = make_url(url).set(drivername="postgresql", database="postgres")
    conninfo = libpq.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        yield conn


@pytest.fixture(params=KINDS)
def source(request, app, tmp_path):
    """An app whose database holds the reference data, of the kind under test, with its
    context pushed: the factories write there. The suite's own database when of that kind."""
    if request.param == ("postgresql" if ON_POSTGRES else "sqlite"):
        yield app
        return
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'src.sqlite3'}")
    with other.app_context():
        db.create_all()
        load_reference(db.session)
        load_skills(db.session)
        db.session.commit()
        yield other
        db.session.remove()
        db.engine.dispose()


@contextmanager
def app_on(url: str):
    """The application served from the database at `url`."""
    restored = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    restored.test_client_class = CsrfClient
    with restored.app_context():
        yield restored
        db.session.remove()
        db.engine.dispose()


def _kind(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


def _invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=["lending", *args])


def test_backup_restored_into_an_empty_database_serves_the_data(
    source, new_database, make_firm, make_user, tmp_path
):
    firm = make_firm(name="Aéro Garonne")
    make_user(role=Role.HR, firm=firm, email="rh@aero-garonne.fr")
    firms = db.session.scalar(select(func.count(Firm.id)))
    users = db.session.scalar(select(func.count(User.id)))
    dump = tmp_path / "lending.backup"

    result = _invoke(source, "backup", str(dump))
    assert result.exit_code == 0, result.output
    assert "Sauvegarde" in result.output
    assert backup.file_kind(dump) == _kind(source)

    target = new_database(_kind(source))
    result = _invoke(source, "restore", str(dump), "--database-url", target)
    assert result.exit_code == 0, result.output

    with app_on(target) as restored:
        assert db.session.scalar(select(func.count(Firm.id))) == firms
        assert db.session.scalar(select(func.count(User.id))) == users
        client = restored.test_client()
        response = client.post_form(
            "/connexion", {"email": "rh@aero-garonne.fr", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert "Aéro Garonne" in client.get("/entreprise").get_data(as_text=True)


def test_restore_refuses_a_database_holding_data_and_changes_nothing(
    source, new_database, make_firm, tmp_path
):
    make_firm(name="Sauvegardée")
    dump = tmp_path / "lending.backup"
    backup.backup(source.config["SQLALCHEMY_DATABASE_URI"], dump)
    target = new_database(_kind(source))
    backup.restore(dump, target)
    with app_on(target):
        make_firm(name="Ajoutée après la sauvegarde")

    result = _invoke(source, "restore", str(dump), "--database-url", target)
    assert result.exit_code == 1
    assert "n'est pas vide" in result.output
    assert "Rien n'a été modifié" in result.output
    with app_on(target):
        names = set(db.session.scalars(select(Firm.name)))
    assert names == {"Sauvegardée", "Ajoutée après la sauvegarde"}

    result = _invoke(source, "restore", str(dump), "--database-url", target, "--force")
    assert result.exit_code == 0, result.output
    with app_on(target):
        assert set(db.session.scalars(select(Firm.name))) == {"Sauvegardée"}


BATCH = 50  # rows of `item` written with each row of `batch`, in one transaction


@pytest.mark.parametrize("kind", KINDS)
def test_backup_taken_while_another_connection_writes_is_consistent(kind, new_database, tmp_path):
    url = new_database(kind)
    writer = _Writer(kind, url)
    writer.execute(
        "CREATE TABLE batch (id INTEGER PRIMARY KEY, size INTEGER NOT NULL)",
        "CREATE TABLE item (batch_id INTEGER NOT NULL, payload TEXT NOT NULL)",
    )
    writer.start()
    try:
        assert writer.committed.wait(timeout=30)  # it has written, and goes on writing
        dump = tmp_path / "during-writes.backup"
        before = writer.count
        backup.backup(url, dump)
        after = writer.count
        assert writer.is_alive()
    finally:
        writer.stop()
    assert writer.error is None

    restored = new_database(kind)
    backup.restore(dump, restored)
    batches, items = _Writer(kind, restored).counts()
    assert before <= batches <= after + 1  # a state from the time of the backup
    assert items == BATCH * batches  # never a half-written transaction


class _Writer(threading.Thread):
    """Commits transactions of one `batch` row and BATCH `item` rows until stopped."""

    def __init__(self, kind: str, url: str):
        super().__init__(daemon=True)
        self.kind, self.url = kind, url
        self.count, self.error = 0, None
        self.committed, self._stop_event = threading.Event(), threading.Event()

    def connect(self):
        if self.kind == "sqlite":
            return closing(sqlite3.connect(make_url(self.url).database, timeout=60))
        conninfo, _env = backup_postgres._libpq(self.url)
        return psycopg.connect(conninfo)

    def execute(self, *statements: str) -> None:
        with self.connect() as conn:
            for statement in statements:
                conn.execute(statement)
            conn.commit()

    def counts(self) -> tuple[int, int]:
        with self.connect() as conn:
            batches = conn.execute("SELECT count(*) FROM batch").fetchone()[0]
            items = conn.execute("SELECT count(*) FROM item").fetchone()[0]
        return batches, items

    def run(self) -> None:
        mark = "?" if self.kind == "sqlite" else "%s"
        try:
            with self.connect() as conn:
                while not self._stop_event.is_set():
                    batch_id = self.count + 1
                    conn.execute(
                        f"INSERT INTO batch (id, size) VALUES ({mark}, {mark})", (batch_id, BATCH)
                    )
                    for _ in range(BATCH):
                        conn.execute(
                            f"INSERT INTO item (batch_id, payload) VALUES ({mark}, {mark})",
                            (batch_id, "x" * 2000),
                        )
                    conn.commit()
                    self.count = batch_id
                    if self.count >= 20:
                        self.committed.set()
        except Exception as exc:  # reported by the test, not lost in the thread
            self.error = exc
            self.committed.set()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=60)


def test_restore_refuses_a_file_that_is_not_a_backup_of_the_target_kind(tmp_path):
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("bonjour")
    with pytest.raises(ServiceError, match="n'est pas une sauvegarde SQLite"):
        backup.restore(not_a_backup, target)
    dump = tmp_path / "pg.backup"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    with pytest.raises(ServiceError, match=r"format : PostgreSQL"):
        backup.restore(dump, target)
    assert not (tmp_path / "target.sqlite3").exists()


def test_restore_refuses_a_target_file_that_is_not_a_database(tmp_path):
    dump = tmp_path / "lending.backup"
    source = tmp_path / "source.sqlite3"
    with closing(sqlite3.connect(source)) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    backup.backup(f"sqlite:///{source}", dump)
    target = tmp_path / "notes.sqlite3"
    target.write_text("pas une base")
    with pytest.raises(ServiceError, match="pas une base SQLite lisible"):
        backup.restore(dump, f"sqlite:///{target}")
    with pytest.raises(ServiceError, match="impossible"):
        backup.restore(dump, f"sqlite:///{target}", force=True)
    assert target.read_text() == "pas une base"


def test_in_memory_sqlite_has_nothing_to_back_up(tmp_path):
    with pytest.raises(ServiceError, match="en mémoire"):
        backup.backup("sqlite://", tmp_path / "x.backup")
    assert list(tmp_path.iterdir()) == []


def test_pg_tools_get_the_password_from_the_environment_not_the_command_line(monkeypatch, tmp_path):
    calls = []

    def run(command, env, **kwargs):
        calls.append((command, env))
        return type("Done", (), {"returncode": 0, "stderr": ""})()

    monkeypatch.setattr(backup_postgres.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup_postgres.subprocess, "run", run)
    url = "postgresql+psycopg://lending:s3cr%40t@db.example:5433/lending?sslmode=require"
    backup_postgres.backup(url, tmp_path / "x.backup")
    backup_postgres.restore(tmp_path / "x.backup", url)

    assert [c[0][0] for c in calls] == ["/usr/bin/pg_dump", "/usr/bin/pg_restore"]
    for command, env in calls:
        assert not any("s3cr" in arg for arg in command)
        assert env["PGPASSWORD"] == "s3cr@t"
        assert any("lending@db.example:5433/lending?sslmode=require" in a for a in command)
    assert {"--clean", "--if-exists", "--no-owner", "--single-transaction"} <= set(calls[1][0])


def test_a_failed_backup_leaves_no_file(tmp_path):
    missing = f"sqlite:///{tmp_path / 'absent.sqlite3'}"
    with pytest.raises(ServiceError, match="introuvable"):
        backup.backup(missing, tmp_path / "x.backup")
    assert list(tmp_path.iterdir()) == []
    assert backup_sqlite.tables_with_rows(missing) == []
