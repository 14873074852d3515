"""Monthly billing statements of a loan: the salary, charges and expenses the lender really
paid for the days on loan (the month's entered actuals, see actuals.py), and what it bills,
checked against the non-profit rule (L8241-1). Each statement gets a number, sequential per
lender and calendar year of issue ("2027-0001"), and its issue date; the host marks it paid
or contested (payments.py).
"""

import logging
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lending import money
from lending.extensions import db
from lending.models import (
    Agreement,
    BillingStatement,
    DocumentKind,
    Loan,
    LoanStatus,
    MonthlyActual,
)
from lending.models._time import local_date
from lending.services import audit
from lending.services.csv_files import csv_bytes
from lending.services.deals import actuals, billing_rules, hours
from lending.services.errors import ServiceError

log = logging.getLogger(__name__)
CSV_HEADER = ["numero", "date_d_emission", "mois", "jours_de_pret", "jours_du_mois",
              "heures_de_pret", "salaire_brut", "charges_patronales", "frais_professionnels",
              "cout_total", "montant_refacture", "regime", "paiement",
              "entreprise_preteuse", "entreprise_utilisatrice", "salarie"]  # fmt: skip
NUMBER_ATTEMPTS = 5  # numbers taken meanwhile by statements issued at the same moment


def first_of_month(day: date) -> date:
    return day.replace(day=1)


loan_end = actuals.loan_end


def due_months(loan: Loan, today: date) -> list[date]:
    """Months of the loan that are over (a month is billed once it has ended)."""
    current = first_of_month(today)
    return [m for m in billing_rules.months_of(loan.start_date, loan_end(loan)) if m < current]


def convention_ref(agreement: Agreement) -> str:
    """ "n° 12, version 2": the agreement and its latest signed convention."""
    signed = [d.version for d in agreement.signed_documents() if d.kind == DocumentKind.CONVENTION]
    return f"n° {agreement.id}, version {max(signed, default=agreement.version)}"


def _exists(loan: Loan, month: date) -> bool:
    return (
        db.session.scalar(
            select(BillingStatement.id).where(
                BillingStatement.loan_id == loan.id, BillingStatement.month == month
            )
        )
        is not None
    )


def _next_seq(lender_firm_id: int, year: int) -> int:
    last = db.session.scalar(
        select(func.max(BillingStatement.number_seq)).where(
            BillingStatement.lender_firm_id == lender_firm_id,
            BillingStatement.number_year == year,
        )
    )
    return (last or 0) + 1


def _numbered(values: dict, loan: Loan, month: date, year: int) -> BillingStatement:
    """Insert the statement with the lender's next number of `year`.

    The number is the largest of the year plus one. Two statements of one lender issued at
    the same moment both read the same largest number: the unique constraint on (lender,
    year, number) lets one in, the other's savepoint rolls back and it reads again (on
    PostgreSQL a statement sees the rows committed before it began). No number is skipped:
    a refused statement takes none."""
    for _attempt in range(NUMBER_ATTEMPTS):
        statement = BillingStatement(
            **values, number_year=year, number_seq=_next_seq(loan.lender_firm_id, year)
        )
        try:
            with db.session.begin_nested():  # a clash undoes this statement only
                db.session.add(statement)
        except IntegrityError:
            if _exists(loan, month):
                raise ServiceError(_("Le relevé de ce mois existe déjà."), "month") from None
            continue
        return statement
    raise ServiceError(
        _("Trop de relevés sont établis en ce moment : réessayez dans un instant."), "month"
    )


