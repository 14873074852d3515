"""The employee's working time during the loan against the maximum durations of the Code du
travail: pure functions, no database. The host sets the working conditions, working time
included (legal.md §3); the maxima are the employee's, whoever they work for.

What is counted: the weekly hours at the host plus the hours the employee keeps working
for the lender in the same weeks (`lender_weekly_hours`, declared by the lender: a
part-time loan leaves some; a full-time loan, none). `problems` are refusals, in the shape
of compliance.py (French sentences); `warnings` are what the data can only suggest.

Refused (`problems`):
- L3121-20: at most 48 hours in a week;
- L3121-22: at most 44 hours a week on average over any 12 consecutive weeks; 46 hours
  where a company agreement or, failing one, a branch agreement allows it (L3121-23), or,
  failing an agreement, the administration (L3121-24): the host declares it
  (`host_average_46h`). The agreement states a weekly volume, the same each week. A window
  of 12 weeks (84 days) holding the whole loan averages at least its days on loan times
  that volume over 84 days, whatever the employee works outside the loan: above the limit,
  the breach is certain (a loan of 12 weeks or more: the volume itself). Weeks are counted
  as 7 days of the loan, so a loan that starts mid-week is measured in days.

Warned (`warnings`):
- a shorter loan above the limit: how many hours a week, on average, the employee may
  work at most outside it within such a window;
- from the schedule text, where it can be read (schedule.py): a working day over
  10 hours (L3121-18; up to 12 by agreement, L3121-19), less than 11 consecutive hours of
  rest between two working days (L3131-1; exceptions L3131-2, L3131-3, emergencies), work
  on all seven days (L3132-1, L3132-2), a schedule longer than the declared weekly hours.
"""

from decimal import ROUND_FLOOR, Decimal

from flask_babel import lazy_gettext as _l

from lending.services.deals.schedule import DAY, Schedule, parse_schedule

WEEK_MAX = Decimal(48)  # L3121-20
AVERAGE_MAX, AVERAGE_MAX_BY_AGREEMENT = Decimal(44), Decimal(46)  # L3121-22, L3121-23
WINDOW_DAYS = 84  # 12 consecutive weeks
DAY_MAX_MINUTES = 10 * 60  # L3121-18
DAILY_REST_MINUTES = 11 * 60  # L3131-1

M = {
    "lender_hours_range": _l(
        "Les heures maintenues dans l'entreprise prêteuse pendant le prêt vont de 0 à 48 par "
        "semaine : %(hours)s h indiquées."
    ),
    "week_total": _l(
        "Avec les %(lender)s h maintenues chaque semaine dans l'entreprise prêteuse, le salarié "
        "travaillerait %(total)s h par semaine : la durée maximale est de 48 heures (article "
        "L3121-20 du Code du travail)."
    ),
    "average_44": _l(
        "À %(total)s h par semaine pendant %(days)s jours, la durée hebdomadaire moyenne sur "
        "12 semaines consécutives dépasse 44 heures (article L3121-22 du Code du travail), "
        "ou 46 heures si un accord collectif (L3121-23) ou une autorisation administrative "
        "(L3121-24) le permet."
    ),
    "average_46": _l(
        "À %(total)s h par semaine pendant %(days)s jours, la durée hebdomadaire moyenne sur "
        "12 semaines consécutives dépasse 46 heures, le maximum qu'un accord collectif ou une "
        "autorisation administrative peut permettre (articles L3121-23 et L3121-24 du Code "
        "du travail)."
    ),
    "short_loan": _l(
        "À %(total)s h par semaine pendant %(days)s jours, la moyenne sur 12 semaines "
        "consécutives reste dans la limite de %(limit)s heures (articles L3121-22 à "
        "L3121-24 du Code du travail) seulement si, sur chaque période de 12 semaines qui "
        "contient le prêt, le salarié ne travaille pas plus de %(other)s h par semaine en "
        "moyenne en dehors du prêt."
    ),
    "day_max": _l(
        "Les horaires indiqués comptent %(hours)s de travail %(days)s : si ce sont des heures "
        "de travail effectif (pauses à part), la durée quotidienne dépasse 10 heures, ce qui "
        "n'est permis que par dérogation de l'inspection du travail, en cas d'urgence ou par "
        "accord collectif dans la limite de 12 heures (articles L3121-18 et L3121-19 du Code "
        "du travail). Indiquez les pauses ou la dérogation qui s'applique."
    ),
    "daily_rest": _l(
        "Les horaires indiqués ne laissent que %(hours)s de repos %(between)s : le repos "
        "quotidien est d'au moins 11 heures consécutives, sauf dérogation prévue par accord "
        "collectif ou par décret, ou en cas d'urgence (articles L3131-1 à L3131-3 du Code du "
        "travail)."
    ),
    "seven_days": _l(
        "Les horaires indiqués font travailler le salarié les sept jours de la semaine : il ne "
        "peut pas travailler plus de six jours par semaine et a droit à un repos hebdomadaire "
        "d'au moins 24 heures consécutives, plus les 11 heures du repos quotidien (articles "
        "L3132-1 et L3132-2 du Code du travail)."
    ),
    "schedule_longer": _l(
        "Les horaires indiqués totalisent %(schedule)s par semaine, plus que la durée "
        "hebdomadaire déclarée (%(declared)s h) : les durées maximales sont vérifiées sur la "
        "durée déclarée. Accordez les deux."
    ),
    "between_days": _l("entre le %(day)s et le %(next)s"),
    "between_any": _l("entre deux journées de travail consécutives"),
    "each_day": _l("chaque jour travaillé"),
    "on_days": _l("le %(days)s"),
}

