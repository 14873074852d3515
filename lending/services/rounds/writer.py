"""Write a round's answer: proposals with their explanation, unmatched needs, figures, and
one digest email per person concerned. Flushes; the round's edge commits."""

from collections import Counter
from datetime import datetime, timedelta

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from lending.extensions import db
from lending.matching import COMPONENTS, great_circle_km
from lending.models import (
    Employee,
    MatchingRound,
    Need,
    NeedStatus,
    Proposal,
    ProposalStatus,
    Role,
    Scheme,
    UnmatchedNeed,
    User,
)
from lending.models.proposal import LIVE_STATUSES
from lending.services import mail
from lending.services.employees import matchable_query
from lending.services.rounds.engine_runner import EngineOutput
from lending.services.rounds.snapshot import Snapshot


def _skills_met(snapshot: Snapshot, employee_id: int, need_id: int) -> tuple[int, int]:
    asked = snapshot.need_skills.get(need_id, {})
    have = snapshot.employee_skills.get(employee_id, {})
    return sum(have.get(skill, 0) >= level for skill, level in asked.items()), len(asked)


def _rows(round_: MatchingRound, snapshot: Snapshot, output: EngineOutput, now, expires):
    result = output.result
    emp, need = snapshot.employees, snapshot.needs
    ei = np.searchsorted(emp.ids, result.employee_ids)
    ni = np.searchsorted(need.ids, result.need_ids)
    # the engine's own great-circle distance, for the chosen pairs only
    km = great_circle_km(emp.lat[ei], emp.lon[ei], need.lat[ni], need.lon[ni])
    rows = []
    for k, (e, n) in enumerate(result.pairs()):
        met, asked = _skills_met(snapshot, e, n)
        comps = dict(zip(COMPONENTS, result.components[k].tolist(), strict=True))
        rows.append(
            {
                "round_id": round_.id,
                "scheme_id": round_.scheme_id,
                "employee_id": e,
                "need_id": n,
                "lender_firm_id": snapshot.employee_firm[e],
                "host_firm_id": snapshot.need_firm[n],
                "status": ProposalStatus.PENDING,
                "created_at": now,
                "expires_at": expires,
                "score": float(result.score[k]),
                "skills_score": comps["skills"],
                "distance_score": comps["distance"],
                "dates_score": comps["dates"],
                "cost_score": comps["cost"],
                "priority_score": comps["priority"],
                "distance_km": round(float(km[k]), 1),
                "skills_met": met,
                "skills_asked": asked,
            }
        )
    return rows


def write(
    round_: MatchingRound, scheme: Scheme, snapshot: Snapshot, output: EngineOutput, now: datetime
) -> int:
    """Store the proposals and figures of `round_`; returns the number of proposals."""
    result, stats = output.result, output.result.stats
    expires = now + timedelta(days=scheme.proposal_deadline_days)
    rows = _still_valid(_rows(round_, snapshot, output, now, expires))
    if rows:
        db.session.execute(insert(Proposal), rows)
    for need_id, open_positions in zip(
        result.unmatched_need_ids.tolist(), result.remaining_positions.tolist(), strict=True
    ):
        round_.unmatched_needs.append(
            UnmatchedNeed(
                need_id=need_id,
                open_positions=open_positions,
                reason=output.reasons.get(need_id, "competition"),
            )
        )
    round_.employees, round_.needs = stats.employees, stats.needs
    round_.positions, round_.kept = stats.positions, len(snapshot.locked.employee_ids)
    round_.feasible_pairs, round_.proposals_count = stats.feasible_pairs, len(rows)
    round_.components, round_.total_score = stats.components, stats.total_score
    round_.at_risk_rate, round_.others_rate = stats.match_rate_at_risk, stats.match_rate_others
    db.session.flush()
    _notify(rows)
    return len(rows)


def _still_valid(rows: list[dict]) -> list[dict]:
    """Drop the pairs that changed while the engine worked: an employee who withdrew (or
    was withdrawn, or got a live proposal from another scheme's round), a need closed."""
    if not rows:
        return rows
    employees: set[int] = set()
    needs: set[int] = set()
    for chunk in _chunks(sorted({r["employee_id"] for r in rows})):
        employees.update(
            db.session.scalars(
                matchable_query().with_only_columns(Employee.id).where(Employee.id.in_(chunk))
            )
        )
        employees.difference_update(
            db.session.scalars(
                select(Proposal.employee_id).where(
                    Proposal.employee_id.in_(chunk), Proposal.status.in_(LIVE_STATUSES)
                )
            )
        )
    for chunk in _chunks(sorted({r["need_id"] for r in rows})):
        needs.update(
            db.session.scalars(
                select(Need.id).where(Need.id.in_(chunk), Need.status == NeedStatus.OPEN)
            )
        )
    return [r for r in rows if r["employee_id"] in employees and r["need_id"] in needs]


def _notify(rows: list[dict]) -> None:
    """One email per person: the employees proposed and the HR managers of both firms."""
    if not rows:
        return
    per_user: Counter[int] = Counter()
    for chunk in _chunks([r["employee_id"] for r in rows]):
        per_user.update(
            db.session.scalars(
                select(Employee.user_id).where(
                    Employee.id.in_(chunk), Employee.user_id.is_not(None)
                )
            )
        )
    firm_counts = Counter(r["lender_firm_id"] for r in rows)
    firm_counts.update(r["host_firm_id"] for r in rows)
    hr_users = db.session.execute(
        select(User.id, User.firm_id).where(
            User.role == Role.HR, User.active.is_(True), User.firm_id.in_(list(firm_counts))
        )
    )
    for user_id, firm_id in hr_users:
        per_user[user_id] += firm_counts[firm_id]
    for chunk in _chunks(sorted(per_user)):
        for user in db.session.scalars(select(User).where(User.id.in_(chunk))):
            mail.queue(
                user,
                _l("Nouvelles propositions de prêt de main-d'œuvre"),
                "proposals_new",
                user=user,
                count=per_user[user.id],
            )


def _chunks(ids: list[int], size: int = 5000):
    """Bounded IN lists (SQLite caps the number of parameters of a statement)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
