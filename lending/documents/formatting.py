"""French typography for legal documents: pure functions, no Flask, no database.

Documents are French only, whatever the reader's language, so every helper here pins the
French locale instead of following the request's.
"""

import re
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal
from markupsafe import Markup

from lending import french, money

NBSP = "\u00a0"

YES, NO, UNANSWERED = "oui", "non", "non renseigné"


def date_long(value: date | None) -> str:
    """1 March 2026 -> "1er mars 2026" (French writes the first day as an ordinal)."""
    if value is None:
        return "non renseignée"
    return french.date_long(value, "fr")


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


# A tag, or the inside of an element whose text is not prose (style sheets, scripts).
_NOT_PROSE = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<[^>]*>)", re.S | re.I)


def typography(html: str) -> Markup:
    """The no-break spaces of French punctuation (french.punctuation_spaces) in the text of
    an HTML document, leaving tags, attributes and style sheets as they are."""
    parts = _NOT_PROSE.split(html)
    # re.split with one group: text at even indexes, what the group matched at odd ones.
    return Markup(
        "".join(part if i % 2 else french.punctuation_spaces(part) for i, part in enumerate(parts))
    )
