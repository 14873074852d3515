"""Signing an agreement: the legal gates, freezing both documents, each party's signature
after re-authentication with its evidence record, and the check of a PDF by its hash.

The avenant is signed first, by the employee and the lender; then the convention, by both
firms, since it attests that the employee agreed and the avenant is signed. Each firm signs
through the account its part designates (signatories.py). Once both documents carry every
signature the agreement is signed and its loan opens (or, for an extension, moves its end
date).
"""

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lending.documents import render
from lending.extensions import db
from lending.models import (
    Agreement,
    AgreementDocument,
    AgreementStatus,
    DocumentKind,
    Loan,
    LoanStatus,
    Signature,
    User,
)
from lending.models._time import local_date, utcnow
from lending.models.agreement import SIGNERS, Signer
from lending.services import accounts, audit, mail, passwords, uow
from lending.services.deals import compliance, loans, signatories
from lending.services.deals.agreements import duration_problem, loan_of, lock, signer_for
from lending.services.deals.billing_rules import fr_date
from lending.services.errors import ServiceError
from lending.services.parties import party_users

_LOOK_IT_UP: Any = object()


def problems(agreement: Agreement, today: date, loan: Loan | None = _LOOK_IT_UP) -> list[str]:
    """Everything legal.md requires that is missing or wrong, in French. `loan`: the
    agreement's loan (None: not opened yet) when the caller loaded it with others (the
    desk's list); by default it is looked up."""
    consent_at = agreement.proposal.employee_decided_at
    found = compliance.convention_problems(agreement, today=today)
    found += [p for p in compliance.avenant_problems(agreement, consent_at) if p not in found]
    if agreement.start_date and agreement.end_date:  # an extension keeps the loan's start
        too_long = duration_problem(agreement, agreement.start_date, agreement.end_date)
        if too_long and too_long not in found:
            found.append(too_long)
    if loan is _LOOK_IT_UP:
        loan = loan_of(agreement)
    if loan is not None:  # an extension, signed while the loan runs
        if agreement.end_date <= loan.end_date:
            found.append(_("Une prolongation doit reporter la date de fin du prêt."))
    elif agreement.start_date <= today:
        found.append(
            _(
                "La date de début (%(d)s) doit être postérieure à la signature : "
                "les deux documents sont signés avant le début du prêt.",
                d=fr_date(agreement.start_date),
            )
        )
    return found


def start_signing(agreement: Agreement, actor, today: date) -> None:
    """Check every rule, then freeze both documents (HTML, PDF, SHA-256)."""
    lock(agreement)
    if agreement.status != AgreementStatus.DRAFT:
        raise ServiceError(_("Les documents de cet accord sont déjà figés pour signature."))
    agreement.signing_date = today
    for side in signatories.SIDES:  # the documents print the accounts as they are now
        signatories.copy(agreement, side)
    found = problems(agreement, today)
    if found:
        agreement.signing_date = None
        raise ComplianceError(found)
    for kind in DocumentKind:
        html = render.render_html(agreement, kind, agreement.version)
        pdf = render.html_to_pdf(html)
        agreement.documents.append(
            AgreementDocument(
                kind=kind,
                version=agreement.version,
                html=html,
                pdf=pdf,
                sha256=render.sha256_hex(pdf),
            )
        )
    agreement.status = AgreementStatus.SIGNING
    uow.flush_or_refuse(_("Les documents de cet accord sont déjà figés pour signature."))
    audit.record("agreement.frozen", actor, agreement)


class ComplianceError(ServiceError):
    """Signing refused: `problems` lists each missing or invalid item."""

    def __init__(self, found: list[str]):
        super().__init__(_("La signature est impossible tant que ces points ne sont pas réglés."))
        self.problems = found


