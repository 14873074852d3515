"""Signed loans with chosen dates and billing terms, for the tests of monthly actuals,
statements and their payment (no documents rendered)."""

from datetime import date

import pytest

from lending.extensions import db
from lending.models import AgreementStatus, BillingRegime, Loan, ProposalStatus
from lending.services.deals import actuals, agreements, statements
from tests.services.agreement_helpers import active_loan

FEB_2027 = date(2027, 2, 1)
MARCH_1 = date(2027, 3, 1)  # February's statement is issued from this day


def signed_loan(
    proposal,
    start: date = FEB_2027,
    end: date = date(2027, 6, 30),
    regime: BillingRegime = BillingRegime.COST_PRICE,
    share: int = 100,
) -> Loan:
    """The signed agreement of `proposal` (2 800 € salary, 1 200 € charges, 100 € expenses a
    month, 35 h a week) and its active loan from `start` to `end`."""
    proposal.status = ProposalStatus.ACCEPTED
    agreement = agreements.draft(proposal)
    agreement.status = AgreementStatus.SIGNED
    agreement.start_date, agreement.end_date = start, end
    agreement.salary_cents, agreement.charges_cents, agreement.expenses_cents = (
        2_800_00,
        1_200_00,
        100_00,
    )
    agreement.weekly_hours = 35
    agreement.billing_regime, agreement.billed_share_pct = regime, share
    loan = active_loan(agreement, start, end)
    db.session.commit()
    return loan


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def enter(loan, month, salary, charges, expenses, actor=None, **kw):
    """Enter a month's actuals (on the first day of the next month, by default)."""
    kw.setdefault("today", next_month(month))
    return actuals.record(loan, month, actuals.Figures(salary, charges, expenses), actor, **kw)


def bill(loan, month, actor=None, **kw):
    """Issue the month's statement (on the first day of the next month, by default)."""
    kw.setdefault("today", next_month(month))
    return statements.issue(loan, month, actor, **kw)


@pytest.fixture
def loan_feb_2027(market, make_proposal) -> Loan:
    """The market's first employee lent to its host from 1 February to 30 June 2027."""
    return signed_loan(make_proposal(market.scheme, market.employees[0], market.needs[0]))
