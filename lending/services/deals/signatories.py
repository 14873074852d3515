"""Who signs for each firm: one of its HR accounts, chosen in the firm's part.

The documents print that account's name and function, copied from the account when the part
is saved, when the account changes (agreements in draft) and when the documents are frozen,
as the firms' identities are copied when an agreement is drafted. Only that account signs
for the firm (services/deals/signing.py), so the person the convention names is the person
whose signature its evidence page records: nobody signs under another's name, and no
delegation has to be recorded. A firm whose director signs gives them an HR account.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from lending.extensions import db
from lending.models import Agreement, AgreementStatus, Role, User
from lending.services.errors import ValidationError

SIDES = ("lender", "host")


def accounts(firm_id: int) -> list[User]:
    """The accounts that may sign for firm `firm_id`: its active HR managers, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.firm_id == firm_id, User.role == Role.HR, User.active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )


def check(agreement: Agreement, side: str, chosen: int | None) -> None:
    """Refuse an account that may not sign for `side` ("lender" or "host"). None is allowed:
    not designated yet, which the checks before signing report."""
    firm_id = getattr(agreement, f"{side}_firm_id")
    if chosen is not None and chosen not in {u.id for u in accounts(firm_id)}:
        raise ValidationError(
            {
                f"{side}_signatory_id": _(
                    "Choisissez le signataire parmi les comptes RH actifs de votre entreprise."
                )
            }
        )


def copy(agreement: Agreement, side: str) -> bool:
    """Copy the name and function of `side`'s designated account into the agreement (blank
    when none is designated); True if they changed."""
    account_id = getattr(agreement, f"{side}_signatory_id")
    account = db.session.get(User, account_id) if account_id is not None else None
    copied = (account.full_name, account.job_title) if account else ("", "")
    names = (f"{side}_signatory_name", f"{side}_signatory_role")
    if tuple(getattr(agreement, n) for n in names) == copied:
        return False
    for name, value in zip(names, copied, strict=True):
        setattr(agreement, name, value)
    return True


def account_changed(user: User) -> int:
    """`user` changed their name or function: the agreements in draft that name them as
    signatory follow. Frozen ones keep the text their parties were shown (signing asks the
    signatory to save their firm's part again, which starts a new version). Returns how many
    agreements changed."""
    count = 0
    for side in SIDES:
        column = getattr(Agreement, f"{side}_signatory_id")
        drafts = db.session.scalars(
            select(Agreement).where(column == user.id, Agreement.status == AgreementStatus.DRAFT)
        )
        count += sum(copy(agreement, side) for agreement in drafts)
    return count


def changed_since_frozen(agreement: Agreement, side: str, user: User) -> bool:
    """The account's name or function differ from what the agreement (as frozen) prints."""
    names = (f"{side}_signatory_name", f"{side}_signatory_role")
    return tuple(getattr(agreement, n) for n in names) != (user.full_name, user.job_title)
