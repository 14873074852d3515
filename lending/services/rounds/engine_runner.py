"""Run the matching engine in a worker process, under a time limit.

scipy and OR-Tools solver calls cannot be interrupted from Python, so the limit is enforced
from outside: the engine runs in a spawned process that is killed when time is up. The
worker imports no database code and receives plain engine inputs.
"""

import multiprocessing
import time
import traceback
from dataclasses import dataclass

from lending.matching import (
    Employees,
    Exclusions,
    Locked,
    MatchResult,
    Needs,
    Weights,
    explain_unmatched,
    match,
)


class EngineTimeoutError(Exception):
    """The engine did not finish within the round's time limit."""


class EngineFailedError(Exception):
    """The engine raised, or its process died; the message holds the worker's trace."""


@dataclass(frozen=True)
class EngineOutput:
    result: MatchResult
    reasons: dict[int, str]  # unmatched need id -> reason code


def compute(
    employees: Employees,
    needs: Needs,
    exclusions: Exclusions,
    weights: Weights,
    locked: Locked,
) -> EngineOutput:
    """The engine's answer and, for every need left with open positions, the main reason."""
    result = match(employees, needs, exclusions, weights, locked=locked)
    reasons = explain_unmatched(
        employees, needs, exclusions, weights, result.unmatched_need_ids.tolist()
    )
    return EngineOutput(result, reasons)


def _worker(conn, function, args) -> None:
    try:
        conn.send(("ok", function(*args)))
    except BaseException:  # the parent needs the trace, whatever happened
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


HEARTBEAT_S = 20.0


def compute_in_worker(
    args: tuple, time_limit_s: float, on_wait=None, function=compute
) -> EngineOutput:
    """`function(*args)` in a fresh process; raises EngineTimeoutError or EngineFailedError.
    `function` must be importable by name (the process is spawned).

    `on_wait()` is called every HEARTBEAT_S seconds while the engine works (the round uses
    it to show it is alive)."""
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(writer, function, args), name="matching-engine")
    process.start()
    writer.close()
    answered = False
    try:
        deadline = time.monotonic() + time_limit_s
        while not reader.poll(max(0.0, min(HEARTBEAT_S, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                raise EngineTimeoutError(f"no answer within {time_limit_s:g} s")
            if on_wait is not None:
                on_wait()
        try:
            status, payload = reader.recv()
        except EOFError:
            raise EngineFailedError("the engine process died without an answer") from None
        answered = True
    finally:
        process.join(timeout=10 if answered else 0)
        if process.is_alive():
            process.kill()
            process.join()
        reader.close()
    if status != "ok":
        raise EngineFailedError(payload)
    return payload
