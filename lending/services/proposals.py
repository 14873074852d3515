"""Proposals: the three parties' decisions, expiry and cancellation.

Each decision is a conditional UPDATE on a still-pending proposal with no answer yet from
that party, so a double click or two HR managers answering at once give one decision.
Nobody is asked why they refuse, and no party learns who declined: a proposal that closes
without all three accepting (declined, expired or withdrawn) tells each party the same
thing at the same moment, by the same e-mail (see also authz.may_see_answer).
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from lending.extensions import db
from lending.models import (
    Decision,
    Employee,
    Firm,
    Party,
    Proposal,
    ProposalStatus,
)
from lending.models._time import utcnow
from lending.models.proposal import UNCONCLUDED_STATUSES
from lending.services import audit, mail, uow
from lending.services.deals import agreements
from lending.services.errors import ServiceError
from lending.services.parties import party_users

ACCEPTED_MESSAGE = _l("Cette proposition a déjà été acceptée par les trois parties.")
# Whoever declined, or if the deadline passed or the offer was withdrawn: the same words.
UNCONCLUDED_MESSAGE = _l("Cette proposition est close sans suite : elle n'est plus ouverte.")
PAST_DEADLINE = _l("Le délai de réponse est dépassé : la proposition a expiré.")


def _closed_message(proposal: Proposal) -> str:
    return str(ACCEPTED_MESSAGE if proposal.all_accepted else UNCONCLUDED_MESSAGE)


def _close(where, status: ProposalStatus, now: datetime) -> list[int]:
    """Close the pending proposals matching `where`; their ids."""
    return list(
        db.session.scalars(
            update(Proposal)
            .where(Proposal.status == ProposalStatus.PENDING, where)
            .values(status=status, closed_at=now)
            .returning(Proposal.id)
            .execution_options(synchronize_session=False)
        )
    )


def _close_unconcluded(where, status: ProposalStatus, now: datetime) -> int:
    """Close them, and tell each party as a decline would (the same e-mail)."""
    closed = _close(where, status, now)
    if closed:
        query = (
            select(Proposal)
            .options(*LIST_LOADS)
            .where(Proposal.id.in_(closed))
            .order_by(Proposal.id)
            .execution_options(populate_existing=True)  # rows loaded before the UPDATE
        )
        for proposal in db.session.scalars(query):
            _notify_outcome(proposal)
    return len(closed)


def expire_due(now: datetime | None = None) -> int:
    """Pending proposals past their deadline become expired (both sides are freed)."""
    now = now or utcnow()
    return _close_unconcluded(Proposal.expires_at <= now, ProposalStatus.EXPIRED, now)


def cancel_for_employee(employee: Employee) -> int:
    """The employee withdrew or was taken off the offer: their pending proposals end."""
    where = Proposal.employee_id == employee.id
    return _close_unconcluded(where, ProposalStatus.CANCELLED, utcnow())


def cancel_for_need(need) -> int:
    return _close_unconcluded(Proposal.need_id == need.id, ProposalStatus.CANCELLED, utcnow())


def decide(proposal: Proposal, party: Party, *, accept: bool, actor, now=None) -> Proposal:
    """Record `party`'s answer; raises ServiceError if the proposal is closed, past its
    deadline, or already answered by that party."""
    now = now or utcnow()
    if proposal.status != ProposalStatus.PENDING:
        raise ServiceError(_closed_message(proposal))
    if proposal.expires_at <= now:
        raise ServiceError(str(PAST_DEADLINE))
    decision = Decision.ACCEPTED if accept else Decision.REFUSED
    column = getattr(Proposal, f"{party.value}_decision")
    values = {f"{party.value}_decision": decision, f"{party.value}_decided_at": now}
    if party != Party.EMPLOYEE:
        values[f"{party.value}_decided_by_id"] = actor.id
    answered = db.session.execute(
        update(Proposal)
        .where(
            Proposal.id == proposal.id,
            Proposal.status == ProposalStatus.PENDING,
            Proposal.expires_at > now,
            column.is_(None),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if uow.rowcount(answered) != 1:
        db.session.refresh(proposal)
        if proposal.status != ProposalStatus.PENDING:
            raise ServiceError(_closed_message(proposal))
        raise ServiceError(_("Vous avez déjà répondu à cette proposition."))
    if accept:
        all_three = and_(
            *(getattr(Proposal, f"{p.value}_decision") == Decision.ACCEPTED for p in Party)
        )
        done = _close(and_(Proposal.id == proposal.id, all_three), ProposalStatus.ACCEPTED, now)
    else:
        done = _close(Proposal.id == proposal.id, ProposalStatus.REFUSED, now)
    db.session.refresh(proposal)
    audit.record(f"proposal.{party.value}.{decision.value}", actor, proposal)
    if done and proposal.status == ProposalStatus.ACCEPTED:
        agreements.draft(proposal)
    if done:
        _notify_outcome(proposal)
    return proposal


def _notify_outcome(proposal: Proposal) -> None:
    accepted = proposal.status == ProposalStatus.ACCEPTED
    subject = (
        _l("Proposition acceptée par les trois parties")
        if accepted
        else _l("Une proposition de prêt de main-d'œuvre n'a pas abouti")
    )
    for user in party_users(proposal):
        mail.queue(user, subject, "proposal_outcome", user=user, proposal=proposal)


# What the proposal lists show of each row, loaded with the page rather than row by row.
LIST_LOADS = (
    selectinload(Proposal.employee),
    selectinload(Proposal.need),
    selectinload(Proposal.lender_firm),
    selectinload(Proposal.host_firm),
)


def query_for_employee(employee: Employee):
    return (
        select(Proposal)
        .options(*LIST_LOADS)
        .where(Proposal.employee_id == employee.id)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    )


def query_for_firm(firm: Firm, *, side: str = "", status: str = ""):
    """Proposals where `firm` lends (side "lender") or hosts ("host"), or both sides. A
    status among UNCONCLUDED_STATUSES selects them all: the firm may not tell a declined
    proposal from an expired or withdrawn one."""
    sides = {
        "lender": Proposal.lender_firm_id == firm.id,
        "host": Proposal.host_firm_id == firm.id,
    }
    where = sides.get(side, or_(*sides.values()))
    query = select(Proposal).options(*LIST_LOADS).where(where)
    if status in UNCONCLUDED_STATUSES:  # one filter: they all read "Close sans suite"
        query = query.where(Proposal.status.in_(UNCONCLUDED_STATUSES))
    elif status in ProposalStatus.__members__.values():
        query = query.where(Proposal.status == ProposalStatus(status))
    return query.order_by(Proposal.created_at.desc(), Proposal.id.desc())


def query_for_round(round_id: int):
    return (
        select(Proposal)
        .options(*LIST_LOADS)
        .where(Proposal.round_id == round_id)
        .order_by(Proposal.score.desc(), Proposal.id)
    )


def count_waiting_for_employee(employee: Employee) -> int:
    return db.session.execute(
        select(func.count()).where(
            Proposal.employee_id == employee.id,
            Proposal.status == ProposalStatus.PENDING,
            Proposal.employee_decision.is_(None),
        )
    ).scalar_one()


def count_waiting(firm: Firm) -> int:
    """Pending proposals in which `firm` has not answered yet (for the home page)."""
    lender = and_(Proposal.lender_firm_id == firm.id, Proposal.lender_decision.is_(None))
    host = and_(Proposal.host_firm_id == firm.id, Proposal.host_decision.is_(None))
    return db.session.execute(
        select(func.count()).where(Proposal.status == ProposalStatus.PENDING, or_(lender, host))
    ).scalar_one()
