"""The territory: figures by département (the map's), and firms by NAF section and role."""

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select

import lending.services.dashboard.privacy as privacy
from lending.extensions import db
from lending.models import Commune, Employee, Firm, NafDivision, NafSection, Need
from lending.services.dashboard.scope import (
    Scope,
    at_risk,
    enrolled_firms,
    enrolled_ids,
    is_available,
    open_needs_on,
    running_on,
    scheme_loans,
)
from lending.services.dashboard.tables import Row, Table

DEP_COLUMNS = ("firms", "employees", "loans", "needs")


@dataclass(frozen=True)
class DepCounts:
    firms: int = 0  # firms enrolled (approved) by the day stocks are taken on
    employees: int = 0  # employees available over the period
    loans: int = 0  # loans running on the day stocks are taken on
    needs: int = 0  # needs open on that day


Available = dict[tuple[str, bool], int]


def raw_available(scope: Scope) -> Available:
    """Employees available over the period by département and at risk or not: the one scan
    of the employees that the map, the employees' and the employment tables share. Counted
    firm by firm first (SQLite reads them in its index's order, without sorting them),
    then by the firms' départements."""
    risk = at_risk()
    per_firm = (
        select(
            Employee.firm_id,
            func.count().label("n"),
            func.sum(case((risk, 1), else_=0)).label("risky"),
        )
        .where(is_available(scope), Employee.firm_id.in_(enrolled_ids(scope)))
        .group_by(Employee.firm_id)
        .subquery("per_firm")
    )
    query = (
        select(Commune.departement_code, func.sum(per_firm.c.n), func.sum(per_firm.c.risky))
        .select_from(per_firm)
        .join(Firm, Firm.id == per_firm.c.firm_id)
        .join(Commune, Commune.insee == Firm.commune_insee)
        .group_by(Commune.departement_code)
    )
    found: Available = {}
    for dep, n, risky in db.session.execute(query):
        found[dep, True] = int(risky)
        found[dep, False] = int(n) - int(risky)
    return found


def available_in(available: Available, codes) -> dict[bool, int]:
    """{at risk: n} over the départements `codes` (a sum of a few grouped counts)."""
    found = {True: 0, False: 0}
    for (dep, risky), n in available.items():
        if dep in codes:
            found[risky] += n
    return found


def raw_departements(scope: Scope, available: Available | None = None) -> dict[str, DepCounts]:
    """Counts by département code, for the départements of `scope` (three grouped queries,
    and `raw_available` unless given)."""
    if available is None:
        available = raw_available(scope)
    f = enrolled_firms(scope).subquery("f")
    firms = select(f.c.dep, func.count()).where(f.c.since < scope.as_of_at).group_by(f.c.dep)
    loans, lf = scheme_loans(scope)
    loans = loans.add_columns(lf.c.dep, func.count()).where(running_on(scope.as_of))
    loans = loans.group_by(lf.c.dep)
    nf = enrolled_firms(scope).subquery("nf")
    needs = (
        select(nf.c.dep, func.count())
        .select_from(Need)
        .join(nf, nf.c.firm_id == Need.firm_id)
        .where(open_needs_on(scope))
        .group_by(nf.c.dep)
    )
    found: dict[str, dict[str, int]] = {code: {} for code in scope.codes}
    for code in scope.codes:
        found[code]["employees"] = sum(available_in(available, (code,)).values())
    for column, query in (("firms", firms), ("loans", loans), ("needs", needs)):
        for dep, n in db.session.execute(query):
            found[dep][column] = n
    return {dep: DepCounts(**values) for dep, values in found.items()}


def departements_table(raw: dict[str, DepCounts], names: dict[str, str], scope: Scope) -> Table:
    day = format_date(scope.as_of, "long")
    rows = tuple(
        Row(
            f"{code} — {names[code]}",
            tuple(privacy.count(getattr(raw[code], c)) for c in DEP_COLUMNS),
            code,
        )
        for code in sorted(raw)
    )
    total = Row(
        _("Territoire du dispositif"),
        tuple(_dep_total([getattr(r, c) for r in raw.values()]) for c in DEP_COLUMNS),
    )
    return Table(
        key="departements",
        title=_("Par département"),
        definition=_(
            "Tous les départements du dispositif, quel que soit le filtre de département. "
            "Entreprises : adhésion acceptée au %(day)s. Salariés disponibles : offerts "
            "au prêt par leur entreprise adhérente pendant la période (leurs disponibilités ne "
            "s'achèvent pas avant son début). Prêts en cours : prêts dont le salarié est dans "
            "l'entreprise "
            "d'accueil le %(day)s, comptés dans le département de l'entreprise prêteuse. "
            "Besoins ouverts : besoins non fermés et non échus le %(day)s, dans le département "
            "de l'entreprise d'accueil. Seules comptent les entreprises situées dans les "
            "départements du dispositif.",
            day=day,
        ),
        columns=(
            _("Entreprises adhérentes"),
            _("Salariés disponibles"),
            _("Prêts en cours"),
            _("Besoins ouverts"),
        ),
        rows=rows,
        total=total,
    )


