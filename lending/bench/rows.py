"""Bulk writing helpers: Core `insert()` executemany in chunks, ids chosen here."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

CHUNK = 5000


def chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert `rows` (dicts with every column the table needs) in chunks; return the count."""
    count = 0
    for chunk in chunks(rows):
        conn.execute(insert(table), chunk)
        count += len(chunk)
    return count


def first_free_id(conn: Connection, table: Table) -> int:
    return (conn.scalar(select(func.max(table.c.id))) or 0) + 1


def realign_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """Ids were given explicitly: move PostgreSQL's sequences past them, so the rows the app
    inserts later (login sessions, audit events) get fresh ids."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
            )
        )


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A stored (naive UTC) time on `day`."""
    return datetime.combine(day, time(hour, minute))


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period(today: date, months: int) -> tuple[date, date]:
    """The simulated period: the first day of the month `months - 1` before today's, and today."""
    return add_months(today, -(months - 1)), today


def days_between(rng, start: date, end: date) -> date:
    """A random day from `start` to `end` inclusive (`start` if the range is empty)."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, span)) if span > 0 else start
