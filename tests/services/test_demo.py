"""The demo data stay what they are, and their past holds together.

One small seed for the whole module (it signs real agreements, a few seconds each): each
test is rolled back to it (tests/savepoints.py).

The fingerprint: counts per table and a few rows the seeded random draws decide. A change
here means the demo changed: if that is meant, update EXPECTED. The tables whose counts
depend on the day the seed runs (rounds since a launch 19 months ago, statements of the
months over, feedback given by today, the events and audit records that come with them) are
checked by the history tests instead.
"""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lending import authz
from lending.documents import render
from lending.extensions import db
from lending.models import (
    AgreementStatus,
    Decision,
    DocumentKind,
    Employee,
    Feedback,
    Firm,
    Loan,
    LoanStatus,
    MatchingRound,
    Need,
    Proposal,
    ProposalStatus,
    RoundStatus,
    Scheme,
    User,
)
from lending.models._time import local_date
from lending.models.agreement import SIGNERS, Signer
from lending.models.proposal import LIVE_STATUSES, UNMATCHED_REASON_LABELS
from lending.services import demo
from lending.services.deals import compliance, statements

EXPECTED = {
    "counts": {
        "agreement": 19,
        "agreement_document": 42,
        "consent_event": 98,
        "employee": 110,
        "employee_skill": 507,
        "enrolment": 63,
        "firm": 63,
        "loan": 19,
        "need": 66,
        "need_skill": 194,
        "proposal": 28,
        "scheme": 2,
        "scheme_departement": 14,
        "scheme_staff": 4,
        "signature": 84,
        "user_account": 91,
    },
    "firms": [
        ("42487243005450", "Aéro Garonne Composites", "30.30Z", "47069", "47450"),
        ("43934875615915", "Forges de Fumel", "25.50B", "47106", "47500"),
        ("74954137151162", "Tomates et Primeurs de Marmande", "10.39A", "47323", "47300"),
        ("19911363028702", "Composites Nîmes 2", "30.30Z", "30189", "30000"),
        ("66055470057964", "Ateliers Tarbes 9", "33.12Z", "65440", "65000"),
        ("85188600231022", "Composites Albi 16", "30.30Z", "81004", "81000"),
        ("88226603409265", "Ateliers Toulouse 23", "22.29A", "31555", "31000"),
        ("67176330838432", "Mécanique Saint-Georges-d'Orques 30", "27.12Z", "34259", "34680"),
        ("19769200791795", "Composites Saint-Orens-de-Gameville 37", "28.29B", "31506", "31650"),
    ],
    "hr": [
        "rh.07658@demo.pret-main-oeuvre.fr",
        "rh.22896@demo.pret-main-oeuvre.fr",
        "rh.34405@demo.pret-main-oeuvre.fr",
        "rh.42860@demo.pret-main-oeuvre.fr",
        "rh.65205@demo.pret-main-oeuvre.fr",
        "rh.83292@demo.pret-main-oeuvre.fr",
        "rh.91391@demo.pret-main-oeuvre.fr",
        "salarie.10007@55998526291199.demo.pret-main-oeuvre.fr",
        "salarie.10056@22506466669827.demo.pret-main-oeuvre.fr",
        "salarie.48@42487243005450.demo.pret-main-oeuvre.fr",
    ],
    "employee": ("Émile", "Ajusteur-monteur aéronautique", "47069", "2027-01-25", "42487243005450"),
    "salaries": 38065000,
    "positions": 109,
    "need_sites": ["09277", "31460", "47001", "47157", "47323"],
}
# Rounds every other week since a launch 19 months ago, statements of the months over and
# their actuals, feedback given by today, and the events and audit records that come with them.
DAY_DEPENDENT = {
    "audit_event",
    "billing_statement",
    "feedback",
    "loan_event",
    "matching_round",
    "monthly_actual",
    "unmatched_need",
}

REFERENCE_TABLES = {
    "commune",
    "postal_code",
    "departement",
    "region",
    "naf_code",
    "naf_section",
    "naf_division",
    "skill",
    "skill_family",
    "job_title",
    "job_title_skill",
}


