"""Sign-ups waiting for the confirmation of their e-mail address."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from lending.extensions import db
from lending.models._time import utcnow


class PendingSignup(db.Model):
    """A firm's or an employee's sign-up, kept until its holder follows the e-mailed link.

    Nothing is created before then, so the sign-up form answers the same whether or not
    the address already has an account (the owner of a known address gets an e-mail
    instead of a link). The row, which holds a password hash, is deleted once used, and
    expired rows are deleted as new sign-ups come."""

    __tablename__ = "pending_signup"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "firm" or "employee"
    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    data: Mapped[dict] = mapped_column(JSON)  # the form's fields but the password
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
