"""Timestamps are stored in UTC, naive on SQLite, so compare them through these helpers."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current UTC time without tzinfo, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)
