"""The operator writes to the parties of a proposal, an agreement or a loan: one e-mail to
each HR manager of both firms, and to the employee when asked and their account is active.
The audit records who wrote about which deal, never the message."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lending.extensions import db
from lending.models import Agreement, Loan, Proposal, Role, Scheme, User
from lending.services import audit, mail, text
from lending.services.errors import ValidationError
from lending.services.parties import party_users

SUBJECT_MAX = 150
BODY_MIN, BODY_MAX = 10, 5000
Deal = Proposal | Agreement | Loan


def recipients(deal: Deal, *, employee: bool) -> list[User]:
    """The active HR managers of both firms, then the employee's account if `employee`
    and it is active (an employee without an account is not written to)."""
    found = []
    for user in party_users(deal):
        if user.role == Role.HR or (employee and user.active):
            found.append(user)
    return found


def employee_reachable(deal: Deal) -> bool:
    """Whether the employee of `deal` has an active account to write to."""
    user = deal.employee.user
    return user is not None and user.active


def _check(subject: str, body: str) -> tuple[str, str]:
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Indiquez l'objet du message.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("L'objet tient en %(n)d caractères au plus.", n=SUBJECT_MAX)
    elif problem := text.problem(subject):
        errors["subject"] = problem
    if len(body) < BODY_MIN:
        errors["body"] = _("Écrivez un message d'au moins %(n)d caractères.", n=BODY_MIN)
    elif len(body) > BODY_MAX:
        errors["body"] = _("Le message tient en %(n)d caractères au plus.", n=BODY_MAX)
    elif problem := text.problem(body, multiline=True):
        errors["body"] = problem
    if errors:
        raise ValidationError(errors)
    return subject, body


def write(
    deal: Deal, actor: User, subject: str, body: str, *, employee: bool, url: str
) -> list[User]:
    """Queue the message for the parties of `deal` (sent after the commit) and record it;
    returns who it goes to. `url`: the deal's page, given in the message. Raises
    ValidationError for a bad subject or body, or when nobody can be written to."""
    subject, body = _check(subject, body)
    to = recipients(deal, employee=employee)
    if not to:
        raise ValidationError(
            {"subject": _("Aucune partie de ce dossier n'a de compte actif à qui écrire.")}
        )
    scheme = db.session.get_one(Scheme, deal.scheme_id)
    for user in to:
        mail.queue(
            user,
            _l("%(scheme)s : %(subject)s", scheme=scheme.name, subject=subject),
            "desk_message",
            reply_to=actor.email,
            user=user,
            operator=actor,
            scheme=scheme,
            deal=deal,
            kind=type(deal).__name__.lower(),
            message=body,
            url=url,
        )
    audit.record("desk.message_sent", actor, deal)
    return to
