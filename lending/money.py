"""Money in integer euro cents: the one place that turns typed euros into cents and cents
into text. Pure functions (Babel, no Flask, no database), so documents, services and web
all import it.

Amounts live as int cents in models, services and forms. Euros exist only at the edges,
as an exact Decimal (never a float): `parse_euros` and `to_cents` on the way in, `euros`,
`plain` and `input_value` on the way out. `share` takes a fraction of an amount, rounded
to the cent half up (the billing rules' proration and billed share).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency

CENT = Decimal("0.01")
# Past this many euros an amount is no sum of money but a typing accident: to_cents
# refuses it rather than build a huge integer ("1e999999999").
MAX_EUROS = Decimal(10) ** 15


def parse_euros(text: str) -> Decimal:
    """Euros as typed → the exact amount: "1 234,56 €", "1234.56", "12,3" → Decimal.

    Spaces, no-break spaces (U+00A0, U+202F) and "€" are ignored and a comma is the decimal
    mark; what is left is read as Decimal reads it, so "+5", "-5" and "1e3" are amounts (range
    checks are the caller's) while "1.234,56" is not. Raises ValueError for anything that is
    not a finite number (garbage, "NaN", "Infinity")."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.replace("€", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise ValueError(f"not an amount of euros: {text!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount of euros: {text!r}")
    return amount


def to_cents(amount: Decimal | None) -> int | None:
    """Euros → int cents, rounded to the cent half to even (Decimal's default): 0.005 → 0,
    0.015 → 2, 12.3 → 1230; None (an amount not declared) stays None. Raises OverflowError
    past MAX_EUROS either way."""
    if amount is None:
        return None
    if amount.copy_abs() >= MAX_EUROS:  # copy_abs: no context, so no Overflow
        raise OverflowError(f"{amount} euros is no amount of money")
    return int((amount * 100).to_integral_value())


def to_euros(cents: int | None) -> Decimal | None:
    """Cents → euros with exactly two decimals: 345000 → Decimal("3450.00"); None stays
    None."""
    if cents is None:
        return None
    return (Decimal(cents) / 100).quantize(CENT)


def euros(cents: int, locale="fr_FR") -> str:
    """345000 → "3 450,00 €" (narrow no-break space between thousands, no-break space
    before €); another locale writes the amount its way ("€3,450.00" in English)."""
    return format_currency(to_euros(cents), "EUR", locale=locale)


def plain(cents: int) -> str:
    """123456 → "1234,56": a spreadsheet cell, no thousands separator, no symbol."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def input_value(cents: int) -> str:
    """123456 → "1234.56": what an <input type="number"> shows."""
    return str(to_euros(cents))


def share(cents: int, numerator: int, denominator: int) -> int:
    """`cents` × numerator / denominator, rounded to the cent half up: the days on loan of
    a month (days / days in the month), a billed share (percent / 100)."""
    exact = Decimal(cents) * numerator / denominator
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
