"""Seeded random instances and a slow plain-Python feasibility checker for the engine tests."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

from lending.matching import Employees, Exclusions, Needs

EARTH_RADIUS_KM = 6371.0088


def random_skills(rng: np.random.Generator, rows: int, n_skills: int, p: float) -> sp.csr_matrix:
    mask = rng.random((rows, n_skills)) < p
    levels = rng.integers(1, 5, size=(rows, n_skills)) * mask
    return sp.csr_matrix(levels)


def random_instance(
    seed: int, n_emp: int, n_need: int, n_skills: int = 4, box: float = 0.3
) -> tuple[Employees, Needs, Exclusions]:
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 60, n_need)
    avail = rng.integers(0, 60, n_emp)
    employees = Employees(
        ids=rng.permutation(np.arange(100, 100 + 3 * n_emp))[:n_emp],
        lat=45 + rng.random(n_emp) * box,
        lon=4 + rng.random(n_emp) * box,
        max_commute_km=rng.uniform(5, 40, n_emp),
        available_from=avail,
        available_until=avail + rng.integers(10, 90, n_emp),
        firm_ids=rng.integers(1, 4, n_emp),
        skills=random_skills(rng, n_emp, n_skills, 0.6),
        monthly_cost=rng.uniform(2000, 5000, n_emp),
        at_risk=rng.random(n_emp) < 0.2,
    )
    needs = Needs(
        ids=rng.permutation(np.arange(7, 7 + 3 * n_need))[:n_need],
        lat=45 + rng.random(n_need) * box,
        lon=4 + rng.random(n_need) * box,
        firm_ids=rng.integers(1, 4, n_need),
        start=start,
        end=start + rng.integers(0, 60, n_need),
        positions=rng.integers(0, 4, n_need),
        budget=np.where(rng.random(n_need) < 0.5, 0.0, rng.uniform(2500, 5500, n_need)),
        mandatory=random_skills(rng, n_need, n_skills, 0.25),
        optional=random_skills(rng, n_need, n_skills, 0.25),
    )
    k = (n_emp * n_need) // 10
    exclusions = Exclusions(
        rng.choice(employees.ids, k) if n_emp else [], rng.choice(needs.ids, k) if n_need else []
    )
    return employees, needs, exclusions


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def slow_feasible(
    employees: Employees, needs: Needs, exclusions: Exclusions, min_cov: float, i: int, j: int
) -> bool:
    """design.md §6 rules for one pair (by indices), in plain Python."""
    if needs.positions[j] <= 0 or employees.firm_ids[i] == needs.firm_ids[j]:
        return False
    d = haversine_km(employees.lat[i], employees.lon[i], needs.lat[j], needs.lon[j])
    if d > employees.max_commute_km[i] * (1 + 1e-9):
        return False
    lo = max(int(employees.available_from[i]), int(needs.start[j]))
    hi = min(int(employees.available_until[i]), int(needs.end[j]))
    days = hi - lo + 1
    if days <= 0 or days / (needs.end[j] - needs.start[j] + 1) < min_cov:
        return False
    if needs.budget[j] > 0 and employees.monthly_cost[i] > needs.budget[j]:
        return False
    excluded = set(zip(exclusions.employee_ids.tolist(), exclusions.need_ids.tolist(), strict=True))
    if (int(employees.ids[i]), int(needs.ids[j])) in excluded:
        return False
    have = employees.skills.getrow(i).toarray().ravel()
    want = needs.mandatory.getrow(j).toarray().ravel()
    return all(have[s] >= want[s] for s in range(len(want)) if want[s] > 0)


def slow_feasible_set(employees, needs, exclusions, min_cov) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i in range(len(employees))
        for j in range(len(needs))
        if slow_feasible(employees, needs, exclusions, min_cov, i, j)
    }


EMP_FIELDS = (
    "ids",
    "lat",
    "lon",
    "max_commute_km",
    "available_from",
    "available_until",
    "firm_ids",
    "monthly_cost",
    "at_risk",
)
NEED_FIELDS = ("ids", "lat", "lon", "firm_ids", "start", "end", "positions", "budget")


def employee_rows(employees: Employees, rows: np.ndarray) -> Employees:
    """The given employees (row indices, in that order)."""
    return replace(
        employees,
        **{f: getattr(employees, f)[rows] for f in EMP_FIELDS},
        skills=employees.skills[rows],
    )


def need_rows(needs: Needs, rows: np.ndarray) -> Needs:
    return replace(
        needs,
        **{f: getattr(needs, f)[rows] for f in NEED_FIELDS},
        mandatory=needs.mandatory[rows],
        optional=needs.optional[rows],
    )


def permuted(employees: Employees, needs: Needs, seed: int) -> tuple[Employees, Needs]:
    rng = np.random.default_rng(seed)
    return (
        employee_rows(employees, rng.permutation(len(employees))),
        need_rows(needs, rng.permutation(len(needs))),
    )


def dense_reference(n_emp, positions, emp, need, profit) -> int:
    """Position-expanded profit matrix, padded with one zero-profit dummy per employee."""
    offset = np.concatenate(([0], np.cumsum(positions)))
    matrix = np.zeros((n_emp, int(offset[-1]) + n_emp), np.int64)
    for e, n, p in zip(emp.tolist(), need.tolist(), profit.tolist(), strict=True):
        matrix[e, offset[n] : offset[n + 1]] = p
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return int(matrix[rows, cols].sum())


def reason_slow(
    employees: Employees, needs: Needs, exclusions: Exclusions, min_cov: float, j: int
) -> str:
    """The unmatched-need reason before "competition", in plain Python (None if feasible)."""
    excluded = set(zip(exclusions.employee_ids.tolist(), exclusions.need_ids.tolist(), strict=True))
    want = needs.mandatory.getrow(j).toarray().ravel()
    stage = 0
    for i in range(len(employees)):
        if employees.firm_ids[i] == needs.firm_ids[j]:
            continue
        d = haversine_km(employees.lat[i], employees.lon[i], needs.lat[j], needs.lon[j])
        if d > employees.max_commute_km[i] * (1 + 1e-9):
            continue
        stage = max(stage, 1)
        have = employees.skills.getrow(i).toarray().ravel()
        if not all(have[s] >= want[s] for s in range(len(want)) if want[s] > 0):
            continue
        stage = max(stage, 2)
        lo = max(int(employees.available_from[i]), int(needs.start[j]))
        hi = min(int(employees.available_until[i]), int(needs.end[j]))
        days = hi - lo + 1
        if days <= 0 or days / (needs.end[j] - needs.start[j] + 1) < min_cov:
            continue
        stage = max(stage, 3)
        if needs.budget[j] > 0 and employees.monthly_cost[i] > needs.budget[j]:
            continue
        stage = max(stage, 4)
        if (int(employees.ids[i]), int(needs.ids[j])) in excluded:
            continue
        stage = 5
    return ("no_one_in_commute", "missing_skill", "dates", "budget", "excluded", None)[stage]
