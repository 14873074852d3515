"""Pure matching engine (numpy, scipy, OR-Tools): feasible pairs, scores, optimal assignment.

`match(employees, needs, exclusions, weights, locked)` returns a `MatchResult` keyed by ids;
`explain_unmatched(...)` tells why needs kept open positions (codes in UNMATCHED_REASONS);
`great_circle_km(...)` is the engine's distance, for those who show it.
"""

from __future__ import annotations

import time

import numpy as np

from .explain import UNMATCHED_REASONS, explain_unmatched
from .pairs import check_skill_columns, feasible_pairs, great_circle_km, rows_of
from .score import SCALE, score_pairs
from .solve import METHODS, SolveError, assign
from .types import (
    COMPONENTS,
    Employees,
    Exclusions,
    Locked,
    MatchResult,
    MatchStatistics,
    Needs,
    Weights,
)

__all__ = [
    "COMPONENTS",
    "METHODS",
    "SCALE",
    "UNMATCHED_REASONS",
    "Employees",
    "Exclusions",
    "Locked",
    "MatchResult",
    "MatchStatistics",
    "Needs",
    "SolveError",
    "Weights",
    "explain_unmatched",
    "great_circle_km",
    "match",
]


def _rate(matched: np.ndarray, group: np.ndarray) -> float:
    return float(matched[group].mean()) if group.any() else 0.0


def _apply_locked(
    employees: Employees, needs: Needs, locked: Locked
) -> tuple[np.ndarray, np.ndarray, int]:
    """Locked employees (mask), positions left per need, and the number of locked pairs
    whose need is known."""
    e, e_known = rows_of(employees.ids, locked.employee_ids)
    is_locked = np.zeros(len(employees), bool)
    is_locked[e[e_known]] = True
    n, n_known = rows_of(needs.ids, locked.need_ids)
    taken = np.bincount(n[n_known], minlength=len(needs))
    return is_locked, np.maximum(needs.positions - taken, 0), int(n_known.sum())


def match(
    employees: Employees,
    needs: Needs,
    exclusions: Exclusions | None = None,
    weights: Weights | None = None,
    locked: Locked | None = None,
    *,
    method: str = "flow",
) -> MatchResult:
    """Maximum-score matching of the employees to the needs' positions.

    Locked pairs are kept out: their employees are not matched again (nor listed unmatched)
    and each takes one position of its need. Match rates count locked employees as matched.
    `method` picks the solver of the large components (see `solve`).
    """
    weights = weights or Weights()
    exclusions = exclusions or Exclusions()
    check_skill_columns(employees, needs)
    is_locked, positions, n_locked = _apply_locked(employees, needs, locked or Locked())
    t0 = time.perf_counter()
    pairs = feasible_pairs(
        employees,
        needs,
        exclusions,
        weights.min_date_coverage,
        positions=positions,
        employee_rows=np.flatnonzero(~is_locked) if is_locked.any() else None,
    )
    t1 = time.perf_counter()
    scores = score_pairs(employees, needs, pairs, weights)
    t2 = time.perf_counter()
    chosen, n_components = assign(
        len(employees), len(needs), pairs.emp, pairs.need, scores.profit, positions, method=method
    )
    t3 = time.perf_counter()
    e, n = pairs.emp[chosen], pairs.need[chosen]
    matched = is_locked.copy()
    matched[e] = True
    remaining = positions - np.bincount(n, minlength=len(needs))
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
        seconds_solve=t3 - t2,
        seconds_score=t2 - t1,
        locked=n_locked,
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
