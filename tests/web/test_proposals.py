"""The three parties see and answer a proposal; the host sees no name before the end."""

import re
from datetime import timedelta

import pytest

from lending.extensions import db
from lending.models import ProposalStatus, Role
from lending.models._time import utcnow
from lending.services import proposals, uow
from tests.factories import new_user


def make_operator(market):
    return new_user(Role.OPERATOR, schemes=[market.scheme])


@pytest.fixture
def proposal(market, make_proposal):
    return make_proposal(market.scheme, market.employees[0], market.needs[0])


def test_host_sees_an_anonymous_profile_until_all_three_accept(
    app, client, login, market, proposal
):
    employee = proposal.employee
    login(market.host_hr)
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert employee.last_name not in page
    assert employee.email not in page
    assert "Ajusteur-monteur" in page
    assert "moins de 20 km" in page  # the band of the proposal's distance (12.3 km)
    assert "compétences couvertes 1/1" in page

    for user in (employee.user, market.lender_hr, market.host_hr):
        other = app.test_client()
        login(user, test_client=other)
        response = other.post_form(f"/propositions/{proposal.id}/accepter")
        assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.ACCEPTED
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert employee.last_name in page
    assert employee.email in page


def test_employee_declines_without_giving_a_reason(client, login, proposal):
    login(proposal.employee.user)
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "aucun motif n'est demandé" in page
    page = client.post_form(f"/propositions/{proposal.id}/decliner", follow_redirects=True)
    assert "Proposition déclinée" in page.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.REFUSED


def test_lists_show_each_party_its_own_proposals(client, login, market, proposal):
    login(market.lender_hr)
    page = client.get("/propositions?cote=lender").get_data(as_text=True)
    assert market.needs[0].title in page
    assert "prêteuse" in page
    page = client.get("/propositions?cote=host").get_data(as_text=True)
    assert "Aucune proposition" in page

    client.post_form("/deconnexion")
    login(market.employees[1].user)  # the other volunteer, not proposed
    assert "Aucune proposition" in client.get("/propositions").get_data(as_text=True)
    assert client.get(f"/propositions/{proposal.id}").status_code == 404


def test_a_second_answer_is_refused_in_french(client, login, market, proposal):
    login(market.host_hr)
    client.post_form(f"/propositions/{proposal.id}/accepter")
    page = client.post_form(f"/propositions/{proposal.id}/decliner", follow_redirects=True)
    assert "déjà répondu" in page.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.PENDING


def test_home_pages_point_to_waiting_proposals(client, login, market, proposal):
    login(market.host_hr)
    assert "1 proposition attend votre réponse" in client.get("/entreprise").get_data(as_text=True)
    client.post_form(f"/propositions/{proposal.id}/accepter")
    assert "attend votre réponse" not in client.get("/entreprise").get_data(as_text=True)
    client.post_form("/deconnexion")
    login(proposal.employee.user)
    page = client.get("/volontariat").get_data(as_text=True)
    assert "Une proposition de poste attend votre réponse" in page


def test_host_cannot_infer_cost_commute_or_situation(client, login, market, proposal):
    login(market.host_hr)
    for url in (f"/propositions/{proposal.id}", "/propositions?cote=host"):
        page = client.get(url).get_data(as_text=True)
        assert "12,3 km" not in page  # the exact distance of the factory proposal
        assert "Coût par rapport au budget" not in page
        assert "Priorité (activité partielle" not in page
    assert "moins de 20 km" in client.get(f"/propositions/{proposal.id}").get_data(as_text=True)


def _answer(app, login, user, proposal, decision):
    other = app.test_client()
    login(user, test_client=other)
    assert other.post_form(f"/propositions/{proposal.id}/{decision}").status_code == 302


def _seen(page: str) -> str:
    """What a proposal's page says of its state and of the answers."""
    state = re.search(r"<p><strong>.*?</p>", page, re.S).group(0)
    answers = page[page.index("<h2>Réponses</h2>") : page.index("</main>")]
    return state + answers


def test_no_party_sees_another_partys_answer_before_all_three_accept(
    app, client, login, market, proposal
):
    employee = proposal.employee.user
    _answer(app, login, market.host_hr, proposal, "accepter")
    _answer(app, login, employee, proposal, "accepter")
    for user in (market.lender_hr, employee, market.host_hr):
        login(user)
        page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
        answers = _seen(page)
        assert answers.count(": a accepté") == (0 if user == market.lender_hr else 1)
        assert "chacune ne voit que sa propre réponse" in answers
    login(market.host_hr)
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "L&#39;entreprise d&#39;accueil : a accepté" in page or (
        "L'entreprise d'accueil : a accepté" in page
    )
    assert "Le salarié : a accepté" not in page


def test_every_party_sees_the_same_close_whoever_declined(
    app, client, login, market, make_proposal, make_employee, make_user
):
    """The lender, who did not answer, reads three proposals closed three ways alike: the
    employee declined after the host accepted; the host declined after the employee
    accepted; nobody declined but the deadline passed after both accepted."""
    need = market.needs[0]
    third = make_user(Role.EMPLOYEE, firm=market.lender)
    employees = [*market.employees, make_employee(market.lender, user=third, consent=True)]
    made = [make_proposal(market.scheme, e, need) for e in employees]
    by_employee, by_host, expired = made
    _answer(app, login, market.host_hr, by_employee, "accepter")
    _answer(app, login, by_employee.employee.user, by_employee, "decliner")
    _answer(app, login, by_host.employee.user, by_host, "accepter")
    _answer(app, login, market.host_hr, by_host, "decliner")
    _answer(app, login, expired.employee.user, expired, "accepter")
    _answer(app, login, market.host_hr, expired, "accepter")
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    proposals.expire_due()
    uow.commit()

    login(market.lender_hr)
    seen = {_seen(client.get(f"/propositions/{p.id}").get_data(as_text=True)) for p in made}
    assert len(seen) == 1, seen
    (one,) = seen
    assert "Close sans suite" in one
    assert ": a décliné" not in one
    assert ": a accepté" not in one
    listed = client.get("/propositions").get_data(as_text=True)
    assert listed.count("Close sans suite") == 3
    assert "Déclinée" not in listed
    assert "Expirée" not in listed
    for status in ("refused", "expired"):  # no filter tells them apart either
        page = client.get(f"/propositions?statut={status}").get_data(as_text=True)
        assert page.count("Close sans suite") == 3


def test_the_schemes_operators_still_see_every_answer(app, client, login, market, proposal):
    _answer(app, login, market.host_hr, proposal, "accepter")
    _answer(app, login, proposal.employee.user, proposal, "decliner")
    login(make_operator(market))
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "Déclinée" in page
    assert "Le salarié : a décliné" in page
    assert "a accepté" in page
