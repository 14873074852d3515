"""Small counts are hidden and cannot be recovered from the totals."""

from lending.services.indicators import mask, mask_total


def test_small_counts_are_hidden():
    assert [mask(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]


def test_total_with_a_hidden_part_is_a_band():
    # 6 firms in one département and 3 in another: "9" would reveal the 3.
    assert mask_total(9, [6, 3]) == "5 – 9"
    assert mask_total(12, [6, 6]) == "12"
    assert mask_total(3, [3]) == "< 5"
    assert mask_total(0, []) == "0"
