"""The desk's firm side: applications to decide, needs the last round left unmatched."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from lending.extensions import db
from lending.models import (
    Enrolment,
    EnrolmentStatus,
    Firm,
    MatchingRound,
    Need,
    NeedStatus,
    Role,
    RoundStatus,
    UnmatchedNeed,
    User,
)


@dataclass(frozen=True)
class Application:
    """A pending enrolment and who to call about it: the HR manager who applied, else the
    firm's first HR account (None if it has none left)."""

    enrolment: Enrolment
    contact: User | None


def to_approve(scope, limit: int) -> tuple[int, list[Application]]:
    """Pending applications to the schemes of `scope`, oldest first."""
    where = (Enrolment.status == EnrolmentStatus.PENDING, Enrolment.scheme_id.in_(scope))
    count = db.session.scalar(select(func.count()).select_from(Enrolment).where(*where))
    hr = aliased(User)
    first_hr = (
        select(func.min(hr.id))
        .where(hr.firm_id == Enrolment.firm_id, hr.role == Role.HR)
        .correlate(Enrolment)
        .scalar_subquery()
    )
    contact_id = func.coalesce(Enrolment.applied_by_id, first_hr)
    rows = db.session.execute(
        select(Enrolment, User)
        .join(Enrolment.firm)
        .outerjoin(User, User.id == contact_id)
        .where(*where)
        .options(contains_eager(Enrolment.firm).joinedload(Firm.commune))
        .order_by(Enrolment.applied_at, Enrolment.id)
        .limit(limit)
    ).all()
    return count or 0, [Application(enrolment, contact) for enrolment, contact in rows]


def _last_rounds(scope):
    """The last finished round of each scheme of `scope` (ids grow with the start, and a
    scheme runs one round at a time)."""
    return (
        select(func.max(MatchingRound.id).label("round_id"))
        .where(MatchingRound.status == RoundStatus.DONE, MatchingRound.scheme_id.in_(scope))
        .group_by(MatchingRound.scheme_id)
    )


def without_candidate(scope, limit: int) -> tuple[int, list[UnmatchedNeed]]:
    """Needs still open that the last finished round of their scheme left unmatched, with
    its reason (UnmatchedNeed.reason_label), the longest open first."""
    where = (
        UnmatchedNeed.round_id.in_(_last_rounds(scope)),
        Need.status == NeedStatus.OPEN,
    )
    count = db.session.scalar(
        select(func.count()).select_from(UnmatchedNeed).join(UnmatchedNeed.need).where(*where)
    )
    lines = db.session.scalars(
        select(UnmatchedNeed)
        .join(UnmatchedNeed.need)
        .where(*where)
        .options(
            contains_eager(UnmatchedNeed.need).joinedload(Need.firm),
            joinedload(UnmatchedNeed.round),
        )
        .order_by(Need.created_at, Need.id)
        .limit(limit)
    ).all()
    return count or 0, list(lines)
