"""The desk's deals: proposals waiting for answers, agreements not signed yet."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lending.extensions import db
from lending.models import (
    Agreement,
    AgreementDocument,
    AgreementStatus,
    DocumentKind,
    Loan,
    Party,
    Proposal,
    ProposalStatus,
    Signature,
)
from lending.models._time import local_date
from lending.models.agreement import SIGNERS
from lending.services.deals import compliance, signing

PARTY_LABELS = {
    Party.EMPLOYEE: _l("le salarié"),
    Party.LENDER: _l("l'entreprise prêteuse"),
    Party.HOST: _l("l'entreprise d'accueil"),
}
DOCUMENT_LABELS = {
    DocumentKind.CONVENTION: _l("Convention de mise à disposition"),
    DocumentKind.AVENANT: _l("Avenant au contrat de travail"),
}
UNSIGNED = (AgreementStatus.DRAFT, AgreementStatus.SIGNING)


@dataclass(frozen=True)
class Waiting:
    """A pending proposal: whole days left before it expires (0: today; below 0: past,
    the expiry job has not run yet) and the parties that have not answered."""

    proposal: Proposal
    days_left: int
    waiting_for: tuple[Party, ...]

    @property
    def waiting_labels(self) -> list[str]:
        return [str(PARTY_LABELS[party]) for party in self.waiting_for]


def proposals_waiting(scope, today: date, limit: int) -> tuple[int, list[Waiting]]:
    """Pending proposals of the schemes of `scope`, the closest to expiry first."""
    where = (Proposal.status == ProposalStatus.PENDING, Proposal.scheme_id.in_(scope))
    count = db.session.scalar(select(func.count()).select_from(Proposal).where(*where))
    proposals = db.session.scalars(
        select(Proposal)
        .where(*where)
        .options(
            joinedload(Proposal.employee),
            joinedload(Proposal.need),
            joinedload(Proposal.lender_firm),
            joinedload(Proposal.host_firm),
        )
        .order_by(Proposal.expires_at, Proposal.id)
        .limit(limit)
    ).all()
    return count or 0, [
        Waiting(
            p,
            (local_date(p.expires_at) - today).days,
            tuple(party for party in Party if getattr(p, f"{party.value}_decision") is None),
        )
        for p in proposals
    ]


@dataclass(frozen=True)
class Stuck:
    """An agreement not signed yet and what it still lacks, in French: the points the
    agreement page lists before signing, or the signatures still missing."""

    agreement: Agreement
    problems: tuple[str, ...]


def agreements_stuck(scope, today: date, limit: int) -> tuple[int, list[Stuck]]:
    """Draft and signing agreements of the schemes of `scope`, the oldest first."""
    where = (Agreement.status.in_(UNSIGNED), Agreement.scheme_id.in_(scope))
    count = db.session.scalar(select(func.count()).select_from(Agreement).where(*where))
    agreements = db.session.scalars(
        select(Agreement)
        .where(*where)
        .options(joinedload(Agreement.proposal).joinedload(Proposal.scheme))
        .order_by(Agreement.created_at, Agreement.id)
        .limit(limit)
    ).all()
    ids = [a.id for a in agreements]
    loans = {
        loan.agreement_id: loan
        for loan in db.session.scalars(select(Loan).where(Loan.agreement_id.in_(ids)))
    }
    signed = _signatures([a for a in agreements if a.status == AgreementStatus.SIGNING])
    lines = []
    for a in agreements:
        if a.status == AgreementStatus.DRAFT:
            found = signing.problems(a, today, loan=loans.get(a.id))
        else:
            found = _missing_signatures(a, signed[a.id])
        lines.append(Stuck(a, tuple(found)))
    return count or 0, lines


def _signatures(agreements: list[Agreement]) -> dict[int, dict]:
    """{agreement id: {(kind, signer): signed at}} on the current, unvoided documents."""
    found: dict[int, dict] = defaultdict(dict)
    if not agreements:
        return found
    rows = db.session.execute(
        select(AgreementDocument.agreement_id, AgreementDocument.kind, Signature.signer)
        .add_columns(Signature.signed_at)
        .join(Signature, Signature.document_id == AgreementDocument.id)
        .join(Agreement, Agreement.id == AgreementDocument.agreement_id)
        .where(
            AgreementDocument.agreement_id.in_([a.id for a in agreements]),
            AgreementDocument.version == Agreement.version,
            AgreementDocument.voided_at.is_(None),
        )
    )
    for agreement_id, kind, signer, signed_at in rows:
        found[agreement_id][(kind, signer)] = signed_at
    return found


def _missing_signatures(agreement: Agreement, signed: dict) -> list[str]:
    """The signature problems of each document, as the compliance rules word them."""
    problems = []
    for kind in DocumentKind:
        dates = {signer.value: signed.get((kind, signer)) for signer in SIGNERS[kind]}
        for problem in compliance.signature_order_problems(agreement.start_date, dates):
            problems.append(f"{DOCUMENT_LABELS[kind]} — {problem}")
    return problems
