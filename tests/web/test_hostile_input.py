"""Odd and hostile input gets a clear answer, never a 500, and changes nothing."""

from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Firm, Role, Scheme
from tests.factories import PASSWORD
from tests.web.test_registration import GOOD, register_and_confirm


def test_postal_code_with_a_space_is_stored_without_it(client, outbox):
    assert register_and_confirm(client, outbox, postal_code="47 000").status_code == 302
    assert db.session.scalar(select(Firm.postal_code)) == "47000"


@pytest.mark.parametrize("field", ["firm_name", "full_name", "address_line", "commune_insee"])
def test_nul_character_is_refused(client, field):
    page = client.post_form("/inscription", {**GOOD, field: "Agen\x00"})
    assert page.status_code == 400
    assert "Requête invalide" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Firm)) == 0


def test_nul_character_in_a_multiple_choice_is_refused(client, make_user, login):
    login(make_user(Role.ADMIN))
    page = client.post_form("/dispositifs/nouveau", {"name": "X", "departement_codes": ["\x00"]})
    assert page.status_code == 400
    assert db.session.scalar(select(Scheme)) is None


@pytest.mark.parametrize(
    "url",
    [
        "/dispositifs/100000000000000000000",
        "/dispositifs/100000000000000000000/modifier",
        "/dispositifs/0",
        "/dispositifs/-1",
    ],
)
def test_impossible_ids_are_not_found(client, make_user, login, url):
    login(make_user(Role.ADMIN))
    assert client.get(url).status_code == 404


def test_huge_id_in_a_post_is_not_found(client, make_user, make_firm, login):
    login(make_user(Role.HR, firm=make_firm()))
    response = client.post_form("/entreprise/dispositifs/100000000000000000000/candidature")
    assert response.status_code == 404


def test_huge_number_in_a_form_is_refused(client, make_user, login):
    login(make_user(Role.ADMIN))
    form = {
        "name": "X",
        "departement_codes": ["47"],
        "sectors": "C",
        "schedule_mode": "cron",
        "matching_cron": "0 6 * * 1",
        "default_max_commute_km": str(10**20),
        "max_loan_months": "12",
        "proposal_deadline_days": "7",
        "weight_skills": "40",
        "weight_distance": "20",
        "weight_dates": "20",
        "weight_cost": "10",
        "weight_priority": "10",
        "at_risk_bonus_pct": "50",
        "min_date_coverage_pct": "50",
        "round_time_limit_s": "300",
    }
    page = client.post_form("/dispositifs/nouveau", form)
    assert page.status_code == 200
    assert "entre 1 et 300" in page.get_data(as_text=True)
    assert db.session.scalar(select(Scheme)) is None


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\t/evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/ok\r\nSet-Cookie: x=1",
        "javascript:alert(1)",
    ],
)
def test_no_open_redirect_after_login_or_language_change(client, make_user, target):
    user = make_user(Role.HR)
    response = client.post_form(
        "/connexion?" + urlencode({"next": target}),
        {"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    response = client.post_form("/langue", {"lang": "fr", "next": target})
    assert response.headers["Location"] == "/"


def test_local_next_is_followed(client, make_user):
    user = make_user(Role.HR)
    response = client.post_form(
        "/connexion?next=/compte", {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/compte"
