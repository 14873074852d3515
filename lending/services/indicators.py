"""Aggregates for monitors: counts only, small cells hidden."""

from dataclasses import dataclass

from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Commune, Departement, Enrolment, EnrolmentStatus, Firm, Scheme

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


def scheme_indicators(scheme: Scheme) -> SchemeIndicators:
    counts = db.session.execute(
        select(Commune.departement_code, Enrolment.status, func.count())
        .join(Firm, Firm.id == Enrolment.firm_id)
        .join(Commune, Commune.insee == Firm.commune_insee)
        .where(Enrolment.scheme_id == scheme.id)
        .group_by(Commune.departement_code, Enrolment.status)
    ).all()
    table: dict[str, dict[EnrolmentStatus, int]] = {}
    for dep, status, count in counts:
        table.setdefault(dep, {})[status] = count
    names = dict(
        db.session.execute(
            select(Departement.code, Departement.name).where(
                Departement.code.in_(scheme.departement_codes)
            )
        ).all()
    )
    rows = [
        DepartementRow(
            code=code,
            name=names.get(code, code),
            approved=mask(table.get(code, {}).get(EnrolmentStatus.APPROVED, 0)),
            pending=mask(table.get(code, {}).get(EnrolmentStatus.PENDING, 0)),
        )
        for code in sorted(scheme.departement_codes)
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
