"""Agreements: drafted when a proposal is accepted, completed by both firms, checked against
legal.md, frozen, signed by each party after re-entering their password, then a loan.

A change to a frozen agreement starts a new version: the frozen documents are voided with
their signatures, and signing starts again from the new text.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lending.documents import render
from lending.extensions import db
from lending.models import (
    Agreement,
    AgreementDocument,
    AgreementStatus,
    BillingRegime,
    DocumentKind,
    Loan,
    Proposal,
    Role,
    Signature,
    Signer,
    User,
)
from lending.models._time import utcnow
from lending.models.agreement import SIGNERS
from lending.services import accounts, audit, compliance, mail, passwords
from lending.services.errors import ServiceError
from lending.services.proposals import party_users

DEFAULT_BILLING_METHOD = _l(
    "Chaque mois, l'entreprise prêteuse refacture à l'entreprise utilisatrice le salaire brut "
    "versé pour la période de mise à disposition, les charges sociales patronales "
    "correspondantes et les frais professionnels remboursés au salarié au titre du prêt, "
    "au prorata des jours de mise à disposition, sur présentation d'un relevé mensuel."
)


class WrongPasswordError(ServiceError):
    """The signer's password was wrong: the failure is counted (commit it)."""


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

    lender_signatory_name: str
    lender_signatory_role: str
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


@dataclass
class HostPart:
    """What the host firm completes."""

    host_signatory_name: str
    host_signatory_role: str
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


def update(agreement: Agreement, part: LenderPart | HostPart, actor) -> bool:
    """Store one firm's part; True when it changed a frozen agreement (new version)."""
    if agreement.status in (AgreementStatus.SIGNED, AgreementStatus.CANCELLED):
        raise ServiceError(_("Cet accord est signé : il ne peut plus être modifié."))
    changed = False
    for f in fields(part):
        value = getattr(part, f.name)
        if isinstance(value, str):
            value = value.strip()
        if getattr(agreement, f.name) != value:
            setattr(agreement, f.name, value)
            changed = True
    restarted = changed and agreement.status == AgreementStatus.SIGNING
    if restarted:
        _new_version(agreement)
    audit.record("agreement.updated", actor, agreement)
    return restarted


def _new_version(agreement: Agreement) -> None:
    """Void the frozen documents and their signatures; back to draft, version + 1."""
    now = utcnow()
    for document in agreement.documents:
        if document.voided_at is None and document.completed_at is None:
            document.voided_at = now
    agreement.version += 1
    agreement.status = AgreementStatus.DRAFT
    agreement.signing_date = None


def problems(agreement: Agreement, today: date) -> list[str]:
    """Everything legal.md requires that is missing or wrong, in French."""
    consent_at = agreement.proposal.employee_decided_at
    found = compliance.convention_problems(agreement, today=today)
    found += [p for p in compliance.avenant_problems(agreement, consent_at) if p not in found]
    loan = loan_of(agreement)
    if loan is not None:  # an extension, signed while the loan runs
        if agreement.end_date <= loan.end_date:
            found.append(_("Une prolongation doit reporter la date de fin du prêt."))
    elif agreement.start_date <= today:
        found.append(
            _(
                "La date de début (%(d)s) doit être postérieure à la signature : "
                "les deux documents sont signés avant le début du prêt.",
                d=agreement.start_date.strftime("%d/%m/%Y"),
            )
        )
    return found


def start_signing(agreement: Agreement, actor, today: date) -> None:
    """Check every rule, then freeze both documents (HTML, PDF, SHA-256)."""
    if agreement.status != AgreementStatus.DRAFT:
        raise ServiceError(_("Les documents de cet accord sont déjà figés pour signature."))
    agreement.signing_date = today
    found = problems(agreement, today)
    if found:
        agreement.signing_date = None
        raise ComplianceError(found)
    for kind in DocumentKind:
        html = render.render_html(agreement, kind, agreement.version)
        pdf = render.html_to_pdf(html)
        agreement.documents.append(
            AgreementDocument(
                kind=kind, version=agreement.version, html=html, pdf=pdf,
                sha256=render.sha256_hex(pdf),
            )
        )  # fmt: skip
    agreement.status = AgreementStatus.SIGNING
    db.session.flush()
    audit.record("agreement.frozen", actor, agreement)


class ComplianceError(ServiceError):
    """Signing refused: `problems` lists each missing or invalid item."""

    def __init__(self, found: list[str]):
        super().__init__(_("La signature est impossible tant que ces points ne sont pas réglés."))
        self.problems = found


