"""A matching round in a real browser: the operator runs it and reads the proposals; the
employee, the lending HR and the host HR accept one. axe-core checks each new page."""

import pytest
from playwright.sync_api import Page, expect

from lending.extensions import db
from lending.models import Proposal, ProposalStatus, Role
from tests.e2e.test_journey import flash, log_in, log_out
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def accept(page: Page, proposal_id: int, a11y, name: str, done: str) -> None:
    page.goto("/propositions")
    a11y.check(page, f"proposals of the {name}")
    page.get_by_role("link", name="Conducteur de ligne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposition : Conducteur de ligne")
    expect(page.get_by_text("compétences couvertes 1/1").first).to_be_visible()
    a11y.check(page, f"proposal seen by the {name}")
    page.get_by_role("button", name="Accepter la proposition").click()
    expect(flash(page, done)).to_be_visible()


def test_operator_runs_a_round_and_the_three_parties_accept(
    page, app, market, make_user, a11y, worker
):
    operator = make_user(Role.OPERATOR, schemes=[market.scheme])
    log_in(page, operator.email, PASSWORD)
    page.goto(f"/dispositifs/{market.scheme.id}")
    page.get_by_role("link", name="Tours de rapprochement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tours de rapprochement")
    a11y.check(page, "rounds of a scheme")
    page.get_by_role("button", name="Lancer un tour maintenant").click()
    # the request only queues the round; the progress view reloads when the worker is done
    expect(page.get_by_role("heading", name="Chiffres du tour")).to_be_visible()
    proposals = page.get_by_role("table", name="1 proposition")
    expect(proposals).to_contain_text("compétences couvertes 1/1")
    expect(proposals).to_contain_text("dates couvertes 100")
    a11y.check(page, "a finished round")
    log_out(page)

    proposal = db.session.query(Proposal).one()
    employee = proposal.employee
    log_in(page, employee.user.email, PASSWORD)
    accept(page, proposal.id, a11y, "employee", "Votre accord est enregistré.")
    log_out(page)

    log_in(page, market.host_hr.email, PASSWORD)
    page.goto(f"/propositions/{proposal.id}")
    expect(page.get_by_text("Le nom et les coordonnées du salarié")).to_be_visible()
    expect(page.get_by_text(employee.last_name)).to_have_count(0)
    accept(page, proposal.id, a11y, "host HR", "Votre accord est enregistré.")
    log_out(page)

    log_in(page, market.lender_hr.email, PASSWORD)
    accept(page, proposal.id, a11y, "lending HR", "Proposition acceptée par les trois parties.")
    expect(page.get_by_text("Acceptée par les trois parties").first).to_be_visible()
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.ACCEPTED
    a11y.assert_clean()
