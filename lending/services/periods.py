"""Periods typed into forms (an employee's availability, a need's dates, a loan's dates):
both dates within the years the platform handles, the end not before the start."""

from datetime import date

from flask_babel import gettext as _

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def check_dates(start: date, end: date, errors: dict[str, str], end_key: str) -> None:
    if not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
        errors[end_key] = _("Indiquez des dates comprises entre 2000 et 2099.")
    elif end < start:
        errors[end_key] = _("La date de fin ne peut pas précéder la date de début.")
