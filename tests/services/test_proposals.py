"""The three parties' decisions on a proposal."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from lending.extensions import db
from lending.models import Decision, Party, Proposal, ProposalStatus, Role
from lending.models._time import utcnow
from lending.services import needs, proposals, uow, volunteering
from lending.services.errors import ServiceError


@pytest.fixture
def proposal(market, make_proposal):
    return make_proposal(market.scheme, market.employees[0], market.needs[0])


def _decide(proposal, party, market, accept=True):
    actor = {
        Party.EMPLOYEE: proposal.employee.user,
        Party.LENDER: market.lender_hr,
        Party.HOST: market.host_hr,
    }[party]
    proposals.decide(proposal, party, accept=accept, actor=actor)
    uow.commit()


def test_three_acceptances_make_an_accepted_proposal(market, proposal, outbox):
    _decide(proposal, Party.EMPLOYEE, market)
    _decide(proposal, Party.HOST, market)
    assert proposal.status == ProposalStatus.PENDING
    assert outbox == []
    _decide(proposal, Party.LENDER, market)
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.lender_decided_by_id == market.lender_hr.id
    recipients = sorted(m.to[0] for m in outbox)
    assert recipients == sorted(
        [proposal.employee.user.email, market.lender_hr.email, market.host_hr.email]
    )
    assert all("acceptée par les trois parties" in m.subject for m in outbox)


def test_one_refusal_closes_it_and_tells_nobody_why(market, proposal, outbox):
    _decide(proposal, Party.HOST, market)
    _decide(proposal, Party.EMPLOYEE, market, accept=False)
    assert proposal.status == ProposalStatus.REFUSED
    body = " ".join(m.body for m in outbox)
    assert "n'a pas abouti" in body
    assert "salarié a décliné" not in body
    assert "refus" not in body
    with pytest.raises(ServiceError) as closed:
        _decide(proposal, Party.LENDER, market)
    assert str(closed.value) == "Cette proposition est close sans suite : elle n'est plus ouverte."


def test_a_decline_an_expiry_and_a_withdrawal_tell_the_lender_the_same(
    market, make_proposal, make_employee, make_user, outbox
):
    """Three proposals for one need: the employee declines the first, the second expires,
    the third's employee withdraws. The lender gets the same e-mail each time, and the same
    answer when it tries to accept."""
    third = make_employee(market.lender, user=make_user(Role.EMPLOYEE, firm=market.lender))
    third.consent_given_at = utcnow()
    employees = [*market.employees, third]
    declined, expired, withdrawn = (
        make_proposal(market.scheme, e, market.needs[0]) for e in employees
    )
    seen = []

    def lender_sees(proposal, close):
        del outbox[:]
        close()
        uow.commit()
        mails = [(m.subject, m.body) for m in outbox if m.to == [market.lender_hr.email]]
        with pytest.raises(ServiceError) as closed:
            proposals.decide(proposal, Party.LENDER, accept=True, actor=market.lender_hr)
        uow.rollback()
        seen.append((mails, str(closed.value)))
        assert {m.to[0] for m in outbox} == {
            proposal.employee.user.email,
            market.lender_hr.email,
            market.host_hr.email,
        }

    lender_sees(declined, lambda: _decide(declined, Party.EMPLOYEE, market, accept=False))

    def expire():
        expired.expires_at = utcnow() - timedelta(seconds=1)
        db.session.flush()
        proposals.expire_due()

    lender_sees(expired, expire)
    lender_sees(withdrawn, lambda: volunteering.withdraw_consent(withdrawn.employee))
    assert seen[0] == seen[1] == seen[2]
    ((subject, body),), _ = seen[0]
    assert subject.endswith("Une proposition de prêt de main-d'œuvre n'a pas abouti")


def test_a_party_answers_once(market, proposal):
    _decide(proposal, Party.HOST, market)
    with pytest.raises(ServiceError, match="déjà répondu"):
        _decide(proposal, Party.HOST, market, accept=False)
    uow.rollback()
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.PENDING


def test_no_answer_after_the_deadline(market, proposal):
    proposal.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(ServiceError, match="délai"):
        _decide(proposal, Party.EMPLOYEE, market)
    uow.rollback()
    assert proposals.expire_due() == 1
    uow.commit()
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.EXPIRED


def test_withdrawing_consent_cancels_pending_proposals(market, proposal):
    volunteering.withdraw_consent(proposal.employee)
    uow.commit()
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.CANCELLED


def test_closing_a_need_cancels_its_pending_proposals(market, proposal):
    needs.close(proposal.need, market.host_hr)
    uow.commit()
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.CANCELLED


def test_the_database_refuses_two_live_proposals_for_one_employee(
    market, proposal, make_need, make_firm
):
    other_need = make_need(make_firm("Conserverie", naf="10.39A"))
    duplicate = Proposal(
        **{c.name: getattr(proposal, c.name) for c in Proposal.__table__.columns if c.name != "id"}
    )
    duplicate.need_id, duplicate.host_firm_id = other_need.id, other_need.firm_id
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    # once the first is closed, a new proposal for the employee is allowed
    proposal.status = ProposalStatus.REFUSED
    db.session.add(duplicate)
    db.session.commit()


def test_party_of(market, proposal, make_user, make_firm):
    from lending.authz import party_of
    from lending.models import Role

    assert party_of(proposal, proposal.employee.user) == Party.EMPLOYEE
    assert party_of(proposal, market.lender_hr) == Party.LENDER
    assert party_of(proposal, market.host_hr) == Party.HOST
    assert party_of(proposal, make_user(Role.HR, firm=make_firm())) is None
    assert party_of(proposal, market.employees[1].user) is None


def test_answering_a_proposal_whose_loan_is_over_is_refused_in_french(market, proposal):
    proposal.status = ProposalStatus.COMPLETED
    for party in Party:
        setattr(proposal, f"{party.value}_decision", Decision.ACCEPTED)
    db.session.commit()
    with pytest.raises(ServiceError, match="déjà été acceptée par les trois parties"):
        _decide(proposal, Party.HOST, market)
