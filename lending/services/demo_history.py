"""A past for the demo schemes, so a newcomer's dashboard is not empty.

Over the last eighteen months or so, each scheme ran matching rounds (finished, with their
figures and the needs they left open, and why); their proposals were accepted, declined by
one party or left to expire; each accepted one became a signed agreement and a loan (see
demo_deals.Deal), most ended on time, some early, some extended, some still running or about
to start. SHARING's loans go from the aeronautics and metallurgy firms to the agrifood firms
and farms of Lot-et-Garonne. Dates count back from today; the draws are seeded.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from lending.extensions import db
from lending.models import (
    EarlyEnd,
    Employee,
    Enrolment,
    EnrolmentStatus,
    Firm,
    Loan,
    LoanStatus,
    MatchingRound,
    Need,
    NeedSkill,
    NeedStatus,
    Party,
    Proposal,
    ProposalStatus,
    Role,
    RoundStatus,
    Scheme,
    UnmatchedNeed,
    User,
)
from lending.models._time import local_date
from lending.services import mail, proposals
from lending.services.demo_billing import Ledger
from lending.services.demo_deals import Clock, Deal, Parties, Plan, moment

EXPIRED = "expired"


@dataclass(frozen=True)
class Story:
    """One placement: its round (days before today), planned months on loan, the lender's
    trade (SHARING), an early end or an extension, and an earlier proposal for the same need
    that came to nothing (declined by a party, or EXPIRED)."""

    days_ago: int
    months: int
    trade: str = ""
    early: EarlyEnd | None = None
    early_after: int = 45
    extra_months: int = 0
    miss: Party | str | None = None
    returned: bool = True


SHARING_STORIES = [
    Story(535, 4, "aero"),
    Story(505, 4, "aero", EarlyEnd.LENDER_RECALL, 50, miss=Party.EMPLOYEE),
    Story(470, 3, "metal"),
    Story(445, 2, "aero", extra_months=2),
    Story(400, 4, "aero", miss=EXPIRED),
    Story(360, 3, "metal", EarlyEnd.HIRED, 60),
    Story(310, 3, "aero", miss=Party.HOST),
    Story(260, 4, "metal", EarlyEnd.EMPLOYEE_REQUEST, 40, miss=Party.LENDER),
    Story(200, 4, "aero"),
    Story(150, 3, "aero", returned=False),
    Story(75, 4, "aero", miss=EXPIRED),
    Story(20, 3, "aero"),
]
PASSERELLES_STORIES = [
    Story(500, 6),
    Story(440, 5, early=EarlyEnd.MISSION_DONE, early_after=90, miss=Party.EMPLOYEE),
    Story(380, 4, miss=EXPIRED),
    Story(320, 3, extra_months=3),
    Story(260, 4, early=EarlyEnd.HEALTH, early_after=50, miss=Party.HOST),
    Story(150, 6, miss=Party.LENDER),
    Story(25, 4),
]
# Needs no round could fill: (days before today they were posted, weeks, the reason).
SHARING_UNFILLED = [(430, 8, "missing_skill"), (230, 6, "no_one_in_commute"), (120, 6, "dates")]
PASSERELLES_UNFILLED = [(420, 10, "missing_skill"), (260, 8, "budget"), (150, 8, "dates")]

TITLES = {
    "10": [("Technicien de maintenance des lignes de conditionnement",
            "Maintenance préventive et curative des lignes de tri, de cuisson et d'emballage."),
           ("Électromécanicien en renfort de campagne",
            "Dépannage des convoyeurs, des automates et des moteurs pendant la campagne."),
           ("Technicien qualité en production",
            "Contrôles en cours de fabrication, métrologie, suivi des non-conformités."),
           ("Régleur de ligne automatisée",
            "Réglage des machines de remplissage et d'étiquetage, changements de format.")],
    "01": [("Mécanicien du matériel de récolte",
            "Préparation et entretien des secoueurs, des séchoirs et des tracteurs avant la "
            "récolte des prunes."),
           ("Technicien de maintenance de la station fruitière",
            "Maintenance du calibreur, des chambres froides et des fours de séchage.")],
}  # fmt: skip


def _round_day(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _km(a, b) -> float:
    """Great-circle distance between two communes."""
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(h))


class SchemePast:
    """Builds one scheme's past: rounds, needs, proposals, deals."""

    def __init__(self, scheme: Scheme, hosts: list[Firm], pool: list[Employee], *, weekday: int,
                 password: str, password_hash: str, clock: Clock, rng: random.Random,
                 today: date, ledger: Ledger):  # fmt: skip
        self.scheme, self.hosts, self.pool, self.ledger = scheme, hosts, pool, ledger
        self.weekday, self.password, self.password_hash = weekday, password, password_hash
        self.clock, self.rng, self.today = clock, rng, today
        self.rounds: dict[date, MatchingRound] = {}
        self.busy: dict[int, list[tuple[date, date]]] = {}
        self.needs: list[tuple[Need, str]] = []  # with the reason a round leaves them open
        self.hr = {
            u.firm_id: u for u in db.session.scalars(select(User).where(User.role == Role.HR))
        }

    # -- building blocks ---------------------------------------------------------------

    def _round(self, day: date) -> MatchingRound:
        if day not in self.rounds:
            started = moment(day, 5)
            self.rounds[day] = MatchingRound(
                scheme_id=self.scheme.id,
                status=RoundStatus.DONE,
                stage="done",
                trigger="schedule",
                started_at=started,
                heartbeat_at=started + timedelta(seconds=2),
                finished_at=started + timedelta(seconds=2),
            )
            db.session.add(self.rounds[day])
            db.session.flush()
        return self.rounds[day]

    def _free(self, employee: Employee, start: date, end: date) -> bool:
        return all(end < a or start > b for a, b in self.busy.get(employee.id, []))

    def _hold(self, employee: Employee, start: date, end: date) -> None:
        self.busy.setdefault(employee.id, []).append((start, end))

    def _need(self, host: Firm, employee: Employee, posted: date, start: date, end: date,
              reason: str) -> Need:  # fmt: skip
        title, missions = self.rng.choice(
            TITLES.get(host.naf.division, [(f"Renfort : {employee.job_title}", "")])
        )
        need = Need(
            firm=host,
            title=title,
            missions=missions or f"Renfort de l'équipe : {employee.job_title.lower()}.",
            positions=1,
            commune=host.commune,
            start_date=start,
            end_date=end,
            weekly_hours=employee.weekly_hours,
            risky_post=self.rng.random() < 0.3,
            ppe="Chaussures de sécurité, gants, protections auditives",
            created_at=moment(posted, 8),
            updated_at=moment(posted, 8),
        )
        skills = sorted(employee.skills, key=lambda s: s.skill_id)[:3]
        need.skills = [
            NeedSkill(skill_id=s.skill_id, min_level=max(1, s.level - 1), mandatory=i == 0)
            for i, s in enumerate(skills)
        ]
        db.session.add(need)
        self.needs.append((need, reason))
        return need

    def _proposal(self, day: date, employee: Employee, need: Need) -> Proposal:
        round_ = self._round(day)
        written = moment(day, 5) + timedelta(seconds=2)  # when the round finished
        have = {s.skill_id: s.level for s in employee.skills}
        met = sum(have.get(s.skill_id, 0) >= s.min_level for s in need.skills)
        rng = self.rng
        parts = {
            k: round(rng.uniform(0.55, 1.0), 3) for k in ("skills", "distance", "dates", "cost")
        }
        priority = 1.0 if employee.partial_activity or employee.job_at_risk else 0.0
        proposal = Proposal(
            round_id=round_.id,
            scheme_id=self.scheme.id,
            employee_id=employee.id,
            need_id=need.id,
            lender_firm_id=employee.firm_id,
            host_firm_id=need.firm_id,
            created_at=written,
            expires_at=written + timedelta(days=self.scheme.proposal_deadline_days),
            score=round(0.4 * parts["skills"] + 0.2 * (parts["distance"] + parts["dates"])
                        + 0.1 * (parts["cost"] + priority), 3),
            skills_score=parts["skills"],
            distance_score=parts["distance"],
            dates_score=parts["dates"],
            cost_score=parts["cost"],
            priority_score=priority,
            distance_km=round(_km(employee.commune, need.commune), 1),
            skills_met=met,
            skills_asked=len(need.skills),
        )  # fmt: skip
        db.session.add(proposal)
        db.session.flush()
        return proposal

    def _employee_user(self, employee: Employee) -> User:
        """The employee's account: they signed their avenant with it."""
        if employee.user is None:
            employee.user = User(
                email=employee.email,
                full_name=employee.full_name,
                role=Role.EMPLOYEE,
                password_hash=self.password_hash,
                firm_id=employee.firm_id,
            )
        return employee.user

    def _pick(self, candidates: list[Employee], start: date, end: date) -> Employee:
        # the scheme favours employees in activité partielle or whose job is threatened
        ranked = sorted(
            candidates,
            key=lambda e: (not (e.partial_activity or e.job_at_risk), self.rng.random()),
        )
        return next(e for e in ranked if self._free(e, start, end))

    def _host_near(self, employee: Employee) -> Firm:
        hosts = [h for h in self.hosts if h.id != employee.firm_id]
        near = [h for h in hosts if _km(h.commune, employee.commune) <= employee.max_commute_km]
        return self.rng.choice(
            near or sorted(hosts, key=lambda h: _km(h.commune, employee.commune))[:1]
        )

    # -- a story -------------------------------------------------------------------------

    def tell(self, story: Story, candidates: list[Employee]) -> Loan | None:
        rng, deadline = self.rng, self.scheme.proposal_deadline_days
        day = _round_day(self.today - timedelta(days=story.days_ago), self.weekday)
        start = _monday_after(day + timedelta(days=rng.randint(24, 32)))
        if story.days_ago < 30:  # signed lately, starts soon
            start = _monday_after(max(start, self.today + timedelta(days=7)))
        planned_end = start + relativedelta(months=story.months + story.extra_months)
        employee = self._pick(candidates, day, planned_end + timedelta(days=30))
        host = self._host_near(employee)
        first = _round_day(day - timedelta(days=28), self.weekday) if story.miss else day
        posted = first - timedelta(days=rng.randint(3, 24))
        need = self._need(host, employee, posted, start, start + relativedelta(months=story.months),
                          rng.choice(["competition", "dates", "missing_skill"]))  # fmt: skip
        db.session.flush()
        self._backdate(employee, posted)
        if story.miss:
            others = [e for e in self.pool if e.id != employee.id]
            self._miss(
                story.miss, first, self._pick(others, first, first + timedelta(days=deadline)), need
            )
        proposal = self._proposal(day, employee, need)
        self._hold(employee, day, date.max)
        parties = Parties(
            self._employee_user(employee), self.hr[employee.firm_id], self.hr[host.id]
        )
        deal = Deal(proposal, parties, self.password, self.clock, rng)
        plan = Plan(start, story.months, story.early, story.early_after, story.extra_months,
                    story.returned)  # fmt: skip
        loan = deal.live(plan, self.today)
        self.ledger.add(loan, parties)
        # filled: the host closed it once the three parties had accepted
        need.status, need.closed_at = NeedStatus.CLOSED, deal.accepted_at
        need.updated_at = deal.accepted_at
        if loan is not None and loan.status == LoanStatus.ENDED:
            assert loan.ended_on is not None
            self.busy[employee.id][-1] = (day, loan.ended_on)
        return loan

    def _miss(self, how: Party | str, day: date, employee: Employee, need: Need) -> None:
        """A proposal for `need` that came to nothing: declined by one party or expired."""
        proposal = self._proposal(day, employee, need)
        self._backdate(employee, day - timedelta(days=30))
        expires = proposal.expires_at
        self._hold(employee, day, expires.date())
        users = Parties(
            self._employee_user(employee), self.hr[employee.firm_id], self.hr[need.firm_id]
        )
        at = proposal.created_at + timedelta(hours=26)
        if how == Party.HOST or how == Party.LENDER:  # the employee said yes first
            proposals.decide(proposal, Party.EMPLOYEE, accept=True, actor=users.employee, now=at)
            self.clock.settle(at)
            at += timedelta(hours=24)
        if isinstance(how, Party):
            proposals.decide(proposal, how, accept=False, actor=users.of(how), now=at)
            self.clock.settle(at)
        else:
            proposals.expire_due(expires)
        db.session.refresh(proposal)

    def unfilled(self, posted_days_ago: int, weeks: int, reason: str) -> None:
        """A need no round could fill: each round left it open, for `reason`."""
        posted = self.today - timedelta(days=posted_days_ago)
        host = self.rng.choice(self.hosts)
        model = self.rng.choice(self.pool)
        start = _monday_after(posted + timedelta(days=21))
        self._need(host, model, posted, start, start + timedelta(weeks=weeks), reason)

    def _backdate(self, employee: Employee, day: date) -> None:
        """A volunteer proposed on `day` had joined and consented before it."""
        joined = moment(day - timedelta(days=20), 10)
        if employee.created_at > joined:
            employee.created_at = employee.hr_confirmed_at = employee.consent_given_at = joined
            for event in employee.consents:
                event.at = joined

    # -- the rounds' figures -------------------------------------------------------------

    def regular_rounds(self, launched: date) -> None:
        """The rounds that wrote no proposal: every other week since the launch, each
        leaving the needs then open unmatched, with their reason."""
        day = _round_day(launched + timedelta(days=35), self.weekday)
        while day < self.today - timedelta(days=3):
            self._round(day)
            day += timedelta(days=14)

    def close_rounds(self, volunteers: int) -> None:
        """Each round's figures and the needs it left open (history needs only)."""
        db.session.flush()
        days = sorted(self.rounds)
        for index, day in enumerate(days):
            round_ = self.rounds[day]
            written = db.session.scalars(
                select(Proposal).where(Proposal.round_id == round_.id)
            ).all()
            proposed = {p.need_id for p in written}
            open_needs = [
                (need, reason)
                for need, reason in self.needs
                if need.created_at.date() < day <= need.end_date and not self._filled(need, day)
            ]
            for need, reason in open_needs:
                if need.id not in proposed:
                    round_.unmatched_needs.append(
                        UnmatchedNeed(need_id=need.id, open_positions=need.positions, reason=reason)
                    )
            ramp = 0.5 + 0.5 * (index + 1) / len(days)
            round_.employees = max(len(written), int(volunteers * ramp))
            round_.needs = len(open_needs)
            round_.positions = sum(n.positions for n, _ in open_needs)
            round_.kept = self._kept(day)
            round_.proposals_count = len(written)
            round_.feasible_pairs = len(written) * self.rng.randint(3, 9)
            round_.components = max(1, len(written))
            round_.total_score = int(sum(p.score for p in written) * 1000)
            round_.at_risk_rate = round(self.rng.uniform(0.2, 0.45), 3)
            round_.others_rate = round(self.rng.uniform(0.05, 0.2), 3)
            round_.seconds_snapshot = round(self.rng.uniform(0.02, 0.2), 3)
            round_.seconds_engine = round(self.rng.uniform(0.05, 0.6), 3)
            round_.seconds_write = round(self.rng.uniform(0.02, 0.1), 3)

    def _filled(self, need: Need, day: date) -> bool:
        return db.session.scalar(
            select(Proposal.id).where(
                Proposal.need_id == need.id,
                Proposal.status.in_((ProposalStatus.ACCEPTED, ProposalStatus.COMPLETED)),
                Proposal.created_at < moment(day, 5),
            )
        ) is not None  # fmt: skip

    def _kept(self, day: date) -> int:
        """Live proposals of earlier rounds: accepted ones whose loan was not over."""
        return sum(
            1
            for start, end in (iv for ivs in self.busy.values() for iv in ivs)
            if start < day <= end and end - start > timedelta(days=20)
        )


