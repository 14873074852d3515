"""The monthly billing statement as a document: Jinja -> HTML -> PDF/A through the
convention's pipeline (render.py), in French whatever the reader's language.

Everything printed comes from the stored statement (figures, number, issue date, hours on
loan, the convention's reference) and the agreement's identity data, formatted by
documents/formatting.py with the French locale pinned; the template gets no other helper.

`render_statement(statement, loan=None)` is what the web download and `lending
sample-documents` call: a stored statement reads its loan; an unsaved one (from
services/deals/statements.draft) is given it.
"""

from datetime import date, timedelta
from decimal import Decimal

from babel.dates import format_date
from flask import render_template
from flask_babel import force_locale

from lending.documents import render
from lending.documents.context import HELPERS
from lending.documents.formatting import typography
from lending.models import BillingStatement, Loan
from lending.models.agreement import BILLING_REGIME_LABELS, BillingRegime
from lending.services.deals.actuals import on_loan
from lending.services.deals.hours import DAYS_PER_WEEK

STATEMENT_TEMPLATE = "documents/statement.html"
TITLE = "Relevé mensuel de refacturation"


def period_words(month: date) -> str:
    """date(2027, 2, 1) -> "février 2027"."""
    return format_date(month, "LLLL yyyy", locale="fr")


def weekly_hours(statement: BillingStatement, current: Decimal) -> Decimal:
    """The weekly hours the statement's hours were worked out from (an extension may have
    changed the agreement's since): hours ÷ working days × 5."""
    if not statement.working_days:
        return current
    weekly = Decimal(statement.hours_on_loan) * DAYS_PER_WEEK / statement.working_days
    return weekly.quantize(Decimal("0.1"))


def statement_context(statement: BillingStatement, loan: Loan | None = None) -> dict:
    loan = loan or statement.loan
    agreement = loan.agreement
    first, last = on_loan(loan, statement.month)
    regime = BillingRegime(statement.regime)
    return {
        "s": statement,
        "a": agreement,
        "title": TITLE,
        "period": period_words(statement.month),
        "first_day": first,
        "last_day": last,
        "whole_month": statement.days_on_loan == statement.days_in_month,
        "due_date": statement.issue_date + timedelta(days=agreement.payment_terms_days),
        "regime_label": str(BILLING_REGIME_LABELS[regime]),
        "days_per_week": DAYS_PER_WEEK,
        "weekly_hours": weekly_hours(statement, agreement.weekly_hours),
        **HELPERS,
    }


def statement_html(statement: BillingStatement, loan: Loan | None = None) -> str:
    """The statement's HTML, in French whatever the request's language, with the no-break
    spaces of French punctuation (needs an app context)."""
    with force_locale("fr"):
        html = render_template(STATEMENT_TEMPLATE, **statement_context(statement, loan))
    return str(typography(html))


def render_statement(statement: BillingStatement, loan: Loan | None = None) -> bytes:
    """The statement as a PDF/A-3b (tagged, like the other documents); `loan`: the loan of
    an unsaved statement."""
    return render.html_to_pdf(statement_html(statement, loan))


def statement_filename(statement: BillingStatement) -> str:
    return f"releve-{statement.number}.pdf"
