"""Score components in [0, 1] per feasible pair and the integer profits the solvers maximise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pairs import LevelLookup, Pairs, requirement_check
from .types import COMPONENTS, Employees, Needs, Weights

SCALE = 10_000
LEVEL_MARGIN_SHARE = 0.2  # part of the skills component given to levels above the minimum


@dataclass(frozen=True, eq=False)
class Scores:
    components: np.ndarray  # (n_pairs, 5) in COMPONENTS order
    score: np.ndarray  # weighted sum in [0, 1]
    int_score: np.ndarray  # round(score * SCALE)
    profit: np.ndarray  # int_score + at-risk bonus, at least 1: what the solver maximises


def score_pairs(employees: Employees, needs: Needs, pairs: Pairs, weights: Weights) -> Scores:
    e, n = pairs.emp, pairs.need
    lookup = LevelLookup(employees.skills)
    m_count, m_met, m_margin = requirement_check(lookup, needs.mandatory, e, n)
    o_count, o_met, o_margin = requirement_check(lookup, needs.optional, e, n)
    required = m_count + o_count
    met = m_met + o_met
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(required > 0, met / np.maximum(required, 1), 1.0)
        margin = np.where(met > 0, (m_margin + o_margin) / np.maximum(met, 1), 1.0)
    skills = (1 - LEVEL_MARGIN_SHARE) * coverage + LEVEL_MARGIN_SHARE * margin

    max_km = employees.max_commute_km[e]
    distance = np.where(max_km > 0, 1.0 - pairs.distance_km / np.where(max_km > 0, max_km, 1), 1.0)

    budget = needs.budget[n]
    cost = np.where(
        budget > 0,
        (budget - employees.monthly_cost[e]) / np.where(budget > 0, budget, 1.0),
        1.0,
    )
    at_risk = employees.at_risk[e]
    # one contiguous row per component (5 × n_pairs), exposed as the (n_pairs, 5) view
    rows = np.empty((len(COMPONENTS), len(e)))
    for i, value in enumerate((skills, distance, pairs.date_fraction, cost, at_risk)):
        np.clip(value, 0.0, 1.0, out=rows[i])
    # weighted sum element by element (the same bits wherever the pair sits in the arrays),
    # which may pass 1 by an ulp
    score = np.zeros(len(e))
    for w, row in zip(weights.vector(), rows, strict=True):
        score += w * row
    np.clip(score, 0.0, 1.0, out=score)
    components = rows.T
    int_score = np.rint(score * SCALE).astype(np.int64)
    bonus = int(round(weights.at_risk_unmatched_penalty * SCALE))
    profit = np.maximum(int_score + np.where(at_risk, bonus, 0), 1)
    return Scores(components, score, int_score, profit)
