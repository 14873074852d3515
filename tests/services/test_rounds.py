"""Matching rounds through the database: what they read, write, keep and refuse."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lending.extensions import db
from lending.models import (
    EnrolmentStatus,
    MatchingRound,
    Proposal,
    ProposalStatus,
    RoundStatus,
)
from lending.models._time import utcnow
from lending.services import rounds, uow
from lending.services.errors import ServiceError


def _proposals(**where) -> list[Proposal]:
    query = select(Proposal).order_by(Proposal.id)
    for name, value in where.items():
        query = query.where(getattr(Proposal, name) == value)
    return list(db.session.scalars(query))


def test_a_round_proposes_a_volunteer_with_its_explanation(market, outbox):
    round_ = rounds.run_round(market.scheme)
    assert round_.status == RoundStatus.DONE, round_.error
    [proposal] = _proposals()
    assert proposal.employee in market.employees
    assert proposal.need == market.needs[0]
    assert proposal.lender_firm_id == market.lender.id
    assert proposal.host_firm_id == market.host.id
    assert proposal.status == ProposalStatus.PENDING
    assert (proposal.skills_met, proposal.skills_asked) == (1, 1)
    assert proposal.distance_km == 0.0
    assert proposal.dates_score == 1.0
    assert 0 < proposal.score <= 1
    assert proposal.expires_at - proposal.created_at == timedelta(days=7)
    assert (round_.employees, round_.needs, round_.positions, round_.proposals_count) == (
        2,
        1,
        1,
        1,
    )
    # the proposed employee and both HR managers hear of it; the other volunteer does not
    recipients = sorted(m.to[0] for m in outbox)
    assert recipients == sorted(
        [proposal.employee.user.email, market.lender_hr.email, market.host_hr.email]
    )


def test_the_unmatched_need_gets_its_reason(market, make_need):
    far = make_need(market.host, commune_insee="47157", positions=1)  # Marmande, 49 km
    round_ = rounds.run_round(market.scheme)
    reasons = {u.need_id: u.reason for u in round_.unmatched_needs}
    assert reasons == {far.id: "no_one_in_commute"}


def test_only_consenting_confirmed_volunteers_of_approved_firms_are_matched(
    market, make_firm, make_enrolment, make_employee
):
    for employee in market.employees:
        employee.consent_given_at = None
    pending_firm = make_firm("Candidate", naf="25.62A")
    make_enrolment(pending_firm, market.scheme, EnrolmentStatus.PENDING)
    make_employee(pending_firm, consent=True)
    make_employee(market.lender, consent=True, confirmed=False)
    make_employee(market.lender, consent=True, gross_salary_cents=None)
    db.session.commit()
    round_ = rounds.run_round(market.scheme)
    assert round_.status == RoundStatus.DONE
    assert round_.employees == 0
    assert _proposals() == []


def test_an_employees_sector_choice_is_respected(market):
    for employee in market.employees:
        employee.accepted_sectors = "A"  # agriculture only; the host is in section C
    db.session.commit()
    round_ = rounds.run_round(market.scheme)
    assert _proposals() == []
    assert [u.reason for u in round_.unmatched_needs] == ["excluded"]


def test_live_proposals_are_kept_and_hold_their_position(market, make_need):
    first = rounds.run_round(market.scheme)
    [kept] = _proposals()
    second_need = make_need(market.host, positions=1)
    second = rounds.run_round(market.scheme)
    assert second.status == RoundStatus.DONE
    assert second.kept == 1
    new = _proposals(round_id=second.id)
    # the held employee is not proposed again; the other one takes the new need
    assert [(p.employee_id, p.need_id) for p in new] == [
        (next(e.id for e in market.employees if e.id != kept.employee_id), second_need.id)
    ]
    assert db.session.get(Proposal, kept.id).status == ProposalStatus.PENDING
    assert first.id != second.id


def test_a_refused_pair_is_never_proposed_again(market):
    rounds.run_round(market.scheme)
    [first] = _proposals()
    first.status = ProposalStatus.REFUSED
    db.session.commit()
    rounds.run_round(market.scheme)
    live = _proposals(status=ProposalStatus.PENDING)
    assert [p.employee_id for p in live] != [first.employee_id]
    assert len(live) == 1  # the other volunteer gets the position


def test_expired_proposals_free_both_sides_at_the_next_round(market):
    rounds.run_round(market.scheme)
    [first] = _proposals()
    first.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    rounds.run_round(market.scheme)
    db.session.refresh(first)
    assert first.status == ProposalStatus.EXPIRED
    [new] = _proposals(status=ProposalStatus.PENDING)
    assert new.employee_id != first.employee_id


def test_one_round_at_a_time_per_scheme(market):
    rounds.open_round(market.scheme, None, "command")
    uow.commit()
    with pytest.raises(ServiceError, match="déjà en cours"):
        rounds.open_round(market.scheme, None, "command")
    uow.rollback()
    # the database itself refuses a second running row
    db.session.add(MatchingRound(scheme_id=market.scheme.id, trigger="command"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_killed_round_does_not_block_the_next(market):
    stale = rounds.open_round(market.scheme, None, "command")
    uow.commit()
    stale.heartbeat_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    round_ = rounds.run_round(market.scheme)
    assert round_.status == RoundStatus.DONE
    db.session.refresh(stale)
    assert stale.status == RoundStatus.FAILED
    assert "interrompu" in stale.error


def test_a_failing_engine_leaves_no_proposal(market, monkeypatch):
    def broken(*args):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(rounds, "compute", broken)
    round_ = rounds.run_round(market.scheme)
    assert round_.status == RoundStatus.FAILED
    assert "aucune proposition" in round_.error
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
    assert rounds.running(market.scheme) is None  # the slot is free again


def test_a_write_failure_rolls_the_whole_round_back(market, monkeypatch):
    from lending.services.rounds import writer as round_writer

    real = round_writer.write

    def write_then_fail(*args):
        real(*args)
        raise RuntimeError("disk full")

    monkeypatch.setattr(round_writer, "write", write_then_fail)
    round_ = rounds.run_round(market.scheme)
    assert round_.status == RoundStatus.FAILED
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
    assert round_.unmatched_needs == []


def test_past_needs_and_past_availability_are_left_out(market):
    market.needs[0].start_date, market.needs[0].end_date = date(2020, 1, 1), date(2020, 2, 1)
    db.session.commit()
    round_ = rounds.run_round(market.scheme)
    assert (round_.needs, round_.proposals_count) == (0, 0)


def test_a_consent_withdrawn_while_the_engine_works_gets_no_proposal(market, monkeypatch):
    real = rounds.compute

    def withdraw_meanwhile(*args):
        output = real(*args)
        for employee in market.employees:
            employee.consent_given_at = None  # both withdraw during the solve
        return output

    monkeypatch.setattr(rounds, "compute", withdraw_meanwhile)
    round_ = rounds.run_round(market.scheme)
    assert round_.status == RoundStatus.DONE
    assert round_.proposals_count == 0
    assert _proposals() == []


def test_an_abandoned_agreement_pair_is_not_proposed_again(market, accepted):
    from lending.services.deals import agreements

    agreements.abandon(accepted, accepted.employee.user)
    uow.commit()
    rounds.run_round(market.scheme)
    live = _proposals(status=ProposalStatus.PENDING)
    assert [p.employee_id for p in live] != [accepted.employee_id]


def test_a_round_judges_availability_on_the_french_calendar_date(market):
    """At 23:30 UTC on 31 December it is already 1 January in France: an employee available
    until 31 December is no longer available."""
    from datetime import datetime

    for employee in market.employees:
        employee.available_from, employee.available_until = date(2026, 12, 1), date(2026, 12, 31)
    db.session.commit()
    round_ = rounds.run_round(market.scheme, now=datetime(2026, 12, 31, 23, 30))
    assert round_.status == RoundStatus.DONE, round_.error
    assert round_.employees == 0
    assert _proposals() == []
