"""The engine in its own process: an answer, a time limit enforced from outside, a crash."""

import time

import pytest
from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Proposal, RoundStatus
from lending.services import rounds
from lending.services.rounds import engine_runner


def test_a_round_computed_in_a_worker_process(app, market):
    app.config["MATCHING_IN_WORKER"] = True
    try:
        round_ = rounds.run_round(market.scheme)
    finally:
        app.config["MATCHING_IN_WORKER"] = False
    assert round_.status == RoundStatus.DONE, round_.error
    assert round_.proposals_count == 1


def test_the_time_limit_kills_the_worker():
    started = time.monotonic()
    with pytest.raises(engine_runner.EngineTimeoutError):
        engine_runner.compute_in_worker((30,), 1.0, function=time.sleep)
    assert time.monotonic() - started < 15


def test_a_crash_in_the_worker_is_reported_with_its_trace():
    with pytest.raises(engine_runner.EngineFailedError, match="ValueError"):
        engine_runner.compute_in_worker(("not a number",), 30, function=int)


def test_a_round_over_its_time_limit_fails_cleanly(app, market, monkeypatch):
    def too_slow(args, limit, on_wait=None):
        raise engine_runner.EngineTimeoutError("no answer")

    monkeypatch.setattr(rounds, "compute_in_worker", too_slow)
    app.config["MATCHING_IN_WORKER"] = True
    try:
        round_ = rounds.run_round(market.scheme)
    finally:
        app.config["MATCHING_IN_WORKER"] = False
    assert round_.status == RoundStatus.FAILED
    assert "limite de 300 secondes" in round_.error
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
