"""The employee's side: invitation, account, information notice, consent and preferences.

Consent is the employee's alone: without it a profile is never matched, withdrawing it
takes effect at once, and the lending firm never learns why.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lending.extensions import db
from lending.models import Commune, ConsentEvent, Employee, Firm, Invitation, Role, User
from lending.models._time import utcnow
from lending.services import accounts, audit, mail, passwords, proposals, signups, uow
from lending.services.employees import SkillLevel, check_skills, set_skills
from lending.services.errors import ServiceError, ValidationError
from lending.services.periods import check_dates

NOTICE_VERSION = "2026-11"
INVITATION_VALIDITY = timedelta(days=14)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(employee: Employee, actor, url_for_token) -> Invitation:
    """Send the employee a single-use link to open their account (earlier links die)."""
    if employee.user_id is not None:
        raise ServiceError(_("Ce salarié a déjà ouvert son compte."))
    if accounts.find_by_email(employee.email) is not None:
        raise ServiceError(
            _(
                "Cette adresse e-mail est déjà celle d'un autre compte de la plateforme : "
                "indiquez une autre adresse pour ce salarié."
            )
        )
    now = utcnow()
    for earlier in db.session.scalars(
        select(Invitation).where(
            Invitation.employee_id == employee.id, Invitation.used_at.is_(None)
        )
    ):
        earlier.expires_at = min(earlier.expires_at, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        employee=employee,
        token_hash=_digest(token),
        expires_at=now + INVITATION_VALIDITY,
        sent_by_id=actor.id,
    )
    db.session.add(invitation)
    db.session.flush()
    mail.queue(
        mail.Recipient(employee.email),
        _l(
            "%(firm)s vous propose de participer à un prêt de main-d'œuvre", firm=employee.firm.name
        ),
        "invitation",
        employee=employee,
        url=url_for_token(token),
        days=INVITATION_VALIDITY.days,
    )
    audit.record("employee.invited", actor, employee)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation if the link is still valid (unused and not expired)."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _digest(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def _new_employee_user(
    employee: Employee, password: str | None = None, *, password_hash: str | None = None
) -> User:
    """The employee's account, with `password` (checked against the policy) or the hash of
    a password checked when the sign-up was requested."""
    with db.session.no_autoflush:
        taken = accounts.find_by_email(employee.email)
    if taken:
        raise ServiceError(
            _("Un compte existe déjà avec cette adresse e-mail : connectez-vous."), "email"
        )
    if password_hash is None:
        assert password is not None  # the caller gives a password or its hash
        passwords.check_policy(password, email=employee.email, name=employee.full_name)
        password_hash = passwords.hash_password(password)
    user = User(
        email=employee.email,
        full_name=employee.full_name,
        role=Role.EMPLOYEE,
        firm=employee.firm,
        password_hash=password_hash,
    )
    db.session.add(user)
    employee.user = user
    uow.flush_or_refuse(_("Un compte existe déjà avec cette adresse e-mail : connectez-vous."))
    return user


def accept_invitation(invitation: Invitation, password: str) -> User:
    user = _new_employee_user(invitation.employee, password)
    invitation.used_at = utcnow()
    audit.record("employee.account_opened", user, invitation.employee)
    return user


def give_consent(employee: Employee) -> None:
    """The employee volunteers, after reading the notice (timestamped, versioned)."""
    if employee.consent_given_at is not None:
        return
    now = utcnow()
    employee.consent_given_at = now
    employee.consents.append(ConsentEvent(given=True, at=now, notice_version=NOTICE_VERSION))
    audit.record("employee.consent_given", employee.user, employee)


def withdraw_consent(employee: Employee) -> None:
    """Out of matching at once; no reason is asked, so none can reach the employer."""
    if employee.consent_given_at is None:
        return
    employee.consent_given_at = None
    employee.consents.append(ConsentEvent(given=False, at=utcnow(), notice_version=NOTICE_VERSION))
    proposals.cancel_for_employee(employee)
    audit.record("employee.consent_withdrawn", employee.user, employee)


@dataclass
class Preferences:
    max_commute_km: int
    available_from: date
    available_until: date
    accepted_sectors: list[str]
    skills: list[SkillLevel] = field(default_factory=list)


def update_preferences(employee: Employee, prefs: Preferences) -> None:
    errors: dict[str, str] = {}
    check_dates(prefs.available_from, prefs.available_until, errors, "available_until")
    check_skills(prefs.skills, errors)
    if errors:
        raise ValidationError(errors)
    employee.max_commute_km = prefs.max_commute_km
    employee.available_from = prefs.available_from
    employee.available_until = prefs.available_until
    employee.accepted_sectors = " ".join(sorted(set(prefs.accepted_sectors)))
    set_skills(employee, prefs.skills)
    audit.record("employee.preferences", employee.user, employee)


def new_enrolment_code() -> str:
    """A code for employees who sign up on their own, e.g. "K7P-4QX-92M" (45 bits)."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(9))
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"


