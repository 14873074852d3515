"""Feasible (employee, need) pairs, built vectorised in chunks of employees.

Candidates come from a KD-tree on 3-D unit-sphere coordinates (chord distance is monotone in
great-circle distance); every other rule is a numpy mask over the candidate pairs only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from .types import Employees, Exclusions, Needs

EARTH_RADIUS_KM = 6371.0088
CHUNK = 20_000


@dataclass(frozen=True, eq=False)
class Pairs:
    """Feasible pairs as row indices into Employees and Needs, with what scoring needs."""

    emp: np.ndarray
    need: np.ndarray
    distance_km: np.ndarray
    date_fraction: np.ndarray

    def __len__(self) -> int:
        return len(self.emp)


def unit_xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def km_to_chord(km: np.ndarray | float) -> np.ndarray:
    return 2.0 * np.sin(
        np.minimum(np.asarray(km, np.float64), np.pi * EARTH_RADIUS_KM) / (2 * EARTH_RADIUS_KM)
    )


def chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


class LevelLookup:
    """Vectorised lookup of an employee's level in a skill (0 when absent) in a sorted CSR."""

    def __init__(self, skills: sp.csr_matrix) -> None:
        self.n_skills = max(skills.shape[1], 1)
        rows = np.repeat(np.arange(skills.shape[0], dtype=np.int64), np.diff(skills.indptr))
        self.keys = rows * self.n_skills + skills.indices.astype(np.int64)
        self.levels = skills.data.astype(np.int16)

    def __call__(self, emp: np.ndarray, skill: np.ndarray) -> np.ndarray:
        if len(self.keys) == 0:
            return np.zeros(len(emp), np.int16)
        q = emp.astype(np.int64) * self.n_skills + skill.astype(np.int64)
        pos = np.minimum(np.searchsorted(self.keys, q), len(self.keys) - 1)
        return np.where(self.keys[pos] == q, self.levels[pos], 0).astype(np.int16)


def requirement_check(
    lookup: LevelLookup, req: sp.csr_matrix, emp: np.ndarray, need: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: number of requirements, number met, and the sum of level margins of those met.

    The need's requirements are expanded for the given pairs only (no employees × needs product).
    """
    counts = np.diff(req.indptr)[need]
    total = int(counts.sum())
    n = len(emp)
    if total == 0:
        return counts, np.zeros(n, np.int64), np.zeros(n)
    pair = np.repeat(np.arange(n), counts)
    first = np.cumsum(counts) - counts
    entry = np.repeat(req.indptr[need], counts) + (np.arange(total) - np.repeat(first, counts))
    wanted = req.data[entry].astype(np.int16)
    have = lookup(emp[pair], req.indices[entry])
    ok = have >= wanted
    met = np.bincount(pair, weights=ok, minlength=n).astype(np.int64)
    margin = np.where(ok, np.clip((have - wanted) / 3.0, 0.0, 1.0), 0.0)
    return counts, met, np.bincount(pair, weights=margin, minlength=n)


def _excluded(employees: Employees, needs: Needs, exclusions: Exclusions) -> np.ndarray:
    """Sorted keys emp_index * n_needs + need_index of the excluded pairs (unknown ids dropped)."""
    e_order, n_order = np.argsort(employees.ids), np.argsort(needs.ids)
    e_sorted, n_sorted = employees.ids[e_order], needs.ids[n_order]
    if len(e_sorted) == 0 or len(n_sorted) == 0:
        return np.empty(0, np.int64)
    ep = np.minimum(np.searchsorted(e_sorted, exclusions.employee_ids), len(e_sorted) - 1)
    np_ = np.minimum(np.searchsorted(n_sorted, exclusions.need_ids), len(n_sorted) - 1)
    known = (e_sorted[ep] == exclusions.employee_ids) & (n_sorted[np_] == exclusions.need_ids)
    keys = e_order[ep[known]].astype(np.int64) * len(needs) + n_order[np_[known]]
    return np.unique(keys)


def feasible_pairs(
    employees: Employees,
    needs: Needs,
    exclusions: Exclusions,
    min_date_coverage: float,
    chunk: int = CHUNK,
) -> Pairs:
    """All feasible pairs, sorted by (employee index, need index)."""
    n_skills = employees.skills.shape[1]
    if needs.mandatory.shape[1] != n_skills or needs.optional.shape[1] != n_skills:
        raise ValueError("employees and needs must use the same skill columns")
    empty = Pairs(*(np.empty(0, t) for t in (np.int64, np.int64, np.float64, np.float64)))
    if len(employees) == 0 or len(needs) == 0:
        return empty
    open_needs = np.flatnonzero(needs.positions > 0)
    if len(open_needs) == 0:
        return empty
    need_tree = cKDTree(unit_xyz(needs.lat[open_needs], needs.lon[open_needs]))
    emp_xyz = unit_xyz(employees.lat, employees.lon)
    emp_chord = km_to_chord(np.maximum(employees.max_commute_km, 0.0))
    excluded = _excluded(employees, needs, exclusions)
    lookup = LevelLookup(employees.skills)
    duration = (needs.end - needs.start + 1).astype(np.float64)
    # chunks of employees sorted by commute limit, so each chunk's query radius is tight
    by_commute = np.argsort(employees.max_commute_km, kind="stable")
    chunk = max(1, min(chunk, max(512, -(-len(employees) // 16))))
    parts = []
    for lo in range(0, len(employees), chunk):
        idx = by_commute[lo : lo + chunk]
        tree = cKDTree(emp_xyz[idx])
        radius = float(emp_chord[idx].max())
        coo = tree.sparse_distance_matrix(need_tree, radius * (1 + 1e-12), output_type="ndarray")
        if len(coo) == 0:
            continue
        e = idx[coo["i"]].astype(np.int64)
        chord = coo["v"].astype(np.float64)
        near = chord <= emp_chord[e] * (1 + 1e-12)
        e, chord, n = e[near], chord[near], open_needs[coo["j"][near]]
        km = chord_to_km(chord)
        keep = km <= employees.max_commute_km[e]
        keep &= employees.firm_ids[e] != needs.firm_ids[n]
        overlap = (
            np.minimum(employees.available_until[e], needs.end[n])
            - np.maximum(employees.available_from[e], needs.start[n])
            + 1
        )
        frac = np.clip(overlap, 0, None) / duration[n]
        keep &= (overlap > 0) & (frac >= min_date_coverage)
        budget = needs.budget[n]
        keep &= (budget <= 0) | (employees.monthly_cost[e] <= budget)
        e, n, km, frac = e[keep], n[keep], km[keep], frac[keep]
        if len(excluded):
            keep = ~np.isin(e * len(needs) + n, excluded, assume_unique=False)
            e, n, km, frac = e[keep], n[keep], km[keep], frac[keep]
        counts, met, _ = requirement_check(lookup, needs.mandatory, e, n)
        keep = met == counts
        parts.append((e[keep], n[keep], km[keep], frac[keep]))
    if not parts:
        return empty
    e, n, km, frac = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((n, e))
    return Pairs(e[order], n[order], km[order], frac[order])
