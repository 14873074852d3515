"""Pure matching engine (numpy/scipy only): feasible pairs, scores, optimal assignment.

`match(employees, needs, exclusions, weights)` returns a `MatchResult` keyed by ids.
"""

from __future__ import annotations

import time

import numpy as np

from .pairs import feasible_pairs
from .score import SCALE, score_pairs
from .solve import assign
from .types import (
    COMPONENTS,
    Employees,
    Exclusions,
    MatchResult,
    MatchStatistics,
    Needs,
    Weights,
)

__all__ = [
    "COMPONENTS",
    "SCALE",
    "Employees",
    "Exclusions",
    "MatchResult",
    "MatchStatistics",
    "Needs",
    "Weights",
    "match",
]


def _rate(matched: np.ndarray, group: np.ndarray) -> float:
    return float(matched[group].mean()) if group.any() else 0.0


def match(
    employees: Employees,
    needs: Needs,
    exclusions: Exclusions | None = None,
    weights: Weights | None = None,
) -> MatchResult:
    weights = weights or Weights()
    exclusions = exclusions or Exclusions()
    t0 = time.perf_counter()
    pairs = feasible_pairs(employees, needs, exclusions, weights.min_date_coverage)
    scores = score_pairs(employees, needs, pairs, weights)
    t1 = time.perf_counter()
    chosen, n_components = assign(
        len(employees), len(needs), pairs.emp, pairs.need, scores.profit, needs.positions
    )
    t2 = time.perf_counter()
    e, n = pairs.emp[chosen], pairs.need[chosen]
    matched = np.zeros(len(employees), bool)
    matched[e] = True
    remaining = needs.positions - np.bincount(n, minlength=len(needs))
    open_needs = np.flatnonzero(remaining > 0)
    at_risk = employees.at_risk
    stats = MatchStatistics(
        employees=len(employees),
        needs=len(needs),
        positions=int(needs.positions.sum()),
        feasible_pairs=len(pairs),
        matched=len(chosen),
        total_score=int(scores.int_score[chosen].sum()),
        objective=int(scores.profit[chosen].sum()),
        match_rate_at_risk=_rate(matched, at_risk),
        match_rate_others=_rate(matched, ~at_risk),
        components=n_components,
        seconds_pairs=t1 - t0,
        seconds_solve=t2 - t1,
    )
    return MatchResult(
        employee_ids=employees.ids[e],
        need_ids=needs.ids[n],
        score=scores.score[chosen],
        int_score=scores.int_score[chosen],
        components=scores.components[chosen],
        unmatched_employee_ids=employees.ids[~matched],
        unmatched_need_ids=needs.ids[open_needs],
        remaining_positions=remaining[open_needs],
        stats=stats,
    )
