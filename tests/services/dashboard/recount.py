"""The dashboard's figures recounted in plain Python over the generated rows, following the
definitions the tables state, to compare with what the SQL computes."""

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from lending.extensions import db
from lending.models import (
    Agreement,
    EarlyEnd,
    Employee,
    EmployeeStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Firm,
    Loan,
    LoanEvent,
    Need,
    Proposal,
    ProposalStatus,
)

ACCEPTED = {ProposalStatus.ACCEPTED, ProposalStatus.COMPLETED}


def _after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time())


def _start(day: date) -> datetime:
    return datetime.combine(day, time())


@dataclass
class Data:
    firms: list
    enrolments: list
    employees: list
    needs: list
    proposals: list
    agreements: list
    loans: list
    events: list
    feedback: list

    @classmethod
    def load(cls) -> "Data":
        def every(model):
            return list(db.session.scalars(select(model)))

        return cls(
            every(Firm),
            every(Enrolment),
            every(Employee),
            every(Need),
            every(Proposal),
            every(Agreement),
            every(Loan),
            every(LoanEvent),
            every(Feedback),
        )


class Recount:
    def __init__(self, data: Data, scheme_id: int, codes, start: date, end: date, today: date):
        self.d, self.scheme_id, self.codes = data, scheme_id, set(codes)
        self.start, self.end, self.today = start, end, today
        self.as_of = min(end, today)
        self.dep = {f.id: f.commune.departement_code for f in data.firms}
        self.section = {f.id: f.naf.section_code for f in data.firms}
        self.division = {f.id: f.naf.division for f in data.firms}
        self.since = {
            e.firm_id: e.decided_at or e.applied_at
            for e in data.enrolments
            if e.scheme_id == scheme_id and e.status == EnrolmentStatus.APPROVED
        }

    def located(self, firm_id) -> bool:
        return self.dep[firm_id] in self.codes

    def enrolled(self, firm_id) -> bool:
        return self.located(firm_id) and firm_id in self.since

    def available(self) -> list:
        return [
            e
            for e in self.d.employees
            if self.enrolled(e.firm_id)
            and e.status == EmployeeStatus.AVAILABLE
            and e.created_at < _after(self.end)
            and e.available_until >= self.start
        ]

    def open_on(self, need, day: date) -> bool:
        return (
            need.created_at < _after(day)
            and (need.closed_at is None or need.closed_at >= _after(day))
            and need.end_date >= day
        )

    def loans(self) -> list:
        return [
            loan
            for loan in self.d.loans
            if loan.scheme_id == self.scheme_id and self.located(loan.lender_firm_id)
        ]

    def in_period(self, moment: datetime) -> bool:
        return _start(self.start) <= moment < _after(self.end)

    def proposals(self, side: str) -> list:
        return [
            p
            for p in self.d.proposals
            if p.scheme_id == self.scheme_id and self.located(getattr(p, f"{side}_firm_id"))
        ]

    # -- territory
    def departements(self) -> dict:
        found = {code: {"firms": 0, "employees": 0, "loans": 0, "needs": 0} for code in self.codes}
        for firm_id, since in self.since.items():
            if self.located(firm_id) and since < _after(self.as_of):
                found[self.dep[firm_id]]["firms"] += 1
        for e in self.available():
            found[self.dep[e.firm_id]]["employees"] += 1
        for loan in self.loans():
            if loan.start_date <= self.as_of <= loan.end_date:
                found[self.dep[loan.lender_firm_id]]["loans"] += 1
        for need in self.d.needs:
            if self.enrolled(need.firm_id) and self.open_on(need, self.as_of):
                found[self.dep[need.firm_id]]["needs"] += 1
        return found

    def firms(self) -> dict:
        lenders = {e.firm_id for e in self.available()}
        hosts = {
            n.firm_id
            for n in self.d.needs
            if n.created_at < _after(self.end)
            and (n.closed_at is None or n.closed_at >= _start(self.start))
            and n.end_date >= self.start
        }
        found: dict = defaultdict(Counter)
        for firm_id, since in self.since.items():
            if not self.located(firm_id) or since >= _after(self.as_of):
                continue
            lends, hosts_ = firm_id in lenders, firm_id in hosts
            role = {
                (True, True): "both",
                (True, False): "lending",
                (False, True): "hosting",
                (False, False): "neither",
            }
            found[self.section[firm_id]][role[lends, hosts_]] += 1
        return {s: dict(c) for s, c in found.items()}

    # -- activity
    def monthly(self, months: list[date]) -> dict:
        keys = {m.strftime("%Y-%m") for m in months}
        found = {m.strftime("%Y-%m"): Counter() for m in months}
        for loan in self.loans():
            key = loan.start_date.strftime("%Y-%m")
            if key in keys and loan.start_date <= self.as_of:
                found[key]["started"] += 1
            for m in months:
                last = min(
                    (m.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1),
                    self.as_of,
                )
                if loan.start_date <= last <= loan.end_date:
                    found[m.strftime("%Y-%m")]["running"] += 1
        for p in self.proposals("host"):
            if (key := p.created_at.strftime("%Y-%m")) in keys:
                found[key]["proposals"] += 1
        for n in self.d.needs:
            if self.enrolled(n.firm_id) and (key := n.created_at.strftime("%Y-%m")) in keys:
                found[key]["needs"] += 1
        return {
            k: {c: v.get(c, 0) for c in ("started", "running", "proposals", "needs")}
            for k, v in found.items()
        }

    def employees(self) -> dict:
        loans = self.loans()
        return {
            "available": len(self.available()),
            "proposed": len(
                {p.employee_id for p in self.proposals("lender") if self.in_period(p.created_at)}
            ),
            "on_loan": len(
                {
                    loan.employee_id
                    for loan in loans
                    if loan.start_date <= self.as_of and loan.end_date >= self.start
                }
            ),
            "returned": len(
                {
                    loan.employee_id
                    for loan in loans
                    if loan.returned_on and self.start <= loan.returned_on <= self.end
                }
            ),
        }

    def accepted_needs(self) -> set:
        return {
            p.need_id
            for p in self.d.proposals
            if p.scheme_id == self.scheme_id and p.status in ACCEPTED
        }

    def needs(self) -> dict:
        accepted = self.accepted_needs()
        mine = [n for n in self.d.needs if self.enrolled(n.firm_id)]
        posted = [n for n in mine if self.in_period(n.created_at)]
        return {
            "open": sum(self.open_on(n, self.as_of) for n in mine),
            "filled": sum(n.id in accepted for n in posted),
            "expired": sum(
                n.id not in accepted
                and (
                    (n.closed_at is not None and n.closed_at < _after(self.as_of))
                    or n.end_date < self.as_of
                )
                for n in posted
            ),
            "positions": sum(n.positions for n in posted),
        }

    def proposals_made(self) -> dict:
        made = [p for p in self.proposals("host") if self.in_period(p.created_at)]
        return {
            "made": len(made),
            "accepted": sum(p.status in ACCEPTED for p in made),
            "declined": sum(p.status == ProposalStatus.REFUSED for p in made),
            "expired": sum(p.status == ProposalStatus.EXPIRED for p in made),
        }

    # -- matching
    def time_to_match(self) -> dict:
        agreement_of = {a.id: a.proposal_id for a in self.d.agreements}
        by_need = defaultdict(list)
        for p in self.d.proposals:
            if p.scheme_id == self.scheme_id:
                by_need[p.need_id].append(p)
        loan_starts = defaultdict(list)
        proposal_need = {p.id: p.need_id for p in self.d.proposals if p.scheme_id == self.scheme_id}
        for loan in self.d.loans:
            need_id = proposal_need.get(agreement_of[loan.agreement_id])
            if need_id is not None and loan.start_date <= self.today:
                loan_starts[need_id].append(loan.start_date)
        waits = {"proposal": [], "accepted": [], "loan": []}
        for n in self.d.needs:
            if not (self.enrolled(n.firm_id) and self.in_period(n.created_at)):
                continue
            posted = n.created_at.date()
            if props := by_need[n.id]:
                waits["proposal"].append((min(p.created_at for p in props).date() - posted).days)
            accepted = [
                max(p.employee_decided_at, p.lender_decided_at, p.host_decided_at).date()
                for p in props
                if p.status in ACCEPTED
            ]
            if accepted:
                waits["accepted"].append((min(accepted) - posted).days)
            if loan_starts[n.id]:
                waits["loan"].append((min(loan_starts[n.id]) - posted).days)
        return {
            step: (
                len(days),
                statistics.median(days) if days else None,
                sorted(days)[math.ceil(9 * len(days) / 10) - 1] if days else None,
            )
            for step, days in waits.items()
        }

    def shortages(self) -> dict:
        covering = Counter(
            p.need_id
            for p in self.d.proposals
            if p.scheme_id == self.scheme_id and p.status in (ProposalStatus.PENDING, *ACCEPTED)
        )
        asked: dict = defaultdict(lambda: {"needs": 0, "level": 9, "uncovered": 0})
        for n in self.d.needs:
            if self.enrolled(n.firm_id) and self.open_on(n, self.as_of):
                for s in n.skills:
                    a = asked[s.skill_id]
                    a["needs"] += 1
                    a["level"] = min(a["level"], s.min_level)
                    a["uncovered"] += max(n.positions - covering[n.id], 0)
        available = self.available()
        for skill_id, a in asked.items():
            a["supply"] = sum(
                any(s.skill_id == skill_id and s.level >= a["level"] for s in e.skills)
                for e in available
            )
        return dict(asked)

    # -- loans
    def employment(self) -> dict:
        on_loan = {
            loan.employee_id
            for loan in self.d.loans
            if loan.scheme_id == self.scheme_id
            and loan.start_date <= self.as_of
            and loan.end_date >= self.start
        }
        at_risk = {e.id: e.partial_activity or e.job_at_risk for e in self.d.employees}
        found = {
            g: {"available": 0, "placed": 0, "days": 0, "lent": set()}
            for g in ("at_risk", "others")
        }
        for e in self.available():
            group = found["at_risk" if at_risk[e.id] else "others"]
            group["available"] += 1
            group["placed"] += e.id in on_loan
        for loan in self.loans():
            first, last = max(loan.start_date, self.start), min(loan.end_date, self.as_of)
            if first <= last:
                group = found["at_risk" if at_risk[loan.employee_id] else "others"]
                group["days"] += (last - first).days + 1
                group["lent"].add(loan.employee_id)
        for group in found.values():
            group["lent"] = len(group["lent"])
        return found

    def endings(self) -> dict:
        loans = self.loans()
        early = Counter(
            loan.end_category or EarlyEnd.OTHER
            for loan in loans
            if loan.ended_early and self.start <= loan.end_date <= self.as_of
        )
        ids = {loan.id for loan in loans}
        return {
            "early": {c: early.get(c, 0) for c in EarlyEnd},
            "extensions": sum(
                ev.kind == "extended" and ev.loan_id in ids and self.in_period(ev.at)
                for ev in self.d.events
            ),
            "returns": sum(
                bool(loan.returned_on) and self.start <= loan.returned_on <= self.end
                for loan in loans
            ),
        }

    def flows(self) -> dict:
        return dict(
            Counter(
                (self.division[loan.lender_firm_id], self.division[loan.host_firm_id])
                for loan in self.loans()
                if self.start <= loan.start_date <= self.as_of
            )
        )

    def feedback(self) -> dict:
        ids = {loan.id for loan in self.loans()}
        found = defaultdict(list)
        for f in self.d.feedback:
            if f.loan_id in ids and self.in_period(f.created_at):
                found[f.party].append(f.rating)
        return found
