"""The task queue: rounds queued by the site and the scheduler, carried out by workers; a
dead worker's round frees its scheme, and the slot it blocked runs once afterwards."""

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from lending import jobs, worker
from lending.extensions import db
from lending.models import MatchingRound, RoundStatus, Task, TaskStatus
from lending.models._time import utcnow
from lending.services import rounds, tasks, uow

MONDAY = datetime(2026, 11, 30, 5, 0)  # 6 h in Paris


def _rounds() -> list[MatchingRound]:
    db.session.expire_all()
    return list(db.session.scalars(select(MatchingRound).order_by(MatchingRound.id)))


def _task(task_id: int) -> Task:
    db.session.expire_all()
    return db.session.get(Task, task_id)


def _round_taken_by_a_worker(market, name: str = "other-machine:42") -> MatchingRound:
    """A round started from the site, taken by another worker that is now working on it."""
    round_ = rounds.start_from_site(market.scheme, market.lender_hr)
    uow.commit()
    assert tasks.claim_next(name, utcnow()) == round_.task_id
    return round_


def test_a_killed_worker_frees_its_scheme_and_the_blocked_slot_runs_once(app, market):
    blocking = _round_taken_by_a_worker(market)
    jobs.scheduled_round(market.scheme.id, MONDAY)
    jobs.scheduled_round(market.scheme.id, MONDAY + timedelta(hours=1))  # a second slot
    queued = db.session.scalars(select(Task).where(Task.status == TaskStatus.QUEUED)).all()
    assert len(queued) == 1  # both slots wait as one task

    # The scheme is busy: the worker puts the scheduled round back in the queue.
    assert worker.run(app, burst=True) == 1
    assert [r.status for r in _rounds()] == [RoundStatus.RUNNING]
    assert _task(queued[0].id).status == TaskStatus.QUEUED

    # The other worker was killed: no heartbeat for a minute, its round fails.
    a_minute_later = utcnow() + tasks.DEAD_AFTER + timedelta(seconds=1)
    assert worker.reap(a_minute_later) == 1
    failed = _rounds()[0]
    assert (failed.id, failed.status) == (blocking.id, RoundStatus.FAILED)
    assert "interrompu" in failed.error
    assert _task(blocking.task_id).status == TaskStatus.FAILED

    # Once its delay is over, the scheduled round runs, once.
    db.session.execute(update(Task).where(Task.id == queued[0].id).values(run_after=utcnow()))
    db.session.commit()
    worker.run(app, burst=True)
    worker.run(app, burst=True)
    assert [(r.trigger, r.status) for r in _rounds()] == [
        ("site", RoundStatus.FAILED),
        ("schedule", RoundStatus.DONE),
    ]
    assert _task(queued[0].id).status == TaskStatus.DONE


def test_a_live_worker_is_not_reaped(app, market):
    _round_taken_by_a_worker(market)
    assert worker.reap(utcnow() + tasks.DEAD_AFTER - timedelta(seconds=5)) == 0
    assert _rounds()[0].status == RoundStatus.RUNNING


def test_the_site_frees_a_scheme_whose_worker_died_even_without_any_worker(app, market):
    blocking = _round_taken_by_a_worker(market)
    db.session.execute(
        update(Task)
        .where(Task.id == blocking.task_id)
        .values(heartbeat_at=utcnow() - timedelta(minutes=2))
    )
    db.session.commit()
    second = rounds.start_from_site(market.scheme, market.lender_hr)  # no ServiceError
    uow.commit()
    assert [r.status for r in _rounds()] == [RoundStatus.FAILED, RoundStatus.RUNNING]
    assert second.stage == "queued"


def test_each_task_is_taken_once(app, market):
    for _ in range(3):
        tasks.enqueue("round", {"scheme_id": market.scheme.id})
    uow.commit()
    taken = [tasks.claim_next(name, utcnow()) for name in ("a", "b", "c", "d")]
    assert taken[:3] == sorted(db.session.scalars(select(Task.id)))
    assert taken[3] is None
    assert db.session.scalar(select(func.max(Task.attempts))) == 1