@pytest.fixture
def app(rolled_back_app):
    return rolled_back_app


@pytest.fixture(scope="module")
def _logins(module_database) -> list[tuple[str, str]]:
    return demo.seed(region_employees=60, region_needs=25)


@pytest.fixture
def logins(app, _logins):
    return _logins


def _fingerprint() -> dict:
    counts = {}
    for table in db.metadata.sorted_tables:
        count = db.session.scalar(select(func.count()).select_from(table))
        if count and table.name not in REFERENCE_TABLES | DAY_DEPENDENT:
            counts[table.name] = count
    firms = db.session.scalars(select(Firm).order_by(Firm.id)).all()
    employee = db.session.scalar(select(Employee).where(Employee.email == demo.EMPLOYEE_EMAIL))
    return {
        "counts": counts,
        "firms": [
            (f.siret, f.name, f.naf_code, f.commune_insee, f.postal_code) for f in firms[::7]
        ],
        "hr": sorted(db.session.scalars(select(User.email).where(User.firm_id.is_not(None))))[::9],
        "employee": (
            employee.first_name,
            employee.job_title,
            employee.commune_insee,
            employee.available_from.isoformat(),
            employee.firm.siret,
        ),
        "salaries": db.session.scalar(select(func.sum(Employee.gross_salary_cents))),
        "positions": db.session.scalar(select(func.sum(Need.positions))),
        "need_sites": sorted(db.session.scalars(select(Need.commune_insee)))[::15],
    }


def test_seed_gives_the_same_demo(logins):
    assert [email for _, email in logins][-1] == demo.EMPLOYEE_EMAIL
    assert _fingerprint() == EXPECTED


def _scheme(name_start: str) -> Scheme:
    return db.session.scalars(select(Scheme).where(Scheme.name.startswith(name_start))).one()


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def test_each_monitor_sees_its_own_scheme_only(logins, client, login):
    sharing, passerelles = _scheme("SHARING"), _scheme("Passerelles")
    emails = dict(logins)
    prefecture = _user(emails["suivi SHARING (Préfecture de Lot-et-Garonne)"])
    dreets = _user(emails["suivi Passerelles (DREETS Occitanie)"])
    assert prefecture.email == "prefecture@demo.pret-main-oeuvre.fr"
    assert db.session.scalars(authz.visible_schemes_query(prefecture)).all() == [sharing]
    assert db.session.scalars(authz.visible_schemes_query(dreets)).all() == [passerelles]
    assert not authz.can_see_scheme(dreets, sharing)
    assert not authz.can_see_scheme(prefecture, passerelles)
    login(dreets)
    page = client.get("/suivi", follow_redirects=True)
    assert page.status_code == 200
    assert "SHARING" not in page.get_data(as_text=True)


def test_each_scheme_ran_rounds_over_the_last_eighteen_months(logins):
    today = local_date()
    for scheme in (_scheme("SHARING"), _scheme("Passerelles")):
        rounds = db.session.scalars(
            select(MatchingRound).where(MatchingRound.scheme_id == scheme.id)
        ).all()
        assert len(rounds) >= 8
        assert all(r.status == RoundStatus.DONE and r.finished_at for r in rounds)
        days = sorted(r.started_at.date() for r in rounds)
        assert today - timedelta(days=560) <= days[0] <= today - timedelta(days=365)
        for round_ in rounds:
            written = db.session.scalar(select(func.count()).where(Proposal.round_id == round_.id))
            assert round_.proposals_count == written
            assert round_.needs >= written
            assert round_.positions >= round_.needs
            assert {u.reason for u in round_.unmatched_needs} <= set(UNMATCHED_REASON_LABELS)
        assert sum(len(r.unmatched_needs) for r in rounds) >= 20
        made = db.session.scalars(select(Proposal).where(Proposal.scheme_id == scheme.id)).all()
        statuses = Counter(p.status for p in made)
        assert statuses[ProposalStatus.EXPIRED] >= 1
        assert statuses[ProposalStatus.COMPLETED] >= 5
        assert statuses[ProposalStatus.ACCEPTED] >= 2  # loans running or about to
        refused_by = {
            party
            for p in made
            if p.status == ProposalStatus.REFUSED
            for party in ("employee", "lender", "host")
            if getattr(p, f"{party}_decision") == Decision.REFUSED
        }
        assert refused_by == {"employee", "lender", "host"}
        assert all(p.created_at.date() >= today - timedelta(days=560) for p in made)


