"""Load the shipped reference files (lending/reference/data/) into the database.

The files are built by scripts/build_reference.py. Loading is idempotent: rows missing from a
table are inserted, rows whose values changed in the files are updated, and nothing is ever
deleted (firms and people reference communes, so a commune that disappears from a newer file
stays in the database).
"""

import csv
import gzip
import io
import logging
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

from lending.models.reference import (
    Commune,
    Departement,
    NafCode,
    NafDivision,
    NafSection,
    PostalCode,
    Region,
)

DATA_DIR = Path(__file__).parent / "data"
CHUNK_SIZE = 5000

log = logging.getLogger(__name__)


def _int_or_none(value: str) -> int | None:
    return int(value) if value else None


# (table, file, ((database column, file column, converter), ...)), parents before children.
Column = tuple[str, str, Callable[[str], Any]]
SOURCES: tuple[tuple[Table, str, tuple[Column, ...]], ...] = (
    (Region.__table__, "regions.csv", (("code", "code", str), ("name", "name", str))),
    (
        Departement.__table__,
        "departements.csv",
        (("code", "code", str), ("name", "name", str), ("region_code", "region_code", str)),
    ),
    (
        Commune.__table__,
        "communes.csv.gz",
        (
            ("insee", "insee", str),
            ("name", "name", str),
            ("departement_code", "departement_code", str),
            ("population", "population", _int_or_none),
            ("latitude", "latitude", float),
            ("longitude", "longitude", float),
            ("coord_source", "coord_source", str),
        ),
    ),
    (
        PostalCode.__table__,
        "postal_codes.csv.gz",
        (("code", "code", str), ("commune_insee", "commune_insee", str)),
    ),
    (NafSection.__table__, "naf_sections.csv", (("code", "code", str), ("label", "label", str))),
    (
        NafDivision.__table__,
        "naf_divisions.csv",
        (("code", "code", str), ("label", "label", str), ("section_code", "section", str)),
    ),
    (
        NafCode.__table__,
        "naf_codes.csv",
        (
            ("code", "code", str),
            ("label", "label", str),
            ("division", "division", str),
            ("section_code", "section", str),
        ),
    ),
)


def read_rows(filename: str, columns: tuple[Column, ...]) -> Iterator[dict[str, Any]]:
    """Rows of one data file, keyed by database column and converted."""
    raw = (DATA_DIR / filename).read_bytes()
    if filename.endswith(".gz"):
        raw = gzip.decompress(raw)
    for record in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        yield {column: convert(record[field]) for column, field, convert in columns}


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=0, abs_tol=1e-7)
    return old == new


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK_SIZE):
        yield rows[start : start + CHUNK_SIZE]


def _load_table(session: Session, table: Table, filename: str, columns: tuple[Column, ...]):
    keys = [column.name for column in table.primary_key.columns]
    others = [name for name, _, _ in columns if name not in keys]
    existing = {
        tuple(row[: len(keys)]): tuple(row[len(keys) :])
        for row in session.execute(select(*(table.c[name] for name in keys + others)))
    }
    missing, changed = [], []
    for row in read_rows(filename, columns):
        old = existing.get(tuple(row[name] for name in keys))
        if old is None:
            missing.append(row)
        elif not all(_same(o, row[name]) for o, name in zip(old, others, strict=True)):
            changed.append(row)
    for chunk in _chunks(missing):
        session.execute(insert(table), chunk)
    if changed:
        statement = (
            update(table)
            .where(and_(*(table.c[name] == bindparam(f"key_{name}") for name in keys)))
            .values({name: bindparam(f"new_{name}") for name in others})
        )
        for chunk in _chunks(changed):
            params = [
                {f"key_{name}": row[name] for name in keys}
                | {f"new_{name}": row[name] for name in others}
                for row in chunk
            ]
            session.execute(statement, params)
    return len(missing), len(changed)


def load_reference(session: Session) -> dict[str, int]:
    """Insert missing and update changed reference rows; return inserts per table.

    Flushes only: the caller commits (the CLI command, the test set-up).
    """
    inserted = {}
    for table, filename, columns in SOURCES:
        added, updated = _load_table(session, table, filename, columns)
        inserted[table.name] = added
        if added or updated:
            log.info("reference %s: %d inserted, %d updated", table.name, added, updated)
    session.flush()
    return inserted


def reference_is_loaded(session: Session) -> bool:
    """True when every reference table holds at least one row."""
    return all(
        session.execute(select(table.c[0]).limit(1)).first() is not None for table, _, _ in SOURCES
    )
