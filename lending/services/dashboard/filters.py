"""The dashboard's filters, read from the page's URL: a département of the scheme (or the
whole territory) and a period of whole months (a month, a quarter, a year, a custom span of
at most 36 months, or by default the 12 months ending with the current one). Bad values
give French messages and fall back to the defaults, never an error page."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lending.services.deals.billing_rules import month_bounds, months_of
from lending.services.periods import EARLIEST, LATEST

KINDS = ("mois", "trimestre", "annee", "personnalisee")
DEFAULT_KIND = "12mois"
MAX_MONTHS = 36
QUARTERS = {
    1: _l("1er trimestre"),
    2: _l("2e trimestre"),
    3: _l("3e trimestre"),
    4: _l("4e trimestre"),
}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER = re.compile(r"^(\d{4})-T([1-4])$", re.IGNORECASE)
YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Filters:
    departement: str | None  # a département code of the scheme, or None: the whole territory
    kind: str  # "mois", "trimestre", "annee", "personnalisee" or "12mois"
    start: date  # first day of the first month
    end: date  # last day of the last month (inclusive)
    label: str  # the period in words: "mars 2027", "1er trimestre 2027", "12 derniers mois"


def month_start(day: date) -> date:
    return month_bounds(day)[0]


def month_end(day: date) -> date:
    return month_bounds(day)[1]


months_between = months_of  # the first days of the months from `first`'s to `last`'s


def month_label(month: date) -> str:
    return format_date(month, "LLLL y")


def default_filters(today: date, departement: str | None = None) -> Filters:
    start = month_start(today) - relativedelta(months=11)
    return Filters(departement, DEFAULT_KIND, start, month_end(today), _("12 derniers mois"))


def as_args(filters: Filters) -> dict[str, str]:
    """The URL arguments that give `filters` again (what parse_filters reads): links to the
    files and the printable page show what the page shows, refused values left out."""
    args = {"departement": filters.departement} if filters.departement else {}
    start = filters.start
    if filters.kind == "mois":
        args |= {"periode": "mois", "mois": f"{start:%Y-%m}"}
    elif filters.kind == "trimestre":
        args |= {"periode": "trimestre", "trimestre": f"{start.year}-T{(start.month + 2) // 3}"}
    elif filters.kind == "annee":
        args |= {"periode": "annee", "annee": str(start.year)}
    elif filters.kind == "personnalisee":
        args |= {"periode": "personnalisee", "du": f"{start:%Y-%m}", "au": f"{filters.end:%Y-%m}"}
    return args


class _InvalidError(ValueError):
    pass


def _year(text: str) -> int:
    year = int(text)
    if not EARLIEST.year <= year <= LATEST.year:
        raise _InvalidError(_("Choisissez une période comprise entre 2000 et 2099."))
    return year


def _month(value: str, message: str) -> date:
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise _InvalidError(message)
    return date(_year(match[1]), int(match[2]), 1)


def _period(kind: str, args: Mapping[str, str], today: date) -> tuple[date, date, str]:
    if kind == "mois":
        first = _month(
            args.get("mois") or today.strftime("%Y-%m"),
            _("Indiquez le mois sous la forme AAAA-MM (par exemple 2027-03)."),
        )
        return first, month_end(first), month_label(first)
    if kind == "trimestre":
        value = args.get("trimestre") or f"{today.year}-T{(today.month - 1) // 3 + 1}"
        match = QUARTER.match(value.strip())
        if not match:
            raise _InvalidError(_("Indiquez le trimestre sous la forme AAAA-T1 à AAAA-T4."))
        year, quarter = _year(match[1]), int(match[2])
        first = date(year, 3 * quarter - 2, 1)
        return first, month_end(first + relativedelta(months=2)), f"{QUARTERS[quarter]} {year}"
    if kind == "annee":
        match = YEAR.match((args.get("annee") or str(today.year)).strip())
        if not match:
            raise _InvalidError(_("Indiquez l'année sur quatre chiffres (par exemple 2027)."))
        year = _year(match[1])
        return date(year, 1, 1), date(year, 12, 31), str(year)
    message = _("Indiquez le premier et le dernier mois sous la forme AAAA-MM.")
    first = _month(args.get("du") or "", message)
    last = _month(args.get("au") or "", message)
    if last < first:
        raise _InvalidError(_("Le dernier mois ne peut pas précéder le premier."))
    if len(months_between(first, last)) > MAX_MONTHS:
        raise _InvalidError(_("Choisissez une période de %(n)d mois au plus.", n=MAX_MONTHS))
    if first.year == last.year:
        label = _("%(first)s à %(last)s", first=format_date(first, "LLLL"), last=month_label(last))
    else:
        label = _("%(first)s à %(last)s", first=month_label(first), last=month_label(last))
    return first, month_end(last), label


def parse_filters(args: Mapping[str, str], scheme, today: date) -> tuple[Filters, list[str]]:
    """The filters the URL asks for, and the French messages about the values refused
    (each refused value falls back to its default: the whole territory, the last 12 months)."""
    errors: list[str] = []
    departement = (args.get("departement") or "").strip() or None
    if departement is not None and departement not in scheme.departement_codes:
        errors.append(_("Ce département ne fait pas partie du territoire du dispositif."))
        departement = None
    kind = (args.get("periode") or "").strip()
    if not kind or kind == DEFAULT_KIND:
        return default_filters(today, departement), errors
    if kind not in KINDS:
        errors.append(_("Choisissez une période : mois, trimestre, année ou personnalisée."))
        return default_filters(today, departement), errors
    try:
        start, end, label = _period(kind, args, today)
        if start > today:
            raise _InvalidError(_("La période ne peut pas commencer après le mois en cours."))
    except _InvalidError as error:
        errors.append(str(error))
        return default_filters(today, departement), errors
    return Filters(departement, kind, start, end, label), errors
