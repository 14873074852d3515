"""Agreements: drafted when a proposal is accepted, completed by both firms, checked against
legal.md, frozen, signed by each party after re-entering their password, then a loan.

A change to a frozen agreement starts a new version: the frozen documents are voided with
their signatures, and signing starts again from the new text.
Each firm's signatory is one of its HR accounts, chosen in its part: see signatories.py.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lending.authz import party_of
from lending.extensions import db
from lending.models import (
    Agreement,
    AgreementStatus,
    BillingRegime,
    Loan,
    Proposal,
    ProposalStatus,
    Signer,
    User,
)
from lending.models._time import utcnow
from lending.services import audit, mail
from lending.services.deals import declarations, signatories
from lending.services.deals.billing_rules import fr_date
from lending.services.errors import ServiceError, ValidationError
from lending.services.parties import party_users
from lending.services.periods import check_dates

DEFAULT_BILLING_METHOD = _l(
    "Chaque mois, l'entreprise prêteuse refacture à l'entreprise utilisatrice le salaire brut "
    "versé pour la période de mise à disposition, les charges sociales patronales "
    "correspondantes et les frais professionnels remboursés au salarié au titre du prêt, "
    "au prorata des jours de mise à disposition, sur présentation d'un relevé mensuel."
)


def _address(firm) -> str:
    return f"{firm.address_line}, {firm.postal_code} {firm.commune.name}"


def _naf(firm) -> str:
    return f"{firm.naf.code} – {firm.naf.label}"


def draft(proposal: Proposal) -> Agreement:
    """The agreement of an accepted proposal, filled from what the platform knows."""
    existing = db.session.scalar(select(Agreement).where(Agreement.proposal_id == proposal.id))
    if existing is not None:
        return existing
    employee, need = proposal.employee, proposal.need
    lender, host = proposal.lender_firm, proposal.host_firm
    agreement = Agreement(
        proposal_id=proposal.id,
        scheme_id=proposal.scheme_id,
        lender_firm_id=lender.id,
        host_firm_id=host.id,
        employee_id=employee.id,
        lender_name=lender.name,
        lender_siret=lender.siret,
        lender_address=_address(lender),
        lender_naf=_naf(lender),
        host_name=host.name,
        host_siret=host.siret,
        host_address=_address(host),
        host_naf=_naf(host),
        employee_first_name=employee.first_name,
        employee_last_name=employee.last_name,
        employee_job_title=employee.job_title,
        employee_classification=employee.qualification,
        start_date=max(need.start_date, employee.available_from),
        end_date=min(need.end_date, employee.available_until),
        missions=need.missions,
        skill_codes=" ".join(sorted(s.skill.code for s in need.skills)),
        work_address=_address(host)
        if need.commune_insee == host.commune_insee
        else f"{need.commune.name} ({need.commune.departement_code})",
        weekly_hours=need.weekly_hours,
        risky_post=need.risky_post,
        medical_surveillance=need.medical_surveillance,
        ppe=need.ppe,
        salary_cents=employee.gross_salary_cents or 0,
        charges_cents=employee.employer_charges_cents or 0,
        expenses_cents=employee.expenses_cents or 0,
        billing_method=str(DEFAULT_BILLING_METHOD),
        lender_in_activite_partielle=employee.partial_activity,
    )
    db.session.add(agreement)
    db.session.flush()
    audit.record("agreement.drafted", None, agreement)
    return agreement


@dataclass
class LenderPart:
    """What the lending firm completes."""

    lender_signatory_id: int | None  # one of its HR accounts (signatory_accounts)
    employee_classification: str
    contract_reference: str
    representative_mandate: bool
    start_date: date
    end_date: date
    essential_change: bool
    probation_days: int | None
    probation_terms: str
    notice_days: int
    lender_no_cse: bool
    lender_cse_date: date | None
    lender_cse_opinion: str
    billing_regime: BillingRegime
    salary_cents: int
    charges_cents: int
    expenses_cents: int
    billed_share_pct: int
    below_cost_justification: str
    purpose: str
    billing_method: str
    payment_terms_days: int
    lender_headcount: int | None
    lender_group_headcount: int | None
    same_group: bool
    lender_in_activite_partielle: bool
    lender_weekly_hours: Decimal = Decimal(0)  # kept at the lender in the loan's weeks


@dataclass
class HostPart:
    """What the host firm completes."""

    host_signatory_id: int | None  # one of its HR accounts (signatory_accounts)
    missions: str
    work_address: str
    weekly_hours: float
    working_hours: str
    risky_post: bool | None
    l4154_list_post: bool | None
    medical_surveillance: bool | None
    ppe: str
    physical_constraints: str
    host_no_cse: bool
    host_cse_date: date | None
    host_headcount: int | None
    host_created_on: date | None
    host_average_46h: bool = False  # L3121-23, L3121-24: 46 h on average over 12 weeks


# What a running loan was signed with: an extension changes its end, not these.
FIXED_DURING_EXTENSION = (
    "start_date",
    "billing_regime",
    "salary_cents",
    "charges_cents",
    "expenses_cents",
    "billed_share_pct",
)


def lock(agreement: Agreement) -> Agreement:
    """Reload `agreement` with a row lock (PostgreSQL), so two parties acting at once are
    serialised; its documents and signatures are read afresh."""
    db.session.execute(
        select(Agreement.id).where(Agreement.id == agreement.id).with_for_update()
    ).all()
    db.session.refresh(agreement)
    for document in agreement.documents:
        db.session.refresh(document)
    return agreement


def duration_problem(agreement: Agreement, start: date, end: date) -> str | None:
    """Why a loan of `agreement` from `start` to `end` is longer than its scheme allows, or
    None. The maximum bounds the whole loan, extensions included."""
    scheme = agreement.proposal.scheme
    try:
        latest = start + relativedelta(months=scheme.max_loan_months)
    except (OverflowError, ValueError):  # beyond year 9999: no date is too late
        return None
    if end <= latest:
        return None
    return _(
        "Le dispositif %(s)s limite un prêt à %(n)d mois, prolongations comprises : il doit "
        "finir au plus tard le %(d)s.",
        s=scheme.name,
        n=scheme.max_loan_months,
        d=fr_date(latest),
    )


def _check_dates(agreement: Agreement, part: LenderPart) -> None:
    errors: dict[str, str] = {}
    check_dates(part.start_date, part.end_date, errors, "end_date")
    if not errors and (problem := duration_problem(agreement, part.start_date, part.end_date)):
        errors["end_date"] = problem
    loan = loan_of(agreement)
    if loan is not None:
        for name in FIXED_DURING_EXTENSION:
            if getattr(part, name) != getattr(agreement, name):
                errors.setdefault(
                    name,
                    _(
                        "Pendant une prolongation, seules la date de fin et les modalités "
                        "peuvent changer : le début et la refacturation restent ceux du prêt signé."
                    ),
                )
    if errors:
        raise ValidationError(errors)


def update(agreement: Agreement, part: LenderPart | HostPart, actor) -> bool:
    """Store one firm's part; True when it changed a frozen agreement (new version)."""
    lock(agreement)
    if agreement.status in (AgreementStatus.SIGNED, AgreementStatus.CANCELLED):
        raise ServiceError(_("Cet accord est signé : il ne peut plus être modifié."))
    side = "lender" if isinstance(part, LenderPart) else "host"
    if isinstance(part, LenderPart):
        _check_dates(agreement, part)
    signatories.check(agreement, side, getattr(part, f"{side}_signatory_id"))
    facts_before = declarations.facts(agreement, side)
    changed = False
    for f in fields(part):
        value = getattr(part, f.name)
        if isinstance(value, str):
            value = value.strip()
        if getattr(agreement, f.name) != value:
            setattr(agreement, f.name, value)
            changed = True
    changed = signatories.copy(agreement, side) or changed
    declarations.record(agreement, side, facts_before, actor)
    restarted = changed and agreement.status == AgreementStatus.SIGNING
    if restarted:
        _new_version(agreement)
    audit.record("agreement.updated", actor, agreement)
    return restarted


