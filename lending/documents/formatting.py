"""French typography for legal documents: pure functions, no Flask, no database.

Documents are French only, whatever the reader's language, so every helper here pins the
French locale instead of following the request's.
"""

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from lending import money

NBSP = "\u00a0"

YES, NO, UNANSWERED = "oui", "non", "non renseigné"


def date_long(value: date | None) -> str:
    """1 March 2026 -> "1er mars 2026" (French writes the first day as an ordinal)."""
    if value is None:
        return "non renseignée"
    text = format_date(value, "long", locale="fr")
    if value.day == 1:
        text = "1er" + text[1:]  # Babel writes "1 mars 2026"
    return text


def datetime_utc(value: datetime | None) -> str:
    """A naive UTC datetime (as stored) to the second: "1er mars 2026 à 14:03:07 UTC"."""
    if value is None:
        return ""
    return f"{date_long(value.date())} à {value:%H:%M:%S} UTC"


def euros(cents: int) -> str:
    """345000 -> "3 450,00 €" (narrow no-break space between thousands, no-break before €)."""
    return money.euros(cents, locale="fr_FR")


def percent(value: int) -> str:
    return f"{value}{NBSP}%"


def number(value: Decimal | int | float) -> str:
    """35.0 -> "35"; 17.5 -> "17,5"."""
    return format_decimal(value, locale="fr_FR")


def siret(value: str) -> str:
    """ "12345678900012" -> "123 456 789 00012" (SIREN by threes, then the NIC)."""
    s = (value or "").replace(" ", "")
    if len(s) != 14:
        return s
    return NBSP.join((s[:3], s[3:6], s[6:9], s[9:]))


def yes_no(value: bool | None) -> str:
    if value is None:
        return UNANSWERED
    return YES if value else NO
