"""Pairs locked in earlier rounds: their employees stay out, their positions stay taken."""

from __future__ import annotations

from lending.matching import Exclusions, Locked, match

from .crafted import employees, needs


def test_locked_employee_is_not_matched_again():
    # 11 (more skilled) would win need 5; it is locked elsewhere, so 12 gets the position
    pool = employees({"skill": 4}, {"skill": 2})
    result = match(pool, needs({}), locked=Locked([11], [99]))
    assert result.pairs() == [(12, 5)]
    assert result.unmatched_employee_ids.tolist() == []  # 11 is placed, not unmatched
    assert result.stats.locked == 0  # need 99 is unknown: no position of this round taken


def test_locked_pair_takes_a_position():
    pool = employees({}, {}, {})
    full = match(pool, needs({"positions": 1}), locked=Locked([77], [5]))
    assert full.pairs() == []  # the only position is taken by a locked pair
    assert full.unmatched_need_ids.tolist() == []
    assert full.stats.locked == 1
    assert len(full.unmatched_employee_ids) == 3
    half = match(pool, needs({"positions": 2}), locked=Locked([11], [5]))
    assert half.pairs() in ([(12, 5)], [(13, 5)])  # one position left, 11 kept out
    assert half.unmatched_need_ids.tolist() == []
    assert half.stats.locked == 1


def test_locked_pairs_are_not_returned_and_unknown_ids_are_ignored():
    pool = employees({}, {})
    result = match(
        pool,
        needs({"positions": 3}),
        Exclusions(),
        locked=Locked([11, 404, 405], [5, 5, 606]),
    )
    # 11 locked to 5 (one position), 404 unknown but its pair takes a second one
    assert result.pairs() == [(12, 5)]
    assert result.stats.locked == 2
    assert result.unmatched_need_ids.tolist() == []
    assert result.remaining_positions.tolist() == []


def test_locked_counts_as_matched_in_rates():
    pool = employees({"at_risk": True}, {"at_risk": False, "max_commute_km": 0.0})
    result = match(pool, needs({"lat": 46.5}), locked=Locked([11], [5]))
    assert result.pairs() == []
    assert result.stats.match_rate_at_risk == 1.0
    assert result.stats.match_rate_others == 0.0


def test_more_locked_than_positions():
    result = match(employees({}), needs({"positions": 1}), locked=Locked([70, 71], [5, 5]))
    assert result.pairs() == []
    assert result.unmatched_need_ids.tolist() == []
    assert result.stats.locked == 2
