"""At-risk employees are favoured: their pairs carry the larger unmatched penalty as a bonus."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from lending.matching import Employees, Needs, Weights, match


def _two_for_one(at_risk, cost_first, cost_second, skills_first=3, skills_second=3):
    employees = Employees(
        ids=[11, 22],
        lat=[45.0, 45.2],
        lon=[4.0, 4.0],
        max_commute_km=[30.0, 30.0],
        available_from=[0, 0],
        available_until=[100, 100],
        firm_ids=[1, 1],
        skills=sp.csr_matrix(np.array([[skills_first], [skills_second]])),
        monthly_cost=[cost_first, cost_second],
        at_risk=at_risk,
    )
    needs = Needs(
        ids=[5],
        lat=[45.0],
        lon=[4.0],
        firm_ids=[2],
        start=[10],
        end=[40],
        positions=[1],
        budget=[4000.0],
        mandatory=sp.csr_matrix(np.array([[2]])),
        optional=sp.csr_matrix((1, 1), dtype=np.int16),
    )
    return employees, needs


def test_at_risk_employee_wins_the_single_position():
    # employee 11 is closer, cheaper and more skilled, but only 22 is at risk
    employees, needs = _two_for_one([False, True], 2000.0, 3900.0, 4, 2)
    result = match(employees, needs, weights=Weights())
    assert result.pairs() == [(22, 5)]
    assert result.stats.match_rate_at_risk == 1.0
    assert result.stats.match_rate_others == 0.0
    # and symmetrically
    employees, needs = _two_for_one([True, False], 3900.0, 2000.0, 2, 4)
    assert match(employees, needs).pairs() == [(11, 5)]


def test_without_priority_the_better_pair_wins():
    employees, needs = _two_for_one([False, False], 2000.0, 3900.0, 4, 2)
    result = match(employees, needs)
    assert result.pairs() == [(11, 5)]
    assert result.stats.matched == 1
    assert result.stats.total_score == result.stats.objective


def test_components_explain_the_pair():
    employees, needs = _two_for_one([False, False], 2000.0, 3900.0, 4, 2)
    result = match(employees, needs)
    skills = 0.8 * 1.0 + 0.2 * (4 - 2) / 3  # all required skills, two levels above the minimum
    expected = np.array([[skills, 1.0, 1.0, 0.5, 0.0]])  # same place, full dates, half budget
    np.testing.assert_allclose(result.components, expected, atol=1e-9)
    score = 0.4 * skills + 0.2 + 0.2 + 0.1 * 0.5
    np.testing.assert_allclose(result.score, [score])
    assert result.int_score.tolist() == [round(score * 10_000)]
    assert result.unmatched_employee_ids.tolist() == [22]
    assert result.unmatched_need_ids.tolist() == []
