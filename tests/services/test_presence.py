"""Twelve months of continuous presence at the host (L1111-2, L2314-23): counted across
back-to-back loans of one employee to one host, on the calendar (a leap year included), and
flagged by the daily job even on a loan's last day."""

from datetime import date, timedelta

import pytest

from lending.models import LoanStatus, ProposalStatus
from lending.services import uow
from lending.services.deals import agreements, loans, presence
from tests.services.agreement_helpers import active_loan


@pytest.mark.parametrize(
    ("since", "complete"),
    [
        (date(2027, 3, 1), date(2028, 2, 29)),  # 2028 is a leap year: 366 days
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2027, 1, 15), date(2028, 1, 14)),
        (date(2028, 2, 29), date(2029, 2, 27)),  # no 29 February in 2029
    ],
)
def test_twelve_months_are_complete_the_day_before_the_anniversary(since, complete):
    assert presence.twelve_months_on(since) == complete


def test_a_loan_of_exactly_twelve_months_reaches_them_on_its_last_day():
    run = presence.run_of([], (date(2027, 3, 1), date(2028, 2, 29)))
    assert run.reached_on == date(2028, 2, 29)
    assert presence.run_of([], (date(2027, 3, 1), date(2028, 2, 28))).reached_on is None


def test_back_to_back_and_overlapping_loans_add_up():
    first, second = (date(2027, 1, 1), date(2027, 6, 30)), (date(2027, 7, 1), date(2027, 12, 31))
    run = presence.run_of([first], second)
    assert (run.since, run.until, run.loans) == (date(2027, 1, 1), date(2027, 12, 31), 2)
    assert run.reached_on == date(2027, 12, 31)
    overlapping = (date(2027, 6, 1), date(2027, 12, 31))
    assert presence.run_of([first], overlapping).since == date(2027, 1, 1)
    # in any order, through a loan in between
    third = (date(2028, 1, 1), date(2028, 3, 31))
    assert presence.run_of([third, second], first).until == date(2028, 3, 31)


@pytest.mark.parametrize(
    ("next_start", "joined"),
    [
        (date(2027, 7, 5), True),  # Friday 2 July, then Monday 5 July: a weekend
        (date(2027, 7, 6), True),  # a weekend and a public holiday (three days off)
        (date(2027, 7, 7), False),  # four days back at the lender: the count starts again
    ],
)
def test_a_gap_of_three_days_at_most_keeps_the_presence_continuous(next_start, joined):
    first = (date(2027, 1, 4), date(2027, 7, 2))
    run = presence.run_of([first], (next_start, date(2027, 12, 31)))
    assert run.since == (first[0] if joined else next_start)


@pytest.fixture
def employee_loans(market, make_proposal, make_firm, make_need):
    """Loans of the market's first employee: `make(start, end, host=None, status=...)`."""

    def make(start: date, end: date, host=None, status=LoanStatus.ENDED):
        need = market.needs[0] if host is None else make_need(host, positions=1)
        running = status != LoanStatus.ENDED
        proposal = make_proposal(
            market.scheme,
            market.employees[0],
            need,
            status=ProposalStatus.ACCEPTED if running else ProposalStatus.COMPLETED,
        )
        loan = active_loan(agreements.draft(proposal), start, end)
        loan.status = status
        if status == LoanStatus.ENDED:
            loan.ended_on = end
        uow.commit()
        return loan

    make.other_host = lambda: make_firm("Conserverie du Lot", naf="10.39A")
    return make


def test_the_leap_year_loan_is_flagged_on_its_last_day(employee_loans):
    loan = employee_loans(date(2027, 3, 1), date(2028, 2, 29), status=LoanStatus.ACTIVE)
    assert loans.advance(date(2028, 2, 28))["twelve_months"] == 0
    assert loans.advance(date(2028, 2, 29))["twelve_months"] == 1
    uow.commit()
    assert loan.twelve_months_on == date(2028, 2, 29)
    assert [e.kind for e in loan.events] == ["twelve_months"]


def test_the_job_run_the_day_after_the_end_still_flags_then_ends(employee_loans):
    loan = employee_loans(date(2027, 3, 1), date(2028, 2, 29), status=LoanStatus.ACTIVE)
    counts = loans.advance(date(2028, 3, 1))
    uow.commit()
    assert (counts["twelve_months"], counts["ended"]) == (1, 1)
    assert (loan.status, loan.twelve_months_on) == (LoanStatus.ENDED, date(2028, 2, 29))
    assert loans.advance(date(2028, 3, 2))["twelve_months"] == 0  # idempotent


def test_back_to_back_loans_to_one_host_are_added_up(employee_loans):
    employee_loans(date(2027, 1, 1), date(2027, 6, 30))
    second = employee_loans(date(2027, 7, 1), date(2028, 3, 31), status=LoanStatus.ACTIVE)
    assert loans.advance(date(2027, 12, 30))["twelve_months"] == 0
    assert loans.advance(date(2027, 12, 31))["twelve_months"] == 1
    uow.commit()
    assert second.twelve_months_on == date(2027, 12, 31)
    assert presence.of_loan(second).since == date(2027, 1, 1)


def test_a_loan_starting_after_twelve_months_there_is_flagged_on_its_first_day(employee_loans):
    employee_loans(date(2026, 1, 1), date(2027, 3, 31))
    third = employee_loans(date(2027, 4, 1), date(2027, 9, 30), status=LoanStatus.ACTIVE)
    assert loans.advance(date(2027, 4, 2))["twelve_months"] == 1
    assert third.twelve_months_on == date(2027, 4, 1)


def test_loans_to_another_host_or_after_a_return_are_not_added_up(employee_loans):
    employee_loans(date(2027, 1, 1), date(2027, 6, 30), host=employee_loans.other_host())
    employee_loans(date(2026, 1, 1), date(2026, 12, 31))  # same host, but a year before
    loan = employee_loans(date(2027, 7, 1), date(2028, 3, 31), status=LoanStatus.ACTIVE)
    assert loans.advance(date(2028, 3, 31))["twelve_months"] == 0
    run = presence.of_loan(loan)
    assert (run.since, run.loans, run.reached_on) == (date(2027, 7, 1), 1, None)


def test_an_agreement_is_told_when_its_loan_would_reach_twelve_months(employee_loans):
    employee_loans(date(2027, 1, 1), date(2027, 6, 30))
    agreement = employee_loans(
        date(2027, 7, 1), date(2027, 11, 30), status=LoanStatus.ACTIVE
    ).agreement
    agreement.end_date = date(2028, 1, 31)  # an extension in preparation
    loan = agreements.loan_of(agreement)
    run = presence.of_agreement(agreement, loan)
    assert (run.since, run.until, run.loans) == (date(2027, 1, 1), date(2028, 1, 31), 2)
    assert run.reached_on == date(2027, 12, 31)
    agreement.end_date = agreement.start_date - timedelta(days=1)
    assert presence.of_agreement(agreement, loan) is None
