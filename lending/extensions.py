"""Flask extensions, created unbound and initialised in create_app()."""

import sqlite3
import time
from contextlib import suppress

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mail = Mail()
# Per-IP limits on the sensitive forms; the limits themselves come from the config.
limiter = Limiter(get_remote_address)


SQLITE_MMAP_BYTES = 1 << 30  # an upper bound: the database file's size is what is mapped
SQLITE_CACHE_KIB = 32 * 1024  # per connection, filled as pages are read


@event.listens_for(Engine, "connect")
def _sqlite_for_several_processes(dbapi_connection, _record) -> None:
    """SQLite shared by the site, the worker and the scheduler: write-ahead logging, so
    readers never block the writer (a worker's heartbeat, say), and waits of up to 30 s
    for the write lock instead of failing at once."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA journal_mode = WAL")  # "memory" for an in-memory database
    # Reads through the memory map (the OS's page cache, shared by the processes) instead of
    # copies into each connection's own small cache (2 MiB by default).
    cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cursor.close()


# SQLite's query planner needs statistics (sqlite_stat1) to choose between indexes: without
# them a dashboard query over a large scheme can take minutes instead of milliseconds. A
# deployment never runs ANALYZE by hand, so the app keeps them as SQLite's documentation
# advises for long-lived connections (https://sqlite.org/lang_analyze.html#recommended_usage_pattern):
# `PRAGMA optimize=0x10002` when a connection opens, `PRAGMA optimize` now and then, each
# ANALYZE sampling at most ANALYSIS_LIMIT rows per index (milliseconds, whatever the size).
ANALYSIS_LIMIT = 400
OPTIMIZE_EVERY_SECONDS = 3600.0
# What PRAGMA optimize takes as "grown enough to analyse again".
GROWTH_FACTOR = 25


def _analyse_stale_tables(cursor) -> None:
    """PRAGMA optimize=0x10002 for SQLite before 3.46, which ignores the 0x10000 bit ("every
    table, not only those this connection used"): ANALYZE each table that has an index
    without statistics, or that has grown GROWTH_FACTOR times since it was analysed."""
    indexed = cursor.execute(
        "SELECT DISTINCT tbl_name FROM sqlite_schema WHERE type = 'index'"
        " AND tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    has_stats = cursor.execute(
        "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'"
    ).fetchone()[0]
    for (table,) in indexed:
        quoted = '"' + table.replace('"', '""') + '"'
        rows = None  # the row count its statistics were taken at
        if has_stats:
            (rows,) = cursor.execute(
                "SELECT min(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = ?"
                " AND idx IS NOT NULL",
                (table,),
            ).fetchone()
        if rows is not None:
            limit = GROWTH_FACTOR * max(rows, 1)
            (now,) = cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {quoted} LIMIT {limit + 1})"
            ).fetchone()
            if now <= limit:
                continue
        cursor.execute(f"ANALYZE {quoted}")


@event.listens_for(Engine, "connect")
def _sqlite_statistics_on_open(dbapi_connection, record) -> None:
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        if sqlite3.sqlite_version_info >= (3, 46):
            cursor.execute("PRAGMA optimize = 0x10002")
        else:
            _analyse_stale_tables(cursor)
    except sqlite3.Error:  # a read-only file, a lock held too long: statistics can wait
        pass
    finally:
        cursor.close()
    record.info["sqlite_optimized_at"] = time.monotonic()


@event.listens_for(Engine, "checkin")
def _sqlite_statistics_now_and_then(dbapi_connection, record) -> None:
    """Back in the pool, at most once per OPTIMIZE_EVERY_SECONDS: PRAGMA optimize (the
    tables this connection used whose statistics are missing or out of date)."""
    if dbapi_connection is None or type(dbapi_connection).__module__ != "sqlite3":
        return
    last = record.info.get("sqlite_optimized_at", 0.0)
    if time.monotonic() - last < OPTIMIZE_EVERY_SECONDS:
        return
    record.info["sqlite_optimized_at"] = time.monotonic()
    with suppress(sqlite3.Error):  # as on opening
        dbapi_connection.execute("PRAGMA optimize")
