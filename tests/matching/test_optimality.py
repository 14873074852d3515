"""The engine's total equals a dense reference and, on tiny instances, brute force, with
either solver on every component (min-cost flow or scipy) and with the default split."""

from __future__ import annotations

import numpy as np
import pytest

from lending.matching import SolveError, Weights, match
from lending.matching import solve as solve_module
from lending.matching.pairs import feasible_pairs
from lending.matching.score import score_pairs

from .instances import dense_reference, random_instance

WEIGHTS = Weights()
# (method, dense limit): 0 sends every component to the method, None keeps DENSE_LIMIT
SOLVERS = [("flow", 0), ("scipy", 0), ("flow", None)]


def graph(seed, n_emp, n_need):
    employees, needs, exclusions = random_instance(seed, n_emp, n_need)
    pairs = feasible_pairs(employees, needs, exclusions, WEIGHTS.min_date_coverage)
    profit = score_pairs(employees, needs, pairs, WEIGHTS).profit
    return employees, needs, exclusions, pairs, profit


def brute_force(n_emp, positions, emp, need, profit) -> int:
    options = [[] for _ in range(n_emp)]
    for e, n, p in zip(emp.tolist(), need.tolist(), profit.tolist(), strict=True):
        options[e].append((n, p))
    left = list(positions)

    def best(i: int) -> int:
        if i == n_emp:
            return 0
        value = best(i + 1)
        for n, p in options[i]:
            if left[n] > 0:
                left[n] -= 1
                value = max(value, p + best(i + 1))
                left[n] += 1
        return value

    return best(0)


def solved(pairs, profit, needs, n_emp, method, dense_limit) -> int:
    chosen, _ = solve_module.assign(
        n_emp, len(needs), pairs.emp, pairs.need, profit, needs.positions, method, dense_limit
    )
    e, n = pairs.emp[chosen], pairs.need[chosen]
    assert len(np.unique(e)) == len(e)
    assert np.all(np.bincount(n, minlength=len(needs)) <= needs.positions)
    return int(profit[chosen].sum())


@pytest.mark.parametrize(("method", "dense_limit"), SOLVERS)
def test_total_equals_dense_reference(method, dense_limit):
    checked = 0
    for seed in range(120):
        n_emp, n_need = 5 + seed % 40, 3 + seed % 25
        employees, needs, _, pairs, profit = graph(seed, n_emp, n_need)
        expected = dense_reference(n_emp, needs.positions, pairs.emp, pairs.need, profit)
        assert solved(pairs, profit, needs, n_emp, method, dense_limit) == expected, seed
        checked += len(pairs) > 0
    assert checked > 100


@pytest.mark.parametrize(("method", "dense_limit"), SOLVERS)
def test_total_equals_brute_force(method, dense_limit):
    for seed in range(150):
        n_emp, n_need = 1 + seed % 6, 1 + seed % 4
        employees, needs, _, pairs, profit = graph(1000 + seed, n_emp, n_need)
        expected = brute_force(n_emp, needs.positions.tolist(), pairs.emp, pairs.need, profit)
        assert solved(pairs, profit, needs, n_emp, method, dense_limit) == expected, seed


@pytest.mark.parametrize("method", ["flow", "scipy"])
def test_match_objective_equals_dense_reference(method):
    """Through match(): one component too big for the dense path, both methods."""
    employees, needs, exclusions, pairs, profit = graph(7, 300, 120)
    result = match(employees, needs, exclusions, WEIGHTS, method=method)
    expected = dense_reference(300, needs.positions, pairs.emp, pairs.need, profit)
    assert result.stats.objective == expected
    assert result.stats.matched > 0


def test_methods_choose_the_same_total_and_are_repeatable():
    employees, needs, exclusions, *_ = graph(11, 400, 150)
    flow = match(employees, needs, exclusions, WEIGHTS)
    again = match(employees, needs, exclusions, WEIGHTS)
    scipy_ = match(employees, needs, exclusions, WEIGHTS, method="scipy")
    assert flow.pairs() == again.pairs()
    assert flow.stats.objective == scipy_.stats.objective


def test_solver_failure_raises():
    """Costs out of OR-Tools' range: a clear SolveError, never a partial answer."""
    emp, need = np.array([0, 1, 2]), np.array([0, 0, 1])
    with pytest.raises(SolveError, match="BAD_COST_RANGE"):
        solve_module.assign(3, 2, emp, need, np.array([2**61, 5, 7]), np.array([1, 1]), "flow", 0)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        solve_module.assign(1, 1, np.array([0]), np.array([0]), np.array([5]), np.array([1]), "lp")
