"""Operators run rounds from the site and read their proposals and figures."""

import json

from sqlalchemy import select

from lending import worker
from lending.extensions import db
from lending.models import MatchingRound, Proposal, Role, RoundStatus
from lending.services import rounds


def test_operator_starts_a_round_that_a_worker_carries_out_and_follows_it(
    app, client, login, make_user, market
):
    login(make_user(Role.OPERATOR, schemes=[market.scheme]))
    app.config["TASKS_EAGER"] = False
    try:
        response = client.post_form(f"/dispositifs/{market.scheme.id}/tours")
        assert response.status_code == 302
        round_ = db.session.scalar(select(MatchingRound))
        assert response.headers["Location"].endswith(f"/tours/{round_.id}")
        # The request only queued it: the round waits for a worker.
        assert (round_.status, round_.stage) == (RoundStatus.RUNNING, "queued")
        waiting = json.loads(client.get(response.headers["Location"] + "/etat").get_data())
        assert waiting == {
            "status": "running",
            "stage": "queued",
            "label": "En attente de démarrage",
        }
        assert worker.run(app, burst=True) == 1
    finally:
        app.config["TASKS_EAGER"] = True
    db.session.refresh(round_)
    assert round_.status == RoundStatus.DONE, round_.error
    assert round_.trigger == "site"
    status = json.loads(client.get(response.headers["Location"] + "/etat").get_data())
    assert status["status"] == "done"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    proposal = db.session.scalar(select(Proposal))
    assert proposal.employee.full_name in page  # operators see names in their scheme
    assert "compétences couvertes 1/1" in page
    assert "dates couvertes 100" in page


def test_second_start_while_running_is_refused_in_french(client, login, make_user, market):
    login(make_user(Role.OPERATOR, schemes=[market.scheme]))
    rounds.open_round(market.scheme, None, "command")
    db.session.commit()
    page = client.post_form(f"/dispositifs/{market.scheme.id}/tours", follow_redirects=True)
    assert "déjà en cours" in page.get_data(as_text=True)
    assert db.session.query(MatchingRound).count() == 1


def test_round_page_lists_unmatched_needs_with_their_reason(
    client, login, make_user, make_need, market
):
    make_need(market.host, commune_insee="47157", title="Cariste Marmande", positions=1)
    round_ = rounds.run_round(market.scheme)
    login(make_user(Role.OPERATOR, schemes=[market.scheme]))
    page = client.get(f"/dispositifs/{market.scheme.id}/tours/{round_.id}").get_data(as_text=True)
    assert "Cariste Marmande" in page
    assert "Aucun salarié d'une autre entreprise dans sa zone de trajet" in page


def test_failed_round_shows_its_error(client, login, make_user, market, monkeypatch):
    monkeypatch.setattr(rounds, "compute", lambda *a: 1 / 0)
    round_ = rounds.run_round(market.scheme)
    login(make_user(Role.OPERATOR, schemes=[market.scheme]))
    page = client.get(f"/dispositifs/{market.scheme.id}/tours/{round_.id}").get_data(as_text=True)
    assert "Échoué" in page
    assert "aucune proposition n&#39;a été enregistrée" in page


def test_the_round_page_costs_the_same_queries_however_many_needs_stay_open(
    client, login, make_user, make_need, market, count_queries
):
    from lending.models import UnmatchedNeed

    login(make_user(Role.OPERATOR, schemes=[market.scheme]))
    round_ = rounds.run_round(market.scheme)
    url = f"/dispositifs/{market.scheme.id}/tours/{round_.id}"

    def leave_open(count: int) -> int:
        for n in range(count):
            need = make_need(market.host, positions=2)
            db.session.add(
                UnmatchedNeed(
                    round_id=round_.id,
                    need_id=need.id,
                    open_positions=2,
                    reason="budget" if n % 2 else "dates",
                )
            )
        db.session.commit()
        with count_queries() as counted:
            page = client.get(url).get_data(as_text=True)
        assert "Coût des candidats au-delà du budget" in page
        return counted()

    few = leave_open(3)
    many = leave_open(30)
    assert many == few