def regenerate_enrolment_code(firm: Firm, actor) -> str:
    """A new code; the old one stops working at once."""
    firm.enrolment_code = new_enrolment_code()
    uow.flush_or_refuse(_("Veuillez réessayer."))
    audit.record("firm.enrolment_code", actor, firm)
    return firm.enrolment_code


def firm_for_code(code: str) -> Firm | None:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 9:
        return None
    formatted = f"{cleaned[:3]}-{cleaned[3:6]}-{cleaned[6:]}"
    return db.session.scalar(select(Firm).where(Firm.enrolment_code == formatted))


@dataclass
class SelfRegistration:
    enrolment_code: str
    first_name: str
    last_name: str
    email: str
    password: str
    job_title: str
    commune_insee: str
    max_commute_km: int
    available_from: date
    available_until: date
    weekly_hours: object


DECLARED = _l(
    "Votre entreprise vous a déjà inscrit avec cette adresse : demandez-lui de vous "
    "envoyer une invitation."
)


def _declared(firm: Firm, email: str) -> bool:
    return (
        db.session.scalar(
            select(Employee.id).where(Employee.firm_id == firm.id, Employee.email == email)
        )
        is not None
    )


def request_self_registration(data: SelfRegistration, confirm_url_for) -> None:
    """An employee steps forward with the firm's code: check the form, then e-mail a
    confirmation link, or the reason why not (an address with an account, or one the firm
    already declared), so the form never tells whom the platform knows."""
    firm = firm_for_code(data.enrolment_code)
    errors: dict[str, str] = {}
    if firm is None:
        errors["enrolment_code"] = _(
            "Code entreprise inconnu : demandez-le à votre service des ressources humaines."
        )
    check_dates(data.available_from, data.available_until, errors, "available_until")
    if db.session.get(Commune, data.commune_insee) is None:
        errors["commune_insee"] = _("Choisissez une commune de la liste.")
    try:
        name = f"{data.first_name} {data.last_name}"
        passwords.check_policy(data.password, email=data.email, name=name)
    except ServiceError as exc:
        errors.setdefault(exc.field or "password", exc.message)
    if errors:
        raise ValidationError(errors)
    assert firm is not None  # an unknown code is among the errors
    email = accounts.normalise_email(data.email)
    fields = {
        "firm_id": firm.id,
        "first_name": data.first_name.strip(),
        "last_name": data.last_name.strip(),
        "job_title": data.job_title.strip(),
        "commune_insee": data.commune_insee,
        "max_commute_km": data.max_commute_km,
        "available_from": data.available_from.isoformat(),
        "available_until": data.available_until.isoformat(),
        "weekly_hours": None if data.weekly_hours is None else str(data.weekly_hours),
    }
    signups.start(
        signups.EMPLOYEE,
        email,
        data.password,
        fields,
        confirm_url_for=confirm_url_for,
        refusal=DECLARED if _declared(firm, email) else None,
    )


def complete_self_registration(email: str, password_hash: str, fields: dict) -> User:
    """Create the employee and their account from a confirmed sign-up; HR confirms the
    profile before any matching."""
    firm = db.session.get(Firm, fields["firm_id"])
    if firm is None:
        raise ServiceError(_("Votre entreprise n'est plus inscrite sur la plateforme."))
    if _declared(firm, email):
        raise ServiceError(str(DECLARED))
    hours = fields["weekly_hours"]
    employee = Employee(
        firm=firm,
        first_name=fields["first_name"],
        last_name=fields["last_name"],
        email=email,
        job_title=fields["job_title"],
        commune_insee=fields["commune_insee"],
        max_commute_km=fields["max_commute_km"],
        available_from=date.fromisoformat(fields["available_from"]),
        available_until=date.fromisoformat(fields["available_until"]),
        weekly_hours=None if hours is None else Decimal(hours),
        self_registered=True,
    )
    db.session.add(employee)
    user = _new_employee_user(employee, password_hash=password_hash)
    audit.record("employee.self_registered", user, employee)
    return user
