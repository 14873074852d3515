"""The engine's inputs for one scheme, read from the database in a few column queries.

Who enters a round: consenting, confirmed, costed employees and open needs of the firms
approved in the scheme, whose dates are not over. Pairs refused or expired earlier are
excluded; live proposals (pending or accepted, of any scheme) are kept as they are: a pair
inside this snapshot is passed as locked, an employee held elsewhere is left out, and a
need's positions held elsewhere are taken off its capacity.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from sqlalchemy import select

from lending.extensions import db
from lending.matching import Employees, Exclusions, Locked, Needs, Weights
from lending.models import (
    Agreement,
    AgreementStatus,
    Commune,
    Employee,
    EmployeeSkill,
    Enrolment,
    EnrolmentStatus,
    Firm,
    Need,
    NeedSkill,
    NeedStatus,
    Proposal,
    ProposalStatus,
    Scheme,
)
from lending.models.proposal import LIVE_STATUSES
from lending.models.reference import NafCode
from lending.services.employees import matchable_query


@dataclass
class Snapshot:
    employees: Employees
    needs: Needs
    exclusions: Exclusions
    locked: Locked
    weights: Weights
    # What the proposals' explanations need, by id.
    employee_skills: dict[int, dict[int, int]] = field(default_factory=dict)
    need_skills: dict[int, dict[int, int]] = field(default_factory=dict)
    employee_firm: dict[int, int] = field(default_factory=dict)
    need_firm: dict[int, int] = field(default_factory=dict)


def weights_for(scheme: Scheme) -> Weights:
    return Weights(
        skills=scheme.weight_skills,
        distance=scheme.weight_distance,
        dates=scheme.weight_dates,
        cost=scheme.weight_cost,
        priority=scheme.weight_priority,
        at_risk_unmatched_penalty=scheme.at_risk_bonus_pct / 100,
        min_date_coverage=scheme.min_date_coverage_pct / 100,
    )


def _approved_firms(scheme: Scheme):
    return select(Enrolment.firm_id).where(
        Enrolment.scheme_id == scheme.id, Enrolment.status == EnrolmentStatus.APPROVED
    )


def _live_proposals() -> list[tuple[int, int]]:
    rows = db.session.execute(
        select(Proposal.employee_id, Proposal.need_id).where(Proposal.status.in_(LIVE_STATUSES))
    )
    return [(employee_id, need_id) for employee_id, need_id in rows]


def _skill_matrix(rows, row_index: dict[int, int], columns: dict[int, int]) -> sp.csr_matrix:
    r, c, v = [], [], []
    for owner, skill, level in rows:
        r.append(row_index[owner])
        c.append(columns[skill])
        v.append(level)
    return sp.csr_matrix(
        (np.asarray(v, np.int16), (np.asarray(r, np.int64), np.asarray(c, np.int64))),
        shape=(len(row_index), max(len(columns), 1)),
    )


def _sector_exclusions(emp_rows, need_rows) -> tuple[np.ndarray, np.ndarray]:
    """(employee ids, need ids) ruled out by the employee's own choice of sectors (empty
    choice: any sector). Only employees who restricted their sectors contribute, one block
    (their ids × the needs of other sectors) per distinct choice, built with numpy."""
    by_choice: dict[frozenset, list[int]] = defaultdict(list)
    for row in emp_rows:
        if row.accepted_sectors.strip():
            by_choice[frozenset(row.accepted_sectors.split())].append(row.id)
    need_ids = np.array([n.id for n in need_rows], np.int64)
    sections = np.array([n.section_code for n in need_rows], dtype=object)
    emp_parts, need_parts = [], []
    for choice, employee_ids in by_choice.items():
        barred = need_ids[~np.isin(sections, list(choice))]
        emp_parts.append(np.repeat(np.asarray(employee_ids, np.int64), len(barred)))
        need_parts.append(np.tile(barred, len(employee_ids)))
    if not emp_parts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(emp_parts), np.concatenate(need_parts)


def take(scheme: Scheme, today: date) -> Snapshot:
    """Read the scheme's market as engine inputs (ids, never indices)."""
    firms = _approved_firms(scheme)
    emp_rows, need_rows = _employee_rows(firms, today), _need_rows(firms, today)
    emp_rows, locked, taken_elsewhere = _apply_live_proposals(emp_rows, need_rows)
    emp_index = {e.id: i for i, e in enumerate(emp_rows)}
    need_index = {n.id: i for i, n in enumerate(need_rows)}
    emp_skill_rows, need_skill_rows, columns = _skill_rows(firms, emp_index, need_index)
    excluded = _excluded_pairs(emp_index, need_index)
    sector_emp, sector_need = _sector_exclusions(emp_rows, need_rows)
    return Snapshot(
        employees=_employees(emp_rows, today, emp_skill_rows, emp_index, columns),
        needs=_needs(need_rows, taken_elsewhere, need_skill_rows, need_index, columns),
        exclusions=Exclusions(
            employee_ids=np.concatenate(([e for e, _ in excluded], sector_emp)),
            need_ids=np.concatenate(([n for _, n in excluded], sector_need)),
        ),
        locked=Locked(
            employee_ids=np.asarray([e for e, _ in locked]),
            need_ids=np.asarray([n for _, n in locked]),
        ),
        weights=weights_for(scheme),
        employee_skills=_levels_by_owner(emp_skill_rows),
        need_skills=_levels_by_owner(need_skill_rows),
        employee_firm={e.id: e.firm_id for e in emp_rows},
        need_firm={n.id: n.firm_id for n in need_rows},
    )


