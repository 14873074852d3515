"""Needs and matching rounds over the period: who was proposed where, and what came of it.

A round every 14 days proposes, for most open positions of the needs then open, one
consenting employee of another firm who is free that day. Each proposal's outcome is drawn
when it is written (accepted, declined, expired, cancelled; pending in the rounds whose
deadline has not passed); an accepted one becomes an agreement and, once signed, a loan
(lending/bench/loans.py). An employee is never proposed while a proposal or a loan holds
them, so the schema's "one live proposal / one running loan per employee" holds.
"""

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from lending.models import Decision, NeedStatus, ProposalStatus, RoundStatus
from lending.models.proposal import UNMATCHED_REASON_LABELS

from .loans import Deals, NeedSim, accepted
from .people import People
from .rows import at, days_between

ROUND_EVERY = timedelta(days=14)
DEADLINE = timedelta(days=10)
FOREVER = date.max
OUTCOMES = {ProposalStatus.ACCEPTED: 40, ProposalStatus.REFUSED: 33,
            ProposalStatus.EXPIRED: 22, ProposalStatus.CANCELLED: 5}  # fmt: skip
REASONS = list(UNMATCHED_REASON_LABELS)
PARTIES = ("employee", "lender", "host")


@dataclass
class History:
    needs: list[dict] = field(default_factory=list)
    need_skills: list[dict] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    deals: Deals = field(default_factory=Deals)


def _needs(people: People, count: int, rng: random.Random, start: date, today: date, ids):
    sims = []
    weights = people.host_weights
    for n in range(count):
        firm = people.hosts[bisect.bisect(weights, rng.random() * weights[-1])]
        created = at(days_between(rng, start, today), rng.randint(7, 16), rng.randint(0, 59))
        begin = created.date() + timedelta(days=rng.randint(14, 60))
        row = {
            "id": ids["need"] + n, "firm_id": firm.id, "title": f"Renfort {n + 1}",
            "missions": "Renfort de l'équipe de production.",
            "positions": rng.choice((1, 1, 1, 2, 2, 3, 5)), "commune_insee": firm.commune,
            "start_date": begin, "end_date": begin + timedelta(weeks=rng.randint(8, 39)),
            "weekly_hours": Decimal("35"),
            "monthly_budget_cents": rng.choice((None, None, 6_000_00, 8_000_00)),
            "risky_post": rng.random() < 0.15, "medical_surveillance": False, "ppe": "",
            "status": NeedStatus.OPEN, "created_at": created, "updated_at": created,
            "closed_at": None,
        }  # fmt: skip
        job = rng.choice(people.job_skills)
        skills = [
            {
                "need_id": row["id"],
                "skill_id": skill_id,
                "min_level": rng.randint(1, 3),
                "mandatory": i < 2,
            }  # fmt: skip
            for i, skill_id in enumerate(rng.sample(job, min(len(job), rng.randint(2, 4))))
        ]
        sims.append(NeedSim(row, firm, skills, stop=begin + timedelta(days=30)))
    sims.sort(key=lambda sim: sim.row["created_at"])
    return sims


@dataclass
class Simulation:
    people: People
    rng: random.Random
    today: date
    now: datetime
    ids: dict[str, int]
    history: History = field(default_factory=History)
    free_from: dict[int, date] = field(default_factory=dict)
    tried: set[tuple[int, int]] = field(default_factory=set)