def _loans(scheme=None) -> list[Loan]:
    query = select(Loan).order_by(Loan.id)
    if scheme is not None:
        query = query.where(Loan.scheme_id == scheme.id)
    return list(db.session.scalars(query))


def test_every_loan_comes_from_a_signed_agreement_in_order(logins):
    today = local_date()
    loans = _loans()
    assert len(loans) >= 15
    for loan in loans:
        agreement, proposal = loan.agreement, loan.agreement.proposal
        need = proposal.need
        assert agreement.status == AgreementStatus.SIGNED
        assert compliance.convention_problems(agreement, today=agreement.signing_date) == []
        assert compliance.avenant_problems(agreement, proposal.employee_decided_at) == []
        assert loan.start_date == agreement.start_date
        assert loan.end_date == agreement.end_date or loan.ended_early
        for version in range(1, agreement.version + 1):
            for kind in DocumentKind:
                document = next(
                    d for d in agreement.documents if (d.kind, d.version) == (kind, version)
                )
                assert document.completed_at is not None
                assert document.signed_pdf
                assert {s.signer for s in document.signatures} == set(SIGNERS[kind])
                assert all(s.signed_at.date() <= today for s in document.signatures)
                for s in document.signatures:  # each firm signs as the documents name it
                    if s.signer != Signer.EMPLOYEE:
                        side = s.signer.value
                        assert s.user_id == getattr(agreement, f"{side}_signatory_id")
                        assert s.signer_name == getattr(agreement, f"{side}_signatory_name")
            avenant, convention = (
                next(d for d in agreement.documents if (d.kind, d.version) == (kind, version))
                for kind in (DocumentKind.AVENANT, DocumentKind.CONVENTION)
            )
            assert all(s.signed_at >= avenant.completed_at for s in convention.signatures)
        first_signatures = [s for d in agreement.documents if d.version == 1 for s in d.signatures]
        assert all(s.signed_at.date() < loan.start_date for s in first_signatures)
        first = db.session.scalar(
            select(func.min(Proposal.created_at)).where(Proposal.need_id == need.id)
        )
        assert need.created_at < first <= proposal.created_at
        assert proposal.created_at < proposal.employee_decided_at < agreement.created_at
        assert agreement.created_at.date() < loan.start_date
        expected = {
            LoanStatus.SCHEDULED: ProposalStatus.ACCEPTED,
            LoanStatus.ACTIVE: ProposalStatus.ACCEPTED,
            LoanStatus.ENDED: ProposalStatus.COMPLETED,
        }
        assert proposal.status == expected[loan.status]
        if loan.status == LoanStatus.SCHEDULED:
            assert loan.start_date > today
        else:
            assert loan.start_date <= today
            assert loan.started_at is not None
        if loan.status == LoanStatus.ENDED:
            assert loan.ended_on == loan.end_date < today
            assert loan.returned_on is None or loan.ended_on < loan.returned_on <= today
        else:
            assert loan.end_date >= today
        months = statements.due_months(loan, today) if loan.start_date <= today else []
        assert [s.month for s in loan.statements] == months
        assert all(e.at.date() <= today for e in loan.events)
        assert [e.at for e in loan.events] == sorted(e.at for e in loan.events)


