"""Feasible (employee, need) pairs, built vectorised by KD-tree joins (see `join`).

Points are 3-D unit-sphere coordinates (chord distance is monotone in great-circle distance).
Needs are grouped by their rarest mandatory (skill, level), so the spatial join only returns
pairs whose employee already meets that requirement (a few times the feasible pairs, instead
of everyone within commute); every other rule is a numpy mask over those candidates only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from .types import Employees, Exclusions, Needs

EARTH_RADIUS_KM = 6371.0088
CHUNK = 32_768  # replicated employees per KD-tree query at most
MAX_CANDIDATES = 4_000_000  # estimated pairs per KD-tree query at most (bounds memory)
BAND_RATIO = 1.15  # a band's commute limits stay within this ratio of its smallest
DENSE_LEVELS = 64 * 2**20  # employees × skills cells of the dense level table at most
GROUP_GAP = 4.0  # more than the largest chord (2), so skill groups never meet


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


def great_circle_km(
    lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray
) -> np.ndarray:
    """Distance in km from each point a to the point b of the same row, as the engine
    measures it (degrees in; the same formula as the feasible pairs' `distance_km`)."""
    chord = unit_xyz(lat_a, lon_a) - unit_xyz(lat_b, lon_b)
    return chord_to_km(np.linalg.norm(chord, axis=1))


class LevelLookup:
    """Vectorised lookup of an employee's level in a skill (0 when absent).

    A dense int8 table employees × skills when it is small enough, else a search in the
    sorted CSR keys.
    """

    def __init__(self, skills: sp.csr_matrix) -> None:
        self.n_skills = max(skills.shape[1], 1)
        self.table = None
        if skills.shape[0] * self.n_skills <= DENSE_LEVELS:
            self.table = np.zeros((skills.shape[0], self.n_skills), np.int8)
            rows = np.repeat(np.arange(skills.shape[0]), np.diff(skills.indptr))
            self.table[rows, skills.indices] = skills.data
            return
        rows = np.repeat(np.arange(skills.shape[0], dtype=np.int64), np.diff(skills.indptr))
        self.keys = rows * self.n_skills + skills.indices.astype(np.int64)
        self.levels = skills.data.astype(np.int16)

    def __call__(self, emp: np.ndarray, skill: np.ndarray) -> np.ndarray:
        if self.table is not None:
            return self.table[emp, skill].astype(np.int16)
        if len(self.keys) == 0:
            return np.zeros(len(emp), np.int16)
        q = emp.astype(np.int64) * self.n_skills + skill.astype(np.int64)
        pos = np.minimum(np.searchsorted(self.keys, q), len(self.keys) - 1)
        return np.where(self.keys[pos] == q, self.levels[pos], 0).astype(np.int16)


def requirement_check(
    lookup: LevelLookup, req: sp.csr_matrix, emp: np.ndarray, need: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: number of requirements, number met, and the sum of level margins of those met.

    One pass per requirement rank k (a need's k-th requirement) over the pairs whose need has
    more than k requirements: no employees × needs product, no expanded copy of the pairs.
    """
    counts = np.diff(req.indptr)[need]
    start = req.indptr[:-1][need]
    met = np.zeros(len(emp), np.int64)
    margin = np.zeros(len(emp))
    idx = np.flatnonzero(counts > 0)
    for k in range(int(counts.max(initial=0))):
        if k:
            idx = idx[counts[idx] > k]
        entry = start[idx] + k
        wanted = req.data[entry]
        have = lookup(emp[idx], req.indices[entry])
        ok = have >= wanted
        met[idx] += ok
        margin[idx] += np.where(ok, np.clip((have - wanted) / 3.0, 0.0, 1.0), 0.0)
    return counts, met, margin


def meets_all(lookup: LevelLookup, req: sp.csr_matrix, emp: np.ndarray, need: np.ndarray):
    """Per pair: whether the employee meets every requirement of the need (mask)."""
    counts = np.diff(req.indptr)[need]
    start = req.indptr[:-1][need]
    ok = np.ones(len(emp), bool)
    idx = np.flatnonzero(counts > 0)
    for k in range(int(counts.max(initial=0))):
        idx = idx[counts[idx] > k]
        entry = start[idx] + k
        good = lookup(emp[idx], req.indices[entry]) >= req.data[entry]
        ok[idx[~good]] = False
        idx = idx[good]
    return ok


def rows_of(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row index of each wanted id in `ids` (unique), and whether it is known at all."""
    wanted = np.asarray(wanted, np.int64).ravel()
    if len(ids) == 0:
        return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
    order = np.argsort(ids)
    at = np.minimum(np.searchsorted(ids[order], wanted), len(ids) - 1)
    return order[at], ids[order[at]] == wanted


def excluded_keys(employees: Employees, needs: Needs, exclusions: Exclusions) -> np.ndarray:
    """Sorted keys emp_index * n_needs + need_index of the excluded pairs (unknown ids dropped)."""
    e, e_known = rows_of(employees.ids, exclusions.employee_ids)
    n, n_known = rows_of(needs.ids, exclusions.need_ids)
    known = e_known & n_known
    return np.unique(e[known].astype(np.int64) * len(needs) + n[known])


def rarest_requirement(employees: Employees, req: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Per need row: its mandatory (skill, level) held by the fewest employees, (-1, 0) if none.

    Ties go to the lowest skill column, so the choice is deterministic.
    """
    n_skills = req.shape[1]
    sk = employees.skills
    exact = np.bincount(
        sk.data.astype(np.int64) * n_skills + sk.indices, minlength=5 * n_skills
    ).reshape(5, n_skills)
    holders = exact[::-1].cumsum(axis=0)[::-1]  # holders[l, s]: employees with level >= l in s
    rows = np.repeat(np.arange(req.shape[0]), np.diff(req.indptr))
    order = np.lexsort((req.indices, holders[req.data, req.indices], rows))
    first = order[np.flatnonzero(np.diff(rows[order], prepend=-1))]
    skill = np.full(req.shape[0], -1, np.int64)
    level = np.zeros(req.shape[0], np.int64)
    skill[rows[first]] = req.indices[first]
    level[rows[first]] = req.data[first]
    return skill, level


def skill_groups(
    employees: Employees, need_skill: np.ndarray, need_level: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group id per need, and (employee, group id) memberships: who holds the group's key.

    A need's key is its rarest mandatory (skill, level); needs without mandatory skills share
    one key that every employee holds. An employee belongs to every used key it satisfies.
    """
    n_skills = max(employees.skills.shape[1], 1)
    everyone = 5 * n_skills
    need_key = np.where(need_skill >= 0, need_skill * 5 + need_level, everyone)
    used, need_gid = np.unique(need_key, return_inverse=True)
    sk = employees.skills
    rows = np.repeat(np.arange(sk.shape[0], dtype=np.int64), np.diff(sk.indptr))
    emp, gid = [], []
    for level in range(1, 5):
        has = sk.data >= level
        key = sk.indices[has].astype(np.int64) * 5 + level
        at = np.minimum(np.searchsorted(used, key), len(used) - 1)
        hit = used[at] == key
        emp.append(rows[has][hit])
        gid.append(at[hit])
    if used[-1] == everyone:
        emp.append(np.arange(len(employees), dtype=np.int64))
        gid.append(np.full(len(employees), len(used) - 1, np.int64))
    return need_gid.astype(np.int64), np.concatenate(emp), np.concatenate(gid)


def commute_bands(commute_km: np.ndarray, max_points: int) -> np.ndarray:
    """Bounds of consecutive runs of a sorted commute array, each within BAND_RATIO (or 1 km)
    of its first value and at most max_points long: the query radius of a band stays tight."""
    bounds, i, m = [0], 0, len(commute_km)
    while i < m:
        first = commute_km[i]
        limit = max(first * BAND_RATIO, first + 1.0) if np.isfinite(first) else np.inf
        j = int(np.searchsorted(commute_km, limit, side="right"))
        i = max(i + 1, min(j, i + max_points))
        bounds.append(i)
    return np.asarray(bounds)


def _split_dense_bands(bounds, emp_rep, gid_rep, emp_xyz, emp_chord, need_tree):
    """Yield (lo, hi) runs of the bands, splitting a band whose pair count, estimated on a
    sample of about 512 of its points, exceeds MAX_CANDIDATES."""
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        step = max(1, (hi - lo) // 512)
        sample = emp_rep[lo:hi:step]
        points = np.column_stack((emp_xyz[sample], GROUP_GAP * gid_rep[lo:hi:step]))
        radius = float(emp_chord[emp_rep[lo:hi]].max()) * (1 + 1e-12)
        estimate = cKDTree(points).count_neighbors(need_tree, radius) * step
        pieces = int(min(hi - lo, max(1, -(-estimate // MAX_CANDIDATES))))
        cuts = lo + (np.arange(pieces + 1) * (hi - lo)) // pieces
        yield from zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)


def join(
    employees: Employees,
    needs: Needs,
    need_rows: np.ndarray,
    *,
    employee_rows: np.ndarray | None = None,
    skills: bool = True,
    min_date_coverage: float | None = None,
    budget: bool = True,
    excluded: np.ndarray | None = None,
    chunk: int = CHUNK,
) -> Pairs:
    """Pairs of the given needs and employees (row indices) that pass the selected rules.

    Always: commute (each employee's own limit) and different firms. Then, when asked: every
    mandatory skill at level (`skills`), date coverage (`min_date_coverage` not None), budget,
    and the `excluded` keys (see `excluded_keys`). Unsorted.

    With `skills`, needs are grouped by their rarest mandatory (skill, level) and an employee is
    replicated once per group whose key it holds; a fourth coordinate (GROUP_GAP x group id,
    more than any chord apart) keeps groups apart, so one KD-tree query per commute band
    returns only the pairs within commute whose rarest requirement is met.
    """
    empty = Pairs(*(np.empty(0, t) for t in (np.int64, np.int64, np.float64, np.float64)))
    if employee_rows is None:
        employee_rows = np.arange(len(employees))
    if len(employee_rows) == 0 or len(need_rows) == 0:
        return empty
    if skills:
        skill, level = rarest_requirement(employees, needs.mandatory[need_rows])
        need_gid, emp_rep, gid_rep = skill_groups(employees, skill, level)
        active = np.zeros(len(employees), bool)
        active[employee_rows] = True
        keep = active[emp_rep]
        emp_rep, gid_rep = emp_rep[keep], gid_rep[keep]
    else:
        need_gid = np.zeros(len(need_rows), np.int64)
        emp_rep = employee_rows.astype(np.int64)
        gid_rep = np.zeros(len(emp_rep), np.int64)
    if len(emp_rep) == 0:
        return empty
    need_tree = cKDTree(
        np.column_stack(
            (unit_xyz(needs.lat[need_rows], needs.lon[need_rows]), GROUP_GAP * need_gid)
        )
    )
    emp_xyz = unit_xyz(employees.lat, employees.lon)
    commute = employees.max_commute_km
    emp_chord = km_to_chord(np.maximum(commute, 0.0))
    lookup = LevelLookup(employees.skills) if skills else None
    duration = (needs.end - needs.start + 1).astype(np.float64)
    # replicated employees sorted by commute limit, so each band's query radius is tight
    order = np.lexsort((emp_rep, commute[emp_rep]))
    emp_rep, gid_rep = emp_rep[order], gid_rep[order]
    bounds = commute_bands(commute[emp_rep], max(512, chunk))
    parts = []
    for lo, hi in _split_dense_bands(bounds, emp_rep, gid_rep, emp_xyz, emp_chord, need_tree):
        e_band = emp_rep[lo:hi]
        tree = cKDTree(np.column_stack((emp_xyz[e_band], GROUP_GAP * gid_rep[lo:hi])))
        radius = float(emp_chord[e_band].max())
        coo = tree.sparse_distance_matrix(need_tree, radius * (1 + 1e-12), output_type="ndarray")
        if len(coo) == 0:
            continue
        e = e_band[coo["i"]]
        chord = coo["v"]
        n = need_rows[coo["j"]]
        del coo
        keep = chord <= emp_chord[e] * (1 + 1e-12)
        keep &= employees.firm_ids[e] != needs.firm_ids[n]
        overlap = (
            np.minimum(employees.available_until[e], needs.end[n])
            - np.maximum(employees.available_from[e], needs.start[n])
            + 1
        )
        frac = np.maximum(overlap, 0) / duration[n]
        if min_date_coverage is not None:
            keep &= (overlap > 0) & (frac >= min_date_coverage)
        if budget:
            cap = needs.budget[n]
            keep &= (cap <= 0) | (employees.monthly_cost[e] <= cap)
        e, n, chord, frac = e[keep], n[keep], chord[keep], frac[keep]
        km = chord_to_km(chord)
        keep = km <= commute[e]
        if excluded is not None and len(excluded):
            keep &= ~np.isin(e * len(needs) + n, excluded)
        if lookup is not None:
            keep[keep] = meets_all(lookup, needs.mandatory, e[keep], n[keep])
        parts.append((e[keep], n[keep], km[keep], frac[keep]))
    if not parts:
        return empty
    return Pairs(*(np.concatenate(x) for x in zip(*parts, strict=True)))


def check_skill_columns(employees: Employees, needs: Needs) -> None:
    n_skills = employees.skills.shape[1]
    if needs.mandatory.shape[1] != n_skills or needs.optional.shape[1] != n_skills:
        raise ValueError("employees and needs must use the same skill columns")


def feasible_pairs(
    employees: Employees,
    needs: Needs,
    exclusions: Exclusions,
    min_date_coverage: float,
    chunk: int = CHUNK,
    *,
    positions: np.ndarray | None = None,
    employee_rows: np.ndarray | None = None,
) -> Pairs:
    """All feasible pairs, sorted by (employee index, need index).

    `positions` overrides the needs' positions (needs with none left get no pair) and
    `employee_rows` restricts the employees (both used for pairs locked in earlier rounds).
    """
    check_skill_columns(employees, needs)
    positions = needs.positions if positions is None else positions
    pairs = join(
        employees,
        needs,
        np.flatnonzero(positions > 0),
        employee_rows=employee_rows,
        min_date_coverage=min_date_coverage,
        excluded=excluded_keys(employees, needs, exclusions),
        chunk=chunk,
    )
    order = np.argsort(pairs.emp * max(len(needs), 1) + pairs.need)
    return Pairs(
        pairs.emp[order], pairs.need[order], pairs.distance_km[order], pairs.date_fraction[order]
    )
