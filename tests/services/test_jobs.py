"""Scheduled jobs claim their slot: a second scheduler or a re-run does nothing."""

from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from lending import jobs
from lending.extensions import db
from lending.models import MatchingRound, Proposal, ProposalStatus, RoundStatus
from lending.scheduler import sync_schemes

NOW = datetime(2026, 12, 7, 5, 0)  # a Monday, 6 h in Paris


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_scheduled_round_runs_once_per_slot(market):
    jobs.scheduled_round(market.scheme.id, NOW)
    jobs.scheduled_round(market.scheme.id, NOW + timedelta(seconds=20))  # same minute
    assert _count(MatchingRound) == 1
    round_ = db.session.scalar(select(MatchingRound))
    assert (round_.status, round_.trigger) == (RoundStatus.DONE, "schedule")
    jobs.scheduled_round(market.scheme.id, NOW + timedelta(days=7))  # next week's slot
    assert _count(MatchingRound) == 2


def test_expiry_job_marks_overdue_proposals(market, make_proposal):
    proposal = make_proposal(market.scheme, market.employees[0], market.needs[0])
    proposal.expires_at = NOW - timedelta(hours=1)
    db.session.commit()
    assert jobs.expire_proposals(NOW) == 1
    assert jobs.expire_proposals(NOW) == 0  # slot already claimed
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.EXPIRED
    assert _count(Proposal) == 1


def test_the_scheduler_follows_the_schemes_crons(app, market, make_scheme, request):
    scheduler = BackgroundScheduler(timezone="Europe/Paris")
    scheduler.start(paused=True)  # jobs are stored (and replaced) as in the real process
    request.addfinalizer(scheduler.shutdown)
    sync_schemes(app, scheduler)
    job = scheduler.get_job(f"round:{market.scheme.id}")
    assert job is not None
    assert "0 6 * * 1" in job.name
    other = make_scheme(matching_cron="30 7 * * 3")
    market.scheme.matching_cron = "0 5 * * 2"
    db.session.commit()
    sync_schemes(app, scheduler)
    assert "0 5 * * 2" in scheduler.get_job(f"round:{market.scheme.id}").name
    assert scheduler.get_job(f"round:{other.id}") is not None
    db.session.delete(other)
    db.session.commit()
    sync_schemes(app, scheduler)
    assert scheduler.get_job(f"round:{other.id}") is None
