"""Properties over 200 seeded random instances (hypothesis is not installed in this venv)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from lending.matching import Employees, Needs, Weights, match
from lending.matching.pairs import feasible_pairs

from .instances import random_instance, slow_feasible, slow_feasible_set

WEIGHTS = Weights()
SEEDS = range(200)


def _size(seed):
    return 3 + seed % 30, 2 + (seed * 7) % 20


def permuted(employees: Employees, needs: Needs, seed: int) -> tuple[Employees, Needs]:
    rng = np.random.default_rng(seed)
    pe, pn = rng.permutation(len(employees)), rng.permutation(len(needs))
    emp_fields = ("ids", "lat", "lon", "max_commute_km", "available_from", "available_until")
    emp_fields += ("firm_ids", "monthly_cost", "at_risk")
    need_fields = ("ids", "lat", "lon", "firm_ids", "start", "end", "positions", "budget")
    e = replace(
        employees,
        **{f: getattr(employees, f)[pe] for f in emp_fields},
        skills=employees.skills[pe],
    )
    n = replace(
        needs,
        **{f: getattr(needs, f)[pn] for f in need_fields},
        mandatory=needs.mandatory[pn],
        optional=needs.optional[pn],
    )
    return e, n


def test_feasible_pairs_equal_slow_checker():
    for seed in range(60):
        employees, needs, exclusions = random_instance(seed, *_size(seed))
        pairs = feasible_pairs(employees, needs, exclusions, WEIGHTS.min_date_coverage)
        got = set(zip(pairs.emp.tolist(), pairs.need.tolist(), strict=True))
        assert got == slow_feasible_set(employees, needs, exclusions, WEIGHTS.min_date_coverage)


@pytest.mark.parametrize("seed", [s for s in SEEDS if s % 20 == 0])
def test_properties(seed):
    for s in range(seed, seed + 20):
        employees, needs, exclusions = random_instance(s, *_size(s))
        result = match(employees, needs, exclusions, WEIGHTS)
        # nobody twice, capacities held
        assert len(set(result.employee_ids.tolist())) == len(result.employee_ids)
        used = Counter(result.need_ids.tolist())
        capacity = dict(zip(needs.ids.tolist(), needs.positions.tolist(), strict=True))
        assert all(count <= capacity[n] for n, count in used.items())
        # every chosen pair is feasible by the slow checker; components in [0, 1]
        e_index = {v: i for i, v in enumerate(employees.ids.tolist())}
        n_index = {v: i for i, v in enumerate(needs.ids.tolist())}
        for e, n in result.pairs():
            assert slow_feasible(
                employees, needs, exclusions, WEIGHTS.min_date_coverage, e_index[e], n_index[n]
            )
        assert np.all((result.components >= 0) & (result.components <= 1))
        assert np.all((result.score >= 0) & (result.score <= 1))
        # unmatched lists are consistent
        assert set(result.unmatched_employee_ids.tolist()).isdisjoint(result.employee_ids.tolist())
        assert len(result.unmatched_employee_ids) + len(result.employee_ids) == len(employees)
        remaining = dict(
            zip(
                result.unmatched_need_ids.tolist(), result.remaining_positions.tolist(), strict=True
            )
        )
        for n, cap in capacity.items():
            assert remaining.get(n, 0) == cap - used.get(n, 0)
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
