"""A generated scheme for the dashboard's tests: firms in several départements and NAF
sections, employees, needs, proposals in every state, loans (some ended early with their
category, extended, returned), feedback, over about 18 months before TODAY. Seeded, so a
failure reproduces; plus a few rows that must not count (another scheme, a firm outside the
territory, a pending enrolment)."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from lending.extensions import db
from lending.models import (
    Agreement,
    BillingRegime,
    Commune,
    EarlyEnd,
    Employee,
    EmployeeSkill,
    EmployeeStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Loan,
    LoanEvent,
    LoanStatus,
    MatchingRound,
    Need,
    NeedSkill,
    NeedStatus,
    Proposal,
    ProposalStatus,
    RoundStatus,
    Skill,
)
from tests.factories import new_firm, new_scheme

TODAY = date(2027, 6, 15)
DEPARTEMENTS = ("24", "33", "47")
NAF = ("30.30Z", "10.71C", "43.21A", "47.11F", "56.10A", "86.10Z")  # C, C, F, G, I, Q
SALARY = 2_837_00  # a cost that must never be published


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(6, 20), rng.randrange(60)))


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _agreement(proposal: Proposal, employee: Employee, start: date, end: date) -> Agreement:
    return Agreement(
        proposal_id=proposal.id,
        scheme_id=proposal.scheme_id,
        lender_firm_id=proposal.lender_firm_id,
        host_firm_id=proposal.host_firm_id,
        employee_id=employee.id,
        lender_name="Prêteuse",
        lender_siret="00000000000000",
        lender_address="1 rue",
        lender_naf="30.30Z",
        host_name="Accueil",
        host_siret="00000000000000",
        host_address="2 rue",
        host_naf="10.71C",
        employee_first_name=employee.first_name,
        employee_last_name=employee.last_name,
        employee_job_title=employee.job_title,
        start_date=start,
        end_date=end,
        missions="Missions",
        work_address="2 rue",
        weekly_hours=Decimal("35"),
        billing_regime=BillingRegime.COST_PRICE,
        salary_cents=SALARY,
        charges_cents=1_200_00,
        expenses_cents=0,
    )


def generate(seed: int = 11, firms: int = 36, small: bool = False):
    """The scheme (and the other scheme) after a commit. `small`: a handful of rows, so
    most counts are 1 to 4."""
    rng = random.Random(seed)
    scheme = new_scheme("Territoire test", departements=DEPARTEMENTS, sectors="C F G I Q")
    other = new_scheme("Autre dispositif", departements=DEPARTEMENTS)
    communes = {
        dep: db.session.scalars(
            select(Commune.insee)
            .where(Commune.departement_code == dep)
            .order_by(Commune.insee)
            .limit(3)
        ).all()
        for dep in (*DEPARTEMENTS, "31")
    }
    skills = db.session.scalars(select(Skill).order_by(Skill.code).limit(8)).all()
    start = TODAY - timedelta(days=560)

    all_firms = []
    for n in range(firms):
        dep = "31" if n == firms - 1 else DEPARTEMENTS[n % len(DEPARTEMENTS)]
        firm = new_firm(f"Société Zéphyr {n}", naf=rng.choice(NAF), insee=rng.choice(communes[dep]))
        status = EnrolmentStatus.APPROVED
        if n % 9 == 4:
            status = EnrolmentStatus.PENDING
        applied = _at(_day(rng, start - timedelta(days=60), TODAY), rng)
        decided = None if n % 5 == 0 else applied + timedelta(days=rng.randrange(0, 20))
        db.session.add(
            Enrolment(
                firm=firm, scheme=scheme, status=status, applied_at=applied, decided_at=decided
            )
        )
        all_firms.append(firm)

    employees = []
    for firm in all_firms:
        for _ in range(rng.randrange(1, 3) if small else rng.randrange(3, 12)):
            created = _day(rng, start - timedelta(days=30), TODAY)
            available_from = created + timedelta(days=rng.randrange(0, 60))
            employee = Employee(
                firm=firm,
                first_name="Anatole",
                last_name=f"Quintal{len(employees)}",
                email=f"e{len(employees)}@exemple.fr",
                job_title="Soudeur",
                commune_insee=firm.commune_insee,
                max_commute_km=40,
                available_from=available_from,
                available_until=available_from + timedelta(days=rng.randrange(20, 400)),
                weekly_hours=Decimal("35"),
                gross_salary_cents=SALARY,
                employer_charges_cents=1_200_00,
                expenses_cents=0,
                partial_activity=rng.random() < 0.25,
                job_at_risk=rng.random() < 0.15,
                status=EmployeeStatus.WITHDRAWN
                if rng.random() < 0.15
                else EmployeeStatus.AVAILABLE,
                created_at=_at(created, rng),
                skills=[
                    EmployeeSkill(skill_id=s.id, level=rng.randrange(1, 5))
                    for s in rng.sample(skills, rng.randrange(1, 4))
                ],
            )
            employees.append(employee)
    db.session.add_all(employees)

    needs = []
    for firm in all_firms:
        for _ in range(rng.randrange(0, 2) if small else rng.randrange(0, 6)):
            created = _day(rng, start, TODAY)
            need_start = created + timedelta(days=rng.randrange(0, 60))
            closed = rng.random() < 0.3
            closed_on = created + timedelta(days=rng.randrange(1, 200))
            need = Need(
                firm=firm,
                title="Besoin",
                missions="Missions",
                positions=rng.randrange(1, 4),
                commune_insee=firm.commune_insee,
                start_date=need_start,
                end_date=need_start + timedelta(days=rng.randrange(10, 300)),
                weekly_hours=Decimal("35"),
                created_at=_at(created, rng),
                status=NeedStatus.CLOSED if closed and closed_on <= TODAY else NeedStatus.OPEN,
                skills=[
                    NeedSkill(skill_id=s.id, min_level=rng.randrange(1, 5), mandatory=True)
                    for s in rng.sample(skills, rng.randrange(1, 3))
                ],
            )
            if need.status == NeedStatus.CLOSED:
                need.closed_at = _at(closed_on, rng)
            needs.append(need)
    db.session.add_all(needs)
    db.session.flush()

    rounds = {}
    for s in (scheme, other):
        rounds[s.id] = MatchingRound(
            scheme_id=s.id, trigger="command", status=RoundStatus.DONE, stage="done"
        )
        db.session.add(rounds[s.id])
    db.session.flush()

    live: set[int] = set()  # employees with a pending or accepted proposal
    statuses = list(ProposalStatus)
    for need in needs:
        for _ in range(rng.randrange(0, 5)):
            employee = rng.choice(employees)
            if employee.firm_id == need.firm_id:
                continue
            created = need.created_at + timedelta(
                days=rng.randrange(0, 90), hours=rng.randrange(24)
            )
            if created.date() > TODAY:
                continue
            in_scheme = scheme if rng.random() < 0.9 else other
            status = rng.choice(statuses)
            accepted_on = created + timedelta(days=rng.randrange(0, 15), hours=rng.randrange(24))
            if status in (ProposalStatus.PENDING, ProposalStatus.ACCEPTED) and (
                employee.id in live or accepted_on.date() > TODAY
            ):
                status = ProposalStatus.REFUSED
            loan_start = accepted_on.date() + timedelta(days=rng.randrange(5, 45))
            loan_end = loan_start + timedelta(days=rng.randrange(20, 250))
            if status == ProposalStatus.COMPLETED and loan_end >= TODAY:
                status = ProposalStatus.EXPIRED
            if status in (ProposalStatus.PENDING, ProposalStatus.ACCEPTED):
                live.add(employee.id)
            proposal = Proposal(
                round_id=rounds[in_scheme.id].id,
                scheme_id=in_scheme.id,
                employee_id=employee.id,
                need_id=need.id,
                lender_firm_id=employee.firm_id,
                host_firm_id=need.firm_id,
                status=status,
                created_at=created,
                expires_at=created + timedelta(days=7),
                score=0.5,
                skills_score=0.5,
                distance_score=0.5,
                dates_score=0.5,
                cost_score=0.5,
                priority_score=0.5,
                distance_km=10.0,
                skills_met=1,
                skills_asked=1,
            )
            if status in (ProposalStatus.ACCEPTED, ProposalStatus.COMPLETED):
                proposal.employee_decided_at = created + timedelta(hours=3)
                proposal.lender_decided_at = accepted_on
                proposal.host_decided_at = created + timedelta(hours=5)
            db.session.add(proposal)
            db.session.flush()
            if status == ProposalStatus.COMPLETED or (
                status == ProposalStatus.ACCEPTED and rng.random() < 0.7
            ):
                _loan(rng, proposal, employee, loan_start, loan_end)
    db.session.commit()
    return scheme, other


def _loan(rng, proposal: Proposal, employee: Employee, start: date, end: date) -> None:
    agreement = _agreement(proposal, employee, start, end)
    db.session.add(agreement)
    db.session.flush()
    loan = Loan(
        agreement_id=agreement.id,
        employee_id=employee.id,
        lender_firm_id=proposal.lender_firm_id,
        host_firm_id=proposal.host_firm_id,
        scheme_id=proposal.scheme_id,
        start_date=start,
        end_date=end,
        status=LoanStatus.SCHEDULED if start > TODAY else LoanStatus.ACTIVE,
    )
    if rng.random() < 0.3 and (end - start).days > 2:
        loan.end_date = end = start + timedelta(days=rng.randrange(1, (end - start).days))
        loan.ended_early = True
        loan.end_category = rng.choice([*EarlyEnd, None])
    db.session.add(loan)
    db.session.flush()
    if end < TODAY:
        loan.status, loan.ended_on = LoanStatus.ENDED, end
        if rng.random() < 0.6:
            returned = end + timedelta(days=rng.randrange(0, 10))
            loan.returned_on = returned if returned <= TODAY else None
        for party in ("employee", "lender", "host"):
            if rng.random() < 0.7:
                given = min(end + timedelta(days=rng.randrange(0, 20)), TODAY)
                db.session.add(
                    Feedback(
                        loan_id=loan.id,
                        party=party,
                        rating=rng.randrange(1, 6),
                        created_at=_at(given, rng),
                    )
                )
    for kind in ("started", "extended" if rng.random() < 0.25 else "twelve_months"):
        on = min(start + timedelta(days=rng.randrange(0, 60)), TODAY)
        db.session.add(LoanEvent(loan=loan, kind=kind, at=_at(on, rng), on_date=on))
