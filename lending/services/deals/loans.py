"""Loans: opened by a signed agreement, active from their start date, extended by a new
signed version, ended (on time or early), then the employee's return to post. Each step is a
timeline event. The daily job (`advance`) activates, ends and flags what is due."""

from collections import defaultdict
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lending.extensions import db
from lending.models import (
    Agreement,
    AgreementStatus,
    EarlyEnd,
    Feedback,
    Loan,
    LoanEvent,
    LoanStatus,
    ProposalStatus,
)
from lending.models._time import local_date, utcnow
from lending.services import audit, uow
from lending.services.deals import agreements, presence
from lending.services.deals.agreements import loan_of
from lending.services.errors import ServiceError

EVENT_LABELS = {
    "signed": _l("Accord signé par toutes les parties"),
    "started": _l("Début du prêt"),
    "extension_requested": _l("Prolongation demandée : nouvelle version à signer"),
    "extended": _l("Prolongation signée"),
    "ended": _l("Fin du prêt"),
    "ended_early": _l("Fin anticipée du prêt"),
    "returned": _l("Retour du salarié dans son entreprise"),
    "twelve_months": _l(
        "12 mois de présence continue dans l'entreprise d'accueil, prêts successifs compris : "
        "effets sur son effectif (article L1111-2 du Code du travail) et sur les élections de "
        "son CSE (article L2314-23)"
    ),
}

# What the loans list shows of each row (names are the agreement's), loaded with the page.
LIST_LOADS = (selectinload(Loan.agreement),)


def _event(loan: Loan, kind: str, on_date: date | None = None, note: str = "", actor=None):
    loan.events.append(
        LoanEvent(kind=kind, on_date=on_date, note=note, actor_id=getattr(actor, "id", None))
    )


def open_or_extend(agreement: Agreement, now: datetime) -> Loan:
    """Called when both documents of `agreement` are signed."""
    loan = loan_of(agreement)
    if loan is None:
        loan = Loan(
            agreement_id=agreement.id,
            employee_id=agreement.employee_id,
            lender_firm_id=agreement.lender_firm_id,
            host_firm_id=agreement.host_firm_id,
            scheme_id=agreement.scheme_id,
            start_date=agreement.start_date,
            end_date=agreement.end_date,
        )
        db.session.add(loan)
        _event(loan, "signed", local_date(now))
    else:
        loan.end_date = agreement.end_date
        _event(loan, "extended", agreement.end_date)
    db.session.flush()
    return loan


def _free(loan: Loan) -> None:
    """The loan is over: its proposal no longer holds the employee or the position."""
    proposal = loan.agreement.proposal
    if proposal.status == ProposalStatus.ACCEPTED:
        proposal.status, proposal.closed_at = ProposalStatus.COMPLETED, utcnow()


def advance(today: date) -> dict[str, int]:
    """Start, end and flag the loans that are due; idempotent."""
    counts = {"started": 0, "ended": 0, "twelve_months": 0}
    for loan in db.session.scalars(
        select(Loan).where(Loan.status == LoanStatus.SCHEDULED, Loan.start_date <= today)
    ):
        loan.status, loan.started_at = LoanStatus.ACTIVE, utcnow()
        _event(loan, "started", loan.start_date)
        counts["started"] += 1
    db.session.flush()
    counts["twelve_months"] = _flag_twelve_months(today)  # before the last day ends a loan
    for loan in db.session.scalars(
        select(Loan).where(Loan.status == LoanStatus.ACTIVE, Loan.end_date < today)
    ):
        loan.status, loan.ended_on = LoanStatus.ENDED, loan.end_date
        _free(loan)
        _event(loan, "ended", loan.end_date)
        counts["ended"] += 1
    db.session.flush()
    return counts


def _flag_twelve_months(today: date) -> int:
    """Flag each active loan during which the employee completes twelve months of
    continuous presence at the host, its earlier loans there included (presence.py), by
    `today` and by the loan's last day: a loan from 1 March 2027 to 29 February 2028 is
    flagged on 29 February 2028, or the day after if the job missed that day. A loan that
    starts with twelve months already behind it is flagged on its first day."""
    due = (Loan.status == LoanStatus.ACTIVE, Loan.twelve_months_on.is_(None))
    running = list(db.session.scalars(select(Loan).where(*due)))
    if not running:
        return 0
    periods: dict[tuple[int, int], list[tuple[int, date, date]]] = defaultdict(list)
    for row in db.session.execute(
        select(Loan.id, Loan.employee_id, Loan.host_firm_id, Loan.start_date, Loan.end_date).where(
            Loan.employee_id.in_(select(Loan.employee_id).where(*due))
        )
    ):
        periods[row.employee_id, row.host_firm_id].append((row.id, row.start_date, row.end_date))
    flagged = 0
    for loan in running:
        pair = periods[loan.employee_id, loan.host_firm_id]
        others = [(start, end) for id_, start, end in pair if id_ != loan.id]
        run = presence.run_of(others, (loan.start_date, loan.end_date))
        day = max(presence.twelve_months_on(run.since), loan.start_date)
        if day <= min(today, loan.end_date):
            loan.twelve_months_on = day
            _event(loan, "twelve_months", day)
            flagged += 1
    return flagged


