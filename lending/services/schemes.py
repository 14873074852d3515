"""Schemes: set-up by admins and operators, enrolment of firms, operators' decisions."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from lending.authz import visible_schemes_query
from lending.extensions import db
from lending.models import Departement, Enrolment, EnrolmentStatus, Firm, NafSection, Role, Scheme
from lending.models._time import utcnow
from lending.services import audit, mail, schedules, uow
from lending.services.errors import ServiceError, ValidationError


@dataclass
class SchemeData:
    name: str
    description: str
    departement_codes: list[str]
    sectors: str
    default_max_commute_km: int
    max_loan_months: int
    proposal_deadline_days: int
    matching_cron: str
    weight_skills: int = 40
    weight_distance: int = 20
    weight_dates: int = 20
    weight_cost: int = 10
    weight_priority: int = 10
    at_risk_bonus_pct: int = 50
    min_date_coverage_pct: int = 50
    round_time_limit_s: int = 300


WEIGHT_FIELDS = (
    "weight_skills",
    "weight_distance",
    "weight_dates",
    "weight_cost",
    "weight_priority",
)
MATCHING_FIELDS = (
    *WEIGHT_FIELDS,
    "at_risk_bonus_pct",
    "min_date_coverage_pct",
    "round_time_limit_s",
)


def parse_sectors(text: str) -> list[str]:
    """Split "C, 10 11" into ["C", "10", "11"]; each item must be a NAF section or division."""
    items = [item.strip().upper() for item in text.replace(",", " ").replace(";", " ").split()]
    if not items:
        raise ServiceError(_("Indiquez au moins une section ou division NAF."), "sectors")
    sections = set(db.session.scalars(select(NafSection.code)))
    for item in items:
        is_section = len(item) == 1 and item in sections
        is_division = len(item) == 2 and item.isdigit()
        if not (is_section or is_division):
            raise ServiceError(
                _(
                    "« %(item)s » n'est ni une section NAF (lettre A à U) ni une division "
                    "(deux chiffres).",
                    item=item,
                ),
                "sectors",
            )
    return list(dict.fromkeys(items))


DEFAULT_CRON = "0 6 * * 1"  # each Monday at 6 am


def next_rounds(scheme: Scheme | None, count: int = 3) -> list:
    """The scheme's next scheduled round times (France's time zone); [] if it has none."""
    if scheme is None:
        return []
    try:
        return schedules.next_runs(scheme.matching_cron, utcnow(), count)
    except schedules.InvalidScheduleError:
        return []


def check_cron(text: str) -> str:
    """Return the cleaned five-field cron expression or raise ServiceError."""
    return schedules.check(text, utcnow())


def _validate(data: SchemeData, scheme: Scheme | None) -> tuple[list[Departement], list[str]]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    clash = db.session.scalar(select(Scheme).where(Scheme.name == name))
    if clash is not None and clash is not scheme:
        errors["name"] = _("Un dispositif porte déjà ce nom.")
    departements = list(
        db.session.scalars(select(Departement).where(Departement.code.in_(data.departement_codes)))
    )
    if not departements or len(departements) != len(set(data.departement_codes)):
        errors["departement_codes"] = _("Choisissez au moins un département de la liste.")
    sectors: list[str] = []
    try:
        sectors = parse_sectors(data.sectors)
    except ServiceError as exc:
        errors["sectors"] = exc.message
    try:
        check_cron(data.matching_cron)
    except ServiceError as exc:
        errors["matching_cron"] = exc.message
    if sum(getattr(data, name) or 0 for name in WEIGHT_FIELDS) <= 0:
        errors["weight_skills"] = _("Au moins un critère du score doit avoir un poids.")
    if errors:
        raise ValidationError(errors)
    return departements, sectors


def save_scheme(data: SchemeData, actor, scheme: Scheme | None = None) -> Scheme:
    departements, sectors = _validate(data, scheme)
    if scheme is None:
        scheme = Scheme()
        db.session.add(scheme)
    scheme.name = data.name.strip()
    scheme.description = data.description.strip()
    scheme.departements = departements
    scheme.sectors = " ".join(sectors)
    scheme.default_max_commute_km = data.default_max_commute_km
    scheme.max_loan_months = data.max_loan_months
    scheme.proposal_deadline_days = data.proposal_deadline_days
    scheme.matching_cron = check_cron(data.matching_cron)
    for name in MATCHING_FIELDS:
        setattr(scheme, name, getattr(data, name))
    uow.flush_or_refuse(_("Un dispositif porte déjà ce nom."), "name")
    audit.record("scheme.saved", actor, scheme)
    return scheme


def ineligibility_reasons(firm: Firm, scheme: Scheme) -> list[str]:
    """Why `firm` cannot join `scheme` (empty when it can)."""
    reasons = []
    if firm.departement_code not in scheme.departement_codes:
        reasons.append(_("votre établissement n'est pas situé sur le territoire du dispositif"))
    naf = firm.naf
    if naf.section_code not in scheme.sector_list and naf.division not in scheme.sector_list:
        reasons.append(_("votre code NAF ne relève pas des secteurs du dispositif"))
    return reasons


def find_enrolment(firm: Firm, scheme: Scheme) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(Enrolment.firm_id == firm.id, Enrolment.scheme_id == scheme.id)
    )


def apply(firm: Firm, scheme: Scheme, actor) -> Enrolment:
    """File (or re-file after a refusal) the firm's application to the scheme."""
    reasons = ineligibility_reasons(firm, scheme)
    if reasons:
        raise ServiceError(_("Candidature impossible : %(reasons)s.", reasons=" ; ".join(reasons)))
    enrolment = find_enrolment(firm, scheme)
    if enrolment is not None and enrolment.status != EnrolmentStatus.REJECTED:
        raise ServiceError(_("Votre entreprise a déjà candidaté à ce dispositif."))
    if enrolment is None:
        enrolment = Enrolment(firm=firm, scheme=scheme)
        db.session.add(enrolment)
    enrolment.status = EnrolmentStatus.PENDING
    enrolment.applied_at = utcnow()
    enrolment.applied_by_id = actor.id
    enrolment.decided_at = None
    enrolment.decided_by_id = None
    enrolment.reason = None
    uow.flush_or_refuse(_("Votre entreprise a déjà candidaté à ce dispositif."))
    audit.record("enrolment.applied", actor, enrolment)
    for user in scheme.staff:
        if user.role == Role.OPERATOR and user.is_active:
            mail.queue(
                user,
                _l("Nouvelle candidature au dispositif %(s)s", s=scheme.name),
                "enrolment_applied",
                enrolment=enrolment,
            )
    return enrolment


