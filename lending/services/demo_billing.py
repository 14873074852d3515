"""The demo's monthly billing, lived once every deal's story is told, month after month
across all loans, so that each lender's statements are numbered in the order they were
issued (as the monthly job would have).

For each month over: the lending HR enters what was really paid on the month's last day
(the declared figures prorated, with now and then overtime, a bonus, an unpaid absence or
other expenses), the job issues the statement on the 1st of the next month, and the host
pays it some weeks later, or now and then contests it first.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lending.models import BillingStatement, Loan, LoanStatus, MonthlyActual
from lending.services.deals import actuals, billing_rules, payments, statements
from lending.services.demo_deals import Clock, Parties, moment

CONTEST_REASON = (
    "Heures supplémentaires non prévues par la convention : merci de joindre le relevé "
    "d'heures signé par notre chef d'atelier."
)


@dataclass
class _Bill:
    issue_day: date
    loan: Loan
    month: date
    parties: Parties


class Ledger:
    def __init__(self, clock: Clock, rng: random.Random):
        self.clock, self.rng = clock, rng
        self.loans: list[tuple[Loan, Parties]] = []

    def add(self, loan: Loan | None, parties: Parties) -> None:
        if loan is not None and loan.status != LoanStatus.SCHEDULED:
            self.loans.append((loan, parties))

    def run(self, today: date) -> int:
        """Enter, issue and settle every month over; returns the statements issued."""
        bills = [
            _Bill(billing_rules.month_bounds(month)[1] + timedelta(days=1), loan, month, parties)
            for loan, parties in self.loans
            for month in statements.due_months(loan, today)
        ]
        bills.sort(key=lambda b: (b.issue_day, b.loan.id, b.month))
        for bill in bills:
            self._enter(bill)
            statement = statements.issue(bill.loan, bill.month, today=bill.issue_day)
            statement.created_at = moment(bill.issue_day, 4)
            self.clock.settle(statement.created_at)
            self._settle(statement, bill, today)
        return len(bills)

    def _enter(self, bill: _Bill) -> MonthlyActual:
        line = actuals.month_of(bill.loan, bill.month, bill.issue_day)
        salary, charges, expenses = (
            line.declared.salary_cents,
            line.declared.charges_cents,
            line.declared.expenses_cents,
        )
        draw, note = self.rng.random(), ""
        if draw < 0.15:
            rate, note = self.rng.uniform(0.03, 0.12), "Heures supplémentaires"
        elif draw < 0.22:
            rate, note = self.rng.uniform(0.05, 0.2), "Prime exceptionnelle"
        elif draw < 0.28 and line.days_on_loan > 10:
            rate, note = -self.rng.uniform(0.05, 0.15), "Absence non rémunérée"
        else:
            rate = 0.0
        salary, charges = round(salary * (1 + rate)), round(charges * (1 + rate))
        if self.rng.random() < 0.25:
            expenses = max(0, expenses + self.rng.randint(-40, 120) * 100)
        entered_on = bill.issue_day - timedelta(days=1)
        row = actuals.record(
            bill.loan,
            bill.month,
            actuals.Figures(salary, charges, expenses),
            bill.parties.lender,
            note=note,
            today=entered_on,
        )
        row.entered_at = moment(entered_on, 16)
        self.clock.settle(row.entered_at)
        return row

    def _settle(self, statement: BillingStatement, bill: _Bill, today: date) -> None:
        host = bill.parties.host
        day = bill.issue_day + timedelta(days=self.rng.randint(8, 20))
        if self.rng.random() < 0.06 and day <= today:
            payments.contest(statement, CONTEST_REASON, host)
            statement.status_at = moment(day, 10)
            self.clock.settle(statement.status_at)
            if self.rng.random() < 0.5:
                return  # still under discussion
            day += timedelta(days=self.rng.randint(10, 30))
        day += timedelta(days=self.rng.randint(5, 25))
        if day <= today:
            payments.mark_paid(statement, day, host, today=day)
            statement.status_at = moment(day, 11)
            self.clock.settle(statement.status_at)
