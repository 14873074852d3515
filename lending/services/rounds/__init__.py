"""Matching rounds: claim the scheme's slot, snapshot, solve in a worker, write proposals.

A round is started by `open_round` (the caller commits: the running row is the claim; a
second one for the same scheme hits the partial unique index) and carried out by
`execute_round`, which owns its transactions: the stage is committed as it moves on, the
proposals and final figures in one last commit, or nothing but the failure if anything
goes wrong. Rounds from the site and the schedule are tasks of the worker process
(`run_task`); when a worker dies, its task's heartbeat stops and `reap` fails the round,
freeing the scheme. A round run by a command beats its own heartbeat; the next round of its scheme
fails it once that is STALE_AFTER old (`fail_stale`).
"""

import logging
import time
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from lending.extensions import db
from lending.models import MatchingRound, Need, RoundStatus, Scheme, Task, TaskStatus, UnmatchedNeed
from lending.models._time import local_date, utcnow
from lending.models.proposal import UNMATCHED_REASON_LABELS
from lending.services import audit, proposals, tasks, uow
from lending.services.errors import ServiceError
from lending.services.rounds import snapshot as round_snapshot
from lending.services.rounds import writer as round_writer
from lending.services.rounds.engine_runner import (
    EngineFailedError,
    EngineTimeoutError,
    compute,
    compute_in_worker,
)

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=5)  # without heartbeat: the round's process is gone


def latest(scheme: Scheme, limit: int = 20) -> list[MatchingRound]:
    return list(
        db.session.scalars(
            select(MatchingRound)
            .where(MatchingRound.scheme_id == scheme.id)
            .order_by(MatchingRound.started_at.desc(), MatchingRound.id.desc())
            .limit(limit)
        )
    )


def unmatched(round_: MatchingRound, limit: int = 100):
    """The needs a round left open: (reason label, needs, open positions) per reason, how
    many needs in all, and the first `limit` of them with their need and firm — in three
    queries, however many there are."""
    by_reason = db.session.execute(
        select(UnmatchedNeed.reason, func.count(), func.sum(UnmatchedNeed.open_positions))
        .where(UnmatchedNeed.round_id == round_.id)
        .group_by(UnmatchedNeed.reason)
        .order_by(UnmatchedNeed.reason)
    ).all()
    first = db.session.scalars(
        select(UnmatchedNeed)
        .where(UnmatchedNeed.round_id == round_.id)
        .options(joinedload(UnmatchedNeed.need).joinedload(Need.firm))
        .order_by(UnmatchedNeed.need_id)
        .limit(limit)
    ).all()
    reasons = [
        (UNMATCHED_REASON_LABELS.get(reason, reason), needs, positions)
        for reason, needs, positions in by_reason
    ]
    return reasons, sum(needs for _label, needs, _positions in reasons), first


def running(scheme: Scheme) -> MatchingRound | None:
    return db.session.scalar(
        select(MatchingRound).where(
            MatchingRound.scheme_id == scheme.id, MatchingRound.status == RoundStatus.RUNNING
        )
    )


def _interrupt(condition, now: datetime) -> int:
    result = db.session.execute(
        update(MatchingRound)
        .where(MatchingRound.status == RoundStatus.RUNNING, condition)
        .values(
            status=RoundStatus.FAILED,
            stage="failed",
            finished_at=now,
            error=_("Tour interrompu : son processus s'est arrêté sans terminer."),
        )
        .execution_options(synchronize_session=False)
    )
    return uow.rowcount(result)


def fail_stale(scheme: Scheme, now: datetime) -> int:
    """Mark as failed the running rounds of `scheme` whose process stopped: a command's
    round without heartbeat for STALE_AFTER, a task's round whose task is over."""
    over = select(Task.id).where(Task.status.in_((TaskStatus.DONE, TaskStatus.FAILED)))
    return _interrupt(
        (MatchingRound.scheme_id == scheme.id)
        & or_(
            MatchingRound.task_id.is_(None) & (MatchingRound.heartbeat_at < now - STALE_AFTER),
            MatchingRound.task_id.in_(over),
        ),
        now,
    )


def reap(now: datetime) -> int:
    """Fail the tasks of dead workers and the rounds they carried (the caller commits)."""
    dead = tasks.reap(now)
    if dead:
        _interrupt(MatchingRound.task_id.in_(dead), now)
    return len(dead)


def open_round(
    scheme: Scheme, actor, trigger: str, now: datetime | None = None, task: Task | None = None
) -> MatchingRound:
    """Claim the scheme's round slot; raises ServiceError when a round is already running.
    `task`: the worker's task that will carry it out."""
    now = now or utcnow()
    reap(now)
    fail_stale(scheme, now)
    round_ = MatchingRound(
        scheme_id=scheme.id,
        task_id=getattr(task, "id", None),
        trigger=trigger,
        started_by_id=getattr(actor, "id", None),
        started_at=now,
        heartbeat_at=now,
        stage="queued",
    )
    db.session.add(round_)
    uow.flush_or_refuse(_("Un tour de rapprochement est déjà en cours pour ce dispositif."))
    audit.record("round.started", actor, round_)
    return round_