def _employee_rows(firms, today: date) -> Sequence:
    """The matchable employees of the scheme's firms still available after `today`."""
    return db.session.execute(
        matchable_query()
        .with_only_columns(
            Employee.id,
            Employee.firm_id,
            Commune.latitude,
            Commune.longitude,
            Employee.max_commute_km,
            Employee.available_from,
            Employee.available_until,
            (
                Employee.gross_salary_cents
                + Employee.employer_charges_cents
                + Employee.expenses_cents
            ).label("cost"),
            Employee.partial_activity,
            Employee.job_at_risk,
            Employee.accepted_sectors,
        )
        .join(Commune, Commune.insee == Employee.commune_insee)
        .where(Employee.firm_id.in_(firms), Employee.available_until >= today)
        .order_by(Employee.id)
    ).all()


def _need_rows(firms, today: date) -> Sequence:
    """The open needs of the scheme's firms not over by `today`, with their firm's section."""
    return db.session.execute(
        select(
            Need.id,
            Need.firm_id,
            Commune.latitude,
            Commune.longitude,
            Need.start_date,
            Need.end_date,
            Need.positions,
            Need.monthly_budget_cents,
            NafCode.section_code,
        )
        .join(Commune, Commune.insee == Need.commune_insee)
        .join(Firm, Firm.id == Need.firm_id)
        .join(NafCode, NafCode.code == Firm.naf_code)
        .where(Need.status == NeedStatus.OPEN, Need.firm_id.in_(firms), Need.end_date >= today)
        .order_by(Need.id)
    ).all()


def _apply_live_proposals(
    emp_rows: Sequence, need_rows: Sequence
) -> tuple[list, list, dict[int, int]]:
    """Live proposals kept as they are: (the employees not held by a need outside the
    snapshot, the pairs to lock, the positions of each need held by employees outside it)."""
    need_ids = {n.id for n in need_rows}
    live = _live_proposals()
    held_elsewhere = {e for e, n in live if n not in need_ids}
    emp_rows = [e for e in emp_rows if e.id not in held_elsewhere]
    emp_ids = {e.id for e in emp_rows}
    locked = [(e, n) for e, n in live if e in emp_ids and n in need_ids]
    taken_elsewhere: dict[int, int] = defaultdict(int)
    for e, n in live:
        if n in need_ids and e not in emp_ids:
            taken_elsewhere[n] += 1
    return emp_rows, locked, taken_elsewhere


