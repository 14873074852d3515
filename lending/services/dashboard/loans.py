"""What loans do: employee-months and at-risk employees placed (employment), how loans end
(endings), and the flows between the lenders' and the hosts' sectors."""

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import String, and_, case, cast, func, literal, select, union_all
from sqlalchemy.orm import aliased

import lending.services.dashboard.privacy as privacy
from lending.extensions import db
from lending.models import EARLY_END_LABELS, EarlyEnd, Employee, Firm, Loan, LoanEvent, NafCode
from lending.services.dashboard._sql import day_diff, earlier, later
from lending.services.dashboard.scope import (
    Scope,
    at_risk,
    enrolled_ids,
    is_available,
    loans_of,
    located_ids,
    scheme_loans,
)
from lending.services.dashboard.tables import Row, Table
from lending.services.dashboard.territory import Available, available_in, raw_available

DAYS_PER_MONTH = 365.25 / 12
GROUPS = ("at_risk", "others")


@dataclass(frozen=True)
class Employment:
    available: int  # employees available over the period
    placed: int  # of them, on loan at least one day of the period (up to the day of stocks)
    days: int  # days on loan within the period (up to the day of stocks), all employees
    lent: int  # distinct employees behind `days`

    @property
    def months(self) -> float:
        return self.days / DAYS_PER_MONTH


def raw_employment(scope: Scope, available: Available | None = None) -> dict[str, Employment]:
    """By group (at risk: partial activity or job threatened; others): the available from
    `raw_available` (run unless given), then one query over the loans of the period."""
    if available is None:
        available = raw_available(scope)
    risk = at_risk()
    # One pass over the loans of the period and their employees: the loans of the lending
    # firms located in the départements give the days and the employees lent; the available
    # employees of the enrolled firms placed by any loan of the scheme give `placed`.
    lender_here = Loan.lender_firm_id.in_(located_ids(scope))
    placed = and_(is_available(scope), Employee.firm_id.in_(enrolled_ids(scope)))
    days = day_diff(earlier(Loan.end_date, scope.as_of), later(Loan.start_date, scope.start)) + 1
    query = (
        select(
            risk,
            func.count(case((placed, Loan.employee_id)).distinct()),
            func.coalesce(func.sum(case((lender_here, days))), 0),
            func.count(case((lender_here, Loan.employee_id)).distinct()),
        )
        .select_from(Loan)
        .join(Employee, Employee.id == Loan.employee_id)
        .where(
            Loan.scheme_id == scope.scheme_id,
            Loan.start_date <= scope.as_of,
            Loan.end_date >= scope.start,
        )
        .group_by(risk)
    )
    pool = available_in(available, scope.codes)
    counts = {
        group: {"available": pool[group == GROUPS[0]], "placed": 0, "days": 0, "lent": 0}
        for group in GROUPS
    }
    for risky, n_placed, total_days, lent in db.session.execute(query):
        group = counts[GROUPS[0] if risky else GROUPS[1]]
        group["placed"], group["days"], group["lent"] = n_placed, int(total_days), lent
    return {group: Employment(**values) for group, values in counts.items()}


def employment_table(raw: dict[str, Employment], scope: Scope) -> Table:
    def row(label: str, e: Employment, code: str, parts=()) -> Row:
        return Row(
            label,
            (
                privacy.total(e.available, [p.available for p in parts]),
                privacy.total(e.placed, [p.placed for p in parts]),
                privacy.rate(e.placed, e.available),
                privacy.measure(e.months, e.lent, decimals=0),
            ),
            code,
        )

    groups = list(raw.values())
    fields = ("available", "placed", "days", "lent")
    everyone = Employment(*(sum(getattr(g, f) for g in groups) for f in fields))
    return Table(
        key="employment",
        title=_("Emplois préservés"),
        definition=_(
            "Salariés des entreprises du département choisi (ou du territoire). En risque : "
            "en activité partielle ou dont l'emploi est menacé. Disponibles : offerts "
            "au prêt pendant la période ; prêtés : parmi eux, au moins un jour de prêt pendant "
            "la période (jusqu'au %(day)s) ; taux : prêtés sur disponibles. Mois-salariés en "
            "prêt (emplois préservés) : jours de prêt compris dans la période jusqu'au "
            "%(day)s, de tous les salariés prêtés, divisés par 30,44 (365,25 / 12).",
            day=format_date(scope.as_of, "long"),
        ),
        columns=(
            _("Salariés disponibles"),
            _("Salariés prêtés"),
            _("Taux de placement"),
            _("Mois-salariés en prêt"),
        ),
        rows=(
            row(
                _("Salariés en risque (activité partielle, emploi menacé)"),
                raw["at_risk"],
                "at_risk",
            ),
            row(_("Autres salariés"), raw["others"], "others"),
        ),
        total=row(_("Tous les salariés"), everyone, "all", groups),
    )