def _beat(round_: MatchingRound, stage: str | None = None) -> None:
    round_.heartbeat_at = utcnow()
    if stage:
        round_.stage = stage
    db.session.commit()


def execute_round(round_id: int, now: datetime | None = None) -> MatchingRound:
    """Carry out an opened round to `done` or `failed`; commits. Never raises for a failure
    of the round itself: the error is stored on the round row and logged."""
    now = now or utcnow()
    round_ = db.session.get_one(MatchingRound, round_id)
    scheme = round_.scheme
    try:
        proposals.expire_due(now)
        _beat(round_, "snapshot")
        t0 = time.perf_counter()
        snapshot = round_snapshot.take(scheme, local_date(now))
        t1 = time.perf_counter()
        _beat(round_, "solving")
        output = _solve(snapshot, scheme, on_wait=lambda: _beat(round_))
        t2 = time.perf_counter()
        round_.stage = "writing"
        written = round_writer.write(round_, scheme, snapshot, output, now)
        round_.seconds_snapshot, round_.seconds_engine = t1 - t0, t2 - t1
        round_.seconds_write = time.perf_counter() - t2
        round_.status, round_.stage, round_.finished_at = RoundStatus.DONE, "done", utcnow()
        audit.record("round.done", None, round_)
        uow.commit()
        log.info("round %s of scheme %s: %s proposals", round_id, scheme.id, written)
    except Exception as exc:
        uow.rollback()
        log.exception("round %s of scheme %s failed", round_id, scheme.id)
        _mark_failed(round_id, _failure_message(exc, scheme))
    return db.session.get_one(MatchingRound, round_id)


def _failure_message(exc: Exception, scheme: Scheme) -> str:
    if isinstance(exc, EngineTimeoutError):
        return _(
            "Le calcul a dépassé la limite de %(n)d secondes fixée pour ce dispositif.",
            n=scheme.round_time_limit_s,
        )
    if isinstance(exc, EngineFailedError):
        return _("Le calcul des rapprochements a échoué. L'erreur a été journalisée.")
    if isinstance(exc, ServiceError):
        return exc.message
    return _(
        "Le tour a échoué ; aucune proposition n'a été enregistrée. L'erreur a été journalisée."
    )


def _mark_failed(round_id: int, message: str) -> None:
    round_ = db.session.get_one(MatchingRound, round_id)
    round_.status, round_.stage = RoundStatus.FAILED, "failed"
    round_.finished_at, round_.error = utcnow(), message
    audit.record("round.failed", None, round_)
    db.session.commit()


def _solve(snapshot, scheme: Scheme, on_wait=None):
    """The engine's output for `snapshot`: in a worker process under the scheme's time limit
    (MATCHING_IN_WORKER), else in this process."""
    args = (
        snapshot.employees,
        snapshot.needs,
        snapshot.exclusions,
        snapshot.weights,
        snapshot.locked,
    )
    if current_app.config["MATCHING_IN_WORKER"]:
        return compute_in_worker(args, scheme.round_time_limit_s, on_wait=on_wait)
    return compute(*args)


def preview(scheme: Scheme, now: datetime | None = None):
    """What a round would propose now, written nowhere: (snapshot, engine output)."""
    now = now or utcnow()
    snapshot = round_snapshot.take(scheme, local_date(now))
    return snapshot, _solve(snapshot, scheme)


def run_round(
    scheme: Scheme, actor=None, trigger: str = "command", now: datetime | None = None
) -> MatchingRound:
    """Open and carry out a round in this process (command line, scheduler); raises
    ServiceError when a round of the scheme is already running."""
    round_ = open_round(scheme, actor, trigger, now)
    uow.commit()
    return execute_round(round_.id, now)


def start_from_site(scheme: Scheme, actor) -> MatchingRound:
    """Open a round and queue its task (the caller commits, then `tasks.kick`s it)."""
    task = tasks.enqueue("round", {}, actor=actor)
    db.session.flush()
    round_ = open_round(scheme, actor, "site", task=task)
    task.payload = {"round_id": round_.id}
    return round_


def run_task(task: Task, progress) -> dict:
    """The worker's handler of a "round" task: the round opened by the site, or a
    scheduled round of a scheme, opened here; deferred while the scheme's round runs."""
    round_id = task.payload.get("round_id")
    if round_id is None:
        scheme = db.session.get(Scheme, task.payload["scheme_id"])
        if scheme is None:
            return {"skipped": "scheme deleted"}
        try:
            round_id = open_round(
                scheme, None, task.payload.get("trigger", "schedule"), task=task
            ).id
        except ServiceError:
            raise tasks.DeferError() from None
        uow.commit()
    round_ = execute_round(round_id)
    return {"round_id": round_id, "status": round_.status.value}
