"""What every figure is computed over: the scheme, the départements counted, the period and
the day stocks are taken on; and the sets of rows the figures share (firms of the territory,
available employees, open needs, running loans), as SQL pieces.

Which département a row belongs to: a firm's is where its establishment is (its commune);
an employee's is their firm's; a need and a proposal belong to the host firm's; a loan and
its feedback to the lending firm's (the employer whose job the loan preserves). Only firms
located in the scheme's départements count, so the département rows add up to the territory.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from lending.models import (
    Commune,
    Employee,
    EmployeeStatus,
    Enrolment,
    EnrolmentStatus,
    Firm,
    Loan,
    NafCode,
    Need,
)
from lending.services.dashboard._sql import member, unindexed


@dataclass(frozen=True)
class Scope:
    scheme_id: int
    codes: tuple[str, ...]  # the départements counted: the filter's, or all the scheme's
    start: date  # first day of the period
    end: date  # last day of the period
    as_of: date  # the day stocks are taken on: the period's last day, or today if earlier

    @classmethod
    def of(cls, scheme, departement: str | None, start: date, end: date, today: date):
        codes = (departement,) if departement else tuple(sorted(scheme.departement_codes))
        return cls(scheme.id, codes, start, end, min(end, today))

    def territory(self, codes: tuple[str, ...]) -> "Scope":
        return replace(self, codes=codes)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time())

    @property
    def end_at(self) -> datetime:
        """The first instant after the period (timestamps are compared with `<`)."""
        return datetime.combine(self.end + timedelta(days=1), time())

    @property
    def as_of_at(self) -> datetime:
        """The first instant after the day stocks are taken on."""
        return datetime.combine(self.as_of + timedelta(days=1), time())


def located_firms(scope: Scope, name: str = "located") -> Select:
    """Firms located in the départements counted (enrolled or not: a loan or a proposal of
    the scheme keeps counting after its firm left), with their département, NAF section and
    NAF division."""
    return (
        select(
            Firm.id.label("firm_id"),
            Commune.departement_code.label("dep"),
            NafCode.section_code.label("section"),
            NafCode.division.label("division"),
        )
        .join(Commune, Commune.insee == Firm.commune_insee)
        .join(NafCode, NafCode.code == Firm.naf_code)
        .where(located(scope))
    )


def located(scope: Scope) -> ColumnElement[bool]:
    """A firm whose commune is in the départements counted (a semi-join on the communes).
    PostgreSQL still takes the firms of a few départements for a few hundred out of
    thousands (it cannot know a scheme's firms are all there): see `member` for how the
    dashboard's queries keep that estimate from choosing their plans."""
    communes = select(Commune.insee).where(Commune.departement_code.in_(scope.codes))
    return Firm.commune_insee.in_(communes)


def enrolled_firms(scope: Scope) -> Select:
    """Located firms whose enrolment in the scheme is approved (today), with
    `since`: when it was approved (or applied for, when the decision has no date)."""
    return (
        located_firms(scope)
        .add_columns(func.coalesce(Enrolment.decided_at, Enrolment.applied_at).label("since"))
        .join(Enrolment, Enrolment.firm_id == Firm.id)
        .where(Enrolment.scheme_id == scope.scheme_id, Enrolment.status == EnrolmentStatus.APPROVED)
    )


def located_ids(scope: Scope) -> Select:
    """Ids of the located firms, for `firm_id.in_(...)`: a semi-join both databases run as
    one lookup per row (a hash in PostgreSQL, a small list in SQLite), where joining
    `located_firms` costs several."""
    return select(Firm.id).where(located(scope))


def enrolled_ids(scope: Scope) -> Select:
    """Ids of the located firms whose enrolment in the scheme is approved (today). From the
    scheme's approved enrolments (an index of their own), each firm looked up in the
    located firms as a set: PostgreSQL hashes both, SQLite reads the index's range instead
    of looking up each located firm's enrolment."""
    return select(Enrolment.firm_id).where(
        Enrolment.scheme_id == scope.scheme_id,
        Enrolment.status == EnrolmentStatus.APPROVED,
        unindexed(Enrolment.firm_id).in_(located_ids(scope)),
    )


def is_available(scope: Scope) -> ColumnElement[bool]:
    """An employee offered for lending during the period: declared available by their firm,
    on its record before the period's end, their availability not over before the period's
    start (it may begin later: they are on offer already; their firm's enrolment aside)."""
    return and_(
        Employee.status == EmployeeStatus.AVAILABLE,
        Employee.created_at < scope.end_at,
        Employee.available_until >= scope.start,
    )


def at_risk() -> ColumnElement[bool]:
    """Employees in activité partielle or whose job is threatened."""
    return Employee.partial_activity | Employee.job_at_risk


def open_needs_on(scope: Scope) -> ColumnElement[bool]:
    """Needs open on the day stocks are taken: posted by then, not closed, their end date
    not passed."""
    return and_(
        Need.created_at < scope.as_of_at,
        or_(Need.closed_at.is_(None), Need.closed_at >= scope.as_of_at),
        Need.end_date >= scope.as_of,
    )


def running_on(day) -> ColumnElement[bool]:
    """Loans on which the employee is at the host on `day` (from the first to the last
    day; an early end moves the last day)."""
    return and_(Loan.start_date <= day, Loan.end_date >= day)


def scheme_loans(scope: Scope):
    """(select from Loan joined to its lending firm `f` located in the départements, f)."""
    f = located_firms(scope).subquery("f")
    query = (
        select()
        .select_from(Loan)
        .join(f, f.c.firm_id == Loan.lender_firm_id)
        .where(Loan.scheme_id == scope.scheme_id)
    )
    return query, f


def loans_of(scope: Scope) -> Select:
    """Select from Loan of the scheme whose lending firm is located in the départements
    (a semi-join on the firm: the loans' own index drives the query)."""
    return (
        select()
        .select_from(Loan)
        .where(
            Loan.scheme_id == scope.scheme_id,
            member(Loan.lender_firm_id, located_ids(scope)),
        )
    )
