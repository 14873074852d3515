"""Independent re-checks for the benchmark: chosen pairs by rule, and a plain-Python builder."""

from __future__ import annotations

import math

import numpy as np

from .pairs import EARTH_RADIUS_KM
from .types import Employees, Needs


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def check_pairs(
    employees: Employees, needs: Needs, e: np.ndarray, n: np.ndarray, min_cov: float
) -> list[str]:
    """Vectorised re-check of chosen pairs (row indices); returns the failed rules."""
    errors = []
    if len(np.unique(e)) != len(e):
        errors.append("an employee is matched twice")
    if np.any(np.bincount(n, minlength=len(needs)) > needs.positions):
        errors.append("a need exceeds its positions")
    km = _haversine(employees.lat[e], employees.lon[e], needs.lat[n], needs.lon[n])
    if np.any(km > employees.max_commute_km[e] * (1 + 1e-9)):
        errors.append("commute limit")
    if np.any(employees.firm_ids[e] == needs.firm_ids[n]):
        errors.append("same firm")
    days = (
        np.minimum(employees.available_until[e], needs.end[n])
        - np.maximum(employees.available_from[e], needs.start[n])
        + 1
    )
    if np.any(days <= 0) or np.any(days / (needs.end[n] - needs.start[n] + 1) < min_cov):
        errors.append("date coverage")
    budget = needs.budget[n]
    if np.any((budget > 0) & (employees.monthly_cost[e] > budget)):
        errors.append("budget")
    # mandatory skills: need rows minus employee levels, rows of the pair matrices
    want = needs.mandatory[n]
    have = employees.skills[e]
    short = want.multiply(want > 0).astype(np.int32) - have.multiply(want > 0).astype(np.int32)
    if short.nnz and short.max() > 0:
        errors.append("mandatory skill")
    return errors


def naive_pairs(employees: Employees, needs: Needs, min_cov: float) -> set[tuple[int, int]]:
    """Plain Python double loop over employees × needs (row indices) of the same rules."""
    e_lat, e_lon = employees.lat.tolist(), employees.lon.tolist()
    e_max, e_firm = employees.max_commute_km.tolist(), employees.firm_ids.tolist()
    e_from, e_until = employees.available_from.tolist(), employees.available_until.tolist()
    e_cost = employees.monthly_cost.tolist()
    sk = employees.skills
    e_skills = [
        dict(
            zip(
                sk.indices[sk.indptr[i] : sk.indptr[i + 1]].tolist(),
                sk.data[sk.indptr[i] : sk.indptr[i + 1]].tolist(),
                strict=True,
            )
        )
        for i in range(len(employees))
    ]
    md = needs.mandatory
    n_req = [
        list(
            zip(
                md.indices[md.indptr[j] : md.indptr[j + 1]].tolist(),
                md.data[md.indptr[j] : md.indptr[j + 1]].tolist(),
                strict=True,
            )
        )
        for j in range(len(needs))
    ]
    n_lat, n_lon, n_firm = needs.lat.tolist(), needs.lon.tolist(), needs.firm_ids.tolist()
    n_start, n_end = needs.start.tolist(), needs.end.tolist()
    n_pos, n_budget = needs.positions.tolist(), needs.budget.tolist()
    out = set()
    for i in range(len(employees)):
        p1 = math.radians(e_lat[i])
        for j in range(len(needs)):
            if n_pos[j] <= 0 or e_firm[i] == n_firm[j]:
                continue
            p2 = math.radians(n_lat[j])
            dl = math.radians(n_lon[j] - e_lon[i])
            a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
            if 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a))) > e_max[i]:
                continue
            days = min(e_until[i], n_end[j]) - max(e_from[i], n_start[j]) + 1
            if days <= 0 or days / (n_end[j] - n_start[j] + 1) < min_cov:
                continue
            if n_budget[j] > 0 and e_cost[i] > n_budget[j]:
                continue
            have = e_skills[i]
            if all(have.get(s, 0) >= lvl for s, lvl in n_req[j]):
                out.add((i, j))
    return out
