"""Needs declared by host firms: the demand side."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from lending.extensions import db
from lending.models import Commune, Firm, Need, NeedSkill, NeedStatus
from lending.models._time import utcnow
from lending.money import to_cents
from lending.services import audit, proposals
from lending.services.employees import MAX_AMOUNT_CENTS, SkillLevel, check_skills
from lending.services.errors import ServiceError, ValidationError
from lending.services.periods import check_dates


@dataclass
class RequiredSkill(SkillLevel):
    """`level` is the minimum level, 1 to 4."""

    mandatory: bool = True


@dataclass
class NeedData:
    title: str
    missions: str
    positions: int
    commune_insee: str
    start_date: date
    end_date: date
    weekly_hours: Decimal
    monthly_budget: Decimal | None = None
    risky_post: bool = False
    medical_surveillance: bool = False
    ppe: str = ""
    skills: list[RequiredSkill] = field(default_factory=list)


def _validate(data: NeedData) -> None:
    errors: dict[str, str] = {}
    if db.session.get(Commune, data.commune_insee) is None:
        errors["commune_insee"] = _("Choisissez une commune de la liste.")
    check_dates(data.start_date, data.end_date, errors, "end_date")
    budget = to_cents(data.monthly_budget)
    if budget is not None and not 0 < budget <= MAX_AMOUNT_CENTS:
        errors["monthly_budget"] = _(
            "Le budget mensuel doit être supérieur à 0 € et ne pas dépasser 100 000 €."
        )
    check_skills(data.skills, errors)
    if not errors and not any(s.mandatory for s in data.skills):
        errors["skills"] = _("Indiquez au moins une compétence indispensable.")
    if errors:
        raise ValidationError(errors)


def _apply(need: Need, data: NeedData) -> None:
    need.title = data.title.strip()
    need.missions = data.missions.strip()
    need.positions = data.positions
    need.commune_insee = data.commune_insee
    need.start_date = data.start_date
    need.end_date = data.end_date
    need.weekly_hours = data.weekly_hours
    need.monthly_budget_cents = to_cents(data.monthly_budget)
    need.risky_post = data.risky_post
    need.medical_surveillance = data.medical_surveillance
    need.ppe = data.ppe.strip()
    if need.id is not None:
        db.session.execute(delete(NeedSkill).where(NeedSkill.need_id == need.id))
        db.session.expire(need, ["skills"])
    need.skills = [
        NeedSkill(skill_id=s.skill_id, min_level=s.level, mandatory=s.mandatory)
        for s in data.skills
    ]


def declare(firm: Firm, data: NeedData, actor) -> Need:
    _validate(data)
    need = Need(firm=firm)
    _apply(need, data)
    db.session.add(need)
    db.session.flush()
    audit.record("need.declared", actor, need)
    return need


def update(need: Need, data: NeedData, actor) -> Need:
    if need.status == NeedStatus.CLOSED:
        raise ServiceError(_("Ce besoin est clos : il ne peut plus être modifié."))
    _validate(data)
    _apply(need, data)
    db.session.flush()
    audit.record("need.updated", actor, need)
    return need


def close(need: Need, actor) -> None:
    if need.status == NeedStatus.CLOSED:
        raise ServiceError(_("Ce besoin est déjà clos."))
    need.status = NeedStatus.CLOSED
    need.closed_at = utcnow()
    proposals.cancel_for_need(need)
    audit.record("need.closed", actor, need)


def query_for_firm(firm: Firm, *, status: str = ""):
    query = select(Need).options(selectinload(Need.commune)).where(Need.firm_id == firm.id)
    if status in NeedStatus.__members__.values():
        query = query.where(Need.status == NeedStatus(status))
    return query.order_by(Need.created_at.desc(), Need.id.desc())