def sign(
    agreement: Agreement,
    kind: DocumentKind,
    user: User,
    password: str,
    *,
    ip: str | None,
    user_agent: str | None,
    now: datetime | None = None,
    expected_sha256: str | None = None,
) -> Signature:
    """Sign the frozen document of `kind` after re-authentication; record the evidence.

    `expected_sha256` is the hash of the document the signer was shown: if the document
    changed since (a new version), nothing is signed. A wrong password is counted towards
    the lockout, whatever becomes of this unit of work. Raises ServiceError."""
    now = now or utcnow()
    if accounts.is_locked(user):
        raise ServiceError(_("Trop de tentatives : ce compte est verrouillé pour un moment."))
    if not passwords.verify_password(user.password_hash, password):
        accounts.count_wrong_password(user)
        raise ServiceError(_("Mot de passe incorrect : la signature n'est pas faite."), "password")
    lock(agreement)
    document = agreement.current(kind)
    if agreement.status != AgreementStatus.SIGNING or document is None:
        raise ServiceError(_("Ce document n'est pas prêt à être signé."))
    if expected_sha256 is not None and expected_sha256 != document.sha256:
        raise ServiceError(
            _(
                "Le document a changé depuis que vous l'avez ouvert : relisez la nouvelle "
                "version avant de la signer."
            )
        )
    if reason := why_not(agreement, kind, user):
        raise ServiceError(reason)
    signer = _signer(agreement, kind, user)
    loan = loan_of(agreement)
    today = local_date(now)
    if loan is None and today >= agreement.start_date:
        raise ServiceError(
            _("Le prêt a déjà commencé : les documents devaient être signés avant son début.")
        )
    if loan is not None and (loan.status == LoanStatus.ENDED or today > loan.end_date):
        raise ServiceError(_("Le prêt est terminé : la prolongation ne peut plus être signée."))
    if too_long := duration_problem(agreement, agreement.start_date, agreement.end_date):
        raise ServiceError(too_long)
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
    uow.flush_or_refuse(_("Vous avez déjà signé ce document."))
    audit.record(f"agreement.signed.{kind.value}", user, agreement)
    if all(document.signature_of(s) for s in SIGNERS[kind]):
        document.signed_pdf = render.signed_pdf(document)
        document.signed_sha256 = render.sha256_hex(document.signed_pdf)
        document.completed_at = now
    if all((doc := agreement.current(k)) is not None and doc.completed_at for k in DocumentKind):
        _complete(agreement, now)
    return signature


def _signer(agreement: Agreement, kind: DocumentKind, user: User) -> Signer | None:
    """The role `user` signs `kind` as, or None."""
    roles = signer_for(agreement, user) & set(SIGNERS[kind])
    return roles.pop() if roles else None


# The avenant's signatures the convention waits for, by who is missing (in SIGNERS order).
MISSING_ON_AVENANT = {
    (Signer.EMPLOYEE, Signer.LENDER): _l("du salarié et de l'entreprise prêteuse"),
    (Signer.EMPLOYEE,): _l("du salarié"),
    (Signer.LENDER,): _l("de l'entreprise prêteuse"),
}


def why_not(agreement: Agreement, kind: DocumentKind, user: User) -> str | None:
    """Why `user` may not sign the frozen document of `kind` now, in French; None if they
    may. Only a party of the document signs it, once; a firm through its designated
    account, as the document names it; the convention after the avenant."""
    document = agreement.current(kind)
    signer = _signer(agreement, kind, user)
    if document is None or signer is None:
        return _("Vous n'êtes pas signataire de ce document.")
    if document.signature_of(signer) is not None:
        return _("Vous avez déjà signé ce document.")
    if signer != Signer.EMPLOYEE:
        side = signer.value
        if getattr(agreement, f"{side}_signatory_id") != user.id:
            return _(
                "Pour %(firm)s, c'est %(name)s qui signe : les documents portent son nom et "
                "sa fonction, et seul son compte peut les signer.",
                firm=getattr(agreement, f"{side}_name"),
                name=getattr(agreement, f"{side}_signatory_name"),
            )
        if signatories.changed_since_frozen(agreement, side, user):
            return _(
                "Votre nom ou votre fonction ont changé depuis que les documents ont été "
                "figés : enregistrez à nouveau la partie de votre entreprise pour les mettre à "
                "jour, puis signez la nouvelle version."
            )
    if kind == DocumentKind.CONVENTION:
        avenant = agreement.current(DocumentKind.AVENANT)
        missing = tuple(
            who
            for who in SIGNERS[DocumentKind.AVENANT]
            if avenant is None or avenant.signature_of(who) is None
        )
        if missing:
            return _(
                "L'avenant doit d'abord être signé par le salarié et par l'entreprise "
                "prêteuse, car la convention atteste qu'il l'est : il manque la signature "
                "%(missing)s.",
                missing=MISSING_ON_AVENANT[missing],
            )
    return None


def _complete(agreement: Agreement, now: datetime) -> None:
    agreement.status = AgreementStatus.SIGNED
    loans.open_or_extend(agreement, now)
    for user in party_users(agreement):
        mail.queue(
            user, _l("Accord de prêt signé"), "agreement_signed", user=user, agreement=agreement
        )


def find_document_by_hash(sha256: str) -> AgreementDocument | None:
    """The signed (or frozen) document whose PDF has this SHA-256."""
    return db.session.scalar(
        select(AgreementDocument).where(
            (AgreementDocument.signed_sha256 == sha256) | (AgreementDocument.sha256 == sha256)
        )
    )
