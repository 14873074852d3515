"""The people a deal concerns: the HR managers of both firms and the employee, for a
proposal or the agreement drawn from it (both are told of each step)."""

from sqlalchemy import select

from lending.extensions import db
from lending.models import Role, User


def party_users(deal) -> list[User]:
    """The active HR managers of both firms and the employee's account, for a proposal or
    an agreement (anything with lender_firm_id, host_firm_id and employee)."""
    users = list(
        db.session.scalars(
            select(User).where(
                User.role == Role.HR,
                User.active.is_(True),
                User.firm_id.in_((deal.lender_firm_id, deal.host_firm_id)),
            )
        )
    )
    if deal.employee.user is not None:
        users.append(deal.employee.user)
    return users