@dataclass(frozen=True)
class Endings:
    early: dict[EarlyEnd, int]
    extensions: int
    returns: int


def raw_endings(scope: Scope) -> Endings:
    """Loans ended early (last day in the period, up to today) by category; extensions
    signed in the period; returns to post declared in the period. One query."""
    early = loans_of(scope)
    category = cast(Loan.end_category, String)
    early = (
        early.add_columns(category.label("k"), func.count())
        .where(Loan.ended_early, Loan.end_date >= scope.start, Loan.end_date <= scope.as_of)
        .group_by(category)
    )
    extensions = loans_of(scope)
    extensions = (
        extensions.add_columns(literal("+extended"), func.count())
        .join(LoanEvent, LoanEvent.loan_id == Loan.id)
        .where(
            LoanEvent.kind == "extended",
            LoanEvent.at >= scope.start_at,
            LoanEvent.at < scope.end_at,
        )
    )
    returns = loans_of(scope)
    returns = returns.add_columns(literal("+returned"), func.count()).where(
        Loan.returned_on >= scope.start, Loan.returned_on <= scope.end
    )
    result = db.session.execute(union_all(early, extensions, returns)).all()
    rows: dict[str | None, int] = dict(result)
    by_name = {end.name: end for end in EarlyEnd}
    found = dict.fromkeys(EarlyEnd, 0)
    for key, n in rows.items():
        if key and not key.startswith("+"):
            found[by_name.get(key, EarlyEnd.OTHER)] += n
        elif key is None:
            found[EarlyEnd.OTHER] += n  # ended early before categories existed
    return Endings(found, rows.get("+extended", 0), rows.get("+returned", 0))


def endings_table(raw: Endings, scope: Scope) -> Table:
    parts = list(raw.early.values())
    rows = (
        Row(_("Fins anticipées, tous motifs"), (privacy.total(sum(parts), parts),), "early"),
        *(
            Row(str(EARLY_END_LABELS[category]), (privacy.count(n),), category.value)
            for category, n in raw.early.items()
        ),
        Row(_("Prolongations signées"), (privacy.count(raw.extensions),), "extended"),
        Row(_("Retours au poste"), (privacy.count(raw.returns),), "returned"),
    )
    return Table(
        key="endings",
        title=_("Fins anticipées, prolongations et retours"),
        definition=_(
            "Prêts des entreprises prêteuses du département choisi (ou du territoire). Fins "
            "anticipées : dernier jour de prêt pendant la période (jusqu'au %(day)s), par "
            "motif. Prolongations : prolongations signées pendant la période. Retours au "
            "poste : retours du salarié dans son entreprise déclarés pendant la période.",
            day=format_date(scope.as_of, "long"),
        ),
        columns=(_("Prêts"),),
        rows=rows,
    )


def raw_flows(scope: Scope) -> dict[tuple[str, str], int]:
    """Loans started in the period (up to today): {(lender division, host division): n},
    NAF divisions ("30" aircraft and other transport equipment, "10" food industries): a
    section such as C holds both ends of SHARING's aeronautics → agrifood flow."""
    loans, lf = scheme_loans(scope)
    host, host_naf = aliased(Firm), aliased(NafCode)
    query = (
        loans.add_columns(lf.c.division, host_naf.division, func.count())
        .join(host, host.id == Loan.host_firm_id)
        .join(host_naf, host_naf.code == host.naf_code)
        .where(Loan.start_date >= scope.start, Loan.start_date <= scope.as_of)
        .group_by(lf.c.division, host_naf.division)
    )
    return {(lender, host_): n for lender, host_, n in db.session.execute(query)}


def flows_table(raw: dict[tuple[str, str], int], labels: dict[str, str], scope: Scope) -> Table:
    lenders = sorted({lender for lender, _h in raw})
    hosts = sorted({host for _l, host in raw})
    return Table(
        key="flows",
        title=_("Flux entre secteurs"),
        definition=_(
            "Prêts commencés pendant la période (jusqu'au %(day)s), dont l'entreprise "
            "prêteuse est dans le département choisi (ou le territoire) : en ligne, la division "
            "NAF (secteur d'activité) de l'entreprise prêteuse ; en colonne, celle de "
            "l'entreprise d'accueil. Seules figurent les divisions concernées.",
            day=format_date(scope.as_of, "long"),
        ),
        columns=tuple(labels.get(h, h) for h in hosts),
        rows=tuple(
            Row(
                labels.get(lender, lender),
                tuple(privacy.count(raw.get((lender, h), 0)) for h in hosts),
                lender,
            )
            for lender in lenders
        ),
        column_codes=tuple(hosts),
    )