WEEKDAYS = (
    _l("lundi"),
    _l("mardi"),
    _l("mercredi"),
    _l("jeudi"),
    _l("vendredi"),
    _l("samedi"),
    _l("dimanche"),
)


def _say(key: str, **values) -> str:
    text = str(M[key])
    return text % values if values else text


def hours(value) -> str:
    """35.5 -> "35,5"; 35 -> "35"."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def duration(minutes: int) -> str:
    """630 -> "10 h 30"; 600 -> "10 h"."""
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


def _weekly(a) -> tuple[Decimal, Decimal]:
    """Hours at the host and hours kept at the lender, a week (None counts as 0)."""
    return Decimal(a.weekly_hours or 0), Decimal(a.lender_weekly_hours or 0)


def _limit(a) -> Decimal:
    return AVERAGE_MAX_BY_AGREEMENT if a.host_average_46h else AVERAGE_MAX


def _days(a) -> int | None:
    if a.start_date and a.end_date and a.end_date >= a.start_date:
        return (a.end_date - a.start_date).days + 1
    return None


def problems(a) -> list[str]:
    """The weekly maxima the agreement's hours break for certain (refusals). Nothing while
    the host's weekly hours are missing or out of range (compliance.py asks for them)."""
    host, lender = _weekly(a)
    if not 0 <= lender <= WEEK_MAX:
        return [_say("lender_hours_range", hours=hours(lender))]
    if not 0 < host <= WEEK_MAX:
        return []
    total = host + lender
    if total > WEEK_MAX:
        return [_say("week_total", lender=hours(lender), total=hours(total))]
    days, limit = _days(a), _limit(a)
    if days is not None and min(days, WINDOW_DAYS) * total > WINDOW_DAYS * limit:
        key = "average_46" if a.host_average_46h else "average_44"
        return [_say(key, total=hours(total), days=days)]
    return []


def warnings(a) -> list[str]:
    """What the hours and the schedule suggest may break a maximum, as French sentences;
    they do not stop signing."""
    found = []
    host, lender = _weekly(a)
    total, days, limit = host + lender, _days(a), _limit(a)
    if problems(a) == [] and days is not None and days < WINDOW_DAYS and total > limit:
        other = (WINDOW_DAYS * limit - days * total) / (WINDOW_DAYS - days)
        other = other.quantize(Decimal("0.1"), ROUND_FLOOR)
        if other < WEEK_MAX:
            found.append(
                _say("short_loan", total=hours(total), days=days, limit=limit, other=hours(other))
            )
    schedule = parse_schedule(a.working_hours or "")
    if schedule is not None:
        found += schedule_warnings(schedule, host)
    return found


# -- the schedule ----------------------------------------------------------------------


def schedule_warnings(schedule: Schedule, declared_hours: Decimal) -> list[str]:
    found = []
    totals = {day: sum(end - start for start, end in iv) for day, iv in schedule.items()}
    long_days: dict[int, list[int | None]] = {}
    for day, minutes in totals.items():
        if minutes > DAY_MAX_MINUTES:
            long_days.setdefault(minutes, []).append(day)
    for minutes, days in sorted(long_days.items()):
        found.append(_say("day_max", hours=duration(minutes), days=_day_list(days)))
    for day, intervals in schedule.items():
        if day is None:
            rest = DAY - (intervals[-1][1] - intervals[0][0])
            between = _say("between_any")
        elif (day + 1) % 7 in schedule:
            rest = DAY + schedule[(day + 1) % 7][0][0] - intervals[-1][1]
            between = _say("between_days", day=WEEKDAYS[day], next=WEEKDAYS[(day + 1) % 7])
        else:
            continue
        if rest < DAILY_REST_MINUTES:
            found.append(_say("daily_rest", hours=duration(max(rest, 0)), between=between))
    if len(schedule) == 7:
        found.append(_say("seven_days"))
    weekly = sum(totals.values())
    if None not in schedule and declared_hours and weekly > declared_hours * 60:
        found.append(
            _say("schedule_longer", schedule=duration(weekly), declared=hours(declared_hours))
        )
    return found


def _day_list(days: list[int | None]) -> str:
    if days == [None]:
        return _say("each_day")
    return _say("on_days", days=", ".join(str(WEEKDAYS[d]) for d in days if d is not None))
