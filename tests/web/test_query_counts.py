"""How many SQL statements each list and detail page costs (design §12: eager loads, never
N+1).

A list test fills its page with 3 rows, counts the statements of one GET, grows to 10 rows
and counts again: both counts must equal the pinned number. A count that grows with the rows
is an N+1; a pinned number that changes is a query added or removed (change the pin only if
that is meant). Every count includes what any request costs (the login session and its
user). Pages without a growing list (forms, an account page) have their count pinned alone.
"""

from datetime import date

import pytest
from sqlalchemy import select

from lending.extensions import db
from lending.models import (
    AgreementStatus,
    Commune,
    EmployeeSkill,
    EnrolmentStatus,
    Loan,
    LoanEvent,
    LoanStatus,
    MatchingRound,
    NeedSkill,
    ProposalStatus,
    Role,
    RoundStatus,
)
from lending.models._time import utcnow
from lending.models.skills import Skill
from lending.services.deals import agreements
from tests.services.agreement_helpers import active_loan, statement_row

SIZES = (3, 10)


@pytest.fixture
def visit(app, login, count_queries):
    """visit(user, url) -> (statements, html) of one GET by `user`, logged in beforehand."""
    clients = {}

    def get(user, url: str) -> tuple[int, str]:
        if user.id not in clients:
            clients[user.id] = app.test_client()
            login(user, test_client=clients[user.id])
        with count_queries() as counted:
            response = clients[user.id].get(url)
        assert response.status_code == 200, (url, response.status_code)
        return counted(), response.get_data(as_text=True)

    return get


@pytest.fixture
def growing(visit):
    """growing(user, url, grow, marker) -> the statement counts of the page with 3, then 10
    rows; grow(n) adds n rows, and `marker` shows once per row in the page."""

    def counts(user, url: str, grow, marker: str | None = None) -> list[int]:
        found, have = [], 0
        for size in SIZES:
            grow(size - have)
            have = size
            statements, page = visit(user, url)
            if marker is not None:
                assert page.count(marker) >= size, (url, marker, size)
            found.append(statements)
        return found

    return counts


def communes(count: int) -> list[str]:
    """`count` distinct communes of Lot-et-Garonne (INSEE codes)."""
    return db.session.scalars(
        select(Commune.insee).where(Commune.departement_code == "47").order_by(Commune.insee)
    ).all()[:count]


def skills(count: int) -> list[Skill]:
    """`count` skills of as many families as possible (one query per family is what an N+1
    on families would cost)."""
    found, families = [], set()
    for skill in db.session.scalars(select(Skill).order_by(Skill.family_code, Skill.id)):
        if skill.family_code not in families:
            families.add(skill.family_code)
            found.append(skill)
    return found[:count]


def set_employee_skills(employee, count: int) -> None:
    employee.skills = [EmployeeSkill(skill_id=s.id, level=2) for s in skills(count)]
    db.session.commit()


def set_need_skills(need, count: int) -> None:
    need.skills = [NeedSkill(skill_id=s.id, min_level=2, mandatory=True) for s in skills(count)]
    db.session.commit()


def open_loan(proposal) -> Loan:
    """The signed agreement of `proposal` and its active loan (no documents rendered)."""
    proposal.status = ProposalStatus.ACCEPTED
    agreement = agreements.draft(proposal)
    agreement.status = AgreementStatus.SIGNED
    loan = active_loan(agreement, date(2027, 2, 1), date(2027, 12, 31))
    db.session.commit()
    return loan


# --- HR: firm home, employees, needs -------------------------------------------------------


def test_firm_home(market, schemes_of, growing):
    counts = growing(market.lender_hr, "/entreprise", schemes_of, marker="Dispositif ")
    assert counts == [9, 9], "the firm's home page, listing every scheme"


def test_employees_list(market, make_employee, growing):
    counts = growing(
        market.lender_hr,
        "/entreprise/salaries",
        lambda n: [make_employee(market.lender) for _ in range(n)],
        marker="Camille Martin",
    )
    assert counts == [5, 5], "the employees list"


