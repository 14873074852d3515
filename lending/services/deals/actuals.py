"""What the lender really paid, month by month (Code du travail L8241-1: the host is billed
the salaries actually paid, their social charges and the professional expenses reimbursed).

For each month of a loan the lending HR enters, by hand or from a file (actuals_import.py),
the gross pay, employer charges and expenses reimbursed for the days on loan. Until then a
month shows the agreement's declared monthly figures prorated to its days on loan, as a
starting point only: a statement is issued from entered figures, never from the declared
ones. Every entry is a new version of the month (MonthlyActual); none is overwritten. A
month whose statement is issued is closed: the statement and its figures stay as issued.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from lending import money
from lending.extensions import db
from lending.models import ActualSource, BillingStatement, Loan, MonthlyActual
from lending.models._time import local_date
from lending.services import audit, uow
from lending.services.deals import billing_rules
from lending.services.errors import ServiceError, ValidationError

MAX_CENTS = 100_000_00  # per amount and month: past it, a typing accident
MAX_NOTE = 500
FIELDS = ("salary_cents", "charges_cents", "expenses_cents")


@dataclass(frozen=True)
class Figures:
    """A month's gross pay, employer charges and reimbursed expenses, in cents."""

    salary_cents: int
    charges_cents: int
    expenses_cents: int

    @property
    def cost_cents(self) -> int:
        return self.salary_cents + self.charges_cents + self.expenses_cents


@dataclass(frozen=True)
class Month:
    """One month of a loan as the actuals page shows it."""

    month: date  # first day
    days_on_loan: int
    days_in_month: int
    declared: Figures  # the agreement's monthly figures prorated to the days on loan
    actual: MonthlyActual | None  # the latest entry, if any
    statement: BillingStatement | None
    open: bool  # figures may be entered (the month has begun, and is not billed)

    @property
    def figures(self) -> Figures:
        """The entered figures, else the declared ones (what the form starts from)."""
        return figures_of(self.actual) if self.actual is not None else self.declared


def figures_of(actual: MonthlyActual) -> Figures:
    return Figures(actual.salary_cents, actual.charges_cents, actual.expenses_cents)


def month_words(month: date) -> str:
    """ "février 2027" (in the reader's language: a message, not a document)."""
    return format_date(month, "LLLL yyyy")


def loan_end(loan: Loan) -> date:
    return loan.ended_on or loan.end_date


def on_loan(loan: Loan, month: date) -> tuple[date, date]:
    """The first and last days on loan in `month` (the month must be one of the loan's)."""
    first, last = billing_rules.month_bounds(month)
    return max(first, loan.start_date), min(last, loan_end(loan))


def declared(loan: Loan, month: date) -> billing_rules.MonthFigures:
    a = loan.agreement
    return billing_rules.prorate(
        month, loan.start_date, loan_end(loan), a.salary_cents, a.charges_cents, a.expenses_cents
    )


def latest(loan: Loan, month: date) -> MonthlyActual | None:
    return db.session.scalar(
        select(MonthlyActual)
        .where(MonthlyActual.loan_id == loan.id, MonthlyActual.month == month)
        .order_by(MonthlyActual.version.desc())
        .limit(1)
    )


def history(loan: Loan, month: date) -> list[MonthlyActual]:
    """Every entry of the month, the latest first."""
    return list(
        db.session.scalars(
            select(MonthlyActual)
            .where(MonthlyActual.loan_id == loan.id, MonthlyActual.month == month)
            .order_by(MonthlyActual.version.desc())
        )
    )


def latest_by_month(loan: Loan) -> dict[date, MonthlyActual]:
    """The latest entry of each month of the loan, in one query."""
    rows = db.session.scalars(
        select(MonthlyActual)
        .where(MonthlyActual.loan_id == loan.id)
        .order_by(MonthlyActual.month, MonthlyActual.version)
    )
    return {row.month: row for row in rows}  # the later versions win


