"""Scheduled jobs claim their slot: a second scheduler or a re-run does nothing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select, update

from lending import jobs, worker
from lending.extensions import db
from lending.models import MatchingRound, Proposal, ProposalStatus, RoundStatus, Scheme
from lending.scheduler import build_scheduler, next_run_times, sync_schemes

NOW = datetime(2026, 11, 30, 5, 0)  # a Monday, 6 h in Paris (past: its tasks are due)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_scheduled_round_runs_once_per_slot(app, market):
    jobs.scheduled_round(market.scheme.id, NOW)
    jobs.scheduled_round(market.scheme.id, NOW + timedelta(seconds=20))  # same minute
    assert worker.run(app, burst=True) == 1  # the scheduler queues, a worker runs it
    assert _count(MatchingRound) == 1
    round_ = db.session.scalar(select(MatchingRound))
    assert (round_.status, round_.trigger) == (RoundStatus.DONE, "schedule")
    jobs.scheduled_round(market.scheme.id, NOW + timedelta(days=1))  # another slot
    worker.run(app, burst=True)
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


def _next(app, job_id: str, now: datetime) -> datetime:
    return dict(next_run_times(app, now))[job_id]


def test_weekdays_have_their_standard_meaning(app, market, make_scheme):
    sunday = make_scheme(matching_cron="0 6 * * 7")
    thursday = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    monday_run = _next(app, f"round:{market.scheme.id}", thursday)  # "0 6 * * 1"
    assert monday_run.isoformat() == "2026-12-07T06:00:00+01:00"
    assert monday_run.strftime("%A") == "Monday"
    assert _next(app, f"round:{sunday.id}", thursday).isoformat() == "2026-12-06T06:00:00+01:00"
    # what the running scheduler will do: the same trigger
    job = build_scheduler(app).get_job(f"round:{market.scheme.id}")
    assert job.trigger.get_next_fire_time(None, thursday).weekday() == 0


def test_a_bad_schedule_in_the_database_is_logged_and_the_rest_runs(
    app, market, make_scheme, caplog
):
    bad = make_scheme(matching_cron="0 6 31 2 *")  # valid fields, never comes round
    db.session.execute(
        update(Scheme).where(Scheme.id == market.scheme.id).values(matching_cron="0 6 * * 8")
    )
    good = make_scheme(matching_cron="0 6 * * 1")
    db.session.commit()
    scheduler = build_scheduler(app)
    ids = {job.id for job in scheduler.get_jobs()}
    assert f"round:{good.id}" in ids
    assert "expire-proposals" in ids
    assert not {f"round:{bad.id}", f"round:{market.scheme.id}"} & ids
    assert "0 6 * * 8" in caplog.text
    assert "0 6 31 2 *" in caplog.text


def test_the_jobs_command_prints_each_job_and_its_next_run(app, market):
    result = app.test_cli_runner().invoke(args=["lending", "jobs"])
    assert result.exit_code == 0
    lines = dict(line.split(" ") for line in result.output.splitlines())
    assert {"expire-proposals", "advance-loans", "issue-statements"} <= set(lines)
    run = datetime.fromisoformat(lines[f"round:{market.scheme.id}"])
    paris = run.astimezone(ZoneInfo("Europe/Paris"))
    assert (paris.strftime("%A"), paris.hour, paris.minute) == ("Monday", 6, 0)
    assert run.utcoffset() is not None


def test_sign_ups_never_confirmed_are_purged_daily(app, client, outbox):
    from lending.models import PendingSignup
    from tests.web.test_registration import _register

    _register(client)
    _register(client, email="autre@conserverie.example.fr")
    stale = db.session.scalars(select(PendingSignup)).all()
    assert len(stale) == 2
    stale[0].expires_at = NOW - timedelta(minutes=1)
    stale[1].expires_at = NOW + timedelta(hours=1)
    db.session.commit()
    assert jobs.purge_signups(NOW) == 1
    assert jobs.purge_signups(NOW) == 0  # slot already claimed
    assert [p.email for p in db.session.scalars(select(PendingSignup))] == [stale[1].email]
