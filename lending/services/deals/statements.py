"""Monthly billing statements of a loan: the declared salary, charges and expenses prorated to
the days on loan, and what the lender bills, checked against the non-profit rule (L8241-1).
"""

import logging
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lending import money
from lending.extensions import db
from lending.models import BillingStatement, Loan, LoanStatus
from lending.services import audit
from lending.services.csv_files import csv_bytes
from lending.services.deals import billing_rules
from lending.services.errors import ServiceError

log = logging.getLogger(__name__)
CSV_HEADER = ["mois", "jours_de_pret", "jours_du_mois", "salaire_brut", "charges_patronales",
              "frais_professionnels", "cout_total", "montant_refacture", "regime",
              "entreprise_preteuse", "entreprise_utilisatrice", "salarie"]  # fmt: skip


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def loan_end(loan: Loan) -> date:
    return loan.ended_on or loan.end_date


def due_months(loan: Loan, today: date) -> list[date]:
    """Months of the loan that are over (a month is billed once it has ended)."""
    current = first_of_month(today)
    return [m for m in billing_rules.months_of(loan.start_date, loan_end(loan)) if m < current]


def issue(loan: Loan, month: date, actor=None, billed_cents: int | None = None) -> BillingStatement:
    """The statement of `month`; `billed_cents` defaults to the agreement's billed share."""
    month = first_of_month(month)
    if loan.status == LoanStatus.SCHEDULED:
        raise ServiceError(_("Le prêt n'a pas commencé : aucun relevé à établir."))
    if month not in billing_rules.months_of(loan.start_date, loan_end(loan)):
        raise ServiceError(_("Ce mois n'est pas couvert par le prêt."), "month")
    exists = db.session.scalar(
        select(BillingStatement).where(
            BillingStatement.loan_id == loan.id, BillingStatement.month == month
        )
    )
    if exists is not None:
        raise ServiceError(_("Le relevé de ce mois existe déjà."), "month")
    agreement = loan.agreement
    figures = billing_rules.prorate(
        month,
        loan.start_date,
        loan_end(loan),
        agreement.salary_cents,
        agreement.charges_cents,
        agreement.expenses_cents,
    )
    if billed_cents is None:
        billed_cents = billing_rules.billed_for(
            agreement.billing_regime, figures.cost_cents, agreement.billed_share_pct
        )
    billing_rules.check_billed(agreement.billing_regime, figures.cost_cents, billed_cents)
    statement = BillingStatement(
        loan_id=loan.id,
        month=month,
        days_on_loan=figures.days_on_loan,
        days_in_month=figures.days_in_month,
        salary_cents=figures.salary_cents,
        charges_cents=figures.charges_cents,
        expenses_cents=figures.expenses_cents,
        cost_cents=figures.cost_cents,
        billed_cents=billed_cents,
        regime=agreement.billing_regime.value,
    )
    try:
        with db.session.begin_nested():  # a clash undoes this statement only
            db.session.add(statement)
    except IntegrityError:
        raise ServiceError(_("Le relevé de ce mois existe déjà."), "month") from None
    audit.record("statement.issued", actor, statement)
    return statement


def issue_due(today: date) -> int:
    """The monthly job: every finished month of every started loan gets its statement.
    Each statement is its own savepoint: one refused statement (logged) stops no other."""
    count = 0
    for loan in db.session.scalars(select(Loan).where(Loan.status != LoanStatus.SCHEDULED)):
        have = {s.month for s in loan.statements}
        for month in due_months(loan, today):
            if month in have:
                continue
            try:
                with db.session.begin_nested():
                    issue(loan, month)
            except (ServiceError, ValueError, OverflowError) as exc:
                log.warning("statement of loan %s for %s not issued: %s", loan.id, month, exc)
            else:
                count += 1
    return count


def as_csv(statements: list[BillingStatement]) -> bytes:
    """Statements as a CSV file for spreadsheets (formula-looking cells escaped)."""
    rows: list[list] = [CSV_HEADER]
    for s in statements:
        agreement = s.loan.agreement
        rows.append(
            [
                s.month.strftime("%Y-%m"),
                s.days_on_loan,
                s.days_in_month,
                money.plain(s.salary_cents),
                money.plain(s.charges_cents),
                money.plain(s.expenses_cents),
                money.plain(s.cost_cents),
                money.plain(s.billed_cents),
                s.regime,
                agreement.lender_name,
                agreement.host_name,
                agreement.employee_full_name,
            ]
        )
    return csv_bytes(rows)
