"""Aggregates for monitors: counts only, small cells hidden."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lending.authz import visible_schemes_query
from lending.extensions import db
from lending.models import Commune, Enrolment, EnrolmentStatus, Firm, Scheme

SMALL_CELL = 5


def mask(count: int) -> str:
    """Counts under SMALL_CELL are shown as "< 5" so no single firm can be singled out."""
    return f"< {SMALL_CELL}" if 0 < count < SMALL_CELL else str(count)


def mask_total(total: int, parts: list[int]) -> str:
    """A total whose parts include a hidden cell is shown as a band ("5 à 9"), so the
    hidden cell cannot be recovered by subtracting the visible ones."""
    if not any(0 < part < SMALL_CELL for part in parts) or total < SMALL_CELL:
        return mask(total)
    low = total - total % SMALL_CELL
    return f"{low} – {low + SMALL_CELL - 1}"


@dataclass
class DepartementRow:
    code: str
    name: str
    approved: str
    pending: str


@dataclass
class SchemeIndicators:
    scheme: Scheme
    approved: str
    pending: str
    rows: list[DepartementRow]


def visible_to(user) -> list[SchemeIndicators]:
    """The indicators of every scheme `user` may see, by name: the schemes, their
    départements and the counts, three queries whatever the number of schemes."""
    schemes = db.session.scalars(
        visible_schemes_query(user).options(selectinload(Scheme.departements))
    )
    return schemes_indicators(list(schemes))


def schemes_indicators(schemes: list[Scheme]) -> list[SchemeIndicators]:
    """Firms enrolled in each scheme by département and status, in one query for all."""
    if not schemes:
        return []
    counts = db.session.execute(
        select(Enrolment.scheme_id, Commune.departement_code, Enrolment.status, func.count())
        .join(Firm, Firm.id == Enrolment.firm_id)
        .join(Commune, Commune.insee == Firm.commune_insee)
        .where(Enrolment.scheme_id.in_([scheme.id for scheme in schemes]))
        .group_by(Enrolment.scheme_id, Commune.departement_code, Enrolment.status)
    ).all()
    tables: dict[int, dict[str, dict[EnrolmentStatus, int]]] = {}
    for scheme_id, dep, status, count in counts:
        tables.setdefault(scheme_id, {}).setdefault(dep, {})[status] = count
    return [_indicators(scheme, tables.get(scheme.id, {})) for scheme in schemes]


def _indicators(scheme: Scheme, table: dict[str, dict[EnrolmentStatus, int]]) -> SchemeIndicators:
    names = {departement.code: departement.name for departement in scheme.departements}
    rows = [
        DepartementRow(
            code=code,
            name=names[code],
            approved=mask(table.get(code, {}).get(EnrolmentStatus.APPROVED, 0)),
            pending=mask(table.get(code, {}).get(EnrolmentStatus.PENDING, 0)),
        )
        for code in sorted(names)
    ]

    def total(status: EnrolmentStatus) -> str:
        parts = [counts_by_status.get(status, 0) for counts_by_status in table.values()]
        return mask_total(sum(parts), parts)

    return SchemeIndicators(
        scheme=scheme,
        approved=total(EnrolmentStatus.APPROVED),
        pending=total(EnrolmentStatus.PENDING),
        rows=rows,
    )
