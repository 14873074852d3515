"""Odd input on the supply and demand pages: a French message, never a 500."""

import pytest
from sqlalchemy import func, select, update

from lending.extensions import db
from lending.models import Employee, Invitation, Need, Role
from lending.models._time import utcnow
from lending.services import employees
from tests.web.test_employees import _form as employee_form
from tests.web.test_needs import _form as need_form


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("skills-0-skill", "²"),
        ("skills-0-level", "²"),
        ("skills-0-skill", "99999999999999999999"),
        ("skills-0-skill", "1099511627776"),
        ("gross_salary", "sNaN"),
        ("weekly_hours", "sNaN"),
        ("gross_salary", "Infinity"),
        ("available_until", "9999-12-31"),
        ("skills-0-level", "9"),
    ],
)
def test_odd_employee_values_are_refused(
    client, make_user, make_firm, login, some_skills, name, value
):
    login(make_user(Role.HR, firm=make_firm()))
    page = client.post_form(
        "/entreprise/salaries/nouveau", employee_form(some_skills, **{name: value})
    )
    assert page.status_code == 200
    assert 'id="error-summary"' in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 0


def test_odd_need_budget_is_refused(client, make_user, make_firm, login, some_skills):
    login(make_user(Role.HR, firm=make_firm()))
    page = client.post_form(
        "/entreprise/besoins/nouveau", need_form(some_skills, monthly_budget="sNaN")
    )
    assert page.status_code == 200
    assert db.session.scalar(select(Need)) is None


def test_huge_page_number_shows_the_list(client, make_user, make_firm, login):
    login(make_user(Role.HR, firm=make_firm()))
    for url in ("/entreprise/salaries?page=99999999999999999999", "/entreprise/besoins?page=-3"):
        assert client.get(url).status_code == 200


def test_hr_edits_an_employee_and_an_email_change_voids_the_invitation(
    client, outbox, make_user, make_firm, make_employee, login, some_skills
):
    firm = make_firm()
    employee = make_employee(firm, email="ancienne@example.fr")
    login(make_user(Role.HR, firm=firm))
    client.post_form(f"/entreprise/salaries/{employee.id}/inviter")
    form = employee_form(some_skills, email="nouvelle@example.fr", max_commute_km="55")
    assert client.post_form(f"/entreprise/salaries/{employee.id}", form).status_code == 302
    db.session.refresh(employee)
    assert (employee.email, employee.max_commute_km) == ("nouvelle@example.fr", 55)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.expires_at <= utcnow()


def test_reinviting_kills_the_earlier_link(
    client, app, outbox, make_user, make_firm, make_employee, login
):
    firm = make_firm()
    employee = make_employee(firm)
    login(make_user(Role.HR, firm=firm))
    client.post_form(f"/entreprise/salaries/{employee.id}/inviter")
    client.post_form(f"/entreprise/salaries/{employee.id}/inviter")
    first, second = (m.body.split("/invitation/")[1].split()[0] for m in outbox[-2:])
    newcomer = app.test_client()
    assert newcomer.get(f"/invitation/{first}").status_code == 302
    assert newcomer.get(f"/invitation/{second}").status_code == 200


def test_invitation_to_an_address_of_another_account_is_refused(
    client, outbox, make_user, make_firm, make_employee, login
):
    firm = make_firm()
    taken = make_user(Role.HR, firm=make_firm())
    employee = make_employee(firm, email=taken.email)
    login(make_user(Role.HR, firm=firm))
    page = client.post_form(f"/entreprise/salaries/{employee.id}/inviter", follow_redirects=True)
    assert "déjà celle d&#39;un autre compte" in page.get_data(
        as_text=True
    ) or "déjà celle d'un autre compte" in page.get_data(as_text=True)
    assert outbox == []


def test_self_sign_up_with_an_address_hr_already_declared(client, outbox, make_firm, make_employee):
    firm = make_firm()
    firm.enrolment_code = "ABC-DEF-GHJ"
    make_employee(firm, email="lou@example.fr")
    data = {
        "enrolment_code": "ABC-DEF-GHJ",
        "first_name": "Lou",
        "last_name": "Durand",
        "email": "lou@example.fr",
        "job_title": "Technicienne",
        "postal_code": "47000",
        "commune_insee": "47001",
        "max_commute_km": "30",
        "available_from": "2027-01-01",
        "available_until": "2027-12-31",
        "weekly_hours": "35",
        "password": "mes vacances au bord du lot",
        "confirm": "mes vacances au bord du lot",
    }
    response = client.post_form("/rejoindre", data)
    assert response.status_code == 302  # the same answer as for any address
    assert outbox[-1].to == ["lou@example.fr"]
    assert "demandez-lui de vous" in outbox[-1].body
    assert "/inscription/confirmer/" not in outbox[-1].body


def test_self_sign_up_is_rate_limited(app, client, monkeypatch):
    from lending.extensions import limiter

    monkeypatch.setitem(app.config, "SENSITIVE_FORM_RATE_LIMIT", "2 per minute")
    limiter.reset()
    try:
        codes = [
            client.post_form("/rejoindre", {"enrolment_code": "ZZZ"}).status_code for _ in range(3)
        ]
        assert codes == [200, 200, 429]
    finally:
        limiter.reset()


def test_matchable_query_agrees_with_the_rule(make_firm, make_employee):
    firm = make_firm()
    make_employee(firm, consent=True)
    make_employee(firm, consent=False)
    make_employee(firm, consent=True, confirmed=False)
    make_employee(firm, consent=True, expenses_cents=None)
    every = db.session.scalars(select(Employee)).all()
    matchable = db.session.scalars(employees.matchable_query()).all()
    assert matchable == [e for e in every if e.is_matchable]
    assert len(matchable) == 1
    db.session.execute(update(Employee).values(consent_given_at=None))
    assert db.session.scalars(employees.matchable_query()).all() == []
