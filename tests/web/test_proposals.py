"""The three parties see and answer a proposal; the host sees no name before the end."""

import pytest

from lending.extensions import db
from lending.models import ProposalStatus


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


def test_nobody_learns_who_declined(app, client, login, market, proposal):
    other = app.test_client()
    login(proposal.employee.user, test_client=other)
    other.post_form(f"/propositions/{proposal.id}/decliner")
    login(market.lender_hr)
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "a décliné" not in page
    assert "proposition close" in page
