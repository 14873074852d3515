"""One past deal of the demo, lived through the real services at its own dates.

From a proposal the three parties accept: the agreement both firms complete, freeze and
sign (real PDFs, real signatures with the demo password), the loan the signature opens,
started by the daily job, maybe extended by a new signed version, ended on time or early,
the return to post and each party's feedback (the monthly statements come once every deal
is told: demo_billing.py). The services stamp some rows with the current time: `Clock`
moves those to the moment the step happened.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import update

from lending.extensions import db
from lending.models import (
    Agreement,
    AuditEvent,
    BillingRegime,
    DocumentKind,
    EarlyEnd,
    Feedback,
    Loan,
    LoanEvent,
    LoanStatus,
    Party,
    Proposal,
    User,
)
from lending.models._time import utcnow
from lending.services import proposals
from lending.services.deals import agreements, loans, signing
from lending.services.demo_market import FIRST_NAMES, LAST_NAMES

EARLY_REASONS = {
    EarlyEnd.LENDER_RECALL: "Reprise des commandes aéronautiques : l'atelier rappelle son "
    "technicien avant la date prévue.",
    EarlyEnd.HIRED: "L'entreprise d'accueil a proposé un CDI au salarié, qui l'a accepté.",
    EarlyEnd.EMPLOYEE_REQUEST: "Le salarié a demandé à revenir dans son entreprise "
    "(contraintes familiales).",
    EarlyEnd.MISSION_DONE: "Mise en service de la ligne terminée trois semaines plus tôt "
    "que prévu.",
    EarlyEnd.HOST_REQUEST: "Baisse saisonnière de l'activité de l'entreprise d'accueil.",
    EarlyEnd.HEALTH: "Arrêt de travail prolongé du salarié.",
}
COMMENTS = ["", "", "Très bonne intégration dans l'équipe.", "Expérience à renouveler.",
            "Compétences immédiatement utiles sur la ligne.", "Accueil et tutorat sérieux.",
            "Quelques difficultés d'horaires au début, vite réglées."]  # fmt: skip


def moment(day: date, hour: int = 9) -> datetime:
    """A time of `day` (UTC, as stored), during French working hours."""
    return datetime.combine(day, time(hour))


class Clock:
    """Rows the services stamp with the current time (audit events, loan events) are moved
    to the moment of the step that made them."""

    def __init__(self, now: datetime | None = None):
        self.since = now or utcnow()

    def settle(self, at: datetime) -> None:
        db.session.flush()
        for model in (AuditEvent, LoanEvent):
            db.session.execute(
                update(model)
                .where(model.at >= self.since)
                .values(at=at)
                .execution_options(synchronize_session=False)
            )


@dataclass
class Plan:
    """What becomes of one accepted proposal: the loan's start and planned length in
    months, and optionally an early end (category, after `early_after` days on loan) or an
    extension (`extra_months`, requested three weeks before the planned end)."""

    start: date
    months: int
    early: EarlyEnd | None = None
    early_after: int = 45
    extra_months: int = 0
    returned: bool = True


@dataclass
class Parties:
    employee: User
    lender: User
    host: User

    def of(self, party: Party) -> User:
        return getattr(self, party.value)


class Deal:
    """Lives one accepted proposal's story up to `today` (see `live`)."""

    def __init__(self, proposal: Proposal, parties: Parties, password: str, clock: Clock, rng):
        self.proposal, self.parties, self.password = proposal, parties, password
        self.clock, self.rng = clock, rng
        self.agreement: Agreement | None = None
        self.loan: Loan | None = None
        self.last_change = self.accepted_at = proposal.created_at

    def live(self, plan: Plan, today: date) -> Loan | None:
        self._accept()
        self._complete(plan)
        self._sign(self.proposal.created_at.date() + timedelta(days=8), today)
        loan = self.loan
        if loan is None or loan.start_date > today:
            self._stamp_agreement()
            return loan
        self._advance(loan.start_date)
        loan.started_at = moment(loan.start_date, 6)
        planned_end = loan.end_date
        if plan.extra_months:
            self._extend(planned_end, plan.extra_months, today)
        if plan.early is not None:
            self._end_early(plan, today)
        if loan.status == LoanStatus.ACTIVE and loan.end_date < today:
            self._advance(loan.end_date + timedelta(days=1))
        if loan.status == LoanStatus.ENDED:
            self._after_end(plan, today)
        self._stamp_agreement()
        return loan

    # -- proposal and agreement --------------------------------------------------------

    def _accept(self) -> None:
        start = self.proposal.created_at
        for hours, party in ((20, Party.EMPLOYEE), (30, Party.HOST), (52, Party.LENDER)):
            at = start + timedelta(hours=hours + self.rng.randint(0, 20))
            proposals.decide(
                self.proposal, party, accept=True, actor=self.parties.of(party), now=at
            )
            self.clock.settle(at)
            self.last_change = self.accepted_at = at
        self.agreement = agreements.for_proposal(self.proposal)

    def _complete(self, plan: Plan) -> None:
        agreement, rng = self.agreement, self.rng
        assert agreement is not None
        asked = self.proposal.created_at.date()
        end = plan.start + relativedelta(months=plan.months) - timedelta(days=1)
        _former_signatory_draws(rng)
        lender = agreements.LenderPart(
            lender_signatory_id=self.parties.lender.id,
            employee_classification=agreement.employee_classification or "Niveau V",
            contract_reference=f"CDI du {rng.randint(1, 28)}/{rng.randint(1, 12):02d}/"
            f"{rng.randint(2004, 2021)}",
            representative_mandate=False,
            start_date=plan.start,
            end_date=end,
            essential_change=False,
            probation_days=None,
            probation_terms="",
            notice_days=15,
            lender_no_cse=False,
            lender_cse_date=asked + timedelta(days=4),
            lender_cse_opinion="favorable",
            billing_regime=BillingRegime.COST_PRICE,
            salary_cents=agreement.salary_cents,
            charges_cents=agreement.charges_cents,
            expenses_cents=agreement.expenses_cents,
            billed_share_pct=100,
            below_cost_justification="",
            purpose="",
            billing_method=agreement.billing_method,
            payment_terms_days=30,
            lender_headcount=rng.choice([85, 140, 320, 650, 1200]),
            lender_group_headcount=None,
            same_group=False,
            lender_in_activite_partielle=agreement.lender_in_activite_partielle,
        )
        small_host = rng.random() < 0.4
        _former_signatory_draws(rng)
        host = agreements.HostPart(
            host_signatory_id=self.parties.host.id,
            missions=agreement.missions,
            work_address=agreement.work_address,
            weekly_hours=float(agreement.weekly_hours),
            working_hours="7 h 30 – 12 h, 13 h 30 – 16 h, du lundi au vendredi",  # 35 h
            risky_post=bool(agreement.risky_post),
            l4154_list_post=False,
            medical_surveillance=bool(agreement.medical_surveillance),
            ppe=agreement.ppe or "Chaussures de sécurité",
            physical_constraints="Station debout, port de charges de moins de 15 kg",
            host_no_cse=small_host,
            host_cse_date=None if small_host else asked + timedelta(days=5),
            host_headcount=rng.choice([12, 35, 48]) if small_host else rng.choice([60, 180, 400]),
            host_created_on=date(rng.randint(1950, 2012), rng.randint(1, 12), 1),
        )
        for part, user, days in ((lender, self.parties.lender, 5), (host, self.parties.host, 6)):
            at = moment(asked + timedelta(days=days), 14)
            agreements.update(agreement, part, user)
            self.clock.settle(at)
            self.last_change = at

    def _sign(self, day: date, today: date) -> None:
        """Freeze both documents on `day`, then each party signs within three days: the
        avenant first (the convention attests that it is signed)."""
        agreement = self.agreement
        assert agreement is not None
        signing.start_signing(agreement, self.parties.host, day)
        frozen = moment(day, 10)
        for document in agreement.documents:
            if document.version == agreement.version:
                document.frozen_at = frozen
        self.clock.settle(frozen)
        order = (  # (document, party, days after freezing, hour): in order even on one day
            (DocumentKind.AVENANT, Party.EMPLOYEE, 0, 10),
            (DocumentKind.AVENANT, Party.LENDER, 1, 11),
            (DocumentKind.CONVENTION, Party.LENDER, 1, 12),
            (DocumentKind.CONVENTION, Party.HOST, 2, 15),
        )
        for kind, party, days, hour in order:
            at = moment(min(day + timedelta(days=days), today), hour)
            signing.sign(
                agreement, kind, self.parties.of(party), self.password,
                ip=None, user_agent="démonstration", now=at,
            )  # fmt: skip
            self.clock.settle(at)
            self.last_change = at
        self.loan = agreements.loan_of(agreement)
        if self.loan is not None and self.loan.created_at >= self.clock.since:
            self.loan.created_at = self.last_change

    # -- the loan ---------------------------------------------------------------------

    def _advance(self, day: date) -> None:
        loans.advance(day)
        self.clock.settle(moment(day, 5))

    def _extend(self, planned_end: date, extra_months: int, today: date) -> None:
        loan = self.loan
        assert loan is not None
        asked = planned_end - timedelta(days=21)
        if asked >= today or asked <= loan.start_date:
            return
        new_end = planned_end + relativedelta(months=extra_months)
        loans.request_extension(loan, new_end, self.parties.host)
        self.clock.settle(moment(asked, 15))
        self._sign(asked + timedelta(days=2), today)

    def _end_early(self, plan: Plan, today: date) -> None:
        loan = self.loan
        assert loan is not None
        assert plan.early is not None
        last_day = loan.start_date + timedelta(days=plan.early_after)
        told = last_day - timedelta(days=15)  # the notice of the agreement
        if told >= today or last_day >= loan.end_date:
            return
        actor = self.parties.lender if plan.early == EarlyEnd.LENDER_RECALL else self.parties.host
        reason = EARLY_REASONS[plan.early]
        loans.end_early(loan, last_day, reason, actor, today=told, category=plan.early)
        self.clock.settle(moment(told, 15))

    def _after_end(self, plan: Plan, today: date) -> None:
        loan = self.loan
        assert loan is not None
        assert loan.ended_on is not None
        loan.agreement.proposal.closed_at = moment(loan.ended_on + timedelta(days=1), 5)
        back = loan.ended_on + timedelta(days=1)
        while back.weekday() >= 5:
            back += timedelta(days=1)
        if plan.returned and back <= today:
            note = "Retour sur son poste d'origine."
            loans.record_return(loan, back, note, self.parties.lender)
            self.clock.settle(moment(back, 16))
        for party in Party:  # drawn whatever today is, so the draws stay the same
            day = loan.ended_on + timedelta(days=self.rng.randint(3, 25))
            answers = self.rng.random() >= 0.15
            rating = self.rng.choices([5, 4, 3, 2, 1], weights=[50, 35, 9, 4, 2])[0]
            comment = self.rng.choice(COMMENTS)
            if day > today or not answers:
                continue
            loans.give_feedback(
                loan, party.value, rating, rating >= 4, comment, self.parties.of(party)
            )
            db.session.execute(
                update(Feedback)
                .where(Feedback.loan_id == loan.id, Feedback.party == party.value)
                .values(created_at=moment(day, 18))
                .execution_options(synchronize_session=False)
            )
            self.clock.settle(moment(day, 18))

    def _stamp_agreement(self) -> None:
        agreement = self.agreement
        assert agreement is not None
        db.session.execute(
            update(Agreement)
            .where(Agreement.id == agreement.id)
            .values(created_at=self.accepted_at, updated_at=self.last_change)
            .execution_options(synchronize_session=False)
        )


_FORMER_ROLES = ["Directeur des ressources humaines", "Directrice générale", "Gérant",
                 "Responsable RH", "Directeur de site"]  # fmt: skip


def _former_signatory_draws(rng: random.Random) -> None:
    """Each firm's signatory was once a name and a function drawn here; it is now the firm's
    HR account (services/deals/signatories.py). The draws are still made, so that every
    later one, and the demo they make (tests/services/test_demo.py), stay the same."""
    rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(_FORMER_ROLES)
