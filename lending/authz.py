"""Access rules, in one place.

- `roles_required(...)`: anonymous users go to the login page, other roles get 403.
- Loaders return the row only if the current user may see it, else 404, so a view never
  compares ids itself.
"""

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from lending.extensions import db, login_manager
from lending.models import (
    Employee,
    Enrolment,
    Firm,
    MatchingRound,
    Need,
    Party,
    Proposal,
    Role,
    Scheme,
    User,
)

STAFF_ROLES = (Role.ADMIN, Role.OPERATOR, Role.MONITOR)


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
    return query.where(False)


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


def get_round_or_404(scheme: Scheme, round_id: int) -> MatchingRound:
    """A round of a scheme the user manages (loaded with get_scheme_or_404(manage=True))."""
    round_ = db.session.get(MatchingRound, round_id)
    if round_ is None or round_.scheme_id != scheme.id:
        abort(404)
    return round_


def get_proposal_or_404(proposal_id: int) -> tuple[Proposal, Party | None]:
    """A proposal and the current user's part in it: the employee, the HR managers of the
    two firms, the scheme's operators and admins (who have no part: read only)."""
    from lending.services.proposals import party_of

    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    party = party_of(proposal, current_user)
    if party is None and not (
        current_user.role in (Role.ADMIN, Role.OPERATOR)
        and can_see_scheme(current_user, proposal.scheme)
    ):
        abort(404)
    return proposal, party


def _may_follow(user: User, *, employee, lender_firm_id, host_firm_id, scheme) -> bool:
    """The parties of an agreement or loan, the operators of its scheme, admins."""
    if user.role == Role.EMPLOYEE:
        return employee.user_id == user.id
    if user.role == Role.HR:
        return user.firm_id in (lender_firm_id, host_firm_id)
    return user.role in (Role.ADMIN, Role.OPERATOR) and can_see_scheme(user, scheme)


def get_agreement_or_404(agreement_id: int):
    from lending.models import Agreement

    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or not _may_follow(
        current_user, employee=agreement.employee, lender_firm_id=agreement.lender_firm_id,
        host_firm_id=agreement.host_firm_id, scheme=agreement.proposal.scheme,
    ):  # fmt: skip
        abort(404)
    return agreement


def get_loan_or_404(loan_id: int):
    from lending.models import Loan

    loan = db.session.get(Loan, loan_id)
    if loan is None or not _may_follow(
        current_user, employee=loan.employee, lender_firm_id=loan.lender_firm_id,
        host_firm_id=loan.host_firm_id, scheme=loan.agreement.proposal.scheme,
    ):  # fmt: skip
        abort(404)
    return loan


def firm_side(lender_firm_id: int, host_firm_id: int) -> str | None:
    """ "lender" or "host" for the current HR manager, else None."""
    if current_user.role != Role.HR:
        return None
    if current_user.firm_id == lender_firm_id:
        return "lender"
    if current_user.firm_id == host_firm_id:
        return "host"
    return None


def require_side(lender_firm_id: int, host_firm_id: int, *sides: str) -> str:
    """403 unless the current user is the HR manager of one of `sides` ("lender", "host")."""
    side = firm_side(lender_firm_id, host_firm_id)
    if side not in sides:
        abort(403)
    return side