def test_statements_are_billed_from_actuals_and_numbered_in_order_of_issue(logins):
    from lending.models import BillingStatement
    from lending.services.deals import actuals

    issued = db.session.scalars(
        select(BillingStatement).order_by(
            BillingStatement.lender_firm_id,
            BillingStatement.number_year,
            BillingStatement.number_seq,
        )
    ).all()
    assert issued
    by_lender: dict = {}
    for s in issued:
        by_lender.setdefault((s.lender_firm_id, s.number_year), []).append(s)
        assert s.cost_cents == actuals.latest(s.loan, s.month).cost_cents
    for (_lender, year), numbered in by_lender.items():
        assert [s.number_seq for s in numbered] == list(range(1, len(numbered) + 1))
        dates = [s.issue_date for s in numbered]
        assert dates == sorted(dates)
        assert {d.year for d in dates} == {year}
    statuses = Counter(s.payment_status.value for s in issued)
    assert statuses["paid"] > statuses["issued"] > 0


def test_loans_end_early_are_extended_returned_and_rated(logins):
    for scheme in (_scheme("SHARING"), _scheme("Passerelles")):
        loans = _loans(scheme)
        statuses = Counter(loan.status for loan in loans)
        assert statuses[LoanStatus.ENDED] >= 5
        assert statuses[LoanStatus.ACTIVE] >= 1
        assert statuses[LoanStatus.SCHEDULED] >= 1
        early = [loan for loan in loans if loan.ended_early]
        assert len(early) >= 2
        assert all(loan.end_category and loan.end_reason for loan in early)
        assert len({loan.end_category for loan in early}) == len(early)
        extended = [loan for loan in loans if any(e.kind == "extended" for e in loan.events)]
        assert extended
        for loan in extended:
            assert loan.agreement.version == 2
            assert loan.end_date == next(e.on_date for e in loan.events if e.kind == "extended")
        assert sum(loan.returned_on is not None for loan in loans) >= 5
    ratings = db.session.scalars(select(Feedback.rating)).all()
    parties = set(db.session.scalars(select(Feedback.party)))
    assert parties == {"employee", "lender", "host"}
    assert len(ratings) >= 15
    assert sum(r >= 4 for r in ratings) >= 0.7 * len(ratings)


def test_one_running_loan_per_employee_and_the_others_are_available_again(logins):
    loans = _loans()
    running = Counter(loan.employee_id for loan in loans if loan.status != LoanStatus.ENDED)
    assert max(running.values()) == 1
    back = {loan.employee_id for loan in loans if loan.status == LoanStatus.ENDED} - set(running)
    assert len(back) >= 10
    for employee in db.session.scalars(select(Employee).where(Employee.id.in_(back))):
        assert employee.is_matchable
        live = db.session.scalar(
            select(func.count()).where(
                Proposal.employee_id == employee.id, Proposal.status.in_(LIVE_STATUSES)
            )
        )
        assert live == 0


def test_sharing_shows_the_aeronautics_to_agrifood_flow(logins):
    """What the territory's dashboard needs to show something: five loans and more from
    aeronautics (NAF 30.30) to agrifood (division 10) or farms (01), needs that waited
    days to weeks for their first proposal, employee-months, at-risk employees placed."""
    sharing = _scheme("SHARING")
    loans = _loans(sharing)
    firms = {f.id: f for f in db.session.scalars(select(Firm))}
    flows = Counter(
        (firms[loan.lender_firm_id].naf_code[:5], firms[loan.host_firm_id].naf.division)
        for loan in loans
    )
    aero_to_food = sum(n for (lender, host), n in flows.items() if lender == "30.30")
    assert aero_to_food >= 5
    assert all(host in {"10", "01"} for (_, host) in flows)
    waits = []
    for loan in loans:
        need = loan.agreement.proposal.need
        first = db.session.scalar(
            select(func.min(Proposal.created_at)).where(Proposal.need_id == need.id)
        )
        waits.append((first - need.created_at).days)
    assert len(waits) >= 5
    assert all(1 <= w <= 60 for w in waits)
    today = local_date()
    started = [loan for loan in loans if loan.start_date <= today]
    days_on_loan = sum((min(loan.end_date, today) - loan.start_date).days for loan in started)
    assert days_on_loan / 30 >= 30  # employee-months
    at_risk = [
        loan for loan in loans if loan.employee.partial_activity or loan.employee.job_at_risk
    ]
    assert len(at_risk) >= 3


