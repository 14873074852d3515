"""`flask lending bench-dashboard`: fills a database of its own, times each page, prints a
line per page and last the worst median; never fills a database that holds firms."""

import re
import tempfile
from collections import Counter
from datetime import date

from sqlalchemy import create_engine, func, select

from lending.bench.timing import PAGES
from lending.extensions import db
from lending.models import (
    Agreement,
    AgreementStatus,
    BillingStatement,
    Employee,
    EmployeeSkill,
    EmployeeStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Firm,
    Loan,
    LoanEvent,
    LoanStatus,
    Need,
    NeedSkill,
    Proposal,
    ProposalStatus,
    Role,
    Scheme,
    User,
)
from lending.models.proposal import LIVE_STATUSES
from lending.services.deals.compliance import convention_problems

WORST = re.compile(r"^dashboard worst median \d+ ms$")


def _run(app, *options: str):
    return app.test_cli_runner().invoke(args=["lending", "bench-dashboard", *options])


def test_a_tiny_run_prints_a_line_per_page_and_the_worst_median_last(app, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = _run(app, "--firms", "30", "--employees", "300", "--months", "3", "--requests", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert WORST.match(lines[-1]), lines[-1]
    for page in PAGES:
        url = page.url.split("{")[0]
        [line] = [ln for ln in lines if ln.startswith(page.name + " ") and url in ln]
        assert re.search(r"médiane +[\d.]+ ms +min +[\d.]+ +max +[\d.]+ +HTTP \S+", line), line
    suivi = next(line for line in lines if line.startswith("suivi "))
    assert suivi.endswith("HTTP 200") or suivi.endswith("HTTP 302"), suivi
    assert re.search(r"^Remplissage : [\d.]+ s$", result.output, re.MULTILINE)
    assert "entreprises 30 ; salariés 300" in result.output
    # The temporary SQLite file went with its folder.
    assert list(tmp_path.glob("lending-bench-*")) == []


def _count(conn, model, *where) -> int:
    return conn.scalar(select(func.count()).select_from(model).where(*where))


def test_the_filled_database_holds_the_models_invariants(app, empty_database_url):
    result = _run(
        app, "--firms", "40", "--employees", "1500", "--months", "12", "--requests", "1",
        "--database-url", empty_database_url,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    engine = create_engine(empty_database_url)
    with engine.connect() as conn:
        assert _count(conn, Scheme) == 1
        assert _count(conn, Firm) == 40
        assert _count(conn, Enrolment, Enrolment.status == EnrolmentStatus.APPROVED) >= 38
        assert _count(conn, Employee) == 1500
        assert _count(conn, Employee, Employee.status == EmployeeStatus.WITHDRAWN) > 0
        assert _count(conn, Employee, Employee.partial_activity) > 0
        assert _count(conn, Employee, Employee.job_at_risk) > 0
        per_employee = Counter(dict(conn.execute(
            select(EmployeeSkill.employee_id, func.count()).group_by(EmployeeSkill.employee_id)
        ).all()))  # fmt: skip
        assert len(per_employee) == 1500
        assert set(per_employee.values()) <= set(range(3, 9))
        levels = set(conn.scalars(select(EmployeeSkill.level).distinct()))
        assert levels == {1, 2, 3, 4}
        assert _count(conn, Need) == 1500 // 20
        assert _count(conn, NeedSkill) >= 2 * 75
        states = set(conn.scalars(select(Proposal.status).distinct()))
        assert states == set(ProposalStatus)
        # One live proposal and one running loan per employee.
        live = conn.execute(
            select(Proposal.employee_id)
            .where(Proposal.status.in_(LIVE_STATUSES))
            .group_by(Proposal.employee_id)
            .having(func.count() > 1)
        ).all()
        assert live == []
        running = conn.execute(
            select(Loan.employee_id)
            .where(Loan.status.in_([LoanStatus.SCHEDULED, LoanStatus.ACTIVE]))
            .group_by(Loan.employee_id)
            .having(func.count() > 1)
        ).all()
        assert running == []
        # A loan for each signed agreement, never from a firm to itself.
        signed = _count(conn, Agreement, Agreement.status == AgreementStatus.SIGNED)
        assert _count(conn, Loan) == signed
        # What a signed agreement must hold (legal.md §3): the compliance list finds it all.
        agreements = conn.execute(
            select(Agreement.__table__).where(Agreement.status == AgreementStatus.SIGNED)
        ).all()
        assert [a.id for a in agreements if convention_problems(a)] == []
        assert _count(conn, Loan, Loan.lender_firm_id == Loan.host_firm_id) == 0
        statuses = set(conn.scalars(select(Loan.status).distinct()))
        assert {LoanStatus.ACTIVE, LoanStatus.ENDED} <= statuses
        assert _count(conn, Loan, Loan.ended_early, Loan.end_category.is_not(None)) > 0
        assert _count(conn, Loan, Loan.ended_early, Loan.end_category.is_(None)) == 0
        assert _count(conn, Loan, Loan.returned_on.is_not(None)) > 0
        assert _count(conn, Loan, Loan.returned_on < Loan.ended_on) == 0
        assert _count(conn, LoanEvent, LoanEvent.kind == "extended") > 0
        assert _count(conn, BillingStatement) > 0
        assert _count(conn, Feedback) > 0
        staff = set(conn.scalars(select(User.role).where(User.firm_id.is_(None))))
        assert staff == {Role.OPERATOR, Role.MONITOR, Role.ADMIN}
    engine.dispose()


def test_refuses_a_database_that_already_holds_firms(app, make_firm):
    make_firm()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    result = _run(app, "--firms", "30", "--employees", "300", "--database-url", url)
    assert result.exit_code != 0
    assert "La base contient déjà 1 entreprise(s)" in result.output
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 0


def test_an_unreachable_database_gets_a_message_not_a_traceback(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'bench.sqlite3'}"
    result = _run(app, "--firms", "30", "--employees", "300", "--database-url", url)
    assert result.exit_code == 1
    assert "Base inaccessible" in result.output
    assert "Traceback" not in result.output


def test_a_page_slower_than_the_limit_is_timed_once(app, monkeypatch):
    from lending.bench import timing

    calls = []

    def slow_get(client, url):
        calls.append(url)
        return 6000.0, "200"

    monkeypatch.setattr(timing, "_get", slow_get)
    monkeypatch.setattr(timing, "PAGES", timing.PAGES[:1])
    [result] = timing.time_pages({"monitor": None}, 1, date(2027, 3, 1), requests=5)
    assert calls == ["/suivi"]
    assert (result.median_ms, result.status) == (6000.0, "200")
    assert timing.worst_line([result]) == "dashboard worst median 6000 ms"