def _dep_total(parts: list[int]):
    return privacy.total(sum(parts), parts)


ROLES = ("lending", "hosting", "both", "neither")
# (lends, hosts) -> role
ROLE_OF = {
    (True, False): "lending",
    (False, True): "hosting",
    (True, True): "both",
    (False, False): "neither",
}


def raw_firms(scope: Scope) -> dict[str, dict[str, int]]:
    """Enrolled firms by NAF section and role over the period: {section: {role: n}}, in
    one query. A firm lends if it declared an available employee over the period (as
    counted in `raw_available`), hosts if one of its needs was open during it."""
    f = enrolled_firms(scope).subquery("f")
    # SELECT 1, not *: SQLite then answers from the index alone.
    lends = select(literal(1)).where(Employee.firm_id == f.c.firm_id, is_available(scope)).exists()
    hosts = (
        select(literal(1))
        .where(
            Need.firm_id == f.c.firm_id,
            Need.created_at < scope.end_at,
            (Need.closed_at.is_(None)) | (Need.closed_at >= scope.start_at),
            Need.end_date >= scope.start,
        )
        .exists()
    )
    # Each firm's two answers, asked once (a materialised CTE: grouping by the EXISTS
    # themselves runs each twice), then counted by section and answers, then named.
    roles = (
        select(f.c.section, lends.label("lends"), hosts.label("hosts"))
        .where(f.c.since < scope.as_of_at)
        .cte("roles")
        .prefix_with("MATERIALIZED")
    )
    query = select(roles.c.section, roles.c.lends, roles.c.hosts, func.count()).group_by(
        roles.c.section, roles.c.lends, roles.c.hosts
    )
    found: dict[str, dict[str, int]] = {}
    for section, lending, hosting, n in db.session.execute(query):
        found.setdefault(section, {})[ROLE_OF[bool(lending), bool(hosting)]] = n
    return found


def division_labels() -> dict[str, str]:
    rows = db.session.execute(select(NafDivision.code, NafDivision.label))
    return {code: f"{code} — {label}" for code, label in rows}


def section_labels() -> dict[str, str]:
    rows = db.session.execute(select(NafSection.code, NafSection.label))
    return {code: f"{code} — {label}" for code, label in rows}


def firms_table(raw: dict[str, dict[str, int]], labels: dict[str, str], scope: Scope) -> Table:
    def figures(counts: list[int]):
        return tuple(privacy.count(n) for n in counts) + (privacy.total(sum(counts), counts),)

    rows = tuple(
        Row(labels.get(section, section), figures([raw[section].get(r, 0) for r in ROLES]), section)
        for section in sorted(raw)
    )
    sums = [sum(raw[s].get(r, 0) for s in raw) for r in ROLES]
    parts = [raw[s].get(r, 0) for s in raw for r in ROLES]
    total = Row(
        _("Toutes sections"),
        tuple(_dep_total([raw[s].get(r, 0) for s in raw]) for r in ROLES)
        + (privacy.total(sum(sums), parts),),
    )
    return Table(
        key="firms",
        title=_("Entreprises adhérentes par secteur"),
        definition=_(
            "Entreprises dont l'adhésion est acceptée au %(day)s, par section de leur code NAF. "
            "Prêteuse : au moins un salarié déclaré disponible sur la période ; d'accueil : "
            "au moins un besoin ouvert pendant la période ; les deux ; ni l'un ni l'autre.",
            day=format_date(scope.as_of, "long"),
        ),
        columns=(
            _("Prêteuses seulement"),
            _("D'accueil seulement"),
            _("Prêteuses et d'accueil"),
            _("Sans salarié ni besoin sur la période"),
            _("Total"),
        ),
        rows=rows,
        total=total,
    )