def test_the_sharing_prefecture_reads_its_history_on_the_dashboard(logins, client, login):
    """The issue's newcomer: the SHARING prefecture officer opens /suivi and sees loans, the
    aeronautics → agrifood flow, time to match, employee-months, the map and the charts
    with their tables, and downloads the files."""
    emails = dict(logins)
    login(_user(emails["suivi SHARING (Préfecture de Lot-et-Garonne)"]))
    page = client.get("/suivi", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.request.path == f"/suivi/{_scheme('SHARING').id}"
    assert html.count('role="img"') == 3  # the map, the monthly trend, the flows
    today = local_date()
    since = (today - timedelta(days=540)).strftime("%Y-%m")
    period = f"periode=personnalisee&du={since}&au={today:%Y-%m}"
    data = client.get(f"{page.request.path}/donnees.json?{period}").get_json()
    assert data["problems"] == []
    headline = {item["key"]: item for item in data["headline"]}
    for key in ("loans_started", "time_to_match", "employee_months"):
        assert headline[key]["value"], (key, headline[key])  # shown, not hidden
    flows = data["tables"]["flows"]
    aeronautics = next(row for row in flows["rows"] if row["code"] == "30")
    agrifood = flows["column_codes"].index("10")
    assert aeronautics["figures"][agrifood]["value"] >= 5
    assert "Industries alimentaires" in flows["columns"][agrifood]
    assert client.get(f"{page.request.path}/export.xlsx?{period}").status_code == 200
    csv = client.get(f"{page.request.path}/export.csv?{period}&tableau=flows")
    assert "Fabrication d'autres matériels de transport" in csv.data.decode("utf-8-sig")


def test_the_pages_of_past_deals_open(logins, client, login):
    """A lender's HR manager, a host's, an employee and the operator open what they would of
    an ended, an extended and a running loan: no page of the past fails."""
    loans = _loans(_scheme("SHARING"))
    ended = next(loan for loan in loans if loan.status == LoanStatus.ENDED and loan.ended_early)
    extended = next(loan for loan in loans if loan.agreement.version == 2)
    running = next(loan for loan in loans if loan.status == LoanStatus.ACTIVE)
    operator = _user("operateur.sharing@demo.pret-main-oeuvre.fr")
    for loan in (ended, extended, running):
        agreement = loan.agreement
        hr = lambda firm_id: db.session.scalars(  # noqa: E731
            select(User).where(User.firm_id == firm_id, User.role == "HR")
        ).first()
        pages = {
            hr(loan.lender_firm_id): [
                f"/prets/{loan.id}",
                f"/prets/{loan.id}/releves.csv",
                f"/accords/{agreement.id}",
                f"/accords/{agreement.id}/avenant/apercu",
                f"/propositions/{agreement.proposal_id}",
                f"/prets/{loan.id}/releves/{loan.statements[0].id}.pdf",
            ],
            hr(loan.host_firm_id): [f"/prets/{loan.id}", f"/accords/{agreement.id}"],
            loan.employee.user: [f"/prets/{loan.id}", f"/propositions/{agreement.proposal_id}"],
            operator: [
                f"/prets/{loan.id}",
                f"/dispositifs/{loan.scheme_id}/tours",
                f"/dispositifs/{loan.scheme_id}/tours/{agreement.proposal.round_id}",
            ],
        }
        for version in range(1, agreement.version + 1):
            pages[hr(loan.lender_firm_id)].append(
                f"/accords/{agreement.id}/convention-v{version}.pdf"
            )
        for user, urls in pages.items():
            login(user)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (user.email, url)
    document = ended.agreement.documents[0]
    text = render.pdf_text(document.signed_pdf)
    assert ended.agreement.employee_last_name in text  # a real PDF, signed, with its evidence
    assert document.signed_sha256 == render.sha256_hex(document.signed_pdf)
