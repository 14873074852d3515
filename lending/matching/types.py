"""Typed inputs and outputs of the matching engine: numpy arrays keyed by ids, never indices."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

COMPONENTS = ("skills", "distance", "dates", "cost", "priority")


def _arr(values, dtype) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(values, dtype=dtype))


def _csr(matrix, n_rows: int, name: str) -> sp.csr_matrix:
    m = sp.csr_matrix(matrix, dtype=np.int16)
    m.eliminate_zeros()
    m.sum_duplicates()
    m.sort_indices()
    if m.shape[0] != n_rows:
        raise ValueError(f"{name}: {m.shape[0]} rows, expected {n_rows}")
    if m.nnz and (m.data.min() < 1 or m.data.max() > 4):
        raise ValueError(f"{name}: skill levels must be 1..4")
    return m


@dataclass(frozen=True, eq=False)
class Employees:
    """One row per employee; `skills` is a CSR matrix employees × skills of levels 1..4."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    max_commute_km: np.ndarray
    available_from: np.ndarray  # day numbers, inclusive
    available_until: np.ndarray
    firm_ids: np.ndarray
    skills: sp.csr_matrix
    monthly_cost: np.ndarray
    at_risk: np.ndarray

    def __post_init__(self) -> None:
        n = len(np.asarray(self.ids))
        for name, dtype in (
            ("ids", np.int64),
            ("lat", np.float64),
            ("lon", np.float64),
            ("max_commute_km", np.float64),
            ("available_from", np.int64),
            ("available_until", np.int64),
            ("firm_ids", np.int64),
            ("monthly_cost", np.float64),
            ("at_risk", np.bool_),
        ):
            value = _arr(getattr(self, name), dtype)
            if value.shape != (n,):
                raise ValueError(f"employees.{name}: shape {value.shape}, expected ({n},)")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "skills", _csr(self.skills, n, "employees.skills"))
        if len(np.unique(self.ids)) != n:
            raise ValueError("employees.ids must be unique")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class Needs:
    """One row per need; `positions` is its capacity, `budget` 0 means no budget."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    firm_ids: np.ndarray
    start: np.ndarray  # day numbers, inclusive
    end: np.ndarray
    positions: np.ndarray
    budget: np.ndarray
    mandatory: sp.csr_matrix  # needs × skills, minimum level
    optional: sp.csr_matrix

    def __post_init__(self) -> None:
        n = len(np.asarray(self.ids))
        for name, dtype in (
            ("ids", np.int64),
            ("lat", np.float64),
            ("lon", np.float64),
            ("firm_ids", np.int64),
            ("start", np.int64),
            ("end", np.int64),
            ("positions", np.int64),
            ("budget", np.float64),
        ):
            value = _arr(getattr(self, name), dtype)
            if value.shape != (n,):
                raise ValueError(f"needs.{name}: shape {value.shape}, expected ({n},)")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "mandatory", _csr(self.mandatory, n, "needs.mandatory"))
        object.__setattr__(self, "optional", _csr(self.optional, n, "needs.optional"))
        if len(np.unique(self.ids)) != n:
            raise ValueError("needs.ids must be unique")
        if np.any(self.end < self.start) or np.any(self.positions < 0):
            raise ValueError("needs: end before start or negative positions")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class Exclusions:
    """Pairs (employee_id, need_id) that must not be proposed (earlier refusal, expiry)."""

    employee_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    need_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    def __post_init__(self) -> None:
        object.__setattr__(self, "employee_ids", _arr(self.employee_ids, np.int64))
        object.__setattr__(self, "need_ids", _arr(self.need_ids, np.int64))
        if self.employee_ids.shape != self.need_ids.shape:
            raise ValueError("exclusions: employee_ids and need_ids differ in length")


@dataclass(frozen=True, eq=False)
class Locked:
    """Pairs (employee_id, need_id) accepted in earlier rounds.

    A locked employee is not matched again and a locked pair takes one position of its need.
    Each id counts on its own: an id unknown to the inputs is ignored (a locked pair whose
    employee left the pool still takes its need's position).
    """

    employee_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    need_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    def __post_init__(self) -> None:
        object.__setattr__(self, "employee_ids", _arr(self.employee_ids, np.int64))
        object.__setattr__(self, "need_ids", _arr(self.need_ids, np.int64))
        if self.employee_ids.shape != self.need_ids.shape:
            raise ValueError("locked: employee_ids and need_ids differ in length")


@dataclass(frozen=True)
class Weights:
    """Scheme-level weights of the score components, plus the at-risk unmatched penalty.

    `at_risk_unmatched_penalty` is in score units (1.0 = one perfect pair): leaving an at-risk
    employee unmatched costs that much more than leaving anyone else unmatched.
    """

    skills: float = 0.4
    distance: float = 0.2
    dates: float = 0.2
    cost: float = 0.1
    priority: float = 0.1
    at_risk_unmatched_penalty: float = 0.5
    min_date_coverage: float = 0.5

    def vector(self) -> np.ndarray:
        w = np.array([getattr(self, c) for c in COMPONENTS], dtype=np.float64)
        if np.any(w < 0) or w.sum() <= 0 or self.at_risk_unmatched_penalty < 0:
            raise ValueError("weights must be non-negative with a positive sum")
        if not 0.0 <= self.min_date_coverage <= 1.0:
            raise ValueError("min_date_coverage must be in [0, 1]")
        return w / w.sum()


@dataclass(frozen=True, eq=False)
class MatchStatistics:
    employees: int
    needs: int
    positions: int
    feasible_pairs: int
    matched: int
    total_score: int  # sum of the matched pairs' integer scores (without the at-risk bonus)
    objective: int  # what the solver maximised: integer scores plus at-risk bonuses
    match_rate_at_risk: float
    match_rate_others: float
    components: int
    seconds_pairs: float  # feasible pairs
    seconds_solve: float  # assignment
    seconds_score: float = 0.0  # scores of the feasible pairs
    locked: int = 0  # locked pairs whose need is known (positions they took)


@dataclass(frozen=True, eq=False)
class MatchResult:
    """New pairs (by id, locked pairs not repeated) with their score and components (columns
    in COMPONENTS order)."""

    employee_ids: np.ndarray
    need_ids: np.ndarray
    score: np.ndarray  # float in [0, 1]
    int_score: np.ndarray  # round(score * SCALE)
    components: np.ndarray  # shape (n_pairs, 5), each in [0, 1]
    unmatched_employee_ids: np.ndarray  # neither matched now nor locked
    unmatched_need_ids: np.ndarray  # needs with remaining capacity
    remaining_positions: np.ndarray  # aligned with unmatched_need_ids
    stats: MatchStatistics

    def pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.employee_ids.tolist(), self.need_ids.tolist(), strict=True))
