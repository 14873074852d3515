"""Benchmark of the matching engine on a seeded synthetic round (see `synth`).

    python -m lending.matching.bench --preset S --verify --naive

One JSON line is printed per run: sizes, seconds per phase (pairs, score, solve), peak memory
(tracemalloc's peak during the engine call and the process's maximum resident set size).
`--verify` re-checks every chosen pair rule by rule and re-solves with the second method
("scipy": dense `linear_sum_assignment` and LAPJVsp on the position-expanded graph, slow at
L); it exits non-zero unless the totals are equal. `--naive` times a plain Python double loop
building the feasible pairs on a sample of employees and reports the vectorised speed-up.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc

import numpy as np

from . import Exclusions, Weights, match
from .checks import check_pairs, naive_pairs
from .pairs import feasible_pairs, rows_of
from .synth import generate, load_communes, load_skill_codes, round_of, subset

__all__ = ["PRESETS", "generate", "load_communes", "load_skill_codes", "main", "run"]

PRESETS = {"S": (5_000, 2_000), "M": (20_000, 8_000), "L": (50_000, 20_000)}
SECOND_METHOD = "scipy"


def _mib(n_bytes: float) -> float:
    return round(n_bytes / 2**20, 1)


def _verify(employees, needs, weights, result) -> dict:
    st = result.stats
    e, _ = rows_of(employees.ids, result.employee_ids)
    n, _ = rows_of(needs.ids, result.need_ids)
    errors = check_pairs(employees, needs, e, n, weights.min_date_coverage)
    t0 = time.perf_counter()
    second = match(employees, needs, Exclusions(), weights, method=SECOND_METHOD)
    out = {
        "verify_method": f"{SECOND_METHOD} (dense linear_sum_assignment + LAPJVsp)",
        "verify_objective": second.stats.objective,
        "verify_seconds_solve": round(second.stats.seconds_solve, 3),
        "seconds_verify": round(time.perf_counter() - t0, 3),
        "verify_feasibility": "ok" if not errors else "; ".join(errors),
    }
    if second.stats.objective != st.objective:
        errors.append(f"objective {st.objective} != {SECOND_METHOD} {second.stats.objective}")
    if second.stats.feasible_pairs != st.feasible_pairs:
        errors.append("feasible pairs differ between runs")
    out["verify"] = "ok" if not errors else "failed: " + "; ".join(errors)
    return out


def _naive(employees, needs, weights, seed: int, sample: int) -> dict:
    rng = np.random.default_rng(seed + 1)
    idx = np.sort(rng.choice(len(employees), min(sample, len(employees)), replace=False))
    sub = subset(employees, idx)
    t0 = time.perf_counter()
    fast = feasible_pairs(sub, needs, Exclusions(), weights.min_date_coverage)
    t1 = time.perf_counter()
    slow = naive_pairs(sub, needs, weights.min_date_coverage)
    t2 = time.perf_counter()
    return {
        "naive_sample_employees": len(idx),
        "naive_seconds": round(t2 - t1, 3),
        "vectorised_seconds": round(t1 - t0, 4),
        "naive_speedup": round((t2 - t1) / max(t1 - t0, 1e-9), 1),
        "naive_same_pairs": slow == set(zip(fast.emp.tolist(), fast.need.tolist(), strict=True)),
    }


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
    """One benchmark run: (the JSON-able figures, whether every requested check passed)."""
    weights = Weights()
    t0 = time.perf_counter()
    employees, needs = round_of(n_emp, n_need, seed)
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
        "seconds_score": round(st.seconds_score, 3),
        "seconds_solve": round(st.seconds_solve, 3),
        "seconds_engine": round(t3 - t2, 3),
        "peak_tracemalloc_mib": _mib(peak) if trace else None,
        "maxrss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024),
        "matched": st.matched,
        "total_score": st.total_score,
        "objective": st.objective,
        "match_rate_at_risk": round(st.match_rate_at_risk, 4),
        "match_rate_others": round(st.match_rate_others, 4),
        "components": st.components,
    }
    ok = True
    if verify:
        out.update(_verify(employees, needs, weights, result))
        ok = out["verify"] == "ok"
    if naive:
        out.update(_naive(employees, needs, weights, seed, sample))
        ok = ok and out["naive_same_pairs"]
    return out, ok


def main(argv: list[str] | None = None) -> int:
    """Command line entry (also behind the Flask CLI); 0 when every run passed its checks."""
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
            failed = [out.get("verify", "ok"), f"naive same pairs {out.get('naive_same_pairs')}"]
            print(f"{name}: check failed: {failed}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
