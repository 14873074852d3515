"""Timestamps are stored in UTC, naive on SQLite, so compare them through these helpers."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Current UTC time without tzinfo, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


PARIS = ZoneInfo("Europe/Paris")


def local_date(moment: datetime | None = None) -> date:
    """The calendar date in France of a stored UTC time (default: now). Loan dates are
    French calendar dates, so "before the start" and "due today" are judged on this."""
    moment = moment or utcnow()
    return moment.replace(tzinfo=UTC).astimezone(PARIS).date()
