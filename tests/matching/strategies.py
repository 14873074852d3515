"""Hypothesis strategies: tiny rounds on a small grid, so that pairs are often feasible.

Values are drawn with `sampled_from` whose first element is the "friendly" one (near,
skilled, available, within budget), since hypothesis favours and shrinks towards it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import strategies as st

from lending.matching import Employees, Exclusions, Locked, Needs

N_SKILLS = 3
GRID = 0.05  # degrees between grid points (about 5 km)


@st.composite
def rounds(draw, max_emp: int = 9, max_need: int = 5):
    """(employees, needs, exclusions, locked) with ids in shuffled order."""
    n_emp = draw(st.integers(0, max_emp))
    n_need = draw(st.integers(0, max_need))

    def pick(values, n, dtype=np.float64) -> np.ndarray:
        return np.array(draw(st.lists(st.sampled_from(values), min_size=n, max_size=n)), dtype)

    def levels(values, rows) -> sp.csr_matrix:
        return sp.csr_matrix(pick(values, rows * N_SKILLS, np.int64).reshape(rows, N_SKILLS))

    grid = [0, 1, 2, 3]
    emp_ids = draw(st.permutations(range(100, 100 + 2 * max_emp)))[:n_emp]
    need_ids = draw(st.permutations(range(7, 7 + 2 * max_need)))[:n_need]
    avail = pick([0, 10, 20], n_emp, np.int64)
    employees = Employees(
        ids=emp_ids,
        lat=45 + GRID * pick(grid, n_emp),
        lon=4 + GRID * pick(grid, n_emp),
        max_commute_km=pick([40.0, 40.0, 20.0, 10.0, 0.0], n_emp),
        available_from=avail,
        available_until=avail + pick([90, 90, 40, 5], n_emp, np.int64),
        firm_ids=pick([1, 2, 3], n_emp, np.int64),
        skills=levels([4, 4, 3, 2, 1, 0], n_emp),
        monthly_cost=pick([2000.0, 3000.0, 4000.0, 5000.0], n_emp),
        at_risk=pick([False, True], n_emp, bool),
    )
    start = pick([0, 15, 30], n_need, np.int64)
    needs = Needs(
        ids=need_ids,
        lat=45 + GRID * pick(grid, n_need),
        lon=4 + GRID * pick(grid, n_need),
        firm_ids=pick([4, 1, 2, 3], n_need, np.int64),
        start=start,
        end=start + pick([10, 30, 0], n_need, np.int64),
        positions=pick([1, 2, 3, 1, 0], n_need, np.int64),
        budget=pick([0.0, 0.0, 0.0, 4500.0, 3500.0, 2500.0], n_need),
        mandatory=levels([0, 0, 0, 0, 1, 2, 3], n_need),
        optional=levels([0, 1, 4], n_need),
    )
    every = [(e, n) for e in emp_ids for n in need_ids] + [(999, 7), (100, 999)]
    pairs = st.lists(st.sampled_from(every), max_size=6)
    excluded, locked = draw(pairs), draw(pairs)
    return (
        employees,
        needs,
        Exclusions([e for e, _ in excluded], [n for _, n in excluded]),
        Locked([e for e, _ in locked], [n for _, n in locked]),
    )
