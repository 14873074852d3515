"""A world for the desk's tests: two schemes, X and Y, each with something in every section
of the desk, so that a test can check what each operator sees and what they do not."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from lending.extensions import db
from lending.models import (
    Agreement,
    AgreementDocument,
    AgreementStatus,
    Decision,
    DocumentKind,
    Enrolment,
    EnrolmentStatus,
    Firm,
    Loan,
    LoanStatus,
    MatchingRound,
    Need,
    NeedStatus,
    Proposal,
    ProposalStatus,
    Role,
    RoundStatus,
    Scheme,
    Signature,
    Signer,
    UnmatchedNeed,
    User,
)
from lending.models._time import utcnow
from lending.services.deals import agreements
from tests.factories import (
    new_employee,
    new_enrolment,
    new_firm,
    new_need,
    new_proposal,
    new_scheme,
    new_user,
)
from tests.services.agreement_helpers import active_loan, statement_row


@dataclass
class Side:
    """One scheme, its operator, an approved lender and host with an HR manager each."""

    scheme: Scheme
    operator: User
    lender: Firm
    host: Firm
    lender_hr: User
    host_hr: User
    applications: list[Enrolment] = field(default_factory=list)
    contacts: list[User | None] = field(default_factory=list)
    unmatched: list[Need] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    drafts: list[Agreement] = field(default_factory=list)
    signing: list[Agreement] = field(default_factory=list)
    soon: list[Loan] = field(default_factory=list)
    unbilled: list[Loan] = field(default_factory=list)
    quiet: list[Loan] = field(default_factory=list)  # loans no section lists
    last_round: MatchingRound | None = None


def side(tag: str, departement: str = "47") -> Side:
    scheme = new_scheme(f"Dispositif {tag}", departements=[departement])
    lender = new_firm(f"Prêteur {tag}", naf="30.30Z")
    host = new_firm(f"Accueil {tag}", naf="10.71C")
    for firm in (lender, host):
        new_enrolment(firm, scheme, EnrolmentStatus.APPROVED)
    return Side(
        scheme,
        new_user(Role.OPERATOR, schemes=[scheme]),
        lender,
        host,
        new_user(Role.HR, firm=lender),
        new_user(Role.HR, firm=host),
    )


def employee_of(s: Side, *, account: bool = True):
    user = new_user(Role.EMPLOYEE, firm=s.lender) if account else None
    return new_employee(s.lender, user=user, consent=True)


def application(s: Side, name: str, *, applicant: bool) -> Enrolment:
    """A pending application; the firm's HR manager applied, or (applicant False) the
    applicant's account is gone and a colleague is the contact."""
    firm = new_firm(name)
    hr = new_user(Role.HR, firm=firm)
    enrolment = new_enrolment(firm, s.scheme)
    enrolment.applied_by_id = hr.id if applicant else None
    db.session.commit()
    s.applications.append(enrolment)
    s.contacts.append(hr)
    return enrolment


def waiting_proposal(s: Side, days: int = 3) -> Proposal:
    proposal = new_proposal(
        s.scheme,
        employee_of(s),
        new_need(s.host, title=f"Besoin en attente {len(s.proposals) + 1}"),
        expires_at=utcnow() + timedelta(days=days),
        lender_decision=Decision.ACCEPTED,
    )
    s.proposals.append(proposal)
    return proposal


def agreement(s: Side, *, account: bool = True) -> Agreement:
    """A draft agreement of an accepted proposal."""
    proposal = new_proposal(
        s.scheme,
        employee_of(s, account=account),
        new_need(s.host),
        status=ProposalStatus.ACCEPTED,
        employee_decision=Decision.ACCEPTED,
        employee_decided_at=utcnow(),
        lender_decision=Decision.ACCEPTED,
        host_decision=Decision.ACCEPTED,
    )
    drafted = agreements.draft(proposal)
    db.session.commit()
    return drafted


def signing_agreement(s: Side, today: date) -> Agreement:
    """Frozen (placeholder documents), signed by the lender on the avenant only."""
    a = agreement(s)
    a.status, a.signing_date = AgreementStatus.SIGNING, today
    for kind in DocumentKind:
        a.documents.append(
            AgreementDocument(
                kind=kind, version=a.version, html="<p>x</p>", pdf=b"%PDF", sha256="0" * 64
            )
        )
    db.session.flush()
    avenant = a.current(DocumentKind.AVENANT)
    avenant.signatures.append(
        Signature(
            signer=Signer.LENDER,
            signer_name="Hélène Ressources",
            signed_at=utcnow(),
            document_sha256="0" * 64,
            document_version=a.version,
        )
    )
    db.session.commit()
    s.signing.append(a)
    return a


def loan(s: Side, start: date, end: date, status=LoanStatus.ACTIVE, ended_on=None) -> Loan:
    a = agreement(s)
    a.status = AgreementStatus.SIGNED
    made = active_loan(a, start, end)
    made.status, made.ended_on = status, ended_on
    db.session.commit()
    return made


def statement(made: Loan, month: date) -> None:
    db.session.add(statement_row(made, month))
    db.session.commit()


def finished_round(s: Side, unmatched: list[tuple[Need, str]]) -> MatchingRound:
    round_ = MatchingRound(
        scheme_id=s.scheme.id,
        trigger="command",
        status=RoundStatus.DONE,
        stage="done",
        finished_at=utcnow(),
    )
    db.session.add(round_)
    db.session.flush()
    for need, reason in unmatched:
        db.session.add(
            UnmatchedNeed(round_id=round_.id, need_id=need.id, open_positions=1, reason=reason)
        )
    db.session.commit()
    return round_


def first_of(day: date) -> date:
    return day.replace(day=1)


def months_back(day: date, n: int) -> date:
    month = first_of(day)
    for _ in range(n):
        month = first_of(month - timedelta(days=1))
    return month


def fill(s: Side, today: date, tag: str) -> Side:
    """Something for every section of the desk, and things no section lists."""
    application(s, f"Candidate {tag} 1", applicant=True)
    application(s, f"Candidate {tag} 2", applicant=False)
    waiting_proposal(s)
    s.drafts.append(agreement(s))
    signing_agreement(s, today)
    s.soon.append(
        loan(s, today + timedelta(days=5), today + timedelta(days=90), LoanStatus.SCHEDULED)
    )
    s.soon.append(loan(s, today, today + timedelta(days=10)))
    s.quiet.append(loan(s, today, today + timedelta(days=40)))
    # Started three months back, one statement issued: the months after it are missing.
    unbilled = loan(s, months_back(today, 3), today + timedelta(days=60))
    statement(unbilled, months_back(today, 3))
    s.unbilled.append(unbilled)
    # Ended early last month, nothing issued.
    start = months_back(today, 2)
    s.unbilled.append(
        loan(s, start, today + timedelta(days=60), LoanStatus.ENDED, start + timedelta(days=40))
    )
    # Ended, every month issued.
    done = loan(s, months_back(today, 2), months_back(today, 1), LoanStatus.ENDED)
    for month in (months_back(today, 2), months_back(today, 1)):
        statement(done, month)
    s.quiet.append(done)
    # Rounds last: the proposals above each come with a round of their own.
    old_need = new_need(s.host, title=f"Besoin ancien tour {tag}")
    finished_round(s, [(old_need, "budget")])
    open_need = new_need(s.host, title=f"Besoin sans candidat {tag}")
    closed = new_need(s.host, title=f"Besoin clos {tag}", status=NeedStatus.CLOSED)
    s.last_round = finished_round(s, [(open_need, "missing_skill"), (closed, "dates")])
    s.unmatched.append(open_need)
    return s
