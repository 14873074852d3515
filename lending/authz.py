"""Access rules, in one place.

- `roles_required(...)`: anonymous users go to the login page, other roles get 403.
- Loaders return the row only if the current user may see it, else 404, so a view never
  compares ids itself.
- Predicates (`may_…`, `party_of`, `hidden_from_host`…) answer what a page may show; they
  are template globals too (see setup.py), so a template never compares firms or parties.
- `visible_…_query(user)` scope the lists.
"""

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import false, select

from lending.extensions import db, login_manager
from lending.models import (
    Agreement,
    BillingStatement,
    DocumentKind,
    Employee,
    Enrolment,
    Firm,
    Loan,
    MatchingRound,
    Need,
    Party,
    Proposal,
    Role,
    Scheme,
    Signer,
    Task,
    User,
)
from lending.models.agreement import SIGNERS
from lending.models.proposal import UNCONCLUDED_LABEL, UNCONCLUDED_STATUSES

STAFF_ROLES = (Role.ADMIN, Role.OPERATOR, Role.MONITOR)

# The predicates templates may call (setup.py makes them Jinja globals).
TEMPLATE_PREDICATES = (
    "party_of",
    "firm_side",
    "hidden_from_host",
    "is_the_employee",
    "may_answer",
    "may_bill",
    "may_create_schemes",
    "may_freeze",
    "may_read_cse_note",
    "may_read_document",
    "may_read_statements",
    "may_see_answer",
    "may_see_employee_contact",
    "may_settle",
    "may_write_to_parties",
    "proposal_status_label",
)


def roles_required(*roles: Role):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def current_firm_or_404() -> Firm:
    """The firm of the logged-in HR manager or employee."""
    firm = current_user.firm if current_user.is_authenticated else None
    if firm is None:
        abort(404)
    return firm


def get_scheme_to_apply_or_404(scheme_id: int) -> Scheme:
    """Any scheme: every HR manager may see the list of schemes and apply to one."""
    scheme = db.session.get(Scheme, scheme_id)
    if scheme is None:
        abort(404)
    return scheme


def visible_schemes_query(user: User):
    """Schemes the user may open: all for admins, their own for operators and monitors."""
    query = select(Scheme).order_by(Scheme.name)
    if user.role == Role.ADMIN:
        return query
    if user.role in (Role.OPERATOR, Role.MONITOR):
        return query.where(Scheme.id.in_(user.scheme_ids or {-1}))
    return query.where(false())


def get_scheme_or_404(scheme_id: int, *, manage: bool = False) -> Scheme:
    """A scheme the current user may see; with `manage`, only admins and its operators."""
    scheme = db.session.get(Scheme, scheme_id)
    if scheme is None or not can_see_scheme(current_user, scheme):
        abort(404)
    if manage and current_user.role not in (Role.ADMIN, Role.OPERATOR):
        abort(404)
    return scheme


def can_see_scheme(user: User, scheme: Scheme) -> bool:
    if user.role == Role.ADMIN:
        return True
    return user.role in (Role.OPERATOR, Role.MONITOR) and scheme.id in user.scheme_ids


