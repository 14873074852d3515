"""The engine's total equals a dense reference and, on tiny instances, brute force."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from lending.matching import Weights, match
from lending.matching import solve as solve_module
from lending.matching.pairs import feasible_pairs
from lending.matching.score import score_pairs

from .instances import random_instance

WEIGHTS = Weights()


def graph(seed, n_emp, n_need):
    employees, needs, exclusions = random_instance(seed, n_emp, n_need)
    pairs = feasible_pairs(employees, needs, exclusions, WEIGHTS.min_date_coverage)
    profit = score_pairs(employees, needs, pairs, WEIGHTS).profit
    return employees, needs, exclusions, pairs, profit


def dense_reference(n_emp, positions, emp, need, profit) -> int:
    """Position-expanded profit matrix, padded with one zero-profit dummy per employee."""
    offset = np.concatenate(([0], np.cumsum(positions)))
    matrix = np.zeros((n_emp, int(offset[-1]) + n_emp), np.int64)
    for e, n, p in zip(emp.tolist(), need.tolist(), profit.tolist(), strict=True):
        matrix[e, offset[n] : offset[n + 1]] = p
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return int(matrix[rows, cols].sum())


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


@pytest.mark.parametrize("dense_limit", [0, solve_module.DENSE_LIMIT])
def test_total_equals_dense_reference(monkeypatch, dense_limit):
    """dense_limit 0 forces scipy's sparse matcher with dummies on every component."""
    monkeypatch.setattr(solve_module, "DENSE_LIMIT", dense_limit)
    checked = 0
    for seed in range(120):
        n_emp, n_need = 5 + seed % 40, 3 + seed % 25
        employees, needs, exclusions, pairs, profit = graph(seed, n_emp, n_need)
        result = match(employees, needs, exclusions, WEIGHTS)
        expected = dense_reference(n_emp, needs.positions, pairs.emp, pairs.need, profit)
        assert result.stats.objective == expected, seed
        checked += len(pairs) > 0
    assert checked > 100


def test_total_equals_brute_force():
    for seed in range(150):
        n_emp, n_need = 1 + seed % 6, 1 + seed % 4
        employees, needs, exclusions, pairs, profit = graph(1000 + seed, n_emp, n_need)
        result = match(employees, needs, exclusions, WEIGHTS)
        assert result.stats.objective == brute_force(
            n_emp, needs.positions.tolist(), pairs.emp, pairs.need, profit
        ), seed


def test_large_component_sparse_path_matches_dense():
    """One component too big for the dense path, checked against the padded dense reference."""
    employees, needs, exclusions, pairs, profit = graph(7, 300, 120)
    result = match(employees, needs, exclusions, WEIGHTS)
    expected = dense_reference(300, needs.positions, pairs.emp, pairs.need, profit)
    assert result.stats.objective == expected
    assert result.stats.matched > 0
