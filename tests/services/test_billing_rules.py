"""Non-profit billing: monthly prorating on calendar days, what each regime lets the lender
bill (legal.md §2). Pure functions: no database."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lending.models.agreement import BillingRegime
from lending.services.deals.billing_rules import (
    MonthFigures,
    billed_for,
    check_billed,
    euros,
    months_of,
    prorate,
)
from lending.services.errors import ServiceError

SALARY, CHARGES, EXPENSES = 310_000, 130_200, 6_200  # multiples of 31: exact in January
PARTIAL_REGIMES = [r for r in BillingRegime if r != BillingRegime.COST_PRICE]


def figures(month, start, end, amounts=(SALARY, CHARGES, EXPENSES)):
    return prorate(month, start, end, *amounts)


def test_a_full_month_bills_the_monthly_amounts():
    f = figures(date(2025, 3, 1), date(2025, 1, 15), date(2025, 6, 30))
    assert f == MonthFigures(date(2025, 3, 1), 31, 31, SALARY, CHARGES, EXPENSES, 446_400)


def test_the_month_is_given_by_any_of_its_days():
    assert figures(date(2025, 3, 17), date(2025, 1, 15), date(2025, 6, 30)).month == date(
        2025, 3, 1
    )


def test_a_partial_first_month_counts_calendar_days_from_the_start():
    # 15 → 31 January: 17 days of 31.
    f = figures(date(2025, 1, 1), date(2025, 1, 15), date(2025, 6, 30))
    assert (f.days_on_loan, f.days_in_month) == (17, 31)
    assert (f.salary_cents, f.charges_cents, f.expenses_cents) == (170_000, 71_400, 3_400)
    assert f.cost_cents == 170_000 + 71_400 + 3_400


def test_a_partial_last_month_counts_calendar_days_to_the_end_inclusive():
    # 1 → 10 June: 10 days of 30. 310 000 × 10 / 30 = 103 333.33…
    f = figures(date(2025, 6, 1), date(2025, 1, 15), date(2025, 6, 10))
    assert (f.days_on_loan, f.days_in_month) == (10, 30)
    assert (f.salary_cents, f.charges_cents, f.expenses_cents) == (103_333, 43_400, 2_067)


@pytest.mark.parametrize(
    ("year", "days_in_month", "days_on_loan"),
    [(2025, 28, 14), (2024, 29, 15), (2000, 29, 15), (2100, 28, 14)],
)
def test_february_and_leap_years(year, days_in_month, days_on_loan):
    f = figures(date(year, 2, 1), date(year, 2, 15), date(year, 12, 31))
    assert (f.days_on_loan, f.days_in_month) == (days_on_loan, days_in_month)
    full = figures(date(year, 2, 1), date(year, 1, 1), date(year, 12, 31))
    assert (full.days_in_month, full.cost_cents) == (days_in_month, SALARY + CHARGES + EXPENSES)


def test_a_loan_of_one_day():
    day = date(2025, 4, 10)
    f = figures(day, day, day)
    assert (f.days_on_loan, f.days_in_month) == (1, 30)
    assert (f.salary_cents, f.charges_cents, f.expenses_cents) == (10_333, 4_340, 207)
    assert months_of(day, day) == [date(2025, 4, 1)]


@pytest.mark.parametrize("month", [date(2025, 3, 1), date(2025, 7, 1)])
def test_a_month_outside_the_loan_gives_zeros(month):
    f = figures(month, date(2025, 4, 10), date(2025, 6, 5))
    assert f == MonthFigures(month, 0, f.days_in_month, 0, 0, 0, 0)


def test_the_cost_is_the_sum_of_the_rounded_parts():
    # 1 cent each over 15 days of 30: each part is 0.5 → 1, the cost is 3 (not round(1.5)).
    f = prorate(date(2025, 4, 1), date(2025, 4, 16), date(2025, 5, 31), 1, 1, 1)
    assert (f.salary_cents, f.charges_cents, f.expenses_cents, f.cost_cents) == (1, 1, 1, 3)


@pytest.mark.parametrize(("amount", "expected"), [(1, 1), (3, 2), (5, 3), (99, 50), (100, 50)])
def test_rounding_is_half_up(amount, expected):
    # 15 days of 30: half of each amount; 2.5 → 3 (banker's rounding would give 2).
    f = prorate(date(2025, 4, 1), date(2025, 4, 16), date(2025, 5, 31), amount, 0, 0)
    assert f.salary_cents == expected


def test_months_of_a_loan():
    assert months_of(date(2024, 11, 20), date(2025, 2, 3)) == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
    assert months_of(date(2025, 1, 31), date(2025, 2, 1)) == [date(2025, 1, 1), date(2025, 2, 1)]
    assert months_of(date(2025, 2, 1), date(2025, 1, 31)) == []


def test_euros_are_shown_the_french_way():
    assert euros(123_456) == "1\u202f234,56\u00a0€"
    assert euros(5) == "0,05\u00a0€"
    assert euros(-1_000_000_00) == "-1\u202f000\u202f000,00\u00a0€"


def test_cost_price_bills_exactly_the_cost():
    check_billed(BillingRegime.COST_PRICE, 100_000, 100_000)
    with pytest.raises(ServiceError, match="exactement le coût du mois") as error:
        check_billed(BillingRegime.COST_PRICE, 100_000, 99_999)
    assert error.value.field == "billed_cents"


@pytest.mark.parametrize("regime", list(BillingRegime))
def test_billing_above_the_cost_is_a_profit(regime):
    with pytest.raises(ServiceError) as error:
        check_billed(regime, 100_000, 100_001)
    assert error.value.message.startswith(
        "L8241-1 : le prêt ne peut pas générer de bénéfice ; 1\u202f000,01\u00a0€ facturés"
    )


@pytest.mark.parametrize("regime", PARTIAL_REGIMES)
@pytest.mark.parametrize("billed", [0, 1, 50_000, 100_000])
def test_other_regimes_bill_up_to_the_cost(regime, billed):
    check_billed(regime, 100_000, billed)


@pytest.mark.parametrize("regime", list(BillingRegime))
def test_a_negative_amount_is_refused(regime):
    with pytest.raises(ServiceError, match="ne peut pas être négatif"):
        check_billed(regime, 0, -1)


def test_cost_price_bills_the_whole_cost_whatever_the_share():
    assert billed_for(BillingRegime.COST_PRICE, 12_345, 40) == 12_345
    assert billed_for(BillingRegime.COST_PRICE, 12_345, 100) == 12_345


@pytest.mark.parametrize("regime", PARTIAL_REGIMES)
@pytest.mark.parametrize(
    ("cost", "share", "expected"),
    [(101, 50, 51), (12_345, 0, 0), (12_345, 100, 12_345), (3, 50, 2), (99_999, 33, 33_000)],
)
def test_other_regimes_bill_the_share_rounded_half_up(regime, cost, share, expected):
    billed = billed_for(regime, cost, share)
    assert billed == expected
    check_billed(regime, cost, billed)


@pytest.mark.parametrize("share", [-1, 101])
def test_a_share_outside_0_to_100_is_refused(share):
    with pytest.raises(ServiceError, match="va de 0 à 100 % du coût") as error:
        billed_for(BillingRegime.L8241_3, 1_000, share)
    assert error.value.field == "billed_share_pct"


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


@settings(max_examples=60, deadline=None, database=None)
@given(
    start=st.dates(date(2019, 1, 1), date(2031, 12, 31)),
    length=st.integers(0, 900),
    amounts=st.tuples(*[st.integers(0, 2_000_000)] * 3),
)
def test_months_add_up_to_the_day_by_day_cost(start, length, amounts):
    end = start + timedelta(days=length)
    months = [prorate(m, start, end, *amounts) for m in months_of(start, end)]
    assert sum(f.days_on_loan for f in months) == length + 1
    # Day by day, each day costs the monthly amount over the days of its month (exact).
    exact = sum(
        Fraction(sum(amounts), prorate(day, day, day, 0, 0, 0).days_in_month)
        for day in _days(start, end)
    )
    # Each of the three parts of a month is rounded once: at most half a cent off.
    assert abs(sum(f.cost_cents for f in months) - exact) <= Fraction(3, 2) * len(months)
    for f in months:
        parts = (f.salary_cents, f.charges_cents, f.expenses_cents)
        assert f.cost_cents == sum(parts)
        if f.days_on_loan == f.days_in_month:
            assert parts == amounts
