"""Schemes set up by admins and operators; firms apply, operators decide."""

import re

from sqlalchemy import select

from lending.extensions import db
from lending.models import Enrolment, EnrolmentStatus, Role, Scheme, User

SCHEME_FORM = {
    "name": "Passerelles Test",
    "description": "Prêts entre industriels",
    "departement_codes": ["31", "81"],
    "sectors": "C, 10",
    "default_max_commute_km": "50",
    "max_loan_months": "24",
    "proposal_deadline_days": "10",
    "schedule_mode": "cron",
    "matching_cron": "0 5 * * 2",
    "weight_skills": "40",
    "weight_distance": "20",
    "weight_dates": "20",
    "weight_cost": "10",
    "weight_priority": "10",
    "at_risk_bonus_pct": "50",
    "min_date_coverage_pct": "50",
    "round_time_limit_s": "300",
}


def test_admin_creates_a_scheme(client, make_user, login):
    login(make_user(Role.ADMIN))
    response = client.post_form("/dispositifs/nouveau", SCHEME_FORM)
    assert response.status_code == 302
    scheme = db.session.scalar(select(Scheme))
    assert scheme.departement_codes == {"31", "81"}
    assert scheme.sector_list == ["C", "10"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "31 – Haute-Garonne" in page


def test_scheme_form_errors_are_french_and_nothing_is_saved(client, make_user, login):
    login(make_user(Role.ADMIN))
    bad = {
        **SCHEME_FORM,
        "matching_cron": "chaque lundi",
        "sectors": "ZZ",
        "default_max_commute_km": "beaucoup",
    }
    page = client.post_form("/dispositifs/nouveau", bad).get_data(as_text=True)
    assert "Calendrier invalide" in page
    assert "n&#39;est ni une section NAF" in page
    assert "pas un entier valide" in page
    assert db.session.scalar(select(Scheme)) is None


def test_rounds_scheduled_by_days_and_hour_with_the_next_three_in_french(client, make_user, login):
    login(make_user(Role.ADMIN))
    form = {**SCHEME_FORM, "schedule_mode": "days", "round_days": ["3", "1"], "round_hour": "7"}
    response = client.post_form("/dispositifs/nouveau", form)
    assert response.status_code == 302
    scheme = db.session.scalar(select(Scheme))
    assert scheme.matching_cron == "0 7 * * 1,3"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    upcoming = re.findall(r"<li>(\w+) \d+ \w+ \d{4}, 07:00</li>", page)
    assert len(upcoming) == 3
    assert set(upcoming) <= {"lundi", "mercredi"}
    edit = client.get(f"/dispositifs/{scheme.id}/modifier").get_data(as_text=True)
    checked = re.findall(
        r'<input checked id="round_days-\d" name="round_days" [^>]*value="(\d)"', edit
    )
    assert checked == ["1", "3"]
    assert '<option selected value="7">' in edit


def test_sunday_as_7_is_a_sunday_and_a_schedule_needs_a_day(client, make_user, login):
    login(make_user(Role.ADMIN))
    page = client.post_form(
        "/dispositifs/nouveau", {**SCHEME_FORM, "schedule_mode": "days", "round_days": []}
    ).get_data(as_text=True)
    assert "Choisissez au moins un jour." in page
    assert db.session.scalar(select(Scheme)) is None
    response = client.post_form(
        "/dispositifs/nouveau", {**SCHEME_FORM, "matching_cron": "0 6 * * 7"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.findall(r"<li>(\w+) \d+ \w+ \d{4}, 06:00</li>", page) == ["dimanche"] * 3


def test_operator_edits_their_scheme_only(client, make_user, make_scheme, login):
    mine, other = make_scheme(), make_scheme()
    login(make_user(Role.OPERATOR, schemes=[mine]))
    form = {**SCHEME_FORM, "name": "Nouveau nom", "departement_codes": ["47"]}
    assert client.post_form(f"/dispositifs/{mine.id}/modifier", form).status_code == 302
    assert client.post_form(f"/dispositifs/{other.id}/modifier", form).status_code == 404
    db.session.refresh(mine)
    db.session.refresh(other)
    assert mine.name == "Nouveau nom"
    assert other.name != "Nouveau nom"


def test_firm_applies_and_operator_approves(
    client, app, outbox, make_user, make_firm, make_scheme, login
):
    scheme = make_scheme("SHARING Test", departements=["47"], sectors="C")
    operator = make_user(Role.OPERATOR, schemes=[scheme])
    firm = make_firm("Aéro Garonne", naf="30.30Z")
    hr = make_user(Role.HR, firm=firm)

    login(hr)
    page = client.get("/entreprise").get_data(as_text=True)
    assert "Candidater à SHARING Test" in page
    response = client.post_form(f"/entreprise/dispositifs/{scheme.id}/candidature")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "En attente de validation" in page
    assert [m.to for m in outbox] == [[operator.email]]

    op_client = app.test_client()
    login(operator, test_client=op_client)
    enrolment = db.session.scalar(select(Enrolment))
    url = f"/dispositifs/{scheme.id}/candidatures/{enrolment.id}/accepter"
    page = op_client.post_form(url, follow_redirects=True).get_data(as_text=True)
    assert "Candidature d&#39;Aéro Garonne acceptée" in page  # French elision
    assert outbox[-1].to == [hr.email]
    assert "est acceptée" in outbox[-1].body

    assert "Acceptée" in client.get("/entreprise").get_data(as_text=True)
    # A decision is final: deciding again changes nothing.
    page = op_client.post_form(url, follow_redirects=True).get_data(as_text=True)
    assert "déjà été traitée" in page


def test_rejection_needs_a_reason_which_the_firm_sees(
    client, app, make_user, make_firm, make_scheme, make_enrolment, login
):
    scheme = make_scheme()
    firm = make_firm("Fonderie du Lot")
    enrolment = make_enrolment(firm, scheme)
    hr = make_user(Role.HR, firm=firm)
    op_client = app.test_client()
    login(make_user(Role.OPERATOR, schemes=[scheme]), test_client=op_client)
    url = f"/dispositifs/{scheme.id}/candidatures/{enrolment.id}/refuser"

    page = op_client.post_form(url, {"reason": ""}, follow_redirects=True)
    assert "Indiquez le motif du refus" in page.get_data(as_text=True)
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.PENDING

    op_client.post_form(url, {"reason": "Activité hors du périmètre industriel"})
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.REJECTED

    login(hr)
    page = client.get("/entreprise").get_data(as_text=True)
    assert "Refusée" in page
    assert "Activité hors du périmètre industriel" in page
    # The firm may apply again after a refusal.
    client.post_form(f"/entreprise/dispositifs/{scheme.id}/candidature")
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.PENDING


def test_firm_outside_territory_or_sectors_cannot_apply(
    client, make_user, make_firm, make_scheme, login
):
    toulouse = make_scheme("Occitanie", departements=["31"], sectors="C")
    firm = make_firm("Boulangerie", naf="47.24Z")  # retail, in Agen
    login(make_user(Role.HR, firm=firm))
    page = client.get("/entreprise").get_data(as_text=True)
    assert "n&#39;est pas situé sur le territoire" in page
    assert "ne relève pas des secteurs" in page
    response = client.post_form(
        f"/entreprise/dispositifs/{toulouse.id}/candidature", follow_redirects=True
    )
    assert "Candidature impossible" in response.get_data(as_text=True)
    assert db.session.scalar(select(Enrolment)) is None


def test_hr_cannot_see_another_firms_application(
    client, make_user, make_firm, make_scheme, make_enrolment, login
):
    scheme = make_scheme()
    firm_a, firm_b = make_firm("Firme Alpha"), make_firm("Firme Bêta")
    make_enrolment(firm_a, scheme)
    login(make_user(Role.HR, firm=firm_b))
    page = client.get("/entreprise").get_data(as_text=True)
    assert "Firme Alpha" not in page
    assert "En attente de validation" not in page


def test_admin_creates_an_operator_who_sets_a_password(
    client, app, outbox, make_user, make_scheme, login, login_with_form
):
    scheme = make_scheme("SHARING Test")
    login(make_user(Role.ADMIN))
    form = {
        "full_name": "Olivier Opérateur",
        "email": "olivier@cci.example.fr",
        "role": "operator",
        "schemes": [str(scheme.id)],
    }
    assert client.post_form("/admin/comptes/nouveau", form).status_code == 302
    link = re.search(r"http://localhost(/reinitialiser/\S+)", outbox[-1].body).group(1)

    newcomer = app.test_client()
    new = "la garonne coule vers bordeaux"
    assert newcomer.post_form(link, {"password": new, "confirm": new}).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "olivier@cci.example.fr"))
    login_with_form(user, password=new, test_client=newcomer)  # the password they chose
    assert "SHARING Test" in newcomer.get("/dispositifs").get_data(as_text=True)


def test_operator_account_needs_a_scheme(client, make_user, login):
    login(make_user(Role.ADMIN))
    form = {"full_name": "Sans Dispositif", "email": "x@example.fr", "role": "operator"}
    page = client.post_form("/admin/comptes/nouveau", form).get_data(as_text=True)
    assert "Choisissez au moins un dispositif" in page
    assert db.session.scalar(select(User).where(User.email == "x@example.fr")) is None


def test_monitor_sees_aggregates_with_small_counts_hidden(
    client, make_user, make_firm, make_scheme, make_enrolment, login
):
    scheme = make_scheme("SHARING Test", departements=["47", "33"])
    for i in range(6):
        make_enrolment(make_firm(f"Firme {i}"), scheme, EnrolmentStatus.APPROVED)
    make_enrolment(make_firm("Firme en attente"), scheme, EnrolmentStatus.PENDING)
    login(make_user(Role.MONITOR, schemes=[scheme]))
    page = client.get("/suivi", follow_redirects=True).get_data(as_text=True)
    assert "Firme" not in page
    table = page[page.index('id="tableau-departements"') :]
    row = re.search(r"47 — Lot-et-Garonne</th><td>(.*?)</td>", table)
    assert row.group(1) == "5"  # 6 firms, published rounded to 5
    row = re.search(r"33 — Gironde</th><td>(.*?)</td>", table)
    assert row.group(1) == "0"


def test_the_operator_sees_each_firms_contact_and_activity(
    client, login, make_user, make_firm, make_scheme, make_enrolment, make_employee, make_need
):
    scheme = make_scheme("SHARING Test", departements=["47"])
    busy, quiet = make_firm("Aéro Busy"), make_firm("Conserverie Calme")
    for firm in (busy, quiet):
        make_enrolment(firm, scheme, EnrolmentStatus.APPROVED)
    contact = make_user(Role.HR, firm=busy, email="ines@busy.fr")
    make_employee(busy)
    make_employee(busy)
    make_need(busy)
    login(make_user(Role.OPERATOR, schemes=[scheme]))
    html = client.get(f"/dispositifs/{scheme.id}").get_data(as_text=True)
    busy_row = html[html.index("Aéro Busy") : html.index("</tr>", html.index("Aéro Busy"))]
    assert contact.full_name in busy_row
    assert 'href="mailto:ines@busy.fr"' in busy_row
    assert re.findall(r"<td>(\d+)</td>", busy_row) == ["2", "1", "0"]
    quiet_row = html[
        html.index("Conserverie Calme") : html.index("</tr>", html.index("Conserverie Calme"))
    ]
    assert re.findall(r"<td>(\d+)</td>", quiet_row) == ["0", "0", "0"]
