"""Non-profit billing (legal.md §2, Code du travail L8241-1): pure functions, no database.
Which billing regime is open to an agreement, what a month of a loan costs, what may be
billed for it.

A month is billed on calendar days: the days of the month inside the loan (both ends
included) over the days of the month. Salary, charges and expenses are each prorated and
rounded to the cent (half up), and the cost is the sum of the rounded parts, so a statement
adds up exactly. A month fully on loan bills exactly the monthly amounts.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lending.models.agreement import BillingRegime
from lending.money import euros, share
from lending.services.errors import ServiceError

# L8241-3 (legal.md §2). Loi 2024-344 allows 3 years for general-interest hosts: "to be
# confirmed" in legal.md, so not applied here; every L8241-3 loan is held to 2 years.
L8241_3_LENDER_MIN = 5000
L8241_3_HOST_MAX_AGE = 8
L8241_3_HOST_MAX_HEADCOUNT = 250
L8241_3_MAX_YEARS = 2
COVID_2020_WINDOW = (date(2020, 6, 18), date(2020, 12, 31))
COVID_2021_WINDOW = (date(2021, 1, 1), date(2021, 9, 30))

# The sectors of décret 2020-1317 as the project reads them on NAF rév. 2 (the decree
# itself lists no NAF codes): health and social work = section Q (divisions 86, 87, 88);
# agrifood = divisions 10 (food products) and 11 (beverages); maritime transport =
# division 50 (water transport); aeronautics = 30.30Z (aircraft and spacecraft) and
# 33.16Z (repair and maintenance of aircraft and spacecraft).
COVID_2020_DIVISIONS = frozenset({"86", "87", "88", "10", "11", "50"})
COVID_2020_CODES = frozenset({"30.30Z", "33.16Z"})
NAF_CODE = re.compile(r"\s*(\d{2})(?:\.(\d{1,2})\s*([A-Za-z])?)?")

# Why a regime is not open to an agreement (legal.md §2), by key.
REGIME_MESSAGES = {
    "lender_headcount": _l(
        "Le régime L8241-3 dépend de l'effectif de l'entreprise prêteuse (ou de son groupe) : "
        "indiquez-le."
    ),
    "lender_small": _l(
        "Le régime L8241-3 exige une entreprise prêteuse (ou son groupe) d'au moins "
        "%(minimum)s salariés : effectif déclaré %(count)s."
    ),
    "host_facts": _l(
        "Le régime L8241-3 dépend de l'âge ou de l'effectif de l'entreprise utilisatrice : "
        "indiquez sa date de création ou son effectif."
    ),
    "host_old": _l(
        "Le régime L8241-3 exige une entreprise utilisatrice de moins de %(age)s ans ou de "
        "moins de %(size)s salariés : créée le %(created)s, elle a %(years)s ans à la "
        "signature ; indiquez son effectif."
    ),
    "host_big": _l(
        "Le régime L8241-3 exige une entreprise utilisatrice de moins de %(age)s ans ou de "
        "moins de %(size)s salariés : effectif déclaré %(count)s ; indiquez sa date de création."
    ),
    "host_old_big": _l(
        "Le régime L8241-3 exige une entreprise utilisatrice de moins de %(age)s ans ou de "
        "moins de %(size)s salariés : créée le %(created)s (%(years)s ans à la signature), "
        "effectif déclaré %(count)s."
    ),
    "same_group": _l("Le régime L8241-3 est exclu entre entreprises d'un même groupe."),
    "too_long": _l(
        "Le régime L8241-3 limite le prêt à %(years)s ans : du %(start)s au %(end)s, cette "
        "durée est dépassée."
    ),
    "purpose": _l(
        "Le régime L8241-3 exige que la convention indique l'objet du prêt (qualification, "
        "transitions professionnelles, partenariat)."
    ),
    "covid_2020_date": _l(
        "La dérogation 2020 ne vaut que pour les conventions signées du %(first)s au "
        "%(last)s : signature le %(date)s."
    ),
    "host_naf": _l(
        "La dérogation 2020 dépend du secteur de l'entreprise utilisatrice : indiquez son code NAF."
    ),
    "covid_2020_sector": _l(
        "La dérogation 2020 est réservée aux secteurs du décret 2020-1317 (santé et "
        "médico-social, aéronautique, agroalimentaire, transport maritime) : code NAF "
        "%(naf)s de l'entreprise utilisatrice."
    ),
    "covid_2021_date": _l(
        "La dérogation 2021 ne vaut que pour les conventions signées du %(first)s au "
        "%(last)s : signature le %(date)s."
    ),
    "activite_partielle": _l(
        "La dérogation 2021 exige une entreprise prêteuse en activité partielle : elle n'est "
        "pas déclarée comme telle."
    ),
}


def _regime_say(key: str, **values) -> str:
    text = str(REGIME_MESSAGES[key])
    return text % values if values else text


def fr_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def anniversary(day: date, years: int) -> date:
    """`day` plus `years` years; 29 February goes to 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def age_on(created: date, on: date) -> int:
    """Whole years from `created` to `on` (consistent with `anniversary`)."""
    return on.year - created.year - ((on.month, on.day) < (created.month, created.day))


def naf_code(value: str | None) -> str | None:
    """'10.71C – Boulangerie' -> '10.71C'; '86' -> '86'; None when there is no code."""
    match = NAF_CODE.match(value or "")
    if not match:
        return None
    division, group, letter = match.groups()
    return division if group is None else f"{division}.{group}{(letter or '').upper()}"


def in_covid_2020_sector(naf: str | None) -> bool:
    code = naf_code(naf)
    return code is not None and (code[:2] in COVID_2020_DIVISIONS or code in COVID_2020_CODES)