def get_enrolment_for_operator_or_404(scheme: Scheme, enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.scheme_id != scheme.id:
        abort(404)
    return enrolment


def _own_firm_row_or_404(model, row_id: int):
    """A row of `model` belonging to the current HR manager's firm."""
    row = db.session.get(model, row_id)
    firm = current_firm_or_404()
    if row is None or row.firm_id != firm.id:
        abort(404)
    return row


def get_employee_for_hr_or_404(employee_id: int) -> Employee:
    """An employee of the HR manager's own firm; other firms' employees do not exist here."""
    return _own_firm_row_or_404(Employee, employee_id)


def get_need_for_hr_or_404(need_id: int) -> Need:
    return _own_firm_row_or_404(Need, need_id)


def current_employee_or_404() -> Employee:
    """The employee profile of the logged-in employee."""
    employee = db.session.scalar(select(Employee).where(Employee.user_id == current_user.id))
    if employee is None:
        abort(404)
    return employee


def get_import_task_or_404(task_id: int) -> Task:
    """An employee import queued for the HR manager's own firm."""
    task = db.session.get(Task, task_id)
    firm = current_firm_or_404()
    if task is None or task.kind != "employee-import" or task.payload.get("firm_id") != firm.id:
        abort(404)
    return task


def get_round_or_404(scheme: Scheme, round_id: int) -> MatchingRound:
    """A round of a scheme the user manages (loaded with get_scheme_or_404(manage=True))."""
    round_ = db.session.get(MatchingRound, round_id)
    if round_ is None or round_.scheme_id != scheme.id:
        abort(404)
    return round_


def party_of(deal, user: User) -> Party | None:
    """The part `user` plays in a proposal, an agreement or a loan (anything with
    `employee`, `lender_firm_id` and `host_firm_id`): employee, lending HR, host HR."""
    if user.role == Role.EMPLOYEE and deal.employee.user_id == user.id:
        return Party.EMPLOYEE
    if user.role == Role.HR and user.firm_id == deal.lender_firm_id:
        return Party.LENDER
    if user.role == Role.HR and user.firm_id == deal.host_firm_id:
        return Party.HOST
    return None


def _follows(user: User, scheme: Scheme) -> bool:
    """Operators of the scheme and admins follow its deals without a part (read only)."""
    return user.role in (Role.ADMIN, Role.OPERATOR) and can_see_scheme(user, scheme)


def _party_or_staff_or_404(deal, scheme: Scheme) -> Party | None:
    """The current user's part in `deal`; those who follow it have none; anyone else gets
    a 404."""
    party = party_of(deal, current_user)
    if party is None and not _follows(current_user, scheme):
        abort(404)
    return party


def may_read_document(user: User, deal, kind: DocumentKind | str) -> bool:
    """A document of an agreement or loan is read by its own parties (legal.md §1: the
    convention binds the two firms, the avenant the employee and their employer) and by
    those who follow the deal. The host is no party to the avenant, nor the employee to
    the convention."""
    party = party_of(deal, user)
    if party is None:
        return _follows(user, db.session.get_one(Scheme, deal.scheme_id))
    return Signer(party.value) in SIGNERS[DocumentKind(kind)]


def may_read_cse_note(user: User, deal) -> bool:
    """Each firm's HR downloads its own CSE information note (the lender's CSE is consulted,
    the host's informed and consulted: the notes differ); no one else needs it."""
    return firm_side(deal, user) is not None


def require_cse_note_reader(deal) -> Party:
    """The side (lender or host) whose note the current user reads; 403 for anyone else."""
    side = firm_side(deal, current_user) if may_read_cse_note(current_user, deal) else None
    if side is None:
        abort(403)
    return side


def may_read_statements(user: User, loan) -> bool:
    """Billing statements are between the two firms: the employee is no party to them."""
    party = party_of(loan, user)
    if party is None:
        return _follows(user, db.session.get_one(Scheme, loan.scheme_id))
    return party in (Party.LENDER, Party.HOST)


def require_document_reader(deal, kind: DocumentKind | str) -> None:
    """403 unless the current user may read the document `kind` of `deal`."""
    if not may_read_document(current_user, deal, kind):
        abort(403)


def require_statement_reader(loan) -> None:
    if not may_read_statements(current_user, loan):
        abort(403)


def get_statement_or_404(loan: Loan, statement_id: int) -> BillingStatement:
    """A billing statement of `loan` (loaded with get_loan_or_404) the user may read."""
    require_statement_reader(loan)
    statement = db.session.get(BillingStatement, statement_id)
    if statement is None or statement.loan_id != loan.id:
        abort(404)
    return statement


def get_proposal_or_404(proposal_id: int) -> tuple[Proposal, Party | None]:
    """A proposal and the current user's part in it."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    return proposal, _party_or_staff_or_404(proposal, proposal.scheme)


def get_agreement_or_404(agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None:
        abort(404)
    _party_or_staff_or_404(agreement, agreement.proposal.scheme)
    return agreement


def get_loan_or_404(loan_id: int) -> Loan:
    loan = db.session.get(Loan, loan_id)
    if loan is None:
        abort(404)
    _party_or_staff_or_404(loan, loan.agreement.proposal.scheme)
    return loan


def require_party(deal, *parties: Party) -> Party:
    """403 unless the current user is one of `parties` of `deal`."""
    party = party_of(deal, current_user)
    if party not in parties:
        abort(403)
    return party


# What a page may show. Each takes the user, so templates call them with `current_user`.


def hidden_from_host(proposal: Proposal, user: User) -> bool:
    """Until all three accept, the host sees the employee without name, contact or cost,
    and only a band for the distance."""
    return not proposal.is_accepted and party_of(proposal, user) == Party.HOST


def may_see_answer(proposal: Proposal, user: User, who: Party | str) -> bool:
    """Whether `user` may learn the answer of party `who`. Until all three accept, each
    party sees only its own answer, while the proposal is open and once it is closed:
    nobody learns who accepted, so nobody can tell who declined. Those who follow the
    scheme (operators, admins) see every answer."""
    party = party_of(proposal, user)
    if party is None or proposal.all_accepted:
        return True
    return party == Party(who)


def proposal_status_label(proposal: Proposal, user: User):
    """The proposal's state as `user` may read it. A proposal closed without all three
    accepting reads the same to each party, whether one of them declined (and which) or
    the deadline passed or it was withdrawn; its followers see why it closed."""
    unconcluded = proposal.status in UNCONCLUDED_STATUSES and not proposal.all_accepted
    if unconcluded and party_of(proposal, user) is not None:
        return UNCONCLUDED_LABEL
    return proposal.status_label


def may_answer(proposal: Proposal, user: User) -> bool:
    """A party that has not answered a pending proposal yet."""
    party = party_of(proposal, user)
    return (
        party is not None
        and proposal.is_pending
        and getattr(proposal, f"{party.value}_decision") is None
    )


def is_the_employee(deal, user: User) -> bool:
    """`user` is the employee lent in `deal` (the pages speak to them directly)."""
    return party_of(deal, user) == Party.EMPLOYEE


def may_see_employee_contact(deal, user: User) -> bool:
    """The employee's e-mail address is for the two firms' HR (once the host may see who
    the employee is: see hidden_from_host)."""
    return party_of(deal, user) in (Party.LENDER, Party.HOST) and not hidden_from_host(deal, user)


def may_freeze(agreement: Agreement, user: User) -> bool:
    """Either firm freezes the documents for signature once every check passes."""
    return party_of(agreement, user) in (Party.LENDER, Party.HOST)


def firm_side(deal, user: User) -> Party | None:
    """The firm's side (lender or host) the HR manager `user` takes in `deal`, else None."""
    party = party_of(deal, user)
    return party if party in (Party.LENDER, Party.HOST) else None


def may_bill(loan: Loan, user: User) -> bool:
    """The lender enters what it really paid each month, bills the host and records the
    employee's return."""
    return party_of(loan, user) == Party.LENDER


def may_settle(loan: Loan, user: User) -> bool:
    """The host marks the lender's statements paid or contested."""
    return party_of(loan, user) == Party.HOST


def may_create_schemes(user: User) -> bool:
    return user.role == Role.ADMIN


# The operator's desk (web/desk): operators of a scheme and admins.

DESK_ROLES = (Role.ADMIN, Role.OPERATOR)
DEALS = {"propositions": Proposal, "accords": Agreement, "prets": Loan}


def may_write_to_parties(deal, user: User) -> bool:
    """The operators of the scheme of `deal` (a proposal, an agreement or a loan) and
    admins write to its parties from the desk."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.OPERATOR and deal.scheme_id in user.scheme_ids


def get_deal_to_write_or_404(kind: str, deal_id: int):
    """The proposal, agreement or loan (`kind`: a key of DEALS) whose parties the current
    user may write to; anything else is a 404."""
    model = DEALS.get(kind)
    deal = db.session.get(model, deal_id) if model is not None else None
    if deal is None or not may_write_to_parties(deal, current_user):
        abort(404)
    return deal


# The lists a user may follow.


def visible_loans_query(user: User):
    """Loans the user may follow, newest first: their own (employee), their firm's as
    lender or host (HR), their schemes' (operators, monitors), all (admins)."""
    query = select(Loan).order_by(Loan.start_date.desc(), Loan.id.desc())
    if user.role == Role.EMPLOYEE:
        return query.join(Employee, Employee.id == Loan.employee_id).where(
            Employee.user_id == user.id
        )
    if user.role == Role.HR:
        return query.where(
            (Loan.lender_firm_id == user.firm_id) | (Loan.host_firm_id == user.firm_id)
        )
    schemes = visible_schemes_query(user).with_only_columns(Scheme.id)
    return query.where(Loan.scheme_id.in_(schemes))
