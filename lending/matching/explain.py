"""Why a need kept open positions: the first rule, in a fixed order, that leaves it no one.

The rules are applied in the order of UNMATCHED_REASONS, on the given needs only. One join
with the skill rule (commute, firm, mandatory skills) gives every need with a skilled
candidate its furthest stage over those candidates (dates, budget, exclusion). The others
only ask whether anyone of another firm is within commute: the nearest employees of each
commute band answer, and a plain join settles the rare needs they leave undecided.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from .pairs import (
    check_skill_columns,
    chord_to_km,
    commute_bands,
    excluded_keys,
    join,
    km_to_chord,
    rows_of,
    unit_xyz,
)
from .types import Employees, Exclusions, Needs, Weights

UNMATCHED_REASONS = (
    "no_one_in_commute",  # no employee of another firm within their own commute limit
    "missing_skill",  # some within commute, none with every mandatory skill at level
    "dates",  # some within commute with the skills, none available for enough of the dates
    "budget",  # ... but all above the budget
    "excluded",  # ... only excluded pairs left
    "competition",  # feasible candidates exist, the optimum gave them to other needs
)
NEED_CHUNK = 4_000  # needs per join (bounds memory)
NEAREST = 16  # employees per commute band looked at around a need
BAND_POINTS = 65_536


def _chunks(rows: np.ndarray):
    return np.array_split(rows, -(-len(rows) // NEED_CHUNK)) if len(rows) else []


def _skilled_stage(
    employees: Employees, needs: Needs, rows: np.ndarray, cov: float, excluded: np.ndarray
) -> np.ndarray:
    """Per need row (-1 if no skilled candidate): the furthest reason index reached by a
    candidate within commute, of another firm, with every mandatory skill."""
    stage = np.full(len(needs), -1, np.int64)
    for part in _chunks(rows):
        pairs = join(employees, needs, part, budget=False)
        e, n = pairs.emp, pairs.need
        dates = (pairs.date_fraction > 0) & (pairs.date_fraction >= cov)
        cap = needs.budget[n]
        budget = dates & ((cap <= 0) | (employees.monthly_cost[e] <= cap))
        free = budget & ~np.isin(e * len(needs) + n, excluded)
        reached = 2 + dates.astype(np.int64) + budget + free  # "dates" .. "competition"
        np.maximum.at(stage, n, reached)
    return stage


def _anyone_in_commute(employees: Employees, needs: Needs, rows: np.ndarray) -> np.ndarray:
    """Per given need row: whether an employee of another firm has it within commute."""
    found = np.zeros(len(rows), bool)
    unsure = np.zeros(len(rows), bool)
    if len(rows) == 0 or len(employees) == 0:
        return found
    need_xyz = unit_xyz(needs.lat[rows], needs.lon[rows])
    commute = employees.max_commute_km
    chord = km_to_chord(np.maximum(commute, 0.0))
    order = np.argsort(commute, kind="stable")
    emp_xyz = unit_xyz(employees.lat, employees.lon)
    bounds = commute_bands(commute[order], BAND_POINTS)
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        band = order[lo:hi]
        k = min(NEAREST, len(band))
        radius = float(chord[band].max()) * (1 + 1e-12)
        dist, at = cKDTree(emp_xyz[band]).query(
            need_xyz, k=[*range(1, k + 1)], distance_upper_bound=radius
        )
        near = at < len(band)
        e = band[np.where(near, at, 0)]
        ok = near & (dist <= chord[e] * (1 + 1e-12))
        ok &= employees.firm_ids[e] != needs.firm_ids[rows][:, None]
        ok &= chord_to_km(np.where(near, dist, 0.0)) <= commute[e]
        found |= ok.any(axis=1)
        unsure |= near[:, -1]  # the k-th is near too: others beyond it may fit
    for part in _chunks(rows[unsure & ~found]):
        hit = np.unique(join(employees, needs, part, skills=False, budget=False).need)
        found[np.isin(rows, hit)] = True
    return found


def explain_unmatched(
    employees: Employees,
    needs: Needs,
    exclusions: Exclusions | None,
    weights: Weights | None,
    need_ids,
) -> dict[int, str]:
    """Reason code (one of UNMATCHED_REASONS) per given need id; unknown ids are left out.

    Locked employees are not told apart: one who would fit counts as "competition".
    """
    weights = weights or Weights()
    exclusions = exclusions or Exclusions()
    check_skill_columns(employees, needs)
    rows, known = rows_of(needs.ids, np.asarray(need_ids, np.int64))
    rows = np.unique(rows[known])
    excluded = excluded_keys(employees, needs, exclusions)
    code = _skilled_stage(employees, needs, rows, weights.min_date_coverage, excluded)
    rest = rows[code[rows] < 0]
    code[rest] = _anyone_in_commute(employees, needs, rest).astype(np.int64)  # 1: missing_skill
    return {int(needs.ids[r]): UNMATCHED_REASONS[code[r]] for r in rows}
