"""The app keeps SQLite's planner statistics itself: a deployment never runs ANALYZE."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text

from lending import extensions


def _filled_file(path) -> None:
    """A table with an index and rows, written without the app (no statistics)."""
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, kind INTEGER)")
    raw.execute("CREATE INDEX ix_item_kind ON item (kind)")
    raw.executemany("INSERT INTO item (kind) VALUES (?)", [(i % 7,) for i in range(3000)])
    raw.commit()
    raw.close()


def _statistics(path) -> list[tuple]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY idx").fetchall()
    except sqlite3.OperationalError:  # no sqlite_stat1 table: never analysed
        return []
    finally:
        raw.close()


def test_a_new_connection_analyses_the_tables_without_statistics(tmp_path):
    path = tmp_path / "app.sqlite3"
    _filled_file(path)
    assert _statistics(path) == []
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    [(table, index, stat)] = _statistics(path)
    assert (table, index) == ("item", "ix_item_kind")
    assert 1000 < int(stat.split()[0]) < 9000  # an estimate (ANALYZE samples)


def test_a_table_grown_many_times_is_analysed_again(tmp_path):
    path = tmp_path / "app.sqlite3"
    _filled_file(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.executemany("INSERT INTO item (kind) VALUES (?)", [(i % 7,) for i in range(90000)])
    raw.commit()
    raw.close()
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    [(_table, _index, stat)] = _statistics(path)
    assert int(stat.split()[0]) > 30000  # no longer the 3000 rows first seen


def test_a_pooled_connection_optimizes_now_and_then(tmp_path, monkeypatch):
    path = tmp_path / "app.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # opened on an empty database: nothing to analyse
        conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, kind INTEGER)"))
        conn.execute(text("CREATE INDEX ix_item_kind ON item (kind)"))
    with engine.begin() as conn:
        for _ in range(6):
            conn.execute(text("INSERT INTO item (kind) VALUES " + ",".join(["(1)"] * 500)))
    assert _statistics(path) == []
    monkeypatch.setattr(extensions, "OPTIMIZE_EVERY_SECONDS", 0.0)
    with engine.connect() as conn:  # the same pooled connection, back in the pool after
        conn.execute(text("SELECT count(*) FROM item WHERE kind = 1"))
    engine.dispose()
    assert [row[:2] for row in _statistics(path)] == [("item", "ix_item_kind")]


@pytest.mark.parametrize(("version", "expected"), [((3, 40, 1), False), ((3, 46, 0), True)])
def test_recent_sqlite_is_left_to_pragma_optimize(monkeypatch, version, expected):
    seen = []

    class Cursor:
        def execute(self, sql, *args):
            seen.append(sql)
            return self

        def fetchall(self):
            return []

        def fetchone(self):
            return (0,)

        def close(self):
            pass

    class Connection:
        __module__ = "sqlite3"

        def cursor(self):
            return Cursor()

    class Record:
        info: dict = {}

    monkeypatch.setattr(extensions.sqlite3, "sqlite_version_info", version)
    extensions._sqlite_statistics_on_open(Connection(), Record())
    assert ("PRAGMA optimize = 0x10002" in seen) is expected
