"""Round schedules: five-field cron expressions with their standard meaning, read by one
parser (croniter) to validate, describe and schedule them, in France's time zone.

Standard meaning: day-of-week 0 and 7 are Sunday, 1 is Monday; minute hour day month
day-of-week. The scheme form builds the simple ones from days of the week and an hour
(`from_days`) and reads them back (`to_days`); other expressions stay as written.
"""

from datetime import UTC, datetime

from croniter import croniter
from croniter.croniter import CroniterError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lending.models._time import PARIS
from lending.services.errors import ServiceError

# Days in the order of a French week, with their cron numbers.
WEEKDAYS = (
    (1, _l("lundi")),
    (2, _l("mardi")),
    (3, _l("mercredi")),
    (4, _l("jeudi")),
    (5, _l("vendredi")),
    (6, _l("samedi")),
    (0, _l("dimanche")),
)
_NUMBERS = {str(number) for number, _label in WEEKDAYS}


class InvalidScheduleError(ValueError):
    """A cron expression that is not five standard fields, or never comes round."""


def _parse(expression: str, start: datetime) -> croniter:
    fields = expression.split()
    if len(fields) != 5 or not croniter.is_valid(expression):
        raise InvalidScheduleError(expression)
    return croniter(expression, start, day_or=True)


def next_runs(expression: str, after: datetime, count: int = 1) -> list[datetime]:
    """The next `count` run times strictly after `after` (aware, or naive UTC), in France's
    time zone. Raises InvalidScheduleError."""
    if after.tzinfo is None:
        after = after.replace(tzinfo=UTC)
    iterator = _parse(expression, after.astimezone(PARIS))
    try:
        return [iterator.get_next(datetime) for _ in range(count)]
    except CroniterError as exc:  # e.g. "0 6 31 2 *": valid fields, no such day
        raise InvalidScheduleError(expression) from exc


def check(text: str, now: datetime) -> str:
    """The cleaned expression, or ServiceError (on `matching_cron`) with a French message."""
    expression = " ".join(text.split())
    try:
        next_runs(expression, now)
    except InvalidScheduleError:
        raise ServiceError(
            _(
                "Calendrier invalide : cinq champs cron « minute heure jour mois jour-semaine », "
                "par exemple « 0 6 * * 1 » pour chaque lundi à 6 h."
            ),
            "matching_cron",
        ) from None
    return expression


def from_days(days: list[int], hour: int) -> str:
    """The expression for "these days of the week at this hour" (days: cron numbers)."""
    order = [number for number, _label in WEEKDAYS]
    chosen = sorted({int(day) % 7 for day in days}, key=order.index)
    return f"0 {int(hour)} * * {','.join(str(day) for day in chosen)}"


def to_days(expression: str) -> tuple[list[int], int] | None:
    """(days, hour) when the expression is "days of the week at a whole hour", else None."""
    fields = expression.split()
    if len(fields) != 5:
        return None
    minute, hour, day, month, weekdays = fields
    if minute != "0" or day != "*" or month != "*" or not hour.isdigit() or int(hour) > 23:
        return None
    if weekdays == "*":
        return [number for number, _label in WEEKDAYS], int(hour)
    items = weekdays.split(",")
    if not all(item in _NUMBERS | {"7"} for item in items):
        return None
    return sorted({int(item) % 7 for item in items}), int(hour)
