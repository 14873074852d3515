"""What an operator needs beside each firm of their scheme: who to call, and how much the
firm does in the scheme (a few grouped queries, whatever the number of firms)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from lending.extensions import db
from lending.models import (
    Employee,
    EmployeeStatus,
    Enrolment,
    EnrolmentStatus,
    Loan,
    LoanStatus,
    Need,
    NeedStatus,
    Role,
    Scheme,
    User,
)


@dataclass(frozen=True)
class FirmActivity:
    contact: User | None  # the firm's first HR account
    available: int  # employees offered for lending
    open_needs: int
    running_loans: int  # loans of the scheme, scheduled or active, lending or hosting


def activity_of(scheme: Scheme) -> dict[int, FirmActivity]:
    """For each firm approved in `scheme`, by firm id."""
    firm_ids = select(Enrolment.firm_id).where(
        Enrolment.scheme_id == scheme.id, Enrolment.status == EnrolmentStatus.APPROVED
    )

    def counts(query) -> dict[int, int]:
        return {firm_id: n for firm_id, n in db.session.execute(query)}

    available = counts(
        select(Employee.firm_id, func.count())
        .where(Employee.firm_id.in_(firm_ids), Employee.status == EmployeeStatus.AVAILABLE)
        .group_by(Employee.firm_id)
    )
    needs = counts(
        select(Need.firm_id, func.count())
        .where(Need.firm_id.in_(firm_ids), Need.status == NeedStatus.OPEN)
        .group_by(Need.firm_id)
    )
    running = Loan.status.in_((LoanStatus.SCHEDULED, LoanStatus.ACTIVE))
    loans: dict[int, int] = {}
    for column in (Loan.lender_firm_id, Loan.host_firm_id):
        query = (
            select(column, func.count())
            .where(Loan.scheme_id == scheme.id, running, column.in_(firm_ids))
            .group_by(column)
        )
        for firm_id, n in db.session.execute(query):
            loans[firm_id] = loans.get(firm_id, 0) + n
    first_hr = (
        select(func.min(User.id))
        .where(User.firm_id.in_(firm_ids), User.role == Role.HR, User.active.is_(True))
        .group_by(User.firm_id)
    )
    contacts = {u.firm_id: u for u in db.session.scalars(select(User).where(User.id.in_(first_hr)))}
    return {
        firm_id: FirmActivity(
            contacts.get(firm_id),
            available.get(firm_id, 0),
            needs.get(firm_id, 0),
            loans.get(firm_id, 0),
        )
        for firm_id in db.session.scalars(firm_ids)
    }
