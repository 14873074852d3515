"""The fill: people first, then the simulated history, table by table (parents first)."""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, text

from lending.extensions import db
from lending.models import (
    Agreement,
    BillingStatement,
    ConsentEvent,
    Employee,
    EmployeeSkill,
    Enrolment,
    Feedback,
    Firm,
    Loan,
    LoanEvent,
    MatchingRound,
    MonthlyActual,
    Need,
    NeedSkill,
    Proposal,
    Scheme,
    UnmatchedNeed,
    User,
)
from lending.models._time import local_date
from lending.services.passwords import hash_password

from .employees import create_employees
from .history import simulate
from .loans import number_statements
from .people import People, create_firms, create_scheme_and_staff
from .rows import first_free_id, insert_rows, period, realign_sequences

BENCH_PASSWORD = "banc-essai-tableau-de-bord"
# The tables counted after the fill, with their French names.
COUNTED: dict[Any, str] = {
    Firm: "entreprises",
    Employee: "salariés",
    EmployeeSkill: "compétences de salariés",
    Need: "besoins",
    MatchingRound: "tours",
    Proposal: "propositions",
    Agreement: "accords",
    Loan: "prêts",
    BillingStatement: "relevés",
    Feedback: "avis",
}
EXPLICIT_IDS = (Scheme, User, Firm, Enrolment, Employee, ConsentEvent, Need, MatchingRound,
                Proposal, Agreement, Loan)  # fmt: skip


@dataclass
class Filled:
    people: People
    counts: dict[str, int]
    seconds: dict[str, float]  # by stage, in French


@contextmanager
def _stage(seconds: dict[str, float], name: str) -> Iterator[Connection]:
    """A stage of the fill: one transaction, timed."""
    started = time.perf_counter()
    with db.engine.begin() as conn:
        yield conn
    seconds[name] = time.perf_counter() - started


def fill(n_firms: int, n_employees: int, months: int, seed: int, now: datetime) -> Filled:
    """Fill the app's database (in an app context); one transaction per stage."""
    rng = random.Random(seed)
    today = local_date(now)
    start, _ = period(today, months)
    seconds: dict[str, float] = {}
    with _stage(seconds, "entreprises et comptes") as conn:
        people = create_scheme_and_staff(conn, hash_password(BENCH_PASSWORD), start)
        create_firms(conn, people, n_firms, rng, start, today)
    with _stage(seconds, "salariés") as conn:
        create_employees(conn, people, n_employees, rng, start, today)
    with _stage(seconds, "simulation de l'historique") as conn:
        ids = {
            model.__tablename__: first_free_id(conn, model.__table__)
            for model in (Need, MatchingRound, Proposal, Agreement, Loan)
        }
        history = simulate(people, max(1, n_employees // 20), rng, start, today, now, ids)
    with _stage(seconds, "écriture de l'historique") as conn:
        _write(conn, history)
        realign_sequences(conn, (model.__table__ for model in EXPLICIT_IDS))
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does within a minute or two of such a load (PostgreSQL 13 and
        # later vacuum tables after inserts too): the planner's statistics, and the
        # visibility map that lets index-only scans skip the tables' rows.
        started = time.perf_counter()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        seconds["VACUUM ANALYZE"] = time.perf_counter() - started
    with db.engine.connect() as conn:
        return Filled(people, _counts(conn), seconds)


def _write(conn: Connection, history) -> None:
    deals = history.deals
    number_statements(deals.statements)
    for model, rows in (
        (Need, history.needs),
        (NeedSkill, history.need_skills),
        (MatchingRound, history.rounds),
        (UnmatchedNeed, history.unmatched),
        (Proposal, history.proposals),
        (Agreement, deals.agreements),
        (Loan, deals.loans),
        (LoanEvent, deals.events),
        (MonthlyActual, deals.actuals),
        (BillingStatement, deals.statements),
        (Feedback, deals.feedback),
    ):
        insert_rows(conn, model.__table__, rows)


def _counts(conn: Connection) -> dict[str, int]:
    counts = {}
    for model, label in COUNTED.items():
        counts[label] = conn.scalar(select(func.count()).select_from(model)) or 0
    return counts
