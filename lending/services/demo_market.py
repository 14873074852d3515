"""Demo supply and demand: volunteers and needs for the demo schemes.

SHARING-like: about 50 employees of the aeronautics and metallurgy firms, needs at the
agrifood firms. Passerelles-like: a regional round of a few thousand employees and
positions, homes and sites spread over Occitanie communes by population. Seeded, so two
runs give the same data.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from lending.extensions import db
from lending.models import Commune, ConsentEvent, Employee, EmployeeSkill, Firm, Need, NeedSkill
from lending.models._time import utcnow
from lending.models.skills import JobTitle
from lending.services.volunteering import NOTICE_VERSION

AERO_METAL_JOBS = ["MET-001", "MET-002", "MET-003", "MET-004", "MET-010", "MET-011",
                   "MET-012", "MET-014", "MET-015", "MET-017", "MET-018", "MET-019",
                   "MET-023", "MET-034", "MET-053"]  # fmt: skip
AGRIFOOD_NEEDS = ["MET-005", "MET-006", "MET-007", "MET-008", "MET-009", "MET-018",
                  "MET-019", "MET-020", "MET-021", "MET-023", "MET-025", "MET-052"]  # fmt: skip
FIRST_NAMES = ["Camille", "Lucas", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Gabriel",
               "Inès", "Jules", "Sarah", "Nathan", "Emma", "Arthur", "Jade", "Paul", "Lina",
               "Théo", "Zoé", "Raphaël", "Nora", "Mathis", "Anaïs", "Sacha", "Yasmine"]  # fmt: skip
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Garcia", "Roux", "Fournier", "Lopez", "Bonnet",
              "Lacoste", "Castaing", "Dupuy", "Lafargue", "Marty", "Bousquet", "Vidal",
              "Fabre", "Ferrer", "Sabatier", "Cazals", "Delmas"]  # fmt: skip
START = date(2027, 1, 4)


def _jobs(codes: list[str] | None = None) -> list[JobTitle]:
    query = select(JobTitle).order_by(JobTitle.code)
    if codes:
        query = query.where(JobTitle.code.in_(codes))
    return [job for job in db.session.scalars(query) if job.skills]


def _communes(departements: list[str]) -> tuple[list[Commune], list[int]]:
    pool = list(
        db.session.scalars(
            select(Commune)
            .where(Commune.departement_code.in_(departements), Commune.population > 300)
            .order_by(Commune.insee)
        )
    )
    return pool, [c.population or 1 for c in pool]


def _employee(rng, n, firm, job, commune, *, consent: bool) -> Employee:
    salary = rng.randrange(2_100_00, 4_800_00, 50_00)
    start = START + timedelta(weeks=rng.randint(0, 12))
    employee = Employee(
        firm=firm,
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        email=f"salarie.{n}@{firm.siret}.demo.pret-main-oeuvre.fr",
        job_title=job.label,
        qualification=f"Niveau {rng.choice(['IV', 'V', 'VI'])}, coefficient "
        f"{rng.choice([215, 240, 255, 285, 305, 335, 365])}",
        commune=commune,
        max_commute_km=rng.choice([20, 30, 40, 50, 60]),
        available_from=start,
        available_until=start + timedelta(weeks=rng.choice([12, 16, 26, 39, 52])),
        weekly_hours=Decimal(rng.choice(["35", "35", "35", "39", "28"])),
        gross_salary_cents=salary,
        employer_charges_cents=int(salary * 0.42),
        expenses_cents=rng.choice([0, 0, 50_00, 120_00]),
        partial_activity=rng.random() < 0.3,
        job_at_risk=rng.random() < 0.07,
        hr_confirmed_at=utcnow(),
        consent_given_at=utcnow() if consent else None,
    )
    if consent:
        employee.consents = [ConsentEvent(given=True, notice_version=NOTICE_VERSION)]
    skills = rng.sample(job.skills, k=min(len(job.skills), rng.randint(3, 6)))
    employee.skills = [EmployeeSkill(skill_id=s.id, level=rng.randint(2, 4)) for s in skills]
    return employee


def _need(rng, firm, job, commune, positions: int, mandatory: int = 2) -> Need:
    start = START + timedelta(weeks=rng.randint(0, 16))
    need = Need(
        firm=firm,
        title=job.label,
        missions=f"Renfort de l'équipe : {job.label.lower()}.",
        positions=positions,
        commune=commune,
        start_date=start,
        end_date=start + timedelta(weeks=rng.choice([8, 12, 16, 26])),
        weekly_hours=Decimal("35"),
        monthly_budget_cents=rng.choice([None, None, 6_000_00, 7_500_00]),
        risky_post=rng.random() < 0.15,
        ppe="Chaussures de sécurité, gants" if rng.random() < 0.5 else "",
    )
    skills = rng.sample(job.skills, k=min(len(job.skills), rng.randint(2, 4)))
    need.skills = [
        NeedSkill(skill_id=s.id, min_level=rng.randint(1, 3), mandatory=i < mandatory)
        for i, s in enumerate(skills)
    ]
    return need


def seed_sharing(lenders: list[Firm], hosts: list[Firm], employees: int = 50) -> list[Employee]:
    """Volunteers of the aeronautics/metallurgy firms and needs of the agrifood firms."""
    rng = random.Random(737)
    jobs, need_jobs = _jobs(AERO_METAL_JOBS), _jobs(AGRIFOOD_NEEDS)
    created = []
    for n in range(employees):
        firm = lenders[n % len(lenders)]
        created.append(
            _employee(rng, n, firm, rng.choice(jobs), firm.commune, consent=rng.random() < 0.85)
        )
    # Agrifood hosts mostly need skills aeronautics staff bring (maintenance, automation,
    # quality): one mandatory skill, the others welcome.
    transferable = [job for job in need_jobs if job in jobs]
    for n in range(15):
        firm = hosts[n % len(hosts)]
        job = rng.choice(transferable if transferable and n % 3 else need_jobs)
        db.session.add(_need(rng, firm, job, firm.commune, rng.randint(1, 3), mandatory=1))
    db.session.add_all(created)
    return created


def seed_region(firms: list[Firm], departements: list[str], employees: int, needs: int) -> None:
    """A regional round: homes and sites drawn over the communes by population."""
    rng = random.Random(2020)
    jobs = _jobs()
    communes, weights = _communes(departements)
    homes = rng.choices(communes, weights=weights, k=employees)
    for n, commune in enumerate(homes):
        firm = firms[n % len(firms)]
        db.session.add(
            _employee(rng, 10_000 + n, firm, rng.choice(jobs), commune, consent=rng.random() < 0.8)
        )
    sites = rng.choices(communes, weights=weights, k=needs)
    for n, commune in enumerate(sites):
        firm = firms[(n * 7 + 3) % len(firms)]
        db.session.add(_need(rng, firm, rng.choice(jobs), commune, rng.choice([1, 1, 2, 2, 3, 5])))


def seed_showcase_need(host: Firm, employee: Employee) -> Need:
    """A need of the demo host that fits the demo employee (skills at their levels, site at
    their home, dates inside their availability), so the demo's first SHARING round
    proposes them to the demo host and the three demo logins can follow one proposal."""
    start = employee.available_from + timedelta(days=7)
    need = Need(
        firm=host,
        title="Technicien de maintenance en renfort (campagne pruneaux)",
        missions="Maintenance préventive et curative des lignes de tri et de conditionnement "
        "pendant la campagne.",
        positions=1,
        commune=employee.commune,
        start_date=start,
        end_date=min(start + timedelta(weeks=10), employee.available_until),
        weekly_hours=Decimal("35"),
        risky_post=True,
        ppe="Chaussures de sécurité, protections auditives",
    )
    need.skills = [
        NeedSkill(skill_id=s.skill_id, min_level=s.level, mandatory=True) for s in employee.skills
    ]
    db.session.add(need)
    return need
