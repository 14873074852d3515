"""explain_unmatched names, per need, the first rule (in UNMATCHED_REASONS order) that leaves
it no one; each code is reached by a crafted round and agrees with a plain-Python version."""

from __future__ import annotations

import pytest

from lending.matching import (
    UNMATCHED_REASONS,
    Exclusions,
    Weights,
    explain,
    explain_unmatched,
    match,
)

from .crafted import employees, km_north, needs
from .instances import random_instance, reason_slow

WEIGHTS = Weights()


def reasons(pool, wanted, exclusions=None):
    return explain_unmatched(pool, wanted, exclusions, WEIGHTS, wanted.ids.tolist())


def test_codes_are_in_order():
    assert UNMATCHED_REASONS == (
        "no_one_in_commute",
        "missing_skill",
        "dates",
        "budget",
        "excluded",
        "competition",
    )


@pytest.mark.parametrize(
    ("employee", "need", "expected"),
    [
        ({"lat": km_north(31)}, {}, "no_one_in_commute"),  # 31 km away, 30 km limit
        ({"firm_ids": 2}, {}, "no_one_in_commute"),  # only the need's own firm nearby
        ({"skill": 1}, {}, "missing_skill"),
        ({"skill": 1, "available_until": 5}, {}, "missing_skill"),  # skills come before dates
        ({"available_until": 20}, {}, "dates"),  # 11 of 31 days < half
        ({"available_until": 20, "monthly_cost": 9000.0}, {"budget": 4000.0}, "dates"),
        ({"monthly_cost": 4500.0}, {"budget": 4000.0}, "budget"),
        ({}, {}, "competition"),  # feasible: asked anyway, someone else got it
    ],
)
def test_each_reason_from_a_single_pair(employee, need, expected):
    assert reasons(employees(employee), needs(need)) == {5: expected}


def test_excluded_only_when_every_feasible_pair_is_excluded():
    pool = employees({}, {"skill": 1})  # 12 is not feasible anyway
    assert reasons(pool, needs({}), Exclusions([11], [5])) == {5: "excluded"}
    pool = employees({}, {})
    assert reasons(pool, needs({}), Exclusions([11], [5])) == {5: "competition"}


def test_competition_after_match():
    """One employee, two needs: the loser is told "competition"."""
    pool = employees({})
    wanted = needs({"mandatory": 3}, {"mandatory": 1})
    result = match(pool, wanted)
    assert result.pairs() == [(11, 6)]  # two levels above the minimum: the better fit
    assert result.unmatched_need_ids.tolist() == [5]
    assert explain_unmatched(pool, wanted, None, None, result.unmatched_need_ids) == {
        5: "competition"
    }


def test_the_best_candidate_counts_not_the_first():
    """Reasons are per need over all candidates: one is far, one lacks the skill, one has
    the skill but not the dates: the furthest stage reached wins."""
    pool = employees({"lat": km_north(50)}, {"skill": 0}, {"available_until": 12})
    assert reasons(pool, needs({})) == {5: "dates"}


def test_unknown_and_repeated_ids():
    pool = employees({})
    wanted = needs({}, {"lat": km_north(80)})
    assert explain_unmatched(pool, wanted, None, None, [6, 404, 6]) == {6: "no_one_in_commute"}
    assert explain_unmatched(pool, wanted, None, None, []) == {}


def test_needs_without_positions_are_explained_too():
    assert reasons(employees({}), needs({"positions": 0})) == {5: "competition"}


@pytest.mark.parametrize("nearest", [1, 16])
def test_agrees_with_plain_python_on_random_rounds(monkeypatch, nearest):
    """nearest=1 leaves many needs undecided by the nearest employees: the join settles them."""
    monkeypatch.setattr(explain, "NEED_CHUNK", 7)  # several chunks per join
    monkeypatch.setattr(explain, "NEAREST", nearest)
    seen = set()
    for seed in range(40):
        box = 0.3 if seed % 2 else 2.0  # wide boxes leave some needs with no one in commute
        pool, wanted, exclusions = random_instance(
            2000 + seed, 12 + seed % 20, 5 + seed % 15, box=box
        )
        got = explain_unmatched(pool, wanted, exclusions, WEIGHTS, wanted.ids)
        assert set(got) == set(wanted.ids.tolist())
        for j, need_id in enumerate(wanted.ids.tolist()):
            slow = reason_slow(pool, wanted, exclusions, WEIGHTS.min_date_coverage, j)
            assert got[need_id] == (slow or "competition"), (seed, need_id)
            seen.add(got[need_id])
    assert seen == set(UNMATCHED_REASONS)
