"""Accounts, roles and server-side login sessions."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    MONITOR = "monitor"
    HR = "hr"
    EMPLOYEE = "employee"


ROLE_LABELS = {
    Role.ADMIN: _l("Administrateur"),
    Role.OPERATOR: _l("Opérateur de dispositif"),
    Role.MONITOR: _l("Suivi territorial"),
    Role.HR: _l("Responsable RH"),
    Role.EMPLOYEE: _l("Salarié"),
}

scheme_staff = db.Table(
    "scheme_staff",
    db.Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    db.Column("scheme_id", ForeignKey("scheme.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # The function an HR manager signs agreements in ("Directrice des ressources humaines"):
    # the documents print it beside their name.
    job_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firm.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    firm: Mapped["Firm | None"] = relationship(back_populates="users")  # noqa: F821
    # By name: the order staff accounts are given their schemes in, and a stable one when
    # the schemes of many accounts are loaded at once.
    schemes: Mapped[list["Scheme"]] = relationship(  # noqa: F821
        secondary=scheme_staff, back_populates="staff", order_by="Scheme.name"
    )

    # Flask-Login reads `is_active`; the session token, not the id, goes in the cookie.
    @property
    def is_active(self) -> bool:
        return self.active

    # Set at login or when the session is loaded; not a column.
    if TYPE_CHECKING:
        _session_token: str | None
    _session_token = None

    def get_id(self) -> str | None:
        return self._session_token

    @property
    def role_label(self):
        return ROLE_LABELS[self.role]

    @property
    def scheme_ids(self) -> set[int]:
        return {scheme.id for scheme in self.schemes}


class UserSession(db.Model):
    """One login. The cookie carries a random token whose SHA-256 is stored here.

    Deleting the row (logout, password change, idle timeout) makes any copy of the cookie
    worthless, which a signed-cookie session alone cannot do.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship()