def _new_version(agreement: Agreement) -> None:
    """Void the frozen documents of the current version and their signatures (even a
    document both its parties signed: the version it belongs to is replaced); versions that
    made a signed agreement, before an extension, are kept. Back to draft, version + 1."""
    now = utcnow()
    for document in agreement.documents:
        if document.version == agreement.version and document.voided_at is None:
            document.voided_at = now
    agreement.version += 1
    agreement.status = AgreementStatus.DRAFT
    agreement.signing_date = None


def signer_for(agreement: Agreement, user: User) -> set[Signer]:
    """The roles `user` may sign as in `agreement` (its part in it)."""
    party = party_of(agreement, user)
    return {Signer(party.value)} if party else set()


def abandon(agreement: Agreement, actor, now: datetime | None = None) -> None:
    """Any party may give up before everything is signed; no reason is asked. The proposal
    is cancelled, so the employee and the position are free again."""
    lock(agreement)
    if agreement.status == AgreementStatus.SIGNED:
        raise ServiceError(_("Cet accord est signé : mettez fin au prêt depuis sa page."))
    if loan_of(agreement) is not None:
        raise ServiceError(
            _("Une prolongation ne s'abandonne pas : le prêt signé continue jusqu'à sa fin.")
        )
    if agreement.status == AgreementStatus.CANCELLED:
        raise ServiceError(_("Cet accord est déjà abandonné."))
    now = now or utcnow()
    _new_version(agreement)
    agreement.status = AgreementStatus.CANCELLED
    proposal = agreement.proposal
    proposal.status, proposal.closed_at = ProposalStatus.CANCELLED, now
    audit.record("agreement.abandoned", actor, agreement)
    for user in party_users(agreement):
        mail.queue(
            user,
            _l("Un accord de prêt a été abandonné"),
            "agreement_abandoned",
            user=user,
            agreement=agreement,
        )


def for_proposal(proposal: Proposal) -> Agreement | None:
    return db.session.scalar(select(Agreement).where(Agreement.proposal_id == proposal.id))


def loan_of(agreement: Agreement) -> Loan | None:
    return db.session.scalar(select(Loan).where(Loan.agreement_id == agreement.id))
