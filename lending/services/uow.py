"""The edge of a unit of work: commit, then send what was queued during it."""

from lending.extensions import db
from lending.services import mail


def commit() -> None:
    """Commit the session; queued emails leave only once the data they describe is stored."""
    db.session.commit()
    mail.send_queued()


def rollback() -> None:
    db.session.rollback()
    mail.discard_queued()
