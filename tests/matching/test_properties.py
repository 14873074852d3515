"""Properties of the engine: on seeded random instances and on hypothesis-drawn tiny rounds."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from lending.matching import Locked, Weights, great_circle_km, match
from lending.matching.pairs import feasible_pairs, rows_of
from lending.matching.score import score_pairs
from lending.matching.solve import assign

from .instances import (
    dense_reference,
    employee_rows,
    haversine_km,
    permuted,
    random_instance,
    slow_feasible,
    slow_feasible_set,
)
from .strategies import rounds

WEIGHTS = Weights()
SEEDS = range(120)
PROPERTY = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _size(seed):
    return 3 + seed % 30, 2 + (seed * 7) % 20


def check_result(employees, needs, exclusions, locked, result) -> None:
    """Nobody twice, capacities held, only feasible pairs, locked pairs respected."""
    locked = locked or Locked()
    assert len(set(result.employee_ids.tolist())) == len(result.employee_ids)
    used = Counter(result.need_ids.tolist())
    taken = Counter(n for n in locked.need_ids.tolist() if n in set(needs.ids.tolist()))
    left = {
        n: max(p - taken[n], 0)
        for n, p in zip(needs.ids.tolist(), needs.positions.tolist(), strict=True)
    }
    assert all(count <= left[n] for n, count in used.items())
    e_index = {v: i for i, v in enumerate(employees.ids.tolist())}
    n_index = {v: i for i, v in enumerate(needs.ids.tolist())}
    for e, n in result.pairs():
        assert slow_feasible(
            employees, needs, exclusions, WEIGHTS.min_date_coverage, e_index[e], n_index[n]
        )
    assert np.all((result.components >= 0) & (result.components <= 1))
    assert np.all((result.score >= 0) & (result.score <= 1))
    # locked employees are neither matched again nor listed unmatched
    locked_emps = set(locked.employee_ids.tolist()) & set(e_index)
    assert locked_emps.isdisjoint(result.employee_ids.tolist())
    assert locked_emps.isdisjoint(result.unmatched_employee_ids.tolist())
    assert set(result.unmatched_employee_ids.tolist()).isdisjoint(result.employee_ids.tolist())
    assert len(result.unmatched_employee_ids) + len(result.employee_ids) + len(locked_emps) == len(
        employees
    )
    remaining = dict(
        zip(result.unmatched_need_ids.tolist(), result.remaining_positions.tolist(), strict=True)
    )
    for n, cap in left.items():
        assert remaining.get(n, 0) == cap - used.get(n, 0)


def test_feasible_pairs_equal_slow_checker():
    for seed in range(60):
        employees, needs, exclusions = random_instance(seed, *_size(seed))
        pairs = feasible_pairs(employees, needs, exclusions, WEIGHTS.min_date_coverage)
        got = set(zip(pairs.emp.tolist(), pairs.need.tolist(), strict=True))
        assert got == slow_feasible_set(employees, needs, exclusions, WEIGHTS.min_date_coverage)
        assert np.all(np.diff(pairs.emp * len(needs) + pairs.need) > 0)  # sorted, unique


def test_feasible_pairs_equal_slow_checker_with_many_skills():
    """More skill columns and sparser levels: the rarest-skill grouping matters more."""
    for seed in range(20):
        employees, needs, exclusions = random_instance(500 + seed, 40, 25, n_skills=12, box=0.2)
        pairs = feasible_pairs(employees, needs, exclusions, WEIGHTS.min_date_coverage, chunk=7)
        got = set(zip(pairs.emp.tolist(), pairs.need.tolist(), strict=True))
        assert got == slow_feasible_set(employees, needs, exclusions, WEIGHTS.min_date_coverage)


def test_great_circle_km_is_the_feasible_pairs_distance():
    """The distance the round shows with a proposal is the one the engine checked."""
    employees, needs, exclusions = random_instance(7, 40, 25)
    pairs = feasible_pairs(employees, needs, exclusions, WEIGHTS.min_date_coverage)
    e, n = pairs.emp, pairs.need
    km = great_circle_km(employees.lat[e], employees.lon[e], needs.lat[n], needs.lon[n])
    assert len(km) > 10
    np.testing.assert_allclose(km, pairs.distance_km, rtol=1e-9, atol=1e-6)
    slow = [
        haversine_km(employees.lat[i], employees.lon[i], needs.lat[j], needs.lon[j])
        for i, j in zip(e.tolist(), n.tolist(), strict=True)
    ]
    np.testing.assert_allclose(km, slow, rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("seed", [s for s in SEEDS if s % 20 == 0])
def test_properties(seed):
    for s in range(seed, seed + 20):
        employees, needs, exclusions = random_instance(s, *_size(s))
        result = match(employees, needs, exclusions, WEIGHTS)
        check_result(employees, needs, exclusions, None, result)
        # permutation of the input leaves the total unchanged
        pe, pn = permuted(employees, needs, s)
        again = match(pe, pn, exclusions, WEIGHTS)
        assert again.stats.objective == result.stats.objective
        assert again.stats.feasible_pairs == result.stats.feasible_pairs
        # same input, same pairs
        twice = match(employees, needs, exclusions, WEIGHTS)
        assert twice.pairs() == result.pairs()
        assert np.array_equal(twice.int_score, result.int_score)


def test_empty_inputs():
    employees, needs, exclusions = random_instance(0, 0, 0)
    result = match(employees, needs, exclusions)
    assert result.pairs() == []
    assert result.stats.components == 0
    employees, needs, exclusions = random_instance(1, 5, 0)
    assert len(match(employees, needs, exclusions).unmatched_employee_ids) == 5


@PROPERTY
@given(rounds())
def test_rules_hold_with_locked_pairs(round_):
    employees, needs, exclusions, locked = round_
    result = match(employees, needs, exclusions, WEIGHTS, locked)
    check_result(employees, needs, exclusions, locked, result)
    twice = match(employees, needs, exclusions, WEIGHTS, locked)
    assert twice.pairs() == result.pairs()


@PROPERTY
@given(rounds(), st.integers(0, 2**32 - 1))
def test_permutation_leaves_total_unchanged(round_, seed):
    employees, needs, exclusions, locked = round_
    pe, pn = permuted(employees, needs, seed)
    first = match(employees, needs, exclusions, WEIGHTS, locked)
    again = match(pe, pn, exclusions, WEIGHTS, locked)
    assert again.stats.objective == first.stats.objective
    assert again.stats.feasible_pairs == first.stats.feasible_pairs


@PROPERTY
@given(rounds(max_emp=7, max_need=4))
def test_both_methods_reach_the_dense_optimum(round_):
    employees, needs, exclusions, _ = round_
    pairs = feasible_pairs(employees, needs, exclusions, WEIGHTS.min_date_coverage)
    profit = score_pairs(employees, needs, pairs, WEIGHTS).profit
    expected = dense_reference(len(employees), needs.positions, pairs.emp, pairs.need, profit)
    for method in ("flow", "scipy"):
        chosen, _ = assign(
            len(employees), len(needs), pairs.emp, pairs.need, profit, needs.positions, method, 0
        )
        assert int(profit[chosen].sum()) == expected


@PROPERTY
@given(rounds())
def test_locked_pairs_equal_removing_them(round_):
    """Locking = leaving the locked employees out and taking their positions off the needs."""
    employees, needs, exclusions, locked = round_
    result = match(employees, needs, exclusions, WEIGHTS, locked)
    e, e_known = rows_of(employees.ids, locked.employee_ids)
    n, n_known = rows_of(needs.ids, locked.need_ids)
    keep = np.setdiff1d(np.arange(len(employees)), e[e_known])
    left = np.maximum(needs.positions - np.bincount(n[n_known], minlength=len(needs)), 0)
    reduced = match(employee_rows(employees, keep), replace(needs, positions=left), exclusions)
    assert result.stats.objective == reduced.stats.objective
    assert result.stats.locked == int(n_known.sum())


def test_hypothesis_rounds_are_not_trivial():
    """Guard: the strategy does draw rounds with several matches and locked positions."""

    def rich(round_) -> bool:
        employees, needs, exclusions, locked = round_
        result = match(employees, needs, exclusions, WEIGHTS, locked)
        return result.stats.matched >= 2 and result.stats.locked >= 1

    quick = settings(max_examples=500, database=None, deadline=None, phases=[Phase.generate])
    find(rounds(), rich, settings=quick)
