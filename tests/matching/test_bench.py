"""The benchmark command runs end to end on a tiny round, with --verify and --naive."""

from __future__ import annotations

import json
from dataclasses import replace

from lending.matching import bench, synth

KEYS = {
    "preset",
    "employees",
    "needs",
    "positions",
    "pairs",
    "pairs_per_employee",
    "seconds_generate",
    "seconds_pairs",
    "seconds_score",
    "seconds_solve",
    "seconds_engine",
    "peak_tracemalloc_mib",
    "maxrss_mib",
    "matched",
    "total_score",
    "match_rate_at_risk",
    "match_rate_others",
    "components",
    "verify",
    "verify_method",
    "verify_objective",
    "verify_feasibility",
    "naive_speedup",
    "naive_same_pairs",
}
TINY = ["--employees", "400", "--needs", "160", "--seed", "3"]


def test_bench_tiny_round_verifies(capsys):
    status = bench.main([*TINY, "--verify", "--naive"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert status == 0, out
    assert out.keys() >= KEYS
    assert out["preset"] == "custom"
    assert (out["employees"], out["needs"]) == (400, 160)
    assert out["verify"] == "ok"
    assert out["verify_method"].startswith("scipy")
    assert out["verify_objective"] == out["objective"]
    assert out["verify_feasibility"] == "ok"
    assert out["naive_same_pairs"] is True
    assert 0 < out["matched"] <= out["positions"]


def test_verify_fails_when_the_second_method_disagrees(monkeypatch, capsys):
    real = bench.match

    def off_by_one(*args, method="flow", **kwargs):
        result = real(*args, method=method, **kwargs)
        if method != "flow":
            stats = replace(result.stats, objective=result.stats.objective - 1)
            result = replace(result, stats=stats)
        return result

    monkeypatch.setattr(bench, "match", off_by_one)
    assert bench.main([*TINY, "--verify"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["verify"].startswith("failed: objective")
    assert "check failed" in captured.err


def test_generator_is_seeded_and_uses_occitanie():
    communes = synth.load_communes()
    n_skills = len(synth.load_skill_codes())
    a, _ = synth.generate(200, 80, 5, communes, n_skills)
    b, _ = synth.generate(200, 80, 5, communes, n_skills)
    assert (a.lat == b.lat).all()
    assert (a.skills != b.skills).nnz == 0
    # Occitanie lies roughly within 42.3..45.1 N and -0.4..4.9 E
    assert a.lat.min() > 42.2
    assert a.lat.max() < 45.2
    assert a.lon.min() > -0.5
    assert a.lon.max() < 5.0
    assert 0.0 < a.at_risk.mean() < 0.2
    assert ((a.max_commute_km >= 20) & (a.max_commute_km <= 60)).all()


def test_preset_s_with_verify(capsys):
    """The S preset (5,000 employees, 2,000 needs) verified by the second solver."""
    assert bench.main(["--preset", "S", "--verify"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (out["preset"], out["employees"], out["needs"]) == ("S", 5000, 2000)
    assert out["verify"] == "ok"
    assert out["verify_objective"] == out["objective"]