def test_employee_page(market, growing):
    employee = market.employees[0]
    counts = growing(
        market.lender_hr,
        f"/entreprise/salaries/{employee.id}",
        lambda n: set_employee_skills(employee, len(employee.skills) + n),
    )
    assert counts == [10, 10], "an employee's page, whatever the number of their skills"


def test_new_employee_page(market, visit):
    statements, _page = visit(market.lender_hr, "/entreprise/salaries/nouveau")
    assert statements == 5, "the new employee form"


def test_needs_list(market, make_need, growing):
    places = communes(max(SIZES))

    def grow(n):
        have = len(market.needs)
        for i in range(have, have + n):
            market.needs.append(
                make_need(market.host, title=f"Poste {i}", commune_insee=places[i % len(places)])
            )

    counts = growing(market.host_hr, "/entreprise/besoins", grow, marker="Poste ")
    assert counts == [6, 6], "the host's needs list, each need in its own commune"


def test_need_page(market, growing):
    need = market.needs[0]
    counts = growing(
        market.host_hr,
        f"/entreprise/besoins/{need.id}",
        lambda n: set_need_skills(need, len(need.skills) + n),
    )
    assert counts == [9, 9], "a need's page, whatever the number of its skills"


def test_new_need_page(market, visit):
    statements, _page = visit(market.host_hr, "/entreprise/besoins/nouveau")
    assert statements == 4, "the new need form"


# --- Proposals, agreements, loans ----------------------------------------------------------


@pytest.fixture
def proposals_of(market, make_user, make_employee, make_need, make_proposal):
    """proposals_of(n): n more pending proposals, each of a new volunteer for a new need."""
    made = []

    def grow(n: int) -> list:
        for _ in range(n):
            user = make_user(Role.EMPLOYEE, firm=market.lender)
            employee = make_employee(market.lender, user=user, consent=True)
            made.append(make_proposal(market.scheme, employee, make_need(market.host)))
        return made

    return grow


@pytest.mark.parametrize("side", ["lender", "host"])
def test_proposals_list_of_a_firm(market, proposals_of, growing, side):
    hr = market.lender_hr if side == "lender" else market.host_hr
    counts = growing(hr, "/propositions", proposals_of, marker='href="/propositions/')
    assert counts == [9, 9], f"the proposals list of the {side} firm"


def test_proposals_list_of_an_employee(market, make_need, make_proposal, growing):
    employee = market.employees[0]

    def grow(n):
        for _ in range(n):  # past proposals: only one can be pending at a time
            make_proposal(
                market.scheme,
                employee,
                make_need(market.host),
                status=ProposalStatus.EXPIRED,
                closed_at=utcnow(),
            )

    counts = growing(employee.user, "/propositions", grow, marker='href="/propositions/')
    assert counts == [9, 9], "an employee's proposals list"


@pytest.mark.parametrize("party", ["host", "lender", "employee"])
def test_proposal_page(market, make_proposal, growing, party):
    employee, need = market.employees[0], market.needs[0]
    proposal = make_proposal(market.scheme, employee, need)
    user = {"host": market.host_hr, "lender": market.lender_hr, "employee": employee.user}[party]

    def grow(n):  # the skills the host's profile and the need's skills list show
        set_employee_skills(employee, len(employee.skills) + n)
        set_need_skills(need, len(need.skills) + n)

    counts = growing(user, f"/propositions/{proposal.id}", grow)
    assert counts == [10, 10], f"a proposal's page seen by the {party}"


def test_agreement_page(market, accepted, visit):
    statements, _page = visit(market.lender_hr, f"/accords/{accepted.id}")
    assert statements == 9, "an agreement's page (the employee's loans at the host: presence)"


@pytest.mark.parametrize("side", ["lender", "host"])
def test_agreement_part_forms(market, accepted, visit, side):
    hr = market.lender_hr if side == "lender" else market.host_hr
    url = f"/accords/{accepted.id}/entreprise-{'preteuse' if side == 'lender' else 'accueil'}"
    statements, _page = visit(hr, url)
    assert statements == 6, f"the {side}'s part of an agreement"  # with the firm's HR accounts