def months(loan: Loan, today: date | None = None) -> list[Month]:
    """Every month of the loan that has begun, with its figures."""
    today = today or local_date()
    entered = latest_by_month(loan)
    billed = {s.month: s for s in loan.statements}
    lines = []
    for month in billing_rules.months_of(loan.start_date, loan_end(loan)):
        if on_loan(loan, month)[0] > today:
            break
        figures = declared(loan, month)
        prorated = Figures(figures.salary_cents, figures.charges_cents, figures.expenses_cents)
        lines.append(
            Month(
                month=month,
                days_on_loan=figures.days_on_loan,
                days_in_month=figures.days_in_month,
                declared=prorated,
                actual=entered.get(month),
                statement=billed.get(month),
                open=month not in billed,
            )
        )
    return lines


def month_of(loan: Loan, month: date, today: date | None = None) -> Month:
    """The month of the loan (any day of it), or ServiceError if it is none of its months
    or has not begun."""
    month = month.replace(day=1)
    for line in months(loan, today):
        if line.month == month:
            return line
    raise ServiceError(
        _(
            "%(month)s n'est pas un mois commencé de ce prêt (du %(start)s au %(end)s).",
            month=month_words(month).capitalize(),
            start=billing_rules.fr_date(loan.start_date),
            end=billing_rules.fr_date(loan_end(loan)),
        ),
        "month",
    )


def amount_problem(cents: int) -> str | None:
    """The French message refusing a month's amount, if it is out of bounds."""
    if 0 <= cents <= MAX_CENTS:
        return None
    return _(
        "Montant entre 0 et %(max)s : %(value)s indiqués.",
        max=money.euros(MAX_CENTS),
        value=money.euros(cents),
    )


def problems(figures: Figures) -> dict[str, str]:
    """{field: French message} of the amounts out of bounds."""
    found = {field: amount_problem(getattr(figures, field)) for field in FIELDS}
    return {field: message for field, message in found.items() if message}


def check(loan: Loan, month: date, figures: Figures, today: date | None = None) -> Month:
    """The month, if `figures` may be entered for it; else ServiceError (ValidationError
    for amounts out of bounds)."""
    line = month_of(loan, month, today)
    if line.statement is not None:
        raise ServiceError(
            _(
                "Le relevé n° %(number)s de %(month)s est établi : les montants de ce mois ne "
                "changent plus.",
                number=line.statement.number,
                month=month_words(line.month),
            ),
            "month",
        )
    if found := problems(figures):
        raise ValidationError(found)
    return line


def record(
    loan: Loan,
    month: date,
    figures: Figures,
    actor,
    source: ActualSource = ActualSource.FORM,
    note: str = "",
    based_on: int | None = None,
    today: date | None = None,
) -> MonthlyActual:
    """Enter the figures of `month`: a new version, the earlier ones kept.

    `based_on` is the version the person saw when typing (0: none yet); if someone entered
    another one meanwhile, the entry is refused rather than silently replace it (and the
    unit of work rolled back). Entering the figures the month already holds (note
    included) changes nothing."""
    line = check(loan, month, figures, today)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ServiceError(_("Commentaire de %(max)d caractères au plus.", max=MAX_NOTE), "note")
    current = line.actual
    version = current.version if current is not None else 0
    if based_on is not None and based_on != version:
        raise ServiceError(_changed_meanwhile(line.month))
    if current is not None and figures_of(current) == figures and current.note == note:
        return current
    row = MonthlyActual(
        loan_id=loan.id,
        month=line.month,
        version=version + 1,
        note=note,
        source=ActualSource(source),
        entered_by_id=getattr(actor, "id", None),
        **{field: getattr(figures, field) for field in FIELDS},
    )
    db.session.add(row)
    # The same version taken meanwhile: the whole unit of work is undone (an import too).
    uow.flush_or_refuse(_changed_meanwhile(line.month))
    if source == ActualSource.FORM:
        audit.record("actual.entered", actor, row)
    return row


def _changed_meanwhile(month: date) -> str:
    return _(
        "Les montants de %(month)s viennent d'être modifiés par quelqu'un d'autre : "
        "vérifiez-les avant de les enregistrer de nouveau.",
        month=month_words(month),
    )
