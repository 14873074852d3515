"""The edge of a unit of work: commit, then send what was queued during it."""

from typing import Any, cast

from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.exc import IntegrityError

from lending.extensions import db
from lending.services import mail
from lending.services.errors import ServiceError


def commit() -> list[str]:
    """Commit the session; queued emails leave only once the data they describe is stored.

    Returns the addresses an email could not be sent to (see mail.send_queued)."""
    db.session.commit()
    return mail.send_queued()


def flush_or_refuse(message: str, field: str | None = None) -> None:
    """Flush; a unique-constraint clash rolls the unit of work back and raises
    ServiceError(message).

    The services check uniqueness first for a precise message; this covers the race
    where two requests pass that check at the same time (a double click, say).
    """
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(message, field) from None


def rollback() -> None:
    db.session.rollback()
    mail.discard_queued()


def rowcount(result: Result[Any]) -> int:
    """The rows that an UPDATE or DELETE run by db.session.execute() matched. The session
    returns a CursorResult for those statements, though it is typed as a plain Result."""
    return cast(CursorResult[Any], result).rowcount
