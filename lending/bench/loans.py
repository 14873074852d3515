"""What an accepted proposal becomes: an agreement, and once signed a loan with its
timeline (started, extended, ended early or on time, returned), its monthly statements for
the months already over, and the parties' feedback at its end.

Shares of outcomes (of the signed loans): 10 % extended, 15 % ended early (by category),
85 % of the ended ones returned to post; 15 % of the due statements not yet issued.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lending.models import (
    ActualSource,
    AgreementStatus,
    BillingRegime,
    EarlyEnd,
    LoanStatus,
    PaymentStatus,
    ProposalStatus,
)
from lending.services.deals.billing_rules import month_bounds, months_of, prorate
from lending.services.deals.hours import hours_on_loan, working_days

from .people import HR_TITLE, FirmInfo, People
from .rows import at, days_between

EARLY_ENDS = {EarlyEnd.MISSION_DONE: 25, EarlyEnd.LENDER_RECALL: 30, EarlyEnd.HOST_REQUEST: 12,
              EarlyEnd.EMPLOYEE_REQUEST: 10, EarlyEnd.HIRED: 13, EarlyEnd.HEALTH: 5,
              EarlyEnd.OTHER: 5}  # fmt: skip
RATINGS = (1, 2, 3, 4, 5)
RATING_WEIGHTS = (3, 5, 12, 35, 45)


@dataclass
class NeedSim:
    row: dict
    firm: FirmInfo
    skills: list[dict]
    stop: date  # no proposal after this day (the host gives up, or the need is closed)
    filled: int = 0
    live: int = 0


@dataclass
class Deals:
    agreements: list[dict] = field(default_factory=list)
    loans: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    actuals: list[dict] = field(default_factory=list)
    feedback: list[dict] = field(default_factory=list)


def accepted(
    deals: Deals,
    proposal: dict,
    need: NeedSim,
    employee: tuple,
    people: People,
    today: date,
    now: datetime,
    rng: random.Random,
    ids: dict[str, int],
) -> date:
    """Write the agreement (and loan) of an accepted proposal; return the first day its
    employee may be proposed again (date.max while the agreement or the loan holds them)."""
    closed: datetime = proposal["closed_at"]
    signing = closed.date() + timedelta(days=rng.randint(5, 15))
    start = max(need.row["start_date"], signing + timedelta(days=rng.randint(3, 14)))
    end = start + (need.row["end_date"] - need.row["start_date"])
    status = AgreementStatus.SIGNED
    if closed.date() + timedelta(days=21) > today:  # still being completed or signed
        status = rng.choice((AgreementStatus.DRAFT, AgreementStatus.SIGNING))
    agreement = _agreement(deals, proposal, need, employee, people, status, start, end, ids)
    agreement["signing_date"] = signing if status == AgreementStatus.SIGNED else None
    if status == AgreementStatus.SIGNING:
        agreement["signing_date"] = min(signing, today)
    if status != AgreementStatus.SIGNED:
        return date.max
    loan = _loan(deals, agreement, signing, start, end, today, now, rng, ids)
    if loan["status"] != LoanStatus.SCHEDULED:
        _statements(deals, loan, agreement, today, now, rng)
    if loan["status"] != LoanStatus.ENDED:
        return date.max
    proposal["status"] = ProposalStatus.COMPLETED
    proposal["closed_at"] = min(at(loan["ended_on"], 18), now)
    _feedback(deals, loan, now, rng)
    return (loan["returned_on"] or loan["ended_on"]) + timedelta(days=1)


def _agreement(deals, proposal, need, employee, people, status, start, end, ids) -> dict:
    lender, host = people.by_id[employee[1]], need.firm
    signed = status != AgreementStatus.DRAFT
    row = {
        "id": ids["agreement"] + len(deals.agreements), "proposal_id": proposal["id"],
        "scheme_id": people.scheme_id, "lender_firm_id": lender.id, "host_firm_id": host.id,
        "employee_id": employee[0], "status": status, "version": 1,
        "created_at": proposal["closed_at"], "updated_at": proposal["closed_at"],
        "lender_name": lender.name, "lender_siret": lender.siret,
        "lender_address": lender.address, "lender_naf": lender.naf,
        # each firm's HR account signs for it (services/deals/signatories.py)
        "lender_signatory_id": lender.hr_id if signed else None,
        "lender_signatory_name": f"RH {lender.name}" if signed else "",
        "lender_signatory_role": HR_TITLE if signed else "",
        "host_signatory_id": host.hr_id if signed else None,
        "host_signatory_name": f"RH {host.name}" if signed else "",
        "host_signatory_role": HR_TITLE if signed else "",
        "employee_classification": "Niveau IV, coefficient 240" if signed else "",
        "contract_reference": "Contrat à durée indéterminée" if signed else "",
        "physical_constraints": "Travail debout" if signed else "",
        "host_name": host.name, "host_siret": host.siret, "host_address": host.address,
        "host_naf": host.naf,
        "employee_first_name": employee[2], "employee_last_name": employee[3],
        "employee_job_title": employee[4], "start_date": start, "end_date": end,
        "missions": need.row["missions"], "work_address": host.address,
        "weekly_hours": employee[8], "risky_post": need.row["risky_post"] if signed else None,
        "l4154_list_post": False if signed else None,
        "medical_surveillance": False if signed else None,
        "lender_no_cse": signed, "host_no_cse": signed,
        "billing_regime": BillingRegime.COST_PRICE, "salary_cents": employee[5],
        "charges_cents": employee[6], "expenses_cents": employee[7], "billed_share_pct": 100,
        "signing_date": None,
    }  # fmt: skip
    deals.agreements.append(row)
    return row


def _loan(deals, agreement, signing, start, end, today, now, rng, ids) -> dict:
    loan_id = ids["loan"] + len(deals.loans)
    events = [("signed", signing)]
    # An extension is decided some 20 days before the planned end.
    if start < today and rng.random() < 0.1 and end - timedelta(days=20) <= today:
        end = end + timedelta(days=rng.randint(30, 90))
        agreement["end_date"], agreement["version"] = end, 2
        events.append(("extended", end))
    status, ended_on, category, reason = LoanStatus.ACTIVE, None, None, ""
    early = days_between(rng, start, end - timedelta(days=1))
    if start > today:
        status = LoanStatus.SCHEDULED
    elif rng.random() < 0.15 and early < today:
        category = rng.choices(list(EARLY_ENDS), weights=list(EARLY_ENDS.values()))[0]
        status, ended_on, end, reason = LoanStatus.ENDED, early, early, "Fin anticipée."
        events.append(("ended_early", early))
    elif end < today:
        status, ended_on = LoanStatus.ENDED, end
        events.append(("ended", end))
    if status != LoanStatus.SCHEDULED:
        events.insert(1, ("started", start))
    returned = None
    if ended_on and rng.random() < 0.85:
        returned = min(ended_on + timedelta(days=rng.randint(1, 3)), today)
        events.append(("returned", returned))
    loan = {
        "id": loan_id, "agreement_id": agreement["id"], "employee_id": agreement["employee_id"],
        "lender_firm_id": agreement["lender_firm_id"], "host_firm_id": agreement["host_firm_id"],
        "scheme_id": agreement["scheme_id"], "status": status, "start_date": start,
        "end_date": end, "started_at": at(start, 6) if status != LoanStatus.SCHEDULED else None,
        "ended_on": ended_on, "ended_early": category is not None, "end_reason": reason,
        "end_category": category, "returned_on": returned, "return_note": "",
        "twelve_months_on": None, "created_at": at(signing, 12),
    }  # fmt: skip
    deals.loans.append(loan)
    deals.events.extend(
        {
            "loan_id": loan_id,
            "at": min(at(day, 7), now),
            "kind": kind,
            "on_date": day,
            "note": "",
            "actor_id": None,
        }  # fmt: skip
        for kind, day in events
    )
    return loan


def _statements(deals: Deals, loan: dict, agreement: dict, today: date, now, rng) -> None:
    """A statement for each month of the loan already over, but sometimes the last one."""
    current = today.replace(day=1)
    last_day = loan["ended_on"] or loan["end_date"]
    due = [m for m in months_of(loan["start_date"], last_day) if m < current]
    if due and rng.random() < 0.15:
        due.pop()  # not issued yet: the operator's desk lists it
    for month in due:
        figures = prorate(month, loan["start_date"], last_day, agreement["salary_cents"],
                          agreement["charges_cents"], agreement["expenses_cents"])  # fmt: skip
        created = min(at(month + timedelta(days=35), 8), now)
        first, last = max(month, loan["start_date"]), min(month_bounds(month)[1], last_day)
        days = working_days(first, last)
        paid_on = created.date() + timedelta(days=rng.randint(10, 40))
        paid = paid_on <= today
        deals.actuals.append({
            "loan_id": loan["id"], "month": figures.month, "version": 1,
            "salary_cents": figures.salary_cents, "charges_cents": figures.charges_cents,
            "expenses_cents": figures.expenses_cents, "note": "", "source": ActualSource.FORM,
            "entered_at": created - timedelta(days=1), "entered_by_id": None,
        })  # fmt: skip
        deals.statements.append({
            "loan_id": loan["id"], "month": figures.month,
            "days_on_loan": figures.days_on_loan, "days_in_month": figures.days_in_month,
            "salary_cents": figures.salary_cents, "charges_cents": figures.charges_cents,
            "expenses_cents": figures.expenses_cents, "cost_cents": figures.cost_cents,
            "billed_cents": figures.cost_cents, "regime": BillingRegime.COST_PRICE.value,
            "created_at": created, "lender_firm_id": loan["lender_firm_id"],
            "issue_date": created.date(),
            "convention_ref": f"n° {agreement['id']}, version {agreement['version']}",
            "working_days": days, "hours_on_loan": hours_on_loan(agreement["weekly_hours"], days),
            "payment_status": PaymentStatus.PAID if paid else PaymentStatus.ISSUED,
            "paid_on": paid_on if paid else None, "contest_reason": "",
            "status_at": at(paid_on, 11) if paid else None, "status_by_id": None,
        })  # fmt: skip


def number_statements(statements: list[dict]) -> None:
    """Number the statements per lender and year of issue, in the order they were issued."""
    seqs: dict[tuple[int, int], int] = {}
    for row in sorted(statements, key=lambda r: (r["created_at"], r["loan_id"], r["month"])):
        key = (row["lender_firm_id"], row["issue_date"].year)
        seqs[key] = seqs.get(key, 0) + 1
        row["number_year"], row["number_seq"] = key[1], seqs[key]


def _feedback(deals: Deals, loan: dict, now: datetime, rng) -> None:
    for party in ("employee", "lender", "host"):
        if rng.random() < 0.6:
            rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
            deals.feedback.append({
                "loan_id": loan["id"], "party": party, "rating": rating,
                "would_repeat": rating >= 3, "comment": "",
                "created_at": min(at(loan["ended_on"] + timedelta(days=3), 11), now),
            })  # fmt: skip
