"""Available employees (supply), their skills, consent history and invitations."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lending.extensions import db
from lending.models._search import fold
from lending.models._time import utcnow
from lending.models.reference import Commune


class EmployeeStatus(enum.StrEnum):
    AVAILABLE = "available"  # declared by the firm as lendable
    WITHDRAWN = "withdrawn"  # no longer offered by the firm


class Employee(db.Model):
    """An employee a firm can lend. Matched only with the employee's own consent.

    Money is stored in euro cents. `hr_confirmed_at` is None for a profile the employee
    created with the firm's enrolment code, until the HR manager confirms it and fills in
    the cost fields.
    """

    __tablename__ = "employee"
    __table_args__ = (
        UniqueConstraint("firm_id", "email"),
        CheckConstraint("available_until >= available_from", name="dates_in_order"),
        CheckConstraint("max_commute_km > 0", name="commute_positive"),
        # The dashboard's counts of available employees read this index, not the wide rows.
        Index(
            "ix_employee_availability",
            "firm_id",
            "status",
            "available_from",
            "available_until",
            "created_at",
            "partial_activity",
            "job_at_risk",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True
    )
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    job_title: Mapped[str] = mapped_column(String(200))
    # fold() of the names and job title, kept up to date by _refresh_search_text.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    qualification: Mapped[str] = mapped_column(String(200), default="")
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), index=True)
    max_commute_km: Mapped[int] = mapped_column(Integer)
    available_from: Mapped[date] = mapped_column(Date)
    available_until: Mapped[date] = mapped_column(Date)
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    gross_salary_cents: Mapped[int | None] = mapped_column(Integer)
    employer_charges_cents: Mapped[int | None] = mapped_column(Integer)
    expenses_cents: Mapped[int | None] = mapped_column(Integer)
    partial_activity: Mapped[bool] = mapped_column(Boolean, default=False)
    job_at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    # NAF sections the employee accepts to work in, space-separated; empty: any.
    accepted_sectors: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[EmployeeStatus] = mapped_column(
        Enum(EmployeeStatus, native_enum=False, length=16), default=EmployeeStatus.AVAILABLE
    )
    self_registered: Mapped[bool] = mapped_column(Boolean, default=False)
    hr_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    consent_given_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    firm: Mapped["Firm"] = relationship()  # noqa: F821
    user: Mapped["User | None"] = relationship()  # noqa: F821
    commune: Mapped[Commune] = relationship()
    skills: Mapped[list["EmployeeSkill"]] = relationship(
        back_populates="employee", cascade="all, delete-orphan"
    )
    consents: Mapped[list["ConsentEvent"]] = relationship(
        back_populates="employee", order_by="ConsentEvent.at", cascade="all, delete-orphan"
    )

    @validates("first_name", "last_name", "job_title")
    def _refresh_search_text(self, key: str, value: str) -> str:
        parts = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "job_title": self.job_title,
            key: value,
        }
        self.search_text = fold(" ".join(part for part in parts.values() if part))
        return value

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_consented(self) -> bool:
        return self.consent_given_at is not None

    @property
    def monthly_cost_cents(self) -> int | None:
        parts = (self.gross_salary_cents, self.employer_charges_cents, self.expenses_cents)
        return None if None in parts else sum(parts)

    @property
    def is_matchable(self) -> bool:
        """Only a consenting, confirmed, available profile with its costs enters matching."""
        return (
            self.status == EmployeeStatus.AVAILABLE
            and self.has_consented
            and self.hr_confirmed_at is not None
            and self.monthly_cost_cents is not None
        )


class EmployeeSkill(db.Model):
    __tablename__ = "employee_skill"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
        # Who holds a skill at a level or above (the dashboard's supply of skills).
        Index("ix_employee_skill_supply", "skill_id", "level", "employee_id"),
    )

    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)

    employee: Mapped[Employee] = relationship(back_populates="skills")
    skill: Mapped["Skill"] = relationship()  # noqa: F821


class ConsentEvent(db.Model):
    """The history of the employee's consent: each given or withdrawn, timestamped (UTC)."""

    __tablename__ = "consent_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    given: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    notice_version: Mapped[str] = mapped_column(String(20))

    employee: Mapped[Employee] = relationship(back_populates="consents")


class Invitation(db.Model):
    """A single-use, expiring link sent by HR so the employee can open their account."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    employee: Mapped[Employee] = relationship()
