"""Matching rounds: claim the scheme's slot, snapshot, solve in a worker, write proposals.

A round is started by `open_round` (the caller commits: the running row is the claim; a
second one for the same scheme hits the partial unique index) and carried out by
`execute_round`, which owns its transactions: the stage is committed as it moves on, the
proposals and final figures in one last commit, or nothing but the failure if anything
goes wrong. A round whose process was killed stops receiving heartbeats and is marked
failed by the next round of its scheme, so it never blocks it.
"""

import logging
import threading
import time
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from lending.extensions import db
from lending.models import MatchingRound, RoundStatus, Scheme
from lending.models._time import utcnow
from lending.services import audit, proposals, round_snapshot, round_writer, uow
from lending.services.engine_runner import (
    EngineFailedError,
    EngineTimeoutError,
    compute,
    compute_in_worker,
)
from lending.services.errors import ServiceError

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


def running(scheme: Scheme) -> MatchingRound | None:
    return db.session.scalar(
        select(MatchingRound).where(
            MatchingRound.scheme_id == scheme.id, MatchingRound.status == RoundStatus.RUNNING
        )
    )


def fail_stale(scheme: Scheme, now: datetime) -> int:
    """Mark as failed the running rounds of `scheme` whose process stopped beating."""
    result = db.session.execute(
        update(MatchingRound)
        .where(
            MatchingRound.scheme_id == scheme.id,
            MatchingRound.status == RoundStatus.RUNNING,
            MatchingRound.heartbeat_at < now - STALE_AFTER,
        )
        .values(
            status=RoundStatus.FAILED,
            stage="failed",
            finished_at=now,
            error=_("Tour interrompu : son processus s'est arrêté sans terminer."),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def open_round(scheme: Scheme, actor, trigger: str, now: datetime | None = None) -> MatchingRound:
    """Claim the scheme's round slot; raises ServiceError when a round is already running."""
    now = now or utcnow()
    fail_stale(scheme, now)
    round_ = MatchingRound(
        scheme_id=scheme.id,
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
    round_ = db.session.get(MatchingRound, round_id)
    scheme = round_.scheme
    try:
        proposals.expire_due(now)
        _beat(round_, "snapshot")
        t0 = time.perf_counter()
        snapshot = round_snapshot.take(scheme, now.date())
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
    return db.session.get(MatchingRound, round_id)


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
    round_ = db.session.get(MatchingRound, round_id)
    round_.status, round_.stage = RoundStatus.FAILED, "failed"
    round_.finished_at, round_.error = utcnow(), message
    audit.record("round.failed", None, round_)
    db.session.commit()


def _solve(snapshot, scheme: Scheme, on_wait=None):
    """The engine's output for `snapshot`: in a worker process under the scheme's time limit
    (MATCHING_IN_WORKER), else in this process."""
    args = (snapshot.employees, snapshot.needs, snapshot.exclusions, snapshot.weights,
            snapshot.locked)  # fmt: skip
    if current_app.config["MATCHING_IN_WORKER"]:
        return compute_in_worker(args, scheme.round_time_limit_s, on_wait=on_wait)
    return compute(*args)


def preview(scheme: Scheme, now: datetime | None = None):
    """What a round would propose now, written nowhere: (snapshot, engine output)."""
    now = now or utcnow()
    snapshot = round_snapshot.take(scheme, now.date())
    return snapshot, _solve(snapshot, scheme)


def run_round(
    scheme: Scheme, actor=None, trigger: str = "command", now: datetime | None = None
) -> MatchingRound:
    """Open and carry out a round in this process (command line, scheduler); raises
    ServiceError when a round of the scheme is already running."""
    round_ = open_round(scheme, actor, trigger, now)
    uow.commit()
    return execute_round(round_.id)


_background: list[threading.Thread] = []


def launch(round_id: int) -> None:
    """Carry out an opened (and committed) round outside the request: in a background
    thread of this process, with its own app context and database session. The engine
    itself runs in a worker process (MATCHING_IN_WORKER), so the time limit holds."""
    app = current_app._get_current_object()
    if not app.config["ROUNDS_IN_BACKGROUND"]:
        execute_round(round_id)
        return

    def target() -> None:
        with app.app_context():
            try:
                execute_round(round_id)
            finally:
                db.session.remove()

    thread = threading.Thread(target=target, name=f"matching-round-{round_id}", daemon=True)
    _background[:] = [t for t in _background if t.is_alive()]
    _background.append(thread)
    thread.start()


def wait_for_background(timeout: float = 120.0) -> None:
    """Wait for the rounds started by `launch` in this process (tests, shutdown)."""
    for thread in list(_background):
        thread.join(timeout)
