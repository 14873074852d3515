"""Aggregates for monitors: counts only, small cells hidden."""

from dataclasses import dataclass

from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Commune, Departement, Enrolment, EnrolmentStatus, Firm, Scheme

SMALL_CELL = 5


def mask(count: int) -> str:
    """Counts under SMALL_CELL are shown as "< 5" so no single firm can be singled out."""
    return f"< {SMALL_CELL}" if 0 < count < SMALL_CELL else str(count)


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
    total = {s: sum(t.get(s, 0) for t in table.values()) for s in EnrolmentStatus}
    return SchemeIndicators(
        scheme=scheme,
        approved=mask(total[EnrolmentStatus.APPROVED]),
        pending=mask(total[EnrolmentStatus.PENDING]),
        rows=rows,
    )