@pytest.fixture
def loans_of(proposals_of):
    """loans_of(n): n more active loans, between the market's two firms."""
    made = []

    def grow(n: int) -> list:
        made.extend(open_loan(proposal) for proposal in proposals_of(n)[-n:])
        return made

    return grow


@pytest.mark.parametrize("role", ["lender", "host", "operator", "admin"])
def test_loans_list(market, make_user, loans_of, growing, role):
    user = {
        "lender": market.lender_hr,
        "host": market.host_hr,
        "operator": make_user(Role.OPERATOR, schemes=[market.scheme]),
        "admin": make_user(Role.ADMIN),
    }[role]
    counts = growing(user, "/prets", loans_of, marker='href="/prets/')
    expected = 6 if role == "operator" else 5  # an operator's schemes scope the list
    assert counts == [expected] * 2, f"the loans list seen by the {role}"


def test_loans_list_of_an_employee(market, make_need, make_proposal, growing):
    employee = market.employees[0]

    def grow(n):
        for _ in range(n):  # one loan after another, each completed before the next
            loan = open_loan(make_proposal(market.scheme, employee, make_need(market.host)))
            loan.status, loan.ended_on = LoanStatus.ENDED, loan.end_date
            loan.agreement.proposal.status = ProposalStatus.COMPLETED
            db.session.commit()

    counts = growing(employee.user, "/prets", grow, marker='href="/prets/')
    assert counts == [5, 5], "an employee's loans list"


@pytest.mark.parametrize("party", ["lender", "host", "employee"])
def test_loan_page(market, make_proposal, growing, party):
    loan = open_loan(make_proposal(market.scheme, market.employees[0], market.needs[0]))
    user = {
        "lender": market.lender_hr,
        "host": market.host_hr,
        "employee": market.employees[0].user,
    }[party]

    def grow(n):  # monthly statements and timeline events
        have = len(loan.statements)
        for month in range(have + 1, have + n + 1):
            loan.statements.append(statement_row(loan, date(2027, month, 1)))
            loan.events.append(LoanEvent(kind="started", on_date=date(2027, month, 1)))
        db.session.commit()

    counts = growing(user, f"/prets/{loan.id}", grow)
    # presence: one statement; the lender's actuals: one more
    expected = {"lender": 11, "host": 10, "employee": 11}[party]
    assert counts == [expected] * 2, f"a loan's page seen by the {party}"


# --- Operators, monitors, admins -----------------------------------------------------------


@pytest.fixture
def enrolled(make_firm, make_enrolment):
    """enrolled(scheme)(n): n more firms applying to `scheme` (every other one approved)."""

    def for_scheme(scheme):
        def grow(n):
            for i in range(n):
                status = EnrolmentStatus.APPROVED if i % 2 else EnrolmentStatus.PENDING
                make_enrolment(make_firm(f"Candidate {i}"), scheme, status)

        return grow

    return for_scheme


@pytest.fixture
def schemes_of(make_scheme, make_firm, make_enrolment):
    """schemes_of(n): n more schemes on three départements, each with two firms enrolled."""
    made = []

    def grow(n: int) -> list:
        for _ in range(n):
            scheme = make_scheme(departements=("47", "31", "33"))
            make_enrolment(make_firm(), scheme, EnrolmentStatus.APPROVED)
            make_enrolment(make_firm(), scheme, EnrolmentStatus.PENDING)
            made.append(scheme)
        return made

    return grow


def test_schemes_list(make_user, schemes_of, growing):
    counts = growing(
        make_user(Role.ADMIN), "/dispositifs", schemes_of, marker='href="/dispositifs/'
    )
    assert counts == [5, 5], "the schemes list"


def test_schemes_list_of_an_operator(make_user, schemes_of, growing):
    operator = make_user(Role.OPERATOR)

    def grow(n):
        operator.schemes = schemes_of(n)
        db.session.commit()

    counts = growing(operator, "/dispositifs", grow, marker='href="/dispositifs/')
    assert counts == [6, 6], "the schemes list of an operator"


def test_scheme_page(make_user, make_scheme, enrolled, growing):
    scheme = make_scheme()
    counts = growing(
        make_user(Role.OPERATOR, schemes=[scheme]),
        f"/dispositifs/{scheme.id}",
        enrolled(scheme),
        marker="Candidate ",
    )
    assert counts == [15, 15], "a scheme's page, its applications and its firms' activity"


