"""Employees of the lending firms: skills (3 to 8, levels 1 to 4) and consents."""

import bisect
import itertools
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, select

from lending.models import ConsentEvent, Employee, EmployeeSkill, EmployeeStatus, JobTitle
from lending.models._search import fold
from lending.models.skills import job_title_skill
from lending.services.demo_market import FIRST_NAMES, LAST_NAMES
from lending.services.volunteering import NOTICE_VERSION

from .people import STAFF_DOMAIN, People
from .rows import at, days_between, first_free_id, insert_rows


def _job_skills(conn: Connection) -> list[tuple[str, list[int]]]:
    jobs: dict[int, tuple[str, list[int]]] = {
        job_id: (label, []) for job_id, label in conn.execute(select(JobTitle.id, JobTitle.label))
    }
    links = select(job_title_skill.c.job_title_id, job_title_skill.c.skill_id)
    for job_id, skill_id in conn.execute(links):
        jobs[job_id][1].append(skill_id)
    return [jobs[job_id] for job_id in sorted(jobs) if jobs[job_id][1]]


def create_employees(
    conn: Connection, people: People, n_employees: int, rng, start: date, today: date
) -> None:
    """Employees of the lending firms (a few firms hold many), their skills and consents."""
    communes = people.communes
    cum_communes = list(itertools.accumulate(c[3] for c in communes))
    lenders = [firm for firm in people.firms if firm.lends]
    cum_lenders = list(itertools.accumulate(rng.paretovariate(1.2) for _ in lenders))
    jobs = _job_skills(conn)
    people.job_skills = [skills for _, skills in jobs]
    people.skills = sorted({s for _, skills in jobs for s in skills})
    first_id = first_free_id(conn, Employee.__table__)
    consent_ids = itertools.count(first_free_id(conn, ConsentEvent.__table__))
    employees: list[dict] = []
    skills: list[dict] = []
    consents: list[dict] = []
    for n in range(n_employees):
        eid = first_id + n
        firm = lenders[bisect.bisect(cum_lenders, rng.random() * cum_lenders[-1])]
        home = firm.commune
        if rng.random() < 0.5:
            home = communes[bisect.bisect(cum_communes, rng.random() * cum_communes[-1])][0]
        job, job_skill_ids = rng.choice(jobs)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        created = days_between(rng, start - timedelta(days=60), today - timedelta(days=1))
        available_from = created + timedelta(days=rng.randint(0, 30))
        salary = rng.randrange(2_000_00, 5_000_00, 10_00)
        charges, expenses = salary * 42 // 100, rng.choice((0, 0, 50_00, 120_00))
        hours = Decimal(rng.choice(("35", "35", "35", "39", "28")))
        withdrawn = rng.random() < 0.08
        consented = rng.random() < 0.85
        consent_at = at(min(created + timedelta(days=rng.randint(1, 10)), today), 10)
        employees.append(
            {
                "id": eid,
                "firm_id": firm.id,
                "user_id": None,
                "first_name": first,
                "last_name": last,
                "email": f"salarie.{eid}@{STAFF_DOMAIN}",
                "job_title": job,
                "search_text": fold(f"{first} {last} {job}"),
                "qualification": "Niveau IV",
                "commune_insee": home,
                "max_commute_km": rng.choice((20, 30, 40, 50, 60)),
                "available_from": available_from,
                "available_until": available_from + timedelta(days=rng.randint(180, 720)),
                "weekly_hours": hours,
                "gross_salary_cents": salary,
                "employer_charges_cents": charges,
                "expenses_cents": expenses,
                "partial_activity": rng.random() < 0.25,
                "job_at_risk": rng.random() < 0.08,
                "accepted_sectors": "",
                "self_registered": False,
                "status": EmployeeStatus.WITHDRAWN if withdrawn else EmployeeStatus.AVAILABLE,
                "hr_confirmed_at": at(created),
                "consent_given_at": consent_at if consented else None,
                "created_at": at(created),
                "updated_at": at(created),
            }
        )
        count = rng.randint(3, 8)
        chosen = rng.sample(job_skill_ids, min(count, len(job_skill_ids)))
        while len(chosen) < count:
            extra = rng.choice(people.skills)
            if extra not in chosen:
                chosen.append(extra)
        skills.extend(
            {"employee_id": eid, "skill_id": s, "level": rng.randint(1, 4)} for s in chosen
        )
        if consented:
            consents.append(
                {
                    "id": next(consent_ids),
                    "employee_id": eid,
                    "given": True,
                    "at": consent_at,
                    "notice_version": NOTICE_VERSION,
                }
            )
            if not withdrawn:
                people.matchable.append(
                    (eid, firm.id, first, last, job, salary, charges, expenses, hours)
                )
        if len(employees) >= 10_000:
            _flush(conn, employees, skills, consents)
    _flush(conn, employees, skills, consents)


def _flush(conn: Connection, employees: list, skills: list, consents: list) -> None:
    insert_rows(conn, Employee.__table__, employees)
    insert_rows(conn, EmployeeSkill.__table__, skills)
    insert_rows(conn, ConsentEvent.__table__, consents)
    for rows in (employees, skills, consents):
        rows.clear()
