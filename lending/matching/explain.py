"""Why a need kept open positions: the first rule, in a fixed order, that leaves it no one.

The rules are applied in the order of UNMATCHED_REASONS, on the given needs only. The
cheapest question is asked first the other way round: needs with feasible pairs (ignoring
exclusions) are settled at once ("excluded" or "competition"), and only the others go
through the looser joins, in chunks of needs so that memory stays bounded.
"""

from __future__ import annotations

import numpy as np

from .pairs import check_skill_columns, excluded_keys, join, rows_of
from .types import Employees, Exclusions, Needs, Weights

UNMATCHED_REASONS = (
    "no_one_in_commute",  # no employee of another firm within their own commute limit
    "missing_skill",  # some within commute, none with every mandatory skill at level
    "dates",  # some within commute with the skills, none available for enough of the dates
    "budget",  # ... but all above the budget
    "excluded",  # ... only excluded pairs left
    "competition",  # feasible candidates exist, the optimum gave them to other needs
)
NEED_CHUNK = 4_000  # needs per join when looking for looser candidates


def _needs_with_pairs(employees: Employees, needs: Needs, rows: np.ndarray, **rules) -> np.ndarray:
    """The given need rows that have at least one pair under the given rules."""
    found = [np.empty(0, np.int64)]
    for part in np.array_split(rows, -(-len(rows) // NEED_CHUNK)) if len(rows) else []:
        found.append(np.unique(join(employees, needs, part, **rules).need))
    return np.concatenate(found)


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
    code = np.full(len(needs), -1, np.int64)
    cov = weights.min_date_coverage
    # feasible pairs, exclusions aside: "excluded" unless one is not excluded
    for part in np.array_split(rows, -(-len(rows) // NEED_CHUNK)) if len(rows) else []:
        pairs = join(employees, needs, part, min_date_coverage=cov)
        code[pairs.need] = UNMATCHED_REASONS.index("excluded")
        free = ~np.isin(
            pairs.emp * len(needs) + pairs.need, excluded_keys(employees, needs, exclusions)
        )
        code[pairs.need[free]] = UNMATCHED_REASONS.index("competition")
    # then ever looser rules for the others: the first that finds someone names the reason
    for reason, rules in (
        ("budget", {"min_date_coverage": cov, "budget": False}),
        ("dates", {"budget": False}),
        ("missing_skill", {"skills": False, "budget": False}),
    ):
        rest = rows[code[rows] < 0]
        code[_needs_with_pairs(employees, needs, rest, **rules)] = UNMATCHED_REASONS.index(reason)
    code[rows[code[rows] < 0]] = UNMATCHED_REASONS.index("no_one_in_commute")
    return {int(needs.ids[r]): UNMATCHED_REASONS[code[r]] for r in rows}