def test_scheme_form(make_user, make_scheme, visit):
    scheme = make_scheme()
    statements, _page = visit(make_user(Role.ADMIN), f"/dispositifs/{scheme.id}/modifier")
    assert statements == 5, "a scheme's form"


def test_rounds_list(make_user, make_scheme, growing):
    scheme = make_scheme()

    def grow(n):
        for _ in range(n):
            db.session.add(
                MatchingRound(
                    scheme_id=scheme.id,
                    trigger="command",
                    status=RoundStatus.DONE,
                    stage="done",
                    finished_at=utcnow(),
                )
            )
        db.session.commit()

    counts = growing(
        make_user(Role.OPERATOR, schemes=[scheme]),
        f"/dispositifs/{scheme.id}/tours",
        grow,
        marker=f'href="/dispositifs/{scheme.id}/tours/',
    )
    assert counts == [6, 6], "a scheme's rounds"


def test_round_page(market, make_user, make_employee, make_need, make_proposal, growing):
    round_ = make_proposal(market.scheme, market.employees[0], market.needs[0]).round

    def grow(n):
        for _ in range(n):
            user = make_user(Role.EMPLOYEE, firm=market.lender)
            employee = make_employee(market.lender, user=user, consent=True)
            make_proposal(market.scheme, employee, make_need(market.host), round_id=round_.id)

    counts = growing(
        make_user(Role.OPERATOR, schemes=[market.scheme]),
        f"/dispositifs/{market.scheme.id}/tours/{round_.id}",
        grow,
        marker='href="/propositions/',
    )
    assert counts == [13, 13], "a round's page and its proposals"


def test_monitor_dashboard(make_user, schemes_of, growing):
    monitor = make_user(Role.MONITOR)

    def grow(n):
        monitor.schemes = schemes_of(n)
        db.session.commit()

    counts = growing(monitor, "/suivi", grow, marker="Lot-et-Garonne")
    assert counts == [5, 5], "the monitor's list of schemes, with their départements"


def test_dashboard_of_an_admin(make_user, schemes_of, growing):
    counts = growing(make_user(Role.ADMIN), "/suivi", schemes_of, marker="Lot-et-Garonne")
    assert counts == [4, 4], "the list of schemes of an admin, who sees every scheme"


def test_staff_list(make_user, schemes_of, growing):
    def grow(n):
        for scheme in schemes_of(n)[-n:]:
            make_user(Role.OPERATOR, schemes=[scheme])

    counts = growing(make_user(Role.ADMIN), "/admin/comptes", grow, marker="Dispositif ")
    assert counts == [4, 4], "the staff accounts list with their schemes"


def test_staff_list_names_the_schemes_in_order(make_user, make_scheme, visit):
    """Loaded for every account at once, the schemes keep a stable order: by name."""
    late, early = make_scheme("Zeta"), make_scheme("Alpha")
    make_user(Role.OPERATOR, schemes=[late, early])
    _statements, page = visit(make_user(Role.ADMIN), "/admin/comptes")
    assert "Alpha, Zeta" in page


def test_new_staff_form(make_user, schemes_of, growing):
    counts = growing(
        make_user(Role.ADMIN), "/admin/comptes/nouveau", schemes_of, marker="Dispositif "
    )
    assert counts == [3, 3], "the new staff account form, offering every scheme"


def test_account_page(make_user, visit):
    statements, _page = visit(make_user(Role.ADMIN), "/compte")
    assert statements == 3, "the account page"


# --- Employees (volunteers) ----------------------------------------------------------------


def test_volunteer_home(market, visit):
    statements, _page = visit(market.employees[0].user, "/volontariat")
    assert statements == 4, "a volunteer's home"


def test_volunteer_preferences(market, growing):
    employee = market.employees[0]
    counts = growing(
        employee.user,
        "/volontariat/preferences",
        lambda n: set_employee_skills(employee, len(employee.skills) + n),
    )
    assert counts == [5, 5], "a volunteer's preferences, whatever the number of their skills"
