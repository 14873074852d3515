"""Benchmark of the matching engine on a seeded synthetic round (numpy/scipy only).

    python -m lending.matching.bench --preset S --verify --naive

Employees' homes and need sites are communes of the 13 Occitanie départements drawn weighted by
population; skills come from the starter taxonomy with Zipf-like popularity. One JSON line is
printed per run. `--verify` re-solves densely (when small enough) and re-checks every chosen
pair; it exits non-zero on any mismatch. `--naive` times a plain Python double loop building
the feasible pairs on a sample of employees and reports the vectorised builder's speed-up.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment, linprog

from . import Employees, Exclusions, Needs, Weights, match
from .pairs import EARTH_RADIUS_KM, feasible_pairs
from .score import score_pairs

DATA = Path(__file__).resolve().parent.parent / "reference" / "data"
COMMUNES = DATA / "communes.csv.gz"
SKILLS = DATA / "skills" / "skills.csv"
DEPARTEMENTS = frozenset(
    ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82")
)
PRESETS = {"S": (5_000, 2_000), "M": (20_000, 8_000), "L": (50_000, 20_000)}
DENSE_VERIFY_CELLS = 9_000_000  # employees × positions (≈ 3,000 × 3,000) for the dense re-solve
LP_VERIFY_PAIRS = 600_000  # above the dense limit: LP relaxation (integral, bipartite b-matching)
AT_RISK_SHARE = 0.07
HORIZON = 180  # days


@dataclass(frozen=True)
class Communes:
    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray  # population share, sums to 1


def load_communes(path: Path = COMMUNES) -> Communes:
    lat, lon, pop = [], [], []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["departement_code"] in DEPARTEMENTS and row["latitude"] and row["longitude"]:
                lat.append(float(row["latitude"]))
                lon.append(float(row["longitude"]))
                pop.append(max(float(row["population"] or 0), 1.0))
    weight = np.asarray(pop)
    return Communes(np.asarray(lat), np.asarray(lon), weight / weight.sum())


def load_skill_codes(path: Path = SKILLS) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row["code"] for row in csv.DictReader(f) if row.get("code")]


def _skill_matrix(
    rng: np.random.Generator,
    rows: int,
    n_skills: int,
    popularity: np.ndarray,
    counts: np.ndarray,
    levels: tuple[int, int],
) -> sp.csr_matrix:
    """CSR rows × skills with `counts[i]` distinct skills per row, drawn by popularity."""
    width = int(counts.max()) if rows else 0
    if width == 0:
        return sp.csr_matrix((rows, n_skills), dtype=np.int16)
    # draw a few extra then keep the first distinct ones per row
    draw = rng.choice(n_skills, size=(rows, 2 * width + 2), p=popularity)
    r, c = [], []
    for i in range(rows):
        _, first = np.unique(draw[i], return_index=True)
        picked = draw[i][np.sort(first)][: counts[i]]
        r.append(np.full(len(picked), i))
        c.append(picked)
    rr, cc = np.concatenate(r), np.concatenate(c)
    data = rng.integers(levels[0], levels[1] + 1, len(rr))
    return sp.csr_matrix((data, (rr, cc)), shape=(rows, n_skills), dtype=np.int16)


def generate(
    n_emp: int, n_need: int, seed: int, communes: Communes, n_skills: int
) -> tuple[Employees, Needs]:
    rng = np.random.default_rng(seed)
    # Zipf-like skill popularity over a random order of the taxonomy
    rank = rng.permutation(n_skills) + 1
    popularity = 1.0 / rank**1.1
    popularity /= popularity.sum()
    jitter = 0.01  # degrees, ≈1 km, so that a commune's residents are not all on one point

    home = rng.choice(len(communes.weight), n_emp, p=communes.weight)
    site = rng.choice(len(communes.weight), n_need, p=communes.weight)
    n_firms = max(2, (n_emp + n_need) // 40)
    avail = rng.integers(0, HORIZON - 30, n_emp)
    employees = Employees(
        ids=np.arange(1, n_emp + 1),
        lat=communes.lat[home] + rng.uniform(-jitter, jitter, n_emp),
        lon=communes.lon[home] + rng.uniform(-jitter, jitter, n_emp),
        max_commute_km=rng.uniform(20.0, 60.0, n_emp),
        available_from=avail,
        available_until=avail + rng.integers(30, HORIZON, n_emp),
        firm_ids=rng.integers(1, n_firms + 1, n_emp),
        skills=_skill_matrix(rng, n_emp, n_skills, popularity, rng.integers(3, 9, n_emp), (1, 4)),
        monthly_cost=rng.uniform(2_500.0, 6_000.0, n_emp),
        at_risk=rng.random(n_emp) < AT_RISK_SHARE,
    )
    start = rng.integers(0, HORIZON - 20, n_need)
    needs = Needs(
        ids=np.arange(1, n_need + 1),
        lat=communes.lat[site] + rng.uniform(-jitter, jitter, n_need),
        lon=communes.lon[site] + rng.uniform(-jitter, jitter, n_need),
        firm_ids=rng.integers(1, n_firms + 1, n_need),
        start=start,
        end=start + rng.integers(10, 90, n_need),
        positions=rng.choice(np.arange(1, 6), n_need, p=[0.45, 0.25, 0.15, 0.1, 0.05]),
        budget=np.where(rng.random(n_need) < 0.4, rng.uniform(3_500.0, 7_000.0, n_need), 0.0),
        mandatory=_skill_matrix(
            rng, n_need, n_skills, popularity, rng.choice([1, 2, 3, 3], n_need), (1, 3)
        ),
        optional=_skill_matrix(
            rng, n_need, n_skills, popularity, rng.integers(0, 4, n_need), (1, 4)
        ),
    )
    return employees, needs


def _subset(employees: Employees, idx: np.ndarray) -> Employees:
    return Employees(
        ids=employees.ids[idx],
        lat=employees.lat[idx],
        lon=employees.lon[idx],
        max_commute_km=employees.max_commute_km[idx],
        available_from=employees.available_from[idx],
        available_until=employees.available_until[idx],
        firm_ids=employees.firm_ids[idx],
        skills=employees.skills[idx],
        monthly_cost=employees.monthly_cost[idx],
        at_risk=employees.at_risk[idx],
    )


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


def second_objective(
    employees: Employees, needs: Needs, weights: Weights, n_pairs: int
) -> tuple[str, int] | None:
    """(method, optimum of the solver's objective) by a second method, or None if too large.

    Dense `linear_sum_assignment` over the position-expanded matrix (zero profit = unmatched)
    when it fits, else the LP relaxation by HiGHS: the constraint matrix of a bipartite
    b-matching is totally unimodular, so the LP optimum equals the integer optimum.
    """
    positions = int(needs.positions.sum())
    dense = len(employees) * positions <= DENSE_VERIFY_CELLS
    if not dense and n_pairs > LP_VERIFY_PAIRS:
        return None
    pairs = feasible_pairs(employees, needs, Exclusions(), weights.min_date_coverage)
    if len(pairs) == 0:
        return "empty", 0
    scores = score_pairs(employees, needs, pairs, weights)
    if dense:
        offset = np.concatenate(([0], np.cumsum(needs.positions)))
        profit = np.zeros((len(employees), max(positions, 1)), np.int64)
        for k in range(int(needs.positions.max(initial=0))):
            has = needs.positions[pairs.need] > k
            profit[pairs.emp[has], offset[pairs.need[has]] + k] = scores.profit[has]
        rows, cols = linear_sum_assignment(profit, maximize=True)
        return "dense linear_sum_assignment", int(profit[rows, cols].sum())
    m = len(pairs)
    ones, col = np.ones(m), np.arange(m)
    a_ub = sp.vstack(
        (
            sp.csr_matrix((ones, (pairs.emp, col)), shape=(len(employees), m)),
            sp.csr_matrix((ones, (pairs.need, col)), shape=(len(needs), m)),
        )
    ).tocsr()
    b_ub = np.concatenate((np.ones(len(employees)), needs.positions.astype(np.float64)))
    lp = linprog(
        -scores.profit.astype(np.float64), A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs"
    )
    if lp.status != 0:
        raise RuntimeError(f"verify LP failed: {lp.message}")
    return "LP relaxation (HiGHS)", int(round(-lp.fun))


def naive_pairs(employees: Employees, needs: Needs, min_cov: float) -> set[tuple[int, int]]:
    """Plain Python double loop over employees × needs (row indices) of the same rules."""
    e_lat, e_lon = employees.lat.tolist(), employees.lon.tolist()
    e_max, e_firm = employees.max_commute_km.tolist(), employees.firm_ids.tolist()
    e_from, e_until = employees.available_from.tolist(), employees.available_until.tolist()
    e_cost = employees.monthly_cost.tolist()
    sk = employees.skills
    e_skills = [
        dict(zip(sk.indices[sk.indptr[i] : sk.indptr[i + 1]].tolist(),
                 sk.data[sk.indptr[i] : sk.indptr[i + 1]].tolist(), strict=True))
        for i in range(len(employees))
    ]  # fmt: skip
    md = needs.mandatory
    n_req = [
        list(zip(md.indices[md.indptr[j] : md.indptr[j + 1]].tolist(),
                 md.data[md.indptr[j] : md.indptr[j + 1]].tolist(), strict=True))
        for j in range(len(needs))
    ]  # fmt: skip
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


def run(
    name: str,
    n_emp: int,
    n_need: int,
    seed: int,
    verify: bool,
    naive: bool,
    sample: int,
    trace: bool = True,
) -> tuple[dict, bool]:
    weights = Weights()
    t0 = time.perf_counter()
    communes = load_communes()
    n_skills = len(load_skill_codes())
    employees, needs = generate(n_emp, n_need, seed, communes, n_skills)
    t1 = time.perf_counter()
    if trace:
        tracemalloc.start()
    t2 = time.perf_counter()
    result = match(employees, needs, Exclusions(), weights)
    t3 = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    st = result.stats
    out: dict = {
        "preset": name,
        "seed": seed,
        "employees": st.employees,
        "needs": st.needs,
        "positions": st.positions,
        "pairs": st.feasible_pairs,
        "pairs_per_employee": round(st.feasible_pairs / max(st.employees, 1), 2),
        "seconds_generate": round(t1 - t0, 3),
        "seconds_pairs": round(st.seconds_pairs, 3),
        "seconds_solve": round(st.seconds_solve, 3),
        "seconds_engine": round(t3 - t2, 3),
        "peak_tracemalloc_mib": round(peak / 2**20, 1) if trace else None,
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "matched": st.matched,
        "total_score": st.total_score,
        "objective": st.objective,
        "match_rate_at_risk": round(st.match_rate_at_risk, 4),
        "match_rate_others": round(st.match_rate_others, 4),
        "components": st.components,
    }
    ok = True
    if verify:
        e_index = np.searchsorted(employees.ids, result.employee_ids)  # ids are 1..n, sorted
        n_index = np.searchsorted(needs.ids, result.need_ids)
        errors = check_pairs(employees, needs, e_index, n_index, weights.min_date_coverage)
        t_verify = time.perf_counter()
        second = second_objective(employees, needs, weights, st.feasible_pairs)
        if second is None:
            out["verify"] = "verify skipped: too large"
        else:
            out["verify_method"], out["verify_objective"] = second
            if second[1] != st.objective:
                errors.append(f"objective {st.objective} != {second[0]} {second[1]}")
        out["verify_feasibility"] = "ok" if not errors else "; ".join(errors)
        if second is not None:
            out["verify"] = "ok" if not errors else "failed"
        out["seconds_verify"] = round(time.perf_counter() - t_verify, 3)
        ok = not errors
    if naive:
        rng = np.random.default_rng(seed + 1)
        idx = np.sort(rng.choice(n_emp, min(sample, n_emp), replace=False))
        sub = _subset(employees, idx)
        t4 = time.perf_counter()
        fast = feasible_pairs(sub, needs, Exclusions(), weights.min_date_coverage)
        t5 = time.perf_counter()
        slow = naive_pairs(sub, needs, weights.min_date_coverage)
        t6 = time.perf_counter()
        same = slow == set(zip(fast.emp.tolist(), fast.need.tolist(), strict=True))
        out["naive_sample_employees"] = len(idx)
        out["naive_seconds"] = round(t6 - t5, 3)
        out["vectorised_seconds"] = round(t5 - t4, 4)
        out["naive_speedup"] = round((t6 - t5) / max(t5 - t4, 1e-9), 1)
        out["naive_same_pairs"] = same
        ok = ok and same
    return out, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lending.matching.bench", description=__doc__)
    parser.add_argument("--preset", action="append", choices=[*PRESETS, "all"])
    parser.add_argument("--employees", type=int, help="custom size (with --needs)")
    parser.add_argument("--needs", type=int, help="custom size (with --employees)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--naive", action="store_true")
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="time the engine without tracemalloc"
    )
    args = parser.parse_args(argv)
    runs: list[tuple[str, int, int]] = []
    if (args.employees is None) != (args.needs is None):
        parser.error("--employees and --needs go together")
    if args.employees is not None:
        runs.append(("custom", args.employees, args.needs))
    presets = args.preset or ([] if runs else ["S"])
    if "all" in presets:
        presets = list(PRESETS)
    runs += [(p, *PRESETS[p]) for p in dict.fromkeys(presets)]
    status = 0
    for name, n_emp, n_need in runs:
        out, ok = run(
            name,
            n_emp,
            n_need,
            args.seed,
            args.verify,
            args.naive,
            args.naive_sample,
            trace=not args.no_tracemalloc,
        )
        print(json.dumps(out), flush=True)
        if not ok:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
