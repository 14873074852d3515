"""The employee's side: invitation, notice, explicit consent, withdrawal, self sign-up."""

import re
from datetime import timedelta
from html import unescape

from sqlalchemy import select, update

from lending.extensions import db
from lending.models import ConsentEvent, Employee, Invitation, Role
from lending.models._time import utcnow

NEW_PASSWORD = "mes vacances au bord du lot"


def _invite(client, app, make_user, make_firm, make_employee, login, outbox):
    firm = make_firm("Aéro Garonne")
    employee = make_employee(firm, email="camille@example.fr")
    hr = make_user(Role.HR, firm=firm)
    hr_client = app.test_client()
    login(hr, test_client=hr_client)
    hr_client.post_form(f"/entreprise/salaries/{employee.id}/inviter")
    assert outbox[-1].to == ["camille@example.fr"]
    link = re.search(r"http://localhost(/invitation/\S+)", outbox[-1].body).group(1)
    return employee, hr_client, link


def test_invited_employee_opens_account_reads_notice_and_volunteers(
    client, app, outbox, make_user, make_firm, make_employee, login
):
    employee, hr_client, link = _invite(
        client, app, make_user, make_firm, make_employee, login, outbox
    )
    assert "Aéro Garonne" in unescape(client.get(link).get_data(as_text=True))
    response = client.post_form(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"].endswith("/volontariat")
    page = unescape(client.get("/volontariat").get_data(as_text=True))
    assert "Notice d'information" in page
    assert "n'entraîne aucune sanction" in page
    db.session.refresh(employee)
    assert employee.user is not None
    assert not employee.has_consented

    # Consent must be explicit: the box has to be ticked.
    page = unescape(client.post_form("/volontariat/consentement", {}).get_data(as_text=True))
    assert "Cochez la case" in page
    db.session.refresh(employee)
    assert not employee.has_consented

    client.post_form("/volontariat/consentement", {"agree": "y"})
    db.session.refresh(employee)
    assert employee.has_consented
    assert employee.is_matchable
    assert "Volontaire" in unescape(hr_client.get("/entreprise/salaries").get_data(as_text=True))

    # The link is single-use.
    assert client.get(link).status_code == 302
    assert app.test_client().get(link).headers["Location"] == "/"


def test_withdrawal_is_immediate_and_unexplained(
    client, app, outbox, make_user, make_firm, make_employee, login
):
    employee, hr_client, link = _invite(
        client, app, make_user, make_firm, make_employee, login, outbox
    )
    client.post_form(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post_form("/volontariat/consentement", {"agree": "y"})
    page = unescape(
        client.post_form("/volontariat/retrait", follow_redirects=True).get_data(as_text=True)
    )
    assert "n'en connaîtra pas la raison" in page
    db.session.refresh(employee)
    assert not employee.has_consented
    assert not employee.is_matchable
    events = db.session.scalars(
        select(ConsentEvent).where(ConsentEvent.employee_id == employee.id)
    ).all()
    assert [e.given for e in events] == [True, False]
    hr_page = unescape(hr_client.get(f"/entreprise/salaries/{employee.id}").get_data(as_text=True))
    assert "Volontaire" not in hr_page
    assert "raison" not in hr_page.lower()


def test_expired_invitation_is_refused(
    client, app, outbox, make_user, make_firm, make_employee, login
):
    _employee, _hr, link = _invite(client, app, make_user, make_firm, make_employee, login, outbox)
    db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.get(link, follow_redirects=True)
    assert "n'est plus valable" in unescape(response.get_data(as_text=True))


def test_preferences_are_saved(client, make_user, make_firm, make_employee, login, some_skills):
    firm = make_firm()
    user = make_user(Role.EMPLOYEE, firm=firm)
    employee = make_employee(firm, user=user)
    login(user)
    data = {
        "max_commute_km": "25",
        "available_from": "2027-02-01",
        "available_until": "2027-03-31",
        "accepted_sectors": ["C", "H"],
        "skills-0-skill": str(some_skills[2].id),
        "skills-0-level": "4",
    }
    assert client.post_form("/volontariat/preferences", data).status_code == 302
    db.session.refresh(employee)
    assert (employee.max_commute_km, employee.accepted_sectors) == (25, "C H")
    assert [(s.skill_id, s.level) for s in employee.skills] == [(some_skills[2].id, 4)]


def test_employee_steps_forward_with_the_firm_code(
    client, app, outbox, make_user, make_firm, login
):
    firm = make_firm()
    firm.enrolment_code = "ABC-DEF-GHJ"
    db.session.commit()
    data = {
        "enrolment_code": "abc def ghj",
        "first_name": "Lou",
        "last_name": "Durand",
        "email": "lou@example.fr",
        "job_title": "Technicienne qualité",
        "postal_code": "47000",
        "commune_insee": "47001",
        "max_commute_km": "30",
        "available_from": "2027-01-01",
        "available_until": "2027-12-31",
        "weekly_hours": "35",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    bad = client.post_form("/rejoindre", {**data, "enrolment_code": "ZZZ-ZZZ-ZZZ"})
    assert "Code entreprise inconnu" in unescape(bad.get_data(as_text=True))
    assert client.post_form("/rejoindre", data).status_code == 302
    assert db.session.scalar(select(Employee.id)) is None  # not before the address is confirmed
    link = re.search(r"http://localhost(/inscription/confirmer/\S+)", outbox[-1].body).group(1)
    assert client.post_form(link).headers["Location"].endswith("/volontariat")
    client.post_form("/volontariat/consentement", {"agree": "y"})
    employee = db.session.scalar(select(Employee).where(Employee.email == "lou@example.fr"))
    assert employee.firm_id == firm.id
    assert employee.self_registered
    assert employee.has_consented
    assert not employee.is_matchable

    hr_client = app.test_client()
    login(make_user(Role.HR, firm=firm), test_client=hr_client)
    assert "à confirmer" in unescape(hr_client.get("/entreprise/salaries").get_data(as_text=True))


def test_invitation_page_is_never_stored_by_a_cache(
    client, app, outbox, make_user, make_firm, make_employee, login
):
    _, _, link = _invite(client, app, make_user, make_firm, make_employee, login, outbox)
    page = client.get(link)
    assert "camille@example.fr" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_self_sign_up_with_a_known_address_answers_the_same_and_emails_it(
    client, outbox, make_user, make_firm
):
    firm = make_firm()
    firm.enrolment_code = "ABC-DEF-GHJ"
    make_user(Role.HR, email="deja@example.fr")
    data = {
        "enrolment_code": "ABC-DEF-GHJ",
        "first_name": "Lou",
        "last_name": "Durand",
        "job_title": "Technicienne qualité",
        "postal_code": "47000",
        "commune_insee": "47001",
        "max_commute_km": "30",
        "available_from": "2027-01-01",
        "available_until": "2027-12-31",
        "weekly_hours": "35",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    flashes, locations = [], []
    for email in ("deja@example.fr", "lou@example.fr"):
        response = client.post_form("/rejoindre", {**data, "email": email})
        assert response.status_code == 302
        locations.append(response.headers["Location"])
        page = unescape(client.get(locations[-1]).get_data(as_text=True))
        flashes.append(re.search(r"Vérifiez votre messagerie[^<]*", page).group(0))
    assert locations[0] == locations[1]
    assert flashes[0].replace("deja@", "lou@") == flashes[1]
    assert [m.to for m in outbox] == [["deja@example.fr"], ["lou@example.fr"]]
    assert "déjà un compte" in outbox[0].body
    assert "/inscription/confirmer/" not in outbox[0].body
    assert db.session.scalar(select(Employee.id)) is None
