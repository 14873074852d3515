"""Available employees declared by the lending firm's HR: rules for the supply side."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import email_validator
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy import update as update_

from lending.extensions import db
from lending.models import Commune, Employee, EmployeeSkill, EmployeeStatus, Firm, Invitation
from lending.models._search import fold, like_pattern
from lending.models._time import utcnow
from lending.money import to_cents
from lending.services import audit, proposals, uow
from lending.services.errors import ValidationError
from lending.services.periods import check_dates

MAX_AMOUNT_CENTS = 100_000_00  # 100,000 € a month: anything above is a typing error
MAX_SKILLS = 30
# The bounds of EmployeeForm (lending/web/employees/forms.py); a test checks they agree.
MAX_COMMUTE_KM = 300
MAX_WEEKLY_HOURS = 48
TEXT_FIELDS = ("first_name", "last_name", "email", "job_title", "qualification")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class SkillLevel:
    skill_id: int
    level: int


@dataclass
class EmployeeData:
    """What HR declares. Amounts are in euros (Decimal), None when unknown."""

    first_name: str
    last_name: str
    email: str
    job_title: str
    qualification: str
    commune_insee: str
    max_commute_km: int
    available_from: date
    available_until: date
    weekly_hours: Decimal
    gross_salary: Decimal | None = None
    employer_charges: Decimal | None = None
    expenses: Decimal | None = None
    partial_activity: bool = False
    job_at_risk: bool = False
    skills: list[SkillLevel] = field(default_factory=list)


def check_skills(skills: Sequence[SkillLevel], errors: dict[str, str], key: str = "skills") -> None:
    from lending.models.skills import Skill

    ids = [s.skill_id for s in skills]
    if len(ids) != len(set(ids)):
        errors[key] = _("Chaque compétence ne peut figurer qu'une fois.")
    elif len(ids) > MAX_SKILLS:
        errors[key] = _("%(n)d compétences au plus.", n=MAX_SKILLS)
    elif any(not 1 <= s.level <= 4 for s in skills):
        errors[key] = _("Le niveau d'une compétence va de 1 à 4.")
    elif ids and db.session.scalar(
        select(func.count()).select_from(Skill).where(Skill.id.in_(ids))
    ) != len(ids):
        errors[key] = _("Choisissez les compétences dans la liste.")


def _too_long(name: str, value: str) -> str | None:
    limit = Employee.__table__.c[name].type.length
    return _("%(n)d caractères au plus.", n=limit) if len(value.strip()) > limit else None


def email_error(email: str) -> str | None:
    """Why `email` cannot be an employee's address (as the form's Email() validator sees
    it), or None."""
    try:
        email_validator.validate_email(email.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError:
        shown = _CONTROL.sub(" ", email.strip())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        return _("Adresse e-mail non valide : « %(v)s ».", v=shown)
    return _too_long("email", email)


def check_hours(hours: Decimal, errors: dict[str, str], key: str = "weekly_hours") -> None:
    """From 1 to MAX_WEEKLY_HOURS, one decimal at most (35.5, not 35.25)."""
    exponent = hours.normalize().as_tuple().exponent if hours.is_finite() else None
    if isinstance(exponent, int) and exponent < -1:
        errors[key] = _("%(n)d décimale(s) au plus.", n=1)
    elif not (hours.is_finite() and 1 <= hours <= MAX_WEEKLY_HOURS):
        errors[key] = _("Entre 1 et %(n)d heures.", n=MAX_WEEKLY_HOURS)


def _validate(firm: Firm, data: EmployeeData, employee: Employee | None) -> None:
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = getattr(data, name)
        message = email_error(value) if name == "email" else _too_long(name, value)
        if message:
            errors[name] = message
    if db.session.get(Commune, data.commune_insee) is None:
        errors["commune_insee"] = _("Choisissez une commune de la liste.")
    if not 1 <= data.max_commute_km <= MAX_COMMUTE_KM:
        errors["max_commute_km"] = _("Entre 1 et %(n)d km.", n=MAX_COMMUTE_KM)
    check_hours(data.weekly_hours, errors)
    if "email" not in errors:
        clash = db.session.scalar(
            select(Employee.id).where(
                Employee.firm_id == firm.id,
                func.lower(Employee.email) == data.email.strip().lower(),
            )
        )
        if clash is not None and (employee is None or clash != employee.id):
            errors["email"] = _("Un salarié de votre entreprise a déjà cette adresse e-mail.")
    check_dates(data.available_from, data.available_until, errors, "available_until")
    for name in ("gross_salary", "employer_charges", "expenses"):
        cents = to_cents(getattr(data, name))
        if cents is not None and not 0 <= cents <= MAX_AMOUNT_CENTS:
            errors[name] = _("Montant mensuel entre 0 et 100 000 €.")
    check_skills(data.skills, errors)
    if errors:
        raise ValidationError(errors)


def _apply(employee: Employee, data: EmployeeData) -> None:
    employee.first_name = data.first_name.strip()
    employee.last_name = data.last_name.strip()
    employee.email = data.email.strip().lower()
    employee.job_title = data.job_title.strip()
    employee.qualification = data.qualification.strip()
    employee.commune_insee = data.commune_insee
    employee.max_commute_km = data.max_commute_km
    employee.available_from = data.available_from
    employee.available_until = data.available_until
    employee.weekly_hours = data.weekly_hours
    employee.gross_salary_cents = to_cents(data.gross_salary)
    employee.employer_charges_cents = to_cents(data.employer_charges)
    employee.expenses_cents = to_cents(data.expenses)
    employee.partial_activity = data.partial_activity
    employee.job_at_risk = data.job_at_risk
    set_skills(employee, data.skills)


def set_skills(employee: Employee, skills: list[SkillLevel]) -> None:
    if employee.id is not None:
        db.session.execute(delete(EmployeeSkill).where(EmployeeSkill.employee_id == employee.id))
        db.session.expire(employee, ["skills"])
    employee.skills = [EmployeeSkill(skill_id=s.skill_id, level=s.level) for s in skills]


def declare(firm: Firm, data: EmployeeData, actor) -> Employee:
    """HR declares an available employee; the profile is confirmed (HR vouches for it)."""
    _validate(firm, data, None)
    employee = Employee(firm=firm, hr_confirmed_at=utcnow())
    _apply(employee, data)
    db.session.add(employee)
    uow.flush_or_refuse(_("Un salarié de votre entreprise a déjà cette adresse e-mail."), "email")
    audit.record("employee.declared", actor, employee)
    return employee


def update(employee: Employee, data: EmployeeData, actor) -> Employee:
    """HR edits the profile. Once the employee has an account, its e-mail is their login:
    HR cannot change it; before that, a change voids the invitations sent to the old one."""
    new_email = data.email.strip().lower()
    if new_email != employee.email and employee.user_id is not None:
        raise ValidationError(
            {
                "email": _(
                    "Ce salarié a ouvert son compte avec cette adresse : elle ne peut plus "
                    "être modifiée ici."
                )
            }
        )
    _validate(employee.firm, data, employee)
    if new_email != employee.email:
        db.session.execute(
            update_(Invitation)
            .where(Invitation.employee_id == employee.id, Invitation.used_at.is_(None))
            .values(expires_at=utcnow())
        )
    _apply(employee, data)
    if employee.hr_confirmed_at is None and employee.monthly_cost_cents is not None:
        employee.hr_confirmed_at = utcnow()  # HR completed a self-registered profile
    uow.flush_or_refuse(_("Un salarié de votre entreprise a déjà cette adresse e-mail."), "email")
    audit.record("employee.updated", actor, employee)
    return employee


def matchable_query():
    """Employees who may enter matching: available, confirmed by HR, costs known, and
    consenting — the rule of Employee.is_matchable, as SQL."""
    return select(Employee).where(
        Employee.status == EmployeeStatus.AVAILABLE,
        Employee.consent_given_at.is_not(None),
        Employee.hr_confirmed_at.is_not(None),
        Employee.gross_salary_cents.is_not(None),
        Employee.employer_charges_cents.is_not(None),
        Employee.expenses_cents.is_not(None),
    )


def set_status(employee: Employee, status: EmployeeStatus, actor) -> None:
    """Withdraw the employee from the offer (or offer them again)."""
    employee.status = status
    if status == EmployeeStatus.WITHDRAWN:
        proposals.cancel_for_employee(employee)
    audit.record(f"employee.{status.value}", actor, employee)


def query_for_firm(firm: Firm, *, text: str = "", status: str = ""):
    """Employees of `firm`, filtered by name/job text and status, newest first."""
    query = select(Employee).where(Employee.firm_id == firm.id)
    for word in fold(text).split()[:5]:  # any case or accents; "%" and "_" are literal
        query = query.where(Employee.search_text.like(like_pattern(word), escape="\\"))
    if status == "volunteer":
        query = query.where(Employee.consent_given_at.is_not(None))
    elif status == "to_confirm":
        query = query.where(Employee.hr_confirmed_at.is_(None))
    elif status in EmployeeStatus.__members__.values():
        query = query.where(Employee.status == EmployeeStatus(status))
    return query.order_by(Employee.created_at.desc(), Employee.id.desc())