def _backdate_scheme(scheme: Scheme, launched: date) -> None:
    """The scheme was launched on `launched`; its approved firms joined in the weeks after."""
    scheme.created_at = moment(launched, 9)
    for user in scheme.staff:
        user.created_at = user.password_changed_at = moment(launched, 9)
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.scheme_id == scheme.id, Enrolment.status == EnrolmentStatus.APPROVED)
        .order_by(Enrolment.id)
    ).all()
    for index, enrolment in enumerate(enrolments):
        applied = moment(launched + timedelta(days=2 + index * 2 % 40), 10)
        enrolment.applied_at, enrolment.decided_at = applied, applied + timedelta(days=2)
        enrolment.firm.created_at = applied - timedelta(hours=1)
        for user in enrolment.firm.users:
            if user.created_at > applied:
                user.created_at = user.password_changed_at = applied


def _pool(firms: list[Firm], demo_user: User) -> list[Employee]:
    """The scheme's matchable volunteers, but the demo employee (kept for the first round)."""
    employees = db.session.scalars(
        select(Employee).where(Employee.firm_id.in_([f.id for f in firms])).order_by(Employee.id)
    )
    return [e for e in employees if e.is_matchable and e.user_id != demo_user.id]


def seed(sharing: Scheme, passerelles: Scheme, *, password: str, password_hash: str,
         demo_user: User) -> dict[str, int]:  # fmt: skip
    """Both schemes' pasts; returns the number of loans of each. Flushes."""
    today = local_date()
    counts = {}
    db.session.flush()
    clock = Clock()
    ledger = Ledger(clock, random.Random(1792))
    for scheme, stories, unfilled, weekday, seed_, host_divisions in (
        (sharing, SHARING_STORIES, SHARING_UNFILLED, 0, 1909, {"10", "01"}),
        (passerelles, PASSERELLES_STORIES, PASSERELLES_UNFILLED, 1, 2011, None),
    ):
        launched = today - relativedelta(months=19)
        _backdate_scheme(scheme, launched)
        firms = _firms(scheme)
        pool = _pool(firms, demo_user)
        rng = random.Random(seed_)
        hosts = [f for f in firms if host_divisions is None or f.naf.division in host_divisions]
        past = SchemePast(
            scheme, hosts, pool, weekday=weekday, password=password,
            password_hash=password_hash, clock=clock, rng=rng, today=today, ledger=ledger,
        )  # fmt: skip
        loans = [past.tell(story, _trade(pool, story.trade)) for story in stories]
        for posted, weeks, reason in unfilled:
            past.unfilled(posted, weeks, reason)
        past.regular_rounds(launched)
        past.close_rounds(len(pool))
        counts[scheme.name] = sum(loan is not None for loan in loans)
    ledger.run(today)
    mail.discard_queued()  # the past's messages went out at the time
    db.session.flush()
    return counts


def _firms(scheme: Scheme) -> list[Firm]:
    return list(
        db.session.scalars(
            select(Firm)
            .join(Enrolment)
            .where(Enrolment.scheme_id == scheme.id, Enrolment.status == EnrolmentStatus.APPROVED)
            .order_by(Firm.id)
        )
    )


def _trade(pool: list[Employee], trade: str) -> list[Employee]:
    if trade == "aero":
        return [e for e in pool if e.firm.naf_code.startswith("30.")]
    if trade == "metal":
        return [e for e in pool if not e.firm.naf_code.startswith("30.")]
    return pool