def regime_problems(agreement, signing_date: date) -> list[str]:
    """Whether the agreement's billing regime is open to it, signed on `signing_date`."""
    a, problems = agreement, []
    if a.billing_regime == BillingRegime.L8241_3:
        return _l8241_3_problems(a, signing_date)
    if a.billing_regime == BillingRegime.COVID_2020_SECTOR:
        window, key = COVID_2020_WINDOW, "covid_2020_date"
        if naf_code(a.host_naf) is None:
            problems.append(_regime_say("host_naf"))
        elif not in_covid_2020_sector(a.host_naf):
            problems.append(_regime_say("covid_2020_sector", naf=naf_code(a.host_naf)))
    elif a.billing_regime == BillingRegime.COVID_2021_ACTIVITE_PARTIELLE:
        window, key = COVID_2021_WINDOW, "covid_2021_date"
        if not a.lender_in_activite_partielle:
            problems.append(_regime_say("activite_partielle"))
    else:
        return []
    if not window[0] <= signing_date <= window[1]:
        first, last, signed = (fr_date(d) for d in (*window, signing_date))
        problems.insert(0, _regime_say(key, first=first, last=last, date=signed))
    return problems


def _l8241_3_problems(a, signing_date: date) -> list[str]:
    problems = []
    lender = [n for n in (a.lender_headcount, a.lender_group_headcount) if n is not None]
    if not lender:
        problems.append(_regime_say("lender_headcount"))
    elif max(lender) < L8241_3_LENDER_MIN:
        count = _count(max(lender))
        problems.append(
            _regime_say("lender_small", minimum=_count(L8241_3_LENDER_MIN), count=count)
        )
    created, headcount = a.host_created_on, a.host_headcount
    years = None if created is None else age_on(created, signing_date)
    young = years is not None and years < L8241_3_HOST_MAX_AGE
    small = headcount is not None and headcount < L8241_3_HOST_MAX_HEADCOUNT
    if created is None and headcount is None:
        problems.append(_regime_say("host_facts"))
    elif not (young or small):
        key = "host_big" if created is None else "host_old" if headcount is None else "host_old_big"
        facts = {"created": created and fr_date(created), "years": years}
        facts["count"] = None if headcount is None else _count(headcount)
        limits = {"age": L8241_3_HOST_MAX_AGE, "size": _count(L8241_3_HOST_MAX_HEADCOUNT)}
        problems.append(_regime_say(key, **limits, **facts))
    if a.same_group:
        problems.append(_regime_say("same_group"))
    start, end = a.start_date, a.end_date
    # The end date is the last day on loan: 01/01/2024 -> 31/12/2025 is exactly 2 years.
    if start and end and end >= start and end >= anniversary(start, L8241_3_MAX_YEARS):
        dates = {"start": fr_date(start), "end": fr_date(end)}
        problems.append(_regime_say("too_long", years=L8241_3_MAX_YEARS, **dates))
    if a.purpose is None or not a.purpose.strip():
        problems.append(_regime_say("purpose"))
    return problems


@dataclass(frozen=True)
class MonthFigures:
    month: date  # first day of the month
    days_on_loan: int
    days_in_month: int
    salary_cents: int
    charges_cents: int
    expenses_cents: int
    cost_cents: int  # salary + charges + expenses, as rounded


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month of `month`."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def prorate(
    month: date,
    start: date,
    end: date,
    salary_cents: int,
    charges_cents: int,
    expenses_cents: int,
) -> MonthFigures:
    """The figures of `month` (any day of it) for a loan from `start` to `end` (inclusive)."""
    first, last = month_bounds(month)
    days_in_month = last.day
    days = max(0, (min(end, last) - max(start, first)).days + 1)
    # A full month gives amount * n / n: exactly the monthly amount, no rounding.
    salary, charges, expenses = (
        share(amount, days, days_in_month)
        for amount in (salary_cents, charges_cents, expenses_cents)
    )
    cost = salary + charges + expenses
    return MonthFigures(first, days, days_in_month, salary, charges, expenses, cost_cents=cost)


def months_of(start: date, end: date) -> list[date]:
    """The first day of each month the loan touches, in order (none if end < start)."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = month_bounds(month)[1] + timedelta(days=1)
    return months


def check_billed(regime: BillingRegime, cost_cents: int, billed_cents: int) -> None:
    """Refuse a billed amount the regime does not allow (ServiceError on `billed_cents`)."""
    amounts = {"billed": euros(billed_cents), "cost": euros(cost_cents)}
    if billed_cents > cost_cents:
        raise ServiceError(
            _(
                "L8241-1 : le prêt ne peut pas générer de bénéfice ; %(billed)s facturés pour "
                "un coût de %(cost)s.",
                **amounts,
            ),
            "billed_cents",
        )
    if billed_cents < 0:
        raise ServiceError(
            _("Le montant facturé ne peut pas être négatif (%(billed)s).", **amounts),
            "billed_cents",
        )
    if regime == BillingRegime.COST_PRICE and billed_cents != cost_cents:
        raise ServiceError(
            _(
                "Au prix coûtant, l'entreprise prêteuse facture exactement le coût du mois "
                "(%(cost)s) : %(billed)s facturés.",
                **amounts,
            ),
            "billed_cents",
        )


def billed_for(regime: BillingRegime, cost_cents: int, billed_share_pct: int) -> int:
    """What is billed for a cost at the agreed share (100 % under cost_price regardless)."""
    if regime == BillingRegime.COST_PRICE:
        return cost_cents
    if not 0 <= billed_share_pct <= 100:
        raise ServiceError(
            _(
                "La part refacturée va de 0 à 100 %% du coût : %(share)s %% indiqués.",
                share=billed_share_pct,
            ),
            "billed_share_pct",
        )
    return share(cost_cents, billed_share_pct, 100)
