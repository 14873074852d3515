"""The desk's loans: those starting or ending soon, those with a month over and no billing
statement."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, extract, func, or_, select
from sqlalchemy.orm import joinedload

from lending.extensions import db
from lending.models import BillingStatement, Loan, LoanStatus
from lending.services.deals import statements

SOON_DAYS = 15
RUNNING = (LoanStatus.SCHEDULED, LoanStatus.ACTIVE)
BILLED = (LoanStatus.ACTIVE, LoanStatus.ENDED)


@dataclass(frozen=True)
class Soon:
    """A loan whose start (`starts`) or planned end (`ends`) falls within SOON_DAYS, or is
    past and not recorded yet."""

    loan: Loan
    starts: bool
    ends: bool


def starting_or_ending(scope, today: date, limit: int) -> tuple[int, list[Soon]]:
    horizon = today + timedelta(days=SOON_DAYS)
    starts = and_(Loan.status == LoanStatus.SCHEDULED, Loan.start_date <= horizon)
    ends = and_(Loan.status.in_(RUNNING), Loan.end_date <= horizon)
    where = (Loan.scheme_id.in_(scope), or_(starts, ends))
    count = db.session.scalar(select(func.count()).select_from(Loan).where(*where))
    first = case((Loan.status == LoanStatus.SCHEDULED, Loan.start_date), else_=Loan.end_date)
    loans = db.session.scalars(
        select(Loan)
        .where(*where)
        .options(joinedload(Loan.agreement))
        .order_by(first, Loan.id)
        .limit(limit)
    ).all()
    return count or 0, [
        Soon(
            loan,
            loan.status == LoanStatus.SCHEDULED and loan.start_date <= horizon,
            loan.end_date <= horizon,
        )
        for loan in loans
    ]


@dataclass(frozen=True)
class Unbilled:
    """A started loan and the months already over that have no statement yet."""

    loan: Loan
    months: tuple[date, ...]


def _month_number(column):
    return extract("year", column) * 12 + extract("month", column)


def statements_missing(scope, today: date, limit: int) -> tuple[int, list[Unbilled]]:
    """Active and ended loans of the schemes of `scope` with a month over (see
    statements.due_months) and no statement for it, the oldest loan first. The months are
    counted in SQL; only the loans shown are read."""
    current = statements.first_of_month(today)
    this_month = current.year * 12 + current.month
    end = func.coalesce(Loan.ended_on, Loan.end_date)
    last_due = case((_month_number(end) < this_month, _month_number(end)), else_=this_month - 1)
    due = last_due - _month_number(Loan.start_date) + 1
    issued = func.count(BillingStatement.id)
    late = (
        select(Loan.id.label("loan_id"), Loan.start_date.label("start_date"))
        .outerjoin(
            BillingStatement,
            and_(  # only statements of due months count (see statements.due_months)
                BillingStatement.loan_id == Loan.id,
                BillingStatement.month < current,
                BillingStatement.month <= end,
            ),
        )
        .where(Loan.status.in_(BILLED), Loan.scheme_id.in_(scope))
        .group_by(Loan.id, Loan.start_date, Loan.end_date, Loan.ended_on)
        .having(issued < due)
        .subquery()
    )
    count = db.session.scalar(select(func.count()).select_from(late))
    ids = select(late.c.loan_id).order_by(late.c.start_date, late.c.loan_id).limit(limit)
    loans = db.session.scalars(
        select(Loan)
        .where(Loan.id.in_(ids))
        .options(joinedload(Loan.agreement))
        .order_by(Loan.start_date, Loan.id)
    ).all()
    have: dict[int, set[date]] = defaultdict(set)
    for loan_id, month in db.session.execute(
        select(BillingStatement.loan_id, BillingStatement.month).where(
            BillingStatement.loan_id.in_([loan.id for loan in loans])
        )
    ):
        have[loan_id].add(month)
    return count or 0, [
        Unbilled(
            loan, tuple(m for m in statements.due_months(loan, today) if m not in have[loan.id])
        )
        for loan in loans
    ]