def simulate(people: People, n_needs: int, rng, start: date, today: date, now: datetime, ids):
    """The whole history as rows to insert (`ids`: the first free id of each table)."""
    sim = Simulation(people, rng, today, now, ids)
    needs = _needs(people, n_needs, rng, start, today, ids)
    active: list[NeedSim] = []
    waiting = iter(needs)
    upcoming = next(waiting, None)
    # Every 14 days, the last one two days ago: its proposals are still pending.
    day = today - timedelta(days=2)
    day -= ROUND_EVERY * max(0, (day - start).days // ROUND_EVERY.days)
    round_id = ids["matching_round"]
    while day <= today:
        started = at(day, 5)
        while upcoming is not None and upcoming.row["created_at"] < started:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [n for n in active if n.stop >= day and n.filled < n.row["positions"]]
        made = 0
        for need in active:
            for _ in range(need.row["positions"] - need.filled - need.live):
                if rng.random() < 0.8:
                    made += _propose(sim, need, round_id, started)
            left = need.row["positions"] - need.filled - need.live
            if left > 0:
                sim.history.unmatched.append(
                    {
                        "round_id": round_id,
                        "need_id": need.row["id"],
                        "open_positions": left,
                        "reason": rng.choice(REASONS),
                    }  # fmt: skip
                )
        sim.history.rounds.append(_round_row(sim, round_id, started, active, made))
        day, round_id = day + ROUND_EVERY, round_id + 1
    for need in needs:
        _close_need(need, today, rng)
        sim.history.needs.append(need.row)
        sim.history.need_skills.extend(need.skills)
    return sim.history


def _close_need(need: NeedSim, today: date, rng) -> None:
    """Filled needs are closed at their last acceptance; most needs left unfilled are
    closed by their host some days after their planned start, the others stay open."""
    row = need.row
    if need.filled >= row["positions"]:
        row["status"] = NeedStatus.CLOSED
    elif need.stop < today and rng.random() < 0.8:
        row["status"], row["closed_at"] = NeedStatus.CLOSED, at(need.stop, 16)
    else:
        row["closed_at"] = None
    row["updated_at"] = row["closed_at"] or row["created_at"]


def _pick(sim: Simulation, need: NeedSim, day: date):
    for _ in range(30 if sim.people.matchable else 0):
        employee = sim.people.matchable[sim.rng.randrange(len(sim.people.matchable))]
        if (
            employee[1] != need.firm.id
            and sim.free_from.get(employee[0], date.min) <= day
            and (employee[0], need.row["id"]) not in sim.tried
        ):
            return employee
    return None


def _propose(sim: Simulation, need: NeedSim, round_id: int, started: datetime) -> int:
    employee = _pick(sim, need, started.date())
    if employee is None:
        return 0
    sim.tried.add((employee[0], need.row["id"]))
    rng, expires = sim.rng, started + DEADLINE
    if expires > sim.now:
        status = ProposalStatus.PENDING
    else:
        status = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
    row = _proposal_row(sim, round_id, need, employee, started, status)
    sim.history.proposals.append(row)
    if status == ProposalStatus.PENDING:
        need.live += 1
        sim.free_from[employee[0]] = FOREVER
    elif status == ProposalStatus.ACCEPTED:
        need.filled += 1
        need.row["closed_at"] = row["closed_at"]
        sim.free_from[employee[0]] = accepted(
            sim.history.deals, row, need, employee, sim.people, sim.today, sim.now, rng, sim.ids
        )
    else:
        sim.free_from[employee[0]] = row["closed_at"].date() + timedelta(days=1)
    return 1


def _proposal_row(sim, round_id, need: NeedSim, employee, started, status) -> dict:
    rng, expires = sim.rng, started + DEADLINE
    closed = {
        ProposalStatus.PENDING: None,
        ProposalStatus.EXPIRED: expires,
    }.get(status, started + timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 8)))
    scores = [round(rng.random(), 3) for _ in range(6)]
    row = {
        "id": sim.ids["proposal"] + len(sim.history.proposals), "round_id": round_id,
        "scheme_id": sim.people.scheme_id, "employee_id": employee[0],
        "need_id": need.row["id"], "lender_firm_id": employee[1],
        "host_firm_id": need.firm.id, "status": status, "created_at": started,
        "expires_at": expires, "closed_at": closed, "score": scores[0],
        "skills_score": scores[1], "distance_score": scores[2], "dates_score": scores[3],
        "cost_score": scores[4], "priority_score": scores[5],
        "distance_km": round(rng.uniform(0, 60), 1), "skills_met": len(need.skills),
        "skills_asked": len(need.skills),
    }  # fmt: skip
    _decisions(sim, row, status, closed, need.firm.hr_id)
    return row


def _decisions(sim, row: dict, status: ProposalStatus, closed, host_hr: int) -> None:
    """Each party's answer: all three accept an accepted proposal; a declined one has one
    refusal (and maybe earlier acceptances); an expired or pending one some acceptances."""
    rng, order = sim.rng, list(PARTIES)
    rng.shuffle(order)
    answers: dict[str, Decision] = {}
    if status == ProposalStatus.ACCEPTED:
        answers = dict.fromkeys(order, Decision.ACCEPTED)
    elif status in (ProposalStatus.REFUSED, ProposalStatus.EXPIRED, ProposalStatus.PENDING):
        answers = dict.fromkeys(order[: rng.randint(0, 2)], Decision.ACCEPTED)
        if status == ProposalStatus.REFUSED:
            answers[order[2]] = Decision.REFUSED
    limit = closed or min(row["expires_at"], sim.now)
    for party in PARTIES:
        decision = answers.get(party)
        when = min(limit, row["created_at"] + timedelta(hours=rng.randint(2, 72)))
        if party == order[2] and status in (ProposalStatus.ACCEPTED, ProposalStatus.REFUSED):
            when = closed  # the last answer closes the proposal
        row[f"{party}_decision"] = decision
        row[f"{party}_decided_at"] = when if decision else None
    lender_hr = sim.people.by_id[row["lender_firm_id"]].hr_id
    row["lender_decided_by_id"] = lender_hr if answers.get("lender") else None
    row["host_decided_by_id"] = host_hr if answers.get("host") else None


def _round_row(sim: Simulation, round_id: int, started: datetime, active, made: int) -> dict:
    rng = sim.rng
    positions = sum(n.row["positions"] - n.filled for n in active)
    return {
        "id": round_id, "scheme_id": sim.people.scheme_id, "status": RoundStatus.DONE,
        "stage": "done", "trigger": "schedule", "started_by_id": None, "started_at": started,
        "heartbeat_at": started + timedelta(seconds=40), "task_id": None,
        "finished_at": started + timedelta(seconds=40),
        "employees": len(sim.people.matchable), "needs": len(active), "positions": positions,
        "kept": sum(n.live for n in active), "feasible_pairs": made * rng.randint(20, 60),
        "proposals_count": made, "components": max(1, len(active) // 7),
        "total_score": made * rng.randint(500, 900), "at_risk_rate": rng.uniform(0.2, 0.5),
        "others_rate": rng.uniform(0.1, 0.4), "seconds_snapshot": rng.uniform(2, 6),
        "seconds_engine": rng.uniform(5, 30), "seconds_write": rng.uniform(1, 4),
        "error": None,
    }  # fmt: skip
