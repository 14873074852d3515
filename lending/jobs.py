"""Scheduled jobs, run by the one scheduler process (`flask --app wsgi lending scheduler`).

Each job is "select due rows, act, mark, commit", with `now` passed in, and first claims its
slot (unique (job, slot) row), so a second scheduler or a re-run of the same slot does
nothing. Web workers never start the scheduler.
"""

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lending.extensions import db
from lending.models import JobClaim, Scheme
from lending.models._time import local_date, utcnow
from lending.services import proposals, signups, tasks, uow
from lending.services.deals import loans, statements

log = logging.getLogger(__name__)
EXPIRY_EVERY_MINUTES = 15
SYNC_EVERY_MINUTES = 5


def claim(job: str, now: datetime) -> bool:
    """Take the (job, minute) slot; False when it was already taken."""
    db.session.add(JobClaim(job=job, slot=now.strftime("%Y-%m-%dT%H:%M"), claimed_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def scheduled_round(scheme_id: int, now: datetime | None = None) -> None:
    """Queue the scheme's round for the workers, once per slot. While a round of the
    scheme runs, the task waits in the queue and runs once the scheme is free; slots that
    come meanwhile join the one queued task."""
    now = now or utcnow()
    scheme = db.session.get(Scheme, scheme_id)
    if scheme is None or not claim(f"round:{scheme_id}", now):
        return
    tasks.enqueue(
        "round",
        {"scheme_id": scheme_id, "trigger": "schedule"},
        dedupe_key=f"round:{scheme_id}",
        now=now,
    )
    uow.commit()


def purge_signups(now: datetime | None = None) -> int:
    """Daily: delete the sign-ups never confirmed in time."""
    now = now or utcnow()
    if not claim("purge-signups", now):
        return 0
    count = signups.purge_expired(now)
    uow.commit()
    return count


def reap_tasks(now: datetime | None = None) -> int:
    """Every minute: fail the tasks of dead workers (the workers do it too)."""
    from lending.worker import reap

    return reap(now or utcnow())


def expire_proposals(now: datetime | None = None) -> int:
    now = now or utcnow()
    if not claim("expire-proposals", now):
        return 0
    count = proposals.expire_due(now)
    uow.commit()
    return count


def advance_loans(now: datetime | None = None) -> dict[str, int]:
    """Daily: start, end and flag the loans that are due."""
    now = now or utcnow()
    if not claim("advance-loans", now):
        return {}
    counts = loans.advance(local_date(now))
    uow.commit()
    return counts


def issue_statements(now: datetime | None = None) -> int:
    """Monthly (and safe to run daily): statements of every finished month of every loan
    whose actuals the lender has entered."""
    now = now or utcnow()
    if not claim("issue-statements", now):
        return 0
    count = statements.issue_due(local_date(now))
    uow.commit()
    return count


def scheme_crons() -> dict[int, str]:
    return {
        row.id: row.matching_cron
        for row in db.session.execute(select(Scheme.id, Scheme.matching_cron))
    }