def issue(
    loan: Loan,
    month: date,
    actor=None,
    billed_cents: int | None = None,
    today: date | None = None,
) -> BillingStatement:
    """The statement of `month`, issued `today` (the Paris date by default), from the
    month's entered actuals; `billed_cents` defaults to the agreement's billed share of
    their cost. ServiceError if the month is not over, has no actuals, is billed already,
    or the amount breaks the agreement's regime."""
    today = today or local_date()
    month = first_of_month(month)
    if loan.status == LoanStatus.SCHEDULED:
        raise ServiceError(_("Le prêt n'a pas commencé : aucun relevé à établir."))
    if month not in billing_rules.months_of(loan.start_date, loan_end(loan)):
        raise ServiceError(_("Ce mois n'est pas couvert par le prêt."), "month")
    if month >= first_of_month(today):
        raise ServiceError(
            _(
                "%(month)s n'est pas terminé : son relevé s'établit à partir du mois suivant.",
                month=actuals.month_words(month).capitalize(),
            ),
            "month",
        )
    if _exists(loan, month):
        raise ServiceError(_("Le relevé de ce mois existe déjà."), "month")
    actual = actuals.latest(loan, month)
    if actual is None:
        raise ServiceError(
            _(
                "Saisissez d'abord les montants réellement versés pour %(month)s (salaire brut, "
                "charges patronales, frais remboursés) : le relevé se calcule sur eux.",
                month=actuals.month_words(month),
            ),
            "month",
        )
    values = _values(loan, month, actuals.figures_of(actual), billed_cents, today)
    statement = _numbered(values, loan, month, today.year)
    audit.record("statement.issued", actor, statement)
    return statement


def draft(
    loan: Loan,
    month: date,
    figures: actuals.Figures,
    today: date,
    number_seq: int = 1,
    billed_cents: int | None = None,
) -> BillingStatement:
    """The statement `issue` would write for `month` from `figures`, numbered `number_seq`
    of `today`'s year, checked against the regime (ServiceError) but neither stored nor
    attached to the session: for sample documents and previews. The loan may be transient
    (an agreement, its dates); give it to `documents.statement.render_statement`."""
    values = _values(loan, first_of_month(month), figures, billed_cents, today)
    return BillingStatement(**values, number_year=today.year, number_seq=number_seq)


def _values(
    loan: Loan, month: date, figures: actuals.Figures, billed_cents: int | None, today: date
) -> dict:
    """The columns of the statement of `month`, billing `billed_cents` (default: the
    agreement's share of the cost) once the regime allows it."""
    agreement = loan.agreement
    cost = figures.cost_cents
    if billed_cents is None:
        billed_cents = billing_rules.billed_for(
            agreement.billing_regime, cost, agreement.billed_share_pct
        )
    billing_rules.check_billed(agreement.billing_regime, cost, billed_cents)
    first, last = actuals.on_loan(loan, month)
    days = hours.working_days(first, last)
    return {
        "loan_id": loan.id,
        "lender_firm_id": loan.lender_firm_id,
        "issue_date": today,
        "convention_ref": convention_ref(agreement),
        "month": month,
        "days_on_loan": (last - first).days + 1,
        "days_in_month": billing_rules.month_bounds(month)[1].day,
        "working_days": days,
        "hours_on_loan": hours.hours_on_loan(agreement.weekly_hours, days),
        "salary_cents": figures.salary_cents,
        "charges_cents": figures.charges_cents,
        "expenses_cents": figures.expenses_cents,
        "cost_cents": cost,
        "billed_cents": billed_cents,
        "regime": agreement.billing_regime.value,
    }


def issue_due(today: date) -> int:
    """The monthly job: every finished month of every started loan whose actuals are
    entered gets its statement (a month without them waits for the lender's HR, and the
    operator's desk lists it). Each statement is its own savepoint: one refused statement
    (logged) stops no other."""
    count = 0
    entered = {
        (loan_id, month)
        for loan_id, month in db.session.execute(
            select(MonthlyActual.loan_id, MonthlyActual.month).distinct()
        )
    }
    for loan in db.session.scalars(select(Loan).where(Loan.status != LoanStatus.SCHEDULED)):
        have = {s.month for s in loan.statements}
        for month in due_months(loan, today):
            if month in have or (loan.id, month) not in entered:
                continue
            try:
                with db.session.begin_nested():
                    issue(loan, month, today=today)
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
                s.number,
                s.issue_date.isoformat(),
                s.month.strftime("%Y-%m"),
                s.days_on_loan,
                s.days_in_month,
                str(s.hours_on_loan).replace(".", ","),
                money.plain(s.salary_cents),
                money.plain(s.charges_cents),
                money.plain(s.expenses_cents),
                money.plain(s.cost_cents),
                money.plain(s.billed_cents),
                s.regime,
                s.payment_status.value,
                agreement.lender_name,
                agreement.host_name,
                agreement.employee_full_name,
            ]
        )
    return csv_bytes(rows)
