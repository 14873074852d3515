"""Factory fixtures: build data the way the services would, with sensible defaults."""

import contextvars
import functools
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import request
from sqlalchemy import select
from stdnum import luhn

from lending.extensions import db
from lending.models import (
    Employee,
    EmployeeSkill,
    Enrolment,
    EnrolmentStatus,
    Firm,
    MatchingRound,
    Need,
    NeedSkill,
    Proposal,
    Role,
    RoundStatus,
    Scheme,
    User,
)
from lending.models._time import utcnow
from lending.models.skills import Skill
from lending.services import passwords, sessions

PASSWORD = "cheval agrafe batterie correcte"
_counter = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return passwords.hash_password(PASSWORD)


def valid_siret(seed: int) -> str:
    siren = f"{seed:08d}"[-8:]
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


# The factories are plain functions, so that a module-scoped world (tests/savepoints.py)
# can use them too; each make_* fixture hands one to a test, with an app context.


def new_firm(name=None, naf="30.30Z", insee="47001", postal_code="47000") -> Firm:
    n = next(_counter)
    firm = Firm(
        siret=valid_siret(10_000_000 + n),
        name=name or f"Entreprise {n}",
        naf_code=naf,
        address_line="1 rue de l'Usine",
        postal_code=postal_code,
        commune_insee=insee,
    )
    db.session.add(firm)
    db.session.commit()
    return firm


def new_user(role=Role.HR, firm=None, schemes=(), email=None, **kw) -> User:
    n = next(_counter)
    if role == Role.HR:  # the function an HR manager's agreements print beside their name
        kw.setdefault("job_title", "Responsable des ressources humaines")
    user = User(
        email=email or f"user{n}@example.fr",
        full_name=kw.pop("full_name", f"Utilisateur {n}"),
        role=role,
        firm=firm,
        schemes=list(schemes),
        password_hash=_password_hash(),
        **kw,
    )
    db.session.add(user)
    db.session.commit()
    return user


def new_scheme(name=None, departements=("47",), sectors="C", **kw) -> Scheme:
    from lending.models import Departement

    n = next(_counter)
    scheme = Scheme(
        name=name or f"Dispositif {n}",
        sectors=sectors,
        default_max_commute_km=kw.pop("default_max_commute_km", 40),
        max_loan_months=kw.pop("max_loan_months", 12),
        proposal_deadline_days=kw.pop("proposal_deadline_days", 7),
        matching_cron=kw.pop("matching_cron", "0 6 * * 1"),
        departements=[db.session.get(Departement, code) for code in departements],
        **kw,
    )
    db.session.add(scheme)
    db.session.commit()
    return scheme


def new_enrolment(firm, scheme, status=EnrolmentStatus.PENDING) -> Enrolment:
    enrolment = Enrolment(firm=firm, scheme=scheme, status=status)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def first_skills() -> list[Skill]:
    """Three skills of the starter taxonomy."""
    return db.session.scalars(select(Skill).order_by(Skill.code).limit(3)).all()


def new_employee(firm, user=None, consent=False, confirmed=True, skills=None, **kw) -> Employee:
    """An employee of `firm` with the first two of `skills` (default: first_skills())."""
    n = next(_counter)
    values = {
        "first_name": "Camille",
        "last_name": f"Martin{n}",
        "email": user.email if user else f"salarie{n}@example.fr",
        "job_title": "Ajusteur-monteur",
        "qualification": "Niveau V, coef. 335",
        "commune_insee": "47001",
        "max_commute_km": 40,
        "available_from": date(2027, 1, 4),
        "available_until": date(2027, 6, 30),
        "weekly_hours": Decimal("35"),
        "gross_salary_cents": 2_800_00,
        "employer_charges_cents": 1_200_00,
        "expenses_cents": 100_00,
    }
    values.update(kw)
    employee = Employee(firm=firm, user=user, **values)
    skills = skills or first_skills()
    employee.skills = [EmployeeSkill(skill_id=s.id, level=3) for s in skills[:2]]
    if confirmed:
        employee.hr_confirmed_at = utcnow()
    if consent:
        employee.consent_given_at = utcnow()
    db.session.add(employee)
    db.session.commit()
    return employee