def _skill_rows(
    firms, emp_index: dict[int, int], need_index: dict[int, int]
) -> tuple[list[tuple], list[tuple], dict[int, int]]:
    """(employee, skill, level) rows, (need, skill, min level, mandatory) rows, and the
    matrix column of each skill id that appears in either."""
    emp_skill_rows = _rows_in(
        select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level)
        .join(Employee, Employee.id == EmployeeSkill.employee_id)
        .where(Employee.firm_id.in_(firms)),
        EmployeeSkill.employee_id,
        emp_index,
    )
    need_skill_rows = _rows_in(
        select(NeedSkill.need_id, NeedSkill.skill_id, NeedSkill.min_level, NeedSkill.mandatory)
        .join(Need, Need.id == NeedSkill.need_id)
        .where(Need.firm_id.in_(firms)),
        NeedSkill.need_id,
        need_index,
    )
    skill_ids = sorted({r[1] for r in emp_skill_rows} | {r[1] for r in need_skill_rows})
    return emp_skill_rows, need_skill_rows, {s: i for i, s in enumerate(skill_ids)}


def _employees(
    emp_rows: Sequence,
    today: date,
    skill_rows: list[tuple],
    emp_index: dict[int, int],
    columns: dict[int, int],
) -> Employees:
    return Employees(
        ids=np.asarray([e.id for e in emp_rows]),
        lat=np.asarray([e.latitude for e in emp_rows]),
        lon=np.asarray([e.longitude for e in emp_rows]),
        max_commute_km=np.asarray([e.max_commute_km for e in emp_rows]),
        available_from=np.asarray([max(e.available_from, today).toordinal() for e in emp_rows]),
        available_until=np.asarray([e.available_until.toordinal() for e in emp_rows]),
        firm_ids=np.asarray([e.firm_id for e in emp_rows]),
        skills=_skill_matrix(skill_rows, emp_index, columns),
        monthly_cost=np.asarray([e.cost for e in emp_rows]),
        at_risk=np.asarray([e.partial_activity or e.job_at_risk for e in emp_rows]),
    )


def _needs(
    need_rows: Sequence,
    taken_elsewhere: dict[int, int],
    skill_rows: list[tuple],
    need_index: dict[int, int],
    columns: dict[int, int],
) -> Needs:
    """Needs with the positions held by employees outside the snapshot taken off."""
    return Needs(
        ids=np.asarray([n.id for n in need_rows]),
        lat=np.asarray([n.latitude for n in need_rows]),
        lon=np.asarray([n.longitude for n in need_rows]),
        firm_ids=np.asarray([n.firm_id for n in need_rows]),
        start=np.asarray([n.start_date.toordinal() for n in need_rows]),
        end=np.asarray([n.end_date.toordinal() for n in need_rows]),
        positions=np.asarray([max(n.positions - taken_elsewhere[n.id], 0) for n in need_rows]),
        budget=np.asarray([n.monthly_budget_cents or 0 for n in need_rows]),
        mandatory=_skill_matrix([r[:3] for r in skill_rows if r[3]], need_index, columns),
        optional=_skill_matrix([r[:3] for r in skill_rows if not r[3]], need_index, columns),
    )


def _levels_by_owner(skill_rows: list[tuple]) -> dict[int, dict[int, int]]:
    """{owner id: {skill id: level}} from (owner, skill, level, ...) rows."""
    levels: dict[int, dict[int, int]] = {}
    for owner, skill, level, *_ in skill_rows:
        levels.setdefault(owner, {})[skill] = level
    return levels


def _rows_in(query, owner_column, index: dict[int, int]) -> list[tuple]:
    """Rows of a skill table for the owners in `index` (the scheme's firms are filtered in
    SQL, the owners here, so no IN list of tens of thousands of ids reaches the database)."""
    if not index:
        return []
    return [tuple(r) for r in db.session.execute(query.order_by(owner_column)) if r[0] in index]


def _excluded_pairs(emp_index: dict[int, int], need_index: dict[int, int]) -> list[tuple]:
    """Pairs refused or expired earlier, or whose agreement a party abandoned: never
    proposed again."""
    abandoned = select(Agreement.proposal_id).where(Agreement.status == AgreementStatus.CANCELLED)
    rows = db.session.execute(
        select(Proposal.employee_id, Proposal.need_id)
        .where(
            Proposal.status.in_((ProposalStatus.REFUSED, ProposalStatus.EXPIRED))
            | Proposal.id.in_(abandoned)
        )
        .distinct()
    )
    return [(e, n) for e, n in rows if e in emp_index and n in need_index]
