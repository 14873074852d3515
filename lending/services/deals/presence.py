"""The employee's continuous presence at the host, across loans (legal.md §5).

Two articles of the Code du travail turn on it:
- L1111-2, 2°: an employee lent by an outside firm who is present in the host's premises
  and has worked there for at least one year counts in the host's headcount, pro rata of
  the time present over the twelve previous months (not when replacing an absent employee
  or one whose contract is suspended);
- L2314-23: such an employee votes in the host's CSE elections after twelve continuous
  months of presence there, and chooses whether to vote in the host or in the lender; they
  are not eligible in the host. (The 24 months of eligibility some texts mention is the
  delegates' rule before the 2017 ordonnance, former L2314-18-1: the CSE has none.)

Presence is continuous across successive loans of the same employee to the same host firm
when the next loan starts at most `MAX_GAP_DAYS` days after the previous one ends: the day
after (back to back), or overlapping, or after a weekend or a weekend and a public holiday
(a loan ending on a Friday and the next starting on the Monday or the Tuesday). Those days
are not worked anyway, so they cannot be a return to the lender; a longer gap is, and
starts the count again. Counting them avoids a loan cut in two over a weekend escaping the
rule; the gap days count as presence, as the weekends inside a loan do.

Twelve months from a first day D are complete at the end of the day before the same date
one year later: from 1 March 2027, on 29 February 2028; from 29 February 2028 (no
29 February in 2029), on 27 February 2029.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from lending.extensions import db
from lending.models import Loan

MAX_GAP_DAYS = 3
MONTHS = 12


def twelve_months_on(since: date) -> date:
    """The day on which twelve months of presence starting on `since` are complete."""
    return since + relativedelta(months=MONTHS) - timedelta(days=1)


@dataclass(frozen=True)
class Presence:
    """A continuous presence at the host: first and last day (planned), how many loans."""

    since: date
    until: date
    loans: int

    @property
    def reached_on(self) -> date | None:
        """The day twelve months are complete, or None if the presence ends before."""
        day = twelve_months_on(self.since)
        return day if day <= self.until else None


def run_of(periods: list[tuple[date, date]], period: tuple[date, date]) -> Presence:
    """The continuous presence that holds `period` (first and last day, both included),
    among `periods` (the employee's other loans at the same host, in any order)."""
    runs: list[list] = []  # [since, until, loans], in order
    for start, end in sorted([*periods, period]):
        if runs and start <= runs[-1][1] + timedelta(days=MAX_GAP_DAYS + 1):
            runs[-1][1] = max(runs[-1][1], end)
            runs[-1][2] += 1
        else:
            runs.append([start, end, 1])
    since, until, loans = next(run for run in runs if run[0] <= period[0] <= run[1])
    return Presence(since, until, loans)


def _periods(employee_id: int, host_firm_id: int, leave_out: int | None = None):
    rows = db.session.execute(
        select(Loan.id, Loan.start_date, Loan.end_date).where(
            Loan.employee_id == employee_id, Loan.host_firm_id == host_firm_id
        )
    )
    return [(start, end) for id_, start, end in rows if id_ != leave_out]


def of_loan(loan: Loan) -> Presence:
    """The presence `loan` belongs to, with the employee's other loans at the same host.
    A loan's last day is its end date (an early end moves it)."""
    periods = _periods(loan.employee_id, loan.host_firm_id, leave_out=loan.id)
    return run_of(periods, (loan.start_date, loan.end_date))


def of_agreement(agreement, loan: Loan | None) -> Presence | None:
    """The presence the agreement's dates would make, if it goes to its end: with the
    employee's loans at the same host (its own loan, during an extension, replaced by the
    agreement's dates). None while its dates are missing or reversed."""
    start, end = agreement.start_date, agreement.end_date
    if start is None or end is None or end < start:
        return None
    leave_out = loan.id if loan is not None else None
    periods = _periods(agreement.employee_id, agreement.host_firm_id, leave_out=leave_out)
    return run_of(periods, (start, end))
