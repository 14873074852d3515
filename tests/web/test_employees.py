"""HR declares available employees; other firms never see them."""

import pytest
from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Employee, EmployeeStatus, Role


def _form(skills, **changes):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille.martin@example.fr",
        "job_title": "Ajusteur-monteur aéronautique",
        "qualification": "Niveau V coef. 335",
        "postal_code": "47000",
        "commune_insee": "47001",
        "max_commute_km": "40",
        "available_from": "2027-01-04",
        "available_until": "2027-06-30",
        "weekly_hours": "35",
        "gross_salary": "2800",
        "employer_charges": "1200,50",
        "expenses": "100",
        "job_at_risk": "y",
        "skills-0-skill": str(skills[0].id),
        "skills-0-level": "3",
        "skills-1-skill": str(skills[1].id),
        "skills-1-level": "2",
        "skills-2-skill": "",
        "skills-2-level": "2",
    }
    data.update(changes)
    return data


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Employee))


def test_hr_declares_an_employee_with_skills(client, make_user, make_firm, login, some_skills):
    firm = make_firm()
    login(make_user(Role.HR, firm=firm))
    response = client.post_form("/entreprise/salaries/nouveau", _form(some_skills))
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    employee = db.session.scalar(select(Employee))
    assert employee.full_name == "Camille Martin"
    assert employee.monthly_cost_cents == 2800_00 + 1200_50 + 100_00
    assert employee.job_at_risk
    assert not employee.partial_activity
    assert {(s.skill_id, s.level) for s in employee.skills} == {
        (some_skills[0].id, 3),
        (some_skills[1].id, 2),
    }
    assert not employee.is_matchable  # no consent yet
    page = client.get("/entreprise/salaries").get_data(as_text=True)
    assert "Camille Martin" in page


def test_bad_employee_input_gets_french_messages_and_stores_nothing(
    client, make_user, make_firm, login, some_skills
):
    login(make_user(Role.HR, firm=make_firm()))
    cases = {
        "available_until": ("2026-12-01", "La date de fin ne peut pas précéder"),
        "weekly_hours": ("90", "Entre 1 et 48 heures"),
        "gross_salary": ("-5", "Montant entre 0 et 100 000"),
        "available_from": ("demain", "date valide"),
        "commune_insee": ("31555", "Choisissez une commune"),
        "skills-1-skill": (str(some_skills[0].id), "ne peut figurer qu&#39;une fois"),
    }
    for name, (value, message) in cases.items():
        page = client.post_form("/entreprise/salaries/nouveau", _form(some_skills, **{name: value}))
        assert page.status_code == 200, name
        assert message in page.get_data(as_text=True), name
    assert _count() == 0


def test_same_email_twice_in_a_firm_is_refused(client, make_user, make_firm, login, some_skills):
    login(make_user(Role.HR, firm=make_firm()))
    client.post_form("/entreprise/salaries/nouveau", _form(some_skills))
    page = client.post_form("/entreprise/salaries/nouveau", _form(some_skills, first_name="Autre"))
    assert "a déjà cette adresse e-mail" in page.get_data(as_text=True)
    assert _count() == 1


def test_edit_keeps_values_and_updates(client, make_user, make_firm, make_employee, login):
    firm = make_firm()
    employee = make_employee(firm)
    login(make_user(Role.HR, firm=firm))
    page = client.get(f"/entreprise/salaries/{employee.id}").get_data(as_text=True)
    assert 'value="2800.00"' in page or 'value="2800"' in page
    assert employee.email in page


def test_withdrawn_employee_is_not_matchable(client, make_user, make_firm, make_employee, login):
    firm = make_firm()
    employee = make_employee(firm, consent=True)
    assert employee.is_matchable
    login(make_user(Role.HR, firm=firm))
    client.post_form(f"/entreprise/salaries/{employee.id}/retirer")
    db.session.refresh(employee)
    assert employee.status == EmployeeStatus.WITHDRAWN
    assert not employee.is_matchable


def test_other_firm_sees_nothing_of_my_employees(
    client, make_user, make_firm, make_employee, login
):
    mine, other = make_firm(), make_firm()
    employee = make_employee(mine, first_name="Secret")
    login(make_user(Role.HR, firm=other))
    assert "Secret" not in client.get("/entreprise/salaries").get_data(as_text=True)
    assert client.get(f"/entreprise/salaries/{employee.id}").status_code == 404


def test_list_filters_and_paginates(client, make_user, make_firm, make_employee, login):
    firm = make_firm()
    for n in range(30):
        make_employee(
            firm, first_name=f"Prénom{n:02d}", job_title="Soudeur" if n < 3 else "Cariste"
        )
    login(make_user(Role.HR, firm=firm))
    page = client.get("/entreprise/salaries").get_data(as_text=True)
    assert "30 salariés" in page
    assert "Page 1 sur 2" in page
    page = client.get("/entreprise/salaries?q=soudeur").get_data(as_text=True)
    assert "3 salariés" in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Élodie", {"Lebrun"}),
        ("élodie", {"Lebrun"}),
        ("ELODIE", {"Lebrun"}),
        ("E\u0301lodie", {"Lebrun"}),  # typed with a combining accent
        ("zoé", {"Dupuis"}),  # stored with a combining accent
        ("soudeuse", {"Lebrun"}),
        ("_", {"Garnier"}),
        ("%", set()),
        ("li%e", set()),
    ],
)
def test_search_ignores_accents_and_case_and_takes_wildcards_literally(
    client, make_user, make_firm, make_employee, login, query, found
):
    firm = make_firm()
    make_employee(firm, first_name="Élodie", last_name="Lebrun", job_title="Soudeuse")
    make_employee(firm, first_name="Zoe\u0301", last_name="Dupuis", job_title="Cariste")
    make_employee(firm, first_name="Ana_Lise", last_name="Garnier", job_title="Cariste")
    login(make_user(Role.HR, firm=firm))
    page = client.get("/entreprise/salaries", query_string={"q": query}).get_data(as_text=True)
    shown = {name for name in ("Lebrun", "Dupuis", "Garnier") if name in page}
    assert shown == found
