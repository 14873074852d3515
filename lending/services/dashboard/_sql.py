"""The few SQL expressions that differ between SQLite and PostgreSQL: dates of timestamps,
differences in days, month keys and the greatest of several values."""

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, case, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class as_date(FunctionElement):  # noqa: N801 - used like a SQL function
    """The calendar date of a timestamp (as stored: UTC)."""

    type = Date()
    inherit_cache = True


@compiles(as_date)
def _as_date(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(as_date, "sqlite")
def _as_date_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


class day_diff(FunctionElement):  # noqa: N801
    """day_diff(later, earlier): whole days from `earlier` to `later`, both dates."""

    type = Integer()
    inherit_cache = True


@compiles(day_diff)
def _day_diff(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


@compiles(day_diff, "sqlite")
def _day_diff_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class month_key(FunctionElement):  # noqa: N801
    """ "2027-03" for any date or timestamp of March 2027."""

    type = String()
    inherit_cache = True


@compiles(month_key)
def _month_key(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(month_key, "sqlite")
def _month_key_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


class greatest(FunctionElement):  # noqa: N801
    """The greatest of its arguments (none of them NULL), of the first one's type: the
    latest of timestamps, the larger of integers."""

    inherit_cache = True

    def __init__(self, first, *others):
        super().__init__(first, *others)
        self.type = self.clauses.clauses[0].type


@compiles(greatest)
def _greatest(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


DateColumn = ColumnElement[date] | InstrumentedAttribute[date]


def earlier(column: DateColumn, day: date) -> ColumnElement[date]:
    """The earlier of a date column and a date, the same way on both databases."""
    return case((column < day, column), else_=literal(day, Date()))


def later(column: DateColumn, day: date) -> ColumnElement[date]:
    return case((column > day, column), else_=literal(day, Date()))


class unindexed(FunctionElement):  # noqa: N801
    """The column, marked so SQLite does not drive the query through its index (SQLite's
    unary `+`); PostgreSQL gets the column as is."""

    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw):
    return f"+{compiler.process(element.clauses, **kw)}"


class member(FunctionElement):  # noqa: N801
    """member(firm_id column, select of firm ids): a row whose firm is one of the set, as a
    filter on the rows read, never the other way round. The rows (needs, proposals, loans
    of a period) are read through their own index and each firm looked up in the set, built
    once. Both planners would otherwise start from the firms: SQLite searching the rows of
    each firm of the list by its index; PostgreSQL too, as it takes the firms of a few
    départements for a few hundred (it cannot know a scheme's firms are all there), so
    the semi-join is kept out of its reordering (`IS TRUE`: a hashed filter)."""

    type = Boolean()
    inherit_cache = True

    def __init__(self, column, ids):
        super().__init__(column.in_(ids), unindexed(column).in_(ids))


@compiles(member)
def _member(element, compiler, **kw):
    plain = element.clauses.clauses[0]
    return f"({compiler.process(plain, **kw)}) IS TRUE"


@compiles(member, "sqlite")
def _member_sqlite(element, compiler, **kw):
    return compiler.process(element.clauses.clauses[1], **kw)


class kept(FunctionElement):  # noqa: N801
    """A condition PostgreSQL evaluates where it stands, row by row (`IS TRUE` keeps an
    EXISTS out of its join reordering); SQLite runs such an EXISTS row by row anyway."""

    type = Boolean()
    inherit_cache = True


@compiles(kept)
def _kept(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)}) IS TRUE"


@compiles(kept, "sqlite")
def _kept_sqlite(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


class day_after(FunctionElement):  # noqa: N801
    """The day after a date."""

    type = Date()
    inherit_cache = True


@compiles(day_after)
def _day_after(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)} + 1) AS DATE)"


@compiles(day_after, "sqlite")
def _day_after_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+1 day')"
