"""The publication rules: what a count, a total, a median, an average or a rate reads as.

- A count of people, firms, needs, loans or answers: 0 reads "0"; 1 to 4 read "< 5" (no
  value); 5 and more are rounded to the nearest multiple of 5. Rounding every published count
  is what stops two filtered views (a period and the same period but one month, a
  département and the territory) being subtracted to reveal a hidden cell.
- A total with a hidden part (1 to 4) reads as the band of five holding it ("20 – 24").
- A median, percentile, average, rate or sum of durations is published only when it rests
  on at least 5 people, needs or answers; else it reads "—".
"""

from collections.abc import Iterable

from flask_babel import format_decimal

from lending.services.dashboard.tables import Figure

SMALL = 5
HIDDEN = "< 5"
WITHHELD = "—"


def rounded(n: int) -> int:
    """`n` rounded to the nearest multiple of 5 (no ties for whole numbers)."""
    return (n + 2) // SMALL * SMALL


def is_hidden(n: int) -> bool:
    return 0 < n < SMALL


def _number(x: float, decimals: int = 0, fixed: bool = False) -> str:
    pattern = "#,##0" if not decimals else "#,##0." + ("0" if fixed else "#") * decimals
    return format_decimal(x, pattern)


def count(n: int) -> Figure:
    if n == 0:
        return Figure("0", 0)
    if is_hidden(n):
        return Figure(HIDDEN, None)
    shown = rounded(n)
    return Figure(_number(shown), shown)


def total(n: int, parts: Iterable[int]) -> Figure:
    """A total: banded when one of its parts is hidden, so the part cannot be recovered."""
    if n >= SMALL and any(is_hidden(part) for part in parts):
        low = n - n % SMALL
        return Figure(f"{_number(low)} – {_number(low + SMALL - 1)}", None)
    return count(n)


def withheld() -> Figure:
    return Figure(WITHHELD, None)


def measure(value: float | None, base: int, decimals: int = 1, fixed: bool = False) -> Figure:
    """A median, percentile, average or sum of durations resting on `base` people, needs
    or answers; `fixed` keeps trailing zeros ("4,0")."""
    if value is None or base < SMALL:
        return withheld()
    value = round(value, decimals)
    return Figure(_number(value, decimals, fixed), value)


def rate(part: int, whole: int) -> Figure:
    """A share as "42 %" (whole percent), when `whole` is at least 5."""
    if whole < SMALL:
        return withheld()
    percent = round(100 * part / whole)
    return Figure(f"{_number(percent)} %", percent)