def signer_for(agreement: Agreement, user: User) -> set[Signer]:
    """The roles `user` may sign as in `agreement`."""
    if user.role == Role.EMPLOYEE and agreement.employee.user_id == user.id:
        return {Signer.EMPLOYEE}
    if user.role == Role.HR and user.firm_id == agreement.lender_firm_id:
        return {Signer.LENDER}
    if user.role == Role.HR and user.firm_id == agreement.host_firm_id:
        return {Signer.HOST}
    return set()


def sign(
    agreement: Agreement,
    kind: DocumentKind,
    user: User,
    password: str,
    *,
    ip: str | None,
    user_agent: str | None,
    now: datetime | None = None,
) -> Signature:
    """Sign the frozen document of `kind` after re-authentication; record the evidence.

    Raises WrongPasswordError (commit it: the failure counts towards the lockout) or
    ServiceError."""
    now = now or utcnow()
    if accounts.is_locked(user):
        raise ServiceError(_("Trop de tentatives : ce compte est verrouillé pour un moment."))
    if not passwords.verify_password(user.password_hash, password):
        accounts.record_failure(user)
        raise WrongPasswordError(_("Mot de passe incorrect : la signature n'est pas faite."))
    document = agreement.current(kind)
    if agreement.status != AgreementStatus.SIGNING or document is None:
        raise ServiceError(_("Ce document n'est pas prêt à être signé."))
    roles = signer_for(agreement, user) & set(SIGNERS[kind])
    if not roles:
        raise ServiceError(_("Vous n'êtes pas signataire de ce document."))
    signer = roles.pop()
    if document.signature_of(signer) is not None:
        raise ServiceError(_("Vous avez déjà signé ce document."))
    loan = loan_of(agreement)
    if loan is None and now.date() >= agreement.start_date:
        raise ServiceError(
            _("Le prêt a déjà commencé : les documents devaient être signés avant son début.")
        )
    if loan is not None and now.date() > loan.end_date:
        raise ServiceError(_("Le prêt est terminé : la prolongation ne peut plus être signée."))
    signature = Signature(
        signer=signer,
        user_id=user.id,
        signer_name=user.full_name,
        signed_at=now,
        ip=ip,
        user_agent=(user_agent or "")[:255],
        document_sha256=document.sha256,
        document_version=document.version,
    )
    document.signatures.append(signature)
    db.session.flush()
    audit.record(f"agreement.signed.{kind.value}", user, agreement)
    if all(document.signature_of(s) for s in SIGNERS[kind]):
        document.signed_pdf = render.signed_pdf(document)
        document.signed_sha256 = render.sha256_hex(document.signed_pdf)
        document.completed_at = now
    if all((doc := agreement.current(k)) is not None and doc.completed_at for k in DocumentKind):
        _complete(agreement, now)
    return signature


def _complete(agreement: Agreement, now: datetime) -> None:
    from lending.services import loans

    agreement.status = AgreementStatus.SIGNED
    loans.open_or_extend(agreement, now)
    for user in party_users(agreement):
        mail.queue(user, _l("Accord de prêt signé"), "agreement_signed", user=user,
                   agreement=agreement)  # fmt: skip


def find_document_by_hash(sha256: str) -> AgreementDocument | None:
    """The signed (or frozen) document whose PDF has this SHA-256."""
    return db.session.scalar(
        select(AgreementDocument).where(
            (AgreementDocument.signed_sha256 == sha256) | (AgreementDocument.sha256 == sha256)
        )
    )


def abandon(agreement: Agreement, actor, now: datetime | None = None) -> None:
    """Any party may give up before everything is signed; no reason is asked. The proposal
    is cancelled, so the employee and the position are free again."""
    from lending.models import ProposalStatus

    if agreement.status == AgreementStatus.SIGNED:
        raise ServiceError(_("Cet accord est signé : mettez fin au prêt depuis sa page."))
    if agreement.status == AgreementStatus.CANCELLED:
        raise ServiceError(_("Cet accord est déjà abandonné."))
    now = now or utcnow()
    _new_version(agreement)
    agreement.status = AgreementStatus.CANCELLED
    proposal = agreement.proposal
    proposal.status, proposal.closed_at = ProposalStatus.CANCELLED, now
    audit.record("agreement.abandoned", actor, agreement)
    for user in party_users(agreement):
        mail.queue(user, _l("Un accord de prêt a été abandonné"), "agreement_abandoned",
                   user=user, agreement=agreement)  # fmt: skip


def for_proposal(proposal: Proposal) -> Agreement | None:
    return db.session.scalar(select(Agreement).where(Agreement.proposal_id == proposal.id))


def loan_of(agreement: Agreement) -> Loan | None:
    return db.session.scalar(select(Loan).where(Loan.agreement_id == agreement.id))
