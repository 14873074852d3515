"""The territory's dashboard: indicators of one scheme over a period and a département,
published as tables of figures already masked (see privacy.py), with their definitions.

`parse_filters` reads the page's URL; `build` computes every table in a bounded number of
queries (about 25), whatever the size of the scheme, on several connections at once
(fanout.py). Each module's `raw_*` functions give
the exact numbers (for the tests); nothing else downstream sees them.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from lending.services.dashboard import (
    activity,
    fanout,
    feedback,
    loans,
    matching,
    privacy,
    territory,
)
from lending.services.dashboard.filters import Filters, default_filters, parse_filters
from lending.services.dashboard.scope import Scope
from lending.services.dashboard.tables import Figure, Row, Table

__all__ = [
    "Dashboard",
    "Figure",
    "Filters",
    "Headline",
    "Row",
    "Table",
    "build",
    "default_filters",
    "parse_filters",
]


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    figure: Figure
    definition: str


@dataclass(frozen=True)
class Dashboard:
    scheme: object
    filters: Filters
    headline: tuple[Headline, ...]
    tables: dict[str, Table]  # in display order


def build(scheme, filters: Filters, today: date) -> Dashboard:
    scope = Scope.of(scheme, filters.departement, filters.start, filters.end, today)
    whole = scope.territory(tuple(sorted(scheme.departement_codes)))
    names = {d.code: d.name for d in scheme.departements}
    sections = territory.section_labels()
    divisions = territory.division_labels()

    def people():
        available = territory.raw_available(whole)  # the one scan of the employees
        return (
            territory.raw_departements(whole, available),
            loans.raw_employment(scope, available),
            activity.raw_employees(scope, available),
        )

    # The longest first (see fanout.run).
    raw = fanout.run(
        {
            "shortages": lambda: matching.raw_shortages(scope),
            "people": people,
            "waits": lambda: matching.raw_time_to_match(scope, today),
            "monthly": lambda: activity.raw_monthly(scope),
            "firms": lambda: territory.raw_firms(scope),
            "needs": lambda: activity.raw_needs(scope),
            "flows": lambda: loans.raw_flows(scope),
            "feedback": lambda: feedback.raw_feedback(scope),
            "proposals": lambda: activity.raw_proposals(scope),
            "endings": lambda: loans.raw_endings(scope),
        }
    )
    by_dep, employment, employees = raw["people"]
    waits, monthly = raw["waits"], raw["monthly"]
    tables = (
        territory.departements_table(by_dep, names, scope),
        activity.monthly_table(monthly),
        territory.firms_table(raw["firms"], sections, scope),
        activity.employees_table(employees, scope),
        activity.needs_table(raw["needs"], scope),
        activity.proposals_table(raw["proposals"]),
        matching.time_to_match_table(waits),
        loans.employment_table(employment, scope),
        loans.endings_table(raw["endings"], scope),
        loans.flows_table(raw["flows"], divisions, scope),
        matching.shortages_table(raw["shortages"], scope),
        feedback.feedback_table(raw["feedback"]),
    )
    headline = _headline(scope, by_dep, monthly, waits, employment)
    return Dashboard(scheme, filters, headline, {table.key: table for table in tables})


def _headline(scope: Scope, by_dep, monthly, waits, employment) -> tuple[Headline, ...]:
    """The figures on top of the page, taken from the tables' raw numbers (no query)."""
    deps = [by_dep[code] for code in scope.codes]
    running = sum(d.loans for d in deps)
    started = sum(
        counts["started"]
        for month, counts in monthly.items()
        if scope.start.strftime("%Y-%m") <= month <= scope.end.strftime("%Y-%m")
    )
    days = sum(e.days for e in employment.values())
    lent = sum(e.lent for e in employment.values())
    wait = waits["accepted"]
    day = format_date(scope.as_of, "long")
    return (
        Headline(
            "time_to_match",
            _("Délai médian jusqu'à une proposition acceptée"),
            privacy.measure(wait.median, wait.needs),
            _(
                "En jours, pour les besoins déposés pendant la période qui ont reçu une "
                "proposition acceptée par les trois parties."
            ),
        ),
        Headline(
            "loans_running",
            _("Prêts en cours"),
            privacy.count(running),
            _("Prêts dont le salarié est dans l'entreprise d'accueil le %(day)s.", day=day),
        ),
        Headline(
            "loans_started",
            _("Prêts commencés"),
            privacy.count(started),
            _("Prêts dont le premier jour tombe dans la période (jusqu'au %(day)s).", day=day),
        ),
        Headline(
            "employee_months",
            _("Mois-salariés en prêt"),
            privacy.measure(days / loans.DAYS_PER_MONTH, lent, decimals=0),
            _(
                "Emplois préservés : jours de prêt compris dans la période (jusqu'au %(day)s) "
                "divisés par 30,44.",
                day=day,
            ),
        ),
        Headline(
            "firms",
            _("Entreprises adhérentes"),
            privacy.count(sum(d.firms for d in deps)),
            _("Entreprises dont l'adhésion est acceptée au %(day)s.", day=day),
        ),
    )
