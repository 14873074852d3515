"""What the host does with a billing statement: mark it paid (on a date) or contest it (with
a reason the lender reads). A contested statement can still be paid once the dispute is
settled; a paid one is final. Each change is audited like the other decisions."""

from datetime import date

from flask_babel import gettext as _

from lending.models import BillingStatement, PaymentStatus
from lending.models._time import local_date, utcnow
from lending.services import audit
from lending.services.deals.billing_rules import fr_date
from lending.services.errors import ServiceError

MAX_REASON = 2000


def _settle(statement: BillingStatement, status: PaymentStatus, actor) -> None:
    statement.payment_status = status
    statement.status_at = utcnow()
    statement.status_by_id = getattr(actor, "id", None)


def mark_paid(statement: BillingStatement, paid_on: date | None, actor, today=None) -> None:
    """The host paid the statement on `paid_on` (not before its issue, not in the future)."""
    today = today or local_date()
    if statement.payment_status == PaymentStatus.PAID:
        raise ServiceError(_("Ce relevé est déjà marqué payé."))
    if paid_on is None:
        raise ServiceError(_("Indiquez la date du paiement."), "paid_on")
    if paid_on < statement.issue_date:
        raise ServiceError(
            _(
                "Le paiement ne peut pas précéder l'émission du relevé, le %(date)s.",
                date=fr_date(statement.issue_date),
            ),
            "paid_on",
        )
    if paid_on > today:
        raise ServiceError(_("La date du paiement ne peut pas être dans le futur."), "paid_on")
    statement.paid_on = paid_on
    _settle(statement, PaymentStatus.PAID, actor)
    audit.record("statement.paid", actor, statement)


def contest(statement: BillingStatement, reason: str, actor) -> None:
    """The host contests the statement, saying why (the lender reads the reason)."""
    reason = reason.strip()
    if statement.payment_status == PaymentStatus.PAID:
        raise ServiceError(_("Ce relevé est payé : il ne peut plus être contesté."))
    if statement.payment_status == PaymentStatus.CONTESTED:
        raise ServiceError(_("Ce relevé est déjà contesté."))
    if not reason:
        raise ServiceError(_("Indiquez le motif de la contestation."), "reason")
    if len(reason) > MAX_REASON:
        raise ServiceError(_("Motif de %(max)d caractères au plus.", max=MAX_REASON), "reason")
    statement.contest_reason = reason
    _settle(statement, PaymentStatus.CONTESTED, actor)
    audit.record("statement.contested", actor, statement)