def end_early(
    loan: Loan,
    on_date: date,
    reason: str,
    actor,
    today: date | None = None,
    *,
    category: EarlyEnd = EarlyEnd.OTHER,
) -> None:
    """End before the planned date, with its category (counted by the territory's
    dashboard) and its reason in words: `on_date` becomes the last day on loan.
    A past or current date ends the loan now; a later one (a notice period) keeps it active
    until then, and the daily job ends it. Months already billed cannot be cut."""
    today = today or local_date()
    reason = reason.strip()
    if loan.status == LoanStatus.ENDED:
        raise ServiceError(_("Ce prêt est déjà terminé."))
    if not reason:
        raise ServiceError(_("Indiquez le motif de la fin anticipée."), "reason")
    if not loan.start_date <= on_date < loan.end_date:
        raise ServiceError(
            _("La fin anticipée doit tomber entre le début du prêt et sa fin prévue."), "on_date"
        )
    if any(s.month >= on_date.replace(day=1) for s in loan.statements):
        raise ServiceError(
            _(
                "Des relevés sont déjà établis pour ce mois ou les suivants : la fin anticipée "
                "ne peut pas les précéder."
            ),
            "on_date",
        )
    loan.end_date, loan.ended_early = on_date, True
    loan.end_reason, loan.end_category = reason[:2000], EarlyEnd(category)
    _event(loan, "ended_early", on_date, loan.end_reason, actor)
    if on_date < today:
        loan.status, loan.ended_on = LoanStatus.ENDED, on_date
        _free(loan)
    audit.record("loan.ended_early", actor, loan)


def record_return(loan: Loan, on_date: date, note: str, actor) -> None:
    """The employee is back at the lender, on the same or an equivalent post."""
    if loan.status != LoanStatus.ENDED:
        raise ServiceError(_("Le retour se déclare une fois le prêt terminé."))
    if loan.returned_on is not None:
        raise ServiceError(_("Le retour du salarié est déjà enregistré."))
    assert loan.ended_on is not None  # an ended loan has its end date
    if on_date < loan.ended_on:
        raise ServiceError(_("Le retour ne peut pas précéder la fin du prêt."), "on_date")
    loan.returned_on, loan.return_note = on_date, note.strip()[:2000]
    _event(loan, "returned", on_date, loan.return_note, actor)
    audit.record("loan.returned", actor, loan)


def request_extension(loan: Loan, new_end: date, actor) -> Agreement:
    """A later end date: a new version of both documents, to complete and sign again."""
    agreement = loan.agreement
    if loan.status == LoanStatus.ENDED:
        raise ServiceError(_("Ce prêt est terminé : il ne peut plus être prolongé."))
    if loan.ended_early:
        raise ServiceError(
            _("Une fin anticipée est enregistrée : le prêt ne peut plus être prolongé.")
        )
    if agreement.status != AgreementStatus.SIGNED:
        raise ServiceError(_("Une prolongation est déjà en préparation pour ce prêt."))
    if new_end <= loan.end_date:
        raise ServiceError(_("La nouvelle date de fin doit suivre la fin prévue."), "new_end")
    if problem := agreements.duration_problem(agreement, loan.start_date, new_end):
        raise ServiceError(problem, "new_end")
    agreement.end_date = new_end
    agreement.version += 1
    agreement.status = AgreementStatus.DRAFT
    agreement.signing_date = None
    _event(loan, "extension_requested", new_end, actor=actor)
    audit.record("loan.extension_requested", actor, loan)
    return agreement


def give_feedback(loan: Loan, party: str, rating: int, would_repeat: bool, comment: str, actor):
    """One short, optional feedback per party once the loan is over."""
    if loan.status != LoanStatus.ENDED:
        raise ServiceError(_("L'avis se donne à la fin du prêt."))
    if not 1 <= rating <= 5:
        raise ServiceError(_("Choisissez une note de 1 à 5."), "rating")
    db.session.add(
        Feedback(
            loan_id=loan.id,
            party=party,
            rating=rating,
            would_repeat=would_repeat,
            comment=comment.strip()[:1000],
        )
    )
    uow.flush_or_refuse(_("Vous avez déjà donné votre avis sur ce prêt."))
    audit.record("loan.feedback", actor, loan)


def has_feedback(loan: Loan, party: str) -> bool:
    return (
        db.session.scalar(
            select(Feedback.id).where(Feedback.loan_id == loan.id, Feedback.party == party)
        )
        is not None
    )