def new_need(firm, skills=None, **kw) -> Need:
    """A need of `firm` asking for the first of `skills` (default: first_skills())."""
    values = {
        "title": "Conducteur de ligne",
        "missions": "Conduite de la ligne de conditionnement",
        "positions": 2,
        "commune_insee": "47001",
        "start_date": date(2027, 2, 1),
        "end_date": date(2027, 5, 31),
        "weekly_hours": Decimal("35"),
    }
    values.update(kw)
    need = Need(firm=firm, **values)
    skills = skills or first_skills()
    need.skills = [NeedSkill(skill_id=skills[0].id, min_level=2, mandatory=True)]
    db.session.add(need)
    db.session.commit()
    return need


def new_proposal(scheme, employee, need, **kw) -> Proposal:
    """A pending proposal of `employee` for `need`, in a finished round of `scheme`."""
    now = utcnow()
    round_ = MatchingRound(
        scheme_id=scheme.id,
        trigger="command",
        status=RoundStatus.DONE,
        stage="done",
        finished_at=now,
        employees=1,
        needs=1,
        positions=1,
        kept=0,
        feasible_pairs=1,
        proposals_count=1,
        components=1,
        total_score=8000,
        at_risk_rate=0.0,
        others_rate=1.0,
        seconds_snapshot=0.1,
        seconds_engine=0.1,
        seconds_write=0.1,
    )
    db.session.add(round_)
    db.session.flush()
    values = {
        "round_id": round_.id,
        "scheme_id": scheme.id,
        "employee_id": employee.id,
        "need_id": need.id,
        "lender_firm_id": employee.firm_id,
        "host_firm_id": need.firm_id,
        "expires_at": now + timedelta(days=7),
        "score": 0.8,
        "skills_score": 0.9,
        "distance_score": 0.7,
        "dates_score": 1.0,
        "cost_score": 0.5,
        "priority_score": 0.0,
        "distance_km": 12.3,
        "skills_met": 1,
        "skills_asked": 1,
    }
    values.update(kw)
    proposal = Proposal(**values)
    db.session.add(proposal)
    db.session.commit()
    return proposal


@pytest.fixture
def make_firm(app):
    return new_firm


@pytest.fixture
def make_user(app):
    return new_user


@pytest.fixture
def make_scheme(app):
    return new_scheme


@pytest.fixture
def make_enrolment(app):
    return new_enrolment


@pytest.fixture
def some_skills(app) -> list[Skill]:
    """Three skills of the starter taxonomy."""
    return first_skills()


@pytest.fixture
def make_employee(app, some_skills):
    return functools.partial(new_employee, skills=some_skills)


@pytest.fixture
def make_need(app, some_skills):
    return functools.partial(new_need, skills=some_skills)


@pytest.fixture
def make_proposal(app):
    """A pending proposal of `employee` for `need`, in a finished round of `scheme`."""
    return new_proposal


@pytest.fixture
def login(app, client):
    """login(user, test_client=None): log `user` in on the test client without the login
    form, where the login itself is not under test (tests/web/test_auth.py posts the form,
    with `login_with_form`).

    It does what lending.web.log_in does, minus the password check: a server-side session
    row made by services.sessions.start in a request context of its own (the address and
    user agent of the test client, a fresh database session, committed), and its token in
    the cookie session as Flask-Login's `_user_id`, nothing else kept but the language.
    Posting the form costs two requests (one for the CSRF token) and an argon2 check."""

    def start_session(user: User) -> str:
        with app.test_request_context():
            token = sessions.start(user, request.remote_addr, request.user_agent.string)
            db.session.commit()
            return token

    def do(user: User, test_client=None) -> None:
        assert user.is_active, "the login form refuses an inactive account"
        # A context of its own, as each request of the test client has (see CsrfClient).
        token = contextvars.Context().run(start_session, user)
        with (test_client or client).session_transaction() as cookie_session:
            lang = cookie_session.get("lang")
            cookie_session.clear()
            if lang:
                cookie_session["lang"] = lang
            cookie_session["_user_id"] = token
            cookie_session["_fresh"] = True

    return do


@pytest.fixture
def login_with_form(client):
    """login_with_form(user, password=PASSWORD, test_client=None): post the login form, as a
    browser does; the response (a redirect) is returned."""

    def do(user: User, password: str = PASSWORD, test_client=None):
        c = test_client or client
        response = c.post_form("/connexion", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    return do
