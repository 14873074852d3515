"""The hours on loan in a month, printed on each billing statement so that the lender's
activité partielle claim can be checked against them (legal.md §5: hours worked for the
host cannot also be claimed as activité partielle). Pure functions, no database.

The agreement gives a weekly volume of hours, not a calendar, so a month's hours on loan are
worked out as: weekly hours ÷ 5 × the working days on loan that month, where a working day
is a Monday to Friday that is not a public holiday of Code du travail L3133-1 (1 January,
Easter Monday, 1 May, 8 May, Ascension Day, Whit Monday, 14 July, 15 August, 1 November,
11 November, 25 December). Alsace-Moselle's two further holidays (Good Friday, 26 December:
L3134-13) are not taken out. Hours are rounded to the hundredth, half up.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from dateutil.easter import easter

DAYS_PER_WEEK = 5  # Monday to Friday
HUNDREDTH = Decimal("0.01")


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The public holidays of L3133-1 in `year`."""
    sunday = easter(year)
    return frozenset(
        {
            date(year, 1, 1),
            sunday + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            date(year, 5, 8),
            sunday + timedelta(days=39),  # Ascension Day
            sunday + timedelta(days=50),  # Whit Monday
            date(year, 7, 14),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 25),
        }
    )


def working_days(first: date, last: date) -> int:
    """Mondays to Fridays from `first` to `last` (both included), public holidays out."""
    count, day = 0, first
    while day <= last:
        if day.weekday() < DAYS_PER_WEEK and day not in public_holidays(day.year):
            count += 1
        day += timedelta(days=1)
    return count


def hours_on_loan(weekly_hours: Decimal | int, days: int) -> Decimal:
    """Weekly hours ÷ 5 × `days` working days: Decimal("35") and 20 days → Decimal("140.00")."""
    hours = Decimal(weekly_hours) * days / DAYS_PER_WEEK
    return hours.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