def decide(enrolment: Enrolment, actor, *, approve: bool, reason: str = "") -> Enrolment:
    """Approve, or reject with a reason; only pending applications can be decided."""
    if enrolment.status != EnrolmentStatus.PENDING:
        raise ServiceError(_("Cette candidature a déjà été traitée."))
    reason = reason.strip()
    if not approve and not reason:
        raise ServiceError(
            _("Indiquez le motif du refus : il sera communiqué à l'entreprise."), "reason"
        )
    # Only one decision can win, even when two operators click at the same moment: the
    # update applies to a row that is still pending, or to none.
    decided = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.status == EnrolmentStatus.PENDING)
        .values(
            status=EnrolmentStatus.APPROVED if approve else EnrolmentStatus.REJECTED,
            reason=reason or None,
            decided_at=utcnow(),
            decided_by_id=actor.id,
        )
        .execution_options(synchronize_session=False)
    )
    if uow.rowcount(decided) != 1:
        raise ServiceError(_("Cette candidature a déjà été traitée."))
    db.session.refresh(enrolment)
    audit.record("enrolment.approved" if approve else "enrolment.rejected", actor, enrolment)
    for user in enrolment.firm.users:
        if user.role == Role.HR and user.is_active:
            mail.queue(
                user,
                _l("Votre candidature au dispositif %(s)s", s=enrolment.scheme.name),
                "enrolment_decided",
                enrolment=enrolment,
            )
    return enrolment


def all_schemes() -> list[Scheme]:
    return list(db.session.scalars(select(Scheme).order_by(Scheme.name)))


def visible_to(user) -> list[Scheme]:
    """The schemes `user` may open, with the départements and applications their list
    shows, loaded in one query each rather than two per scheme."""
    query = visible_schemes_query(user).options(
        selectinload(Scheme.departements), selectinload(Scheme.enrolments)
    )
    return list(db.session.scalars(query))


def enrolments_by_status(scheme: Scheme) -> dict[EnrolmentStatus, list[Enrolment]]:
    """The scheme's applications grouped by status, newest first, firms loaded at once."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.scheme_id == scheme.id)
        .options(
            selectinload(Enrolment.firm).selectinload(Firm.naf),
            selectinload(Enrolment.firm).selectinload(Firm.commune),
        )
        .order_by(Enrolment.applied_at.desc(), Enrolment.id.desc())
    ).all()
    grouped: dict[EnrolmentStatus, list[Enrolment]] = {status: [] for status in EnrolmentStatus}
    for enrolment in enrolments:
        grouped[enrolment.status].append(enrolment)
    return grouped


def schemes_open_to(firm: Firm) -> list[tuple[Scheme, list[str]]]:
    """Every scheme with the reasons the firm cannot join it (empty list: eligible)."""
    query = select(Scheme).options(selectinload(Scheme.departements)).order_by(Scheme.name)
    return [(scheme, ineligibility_reasons(firm, scheme)) for scheme in db.session.scalars(query)]
