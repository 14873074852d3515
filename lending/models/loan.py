"""Loans (from signed agreement to return to post), monthly billing statements, feedback."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow


class LoanStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # signed, start date not reached
    ACTIVE = "active"
    ENDED = "ended"  # the employee is back, or due back, at the lender


LOAN_STATUS_LABELS = {
    LoanStatus.SCHEDULED: _l("Signé, commence bientôt"),
    LoanStatus.ACTIVE: _l("En cours"),
    LoanStatus.ENDED: _l("Terminé"),
}


class EarlyEnd(enum.StrEnum):
    """Why a loan ended before its planned date: the categories the dashboard counts."""

    MISSION_DONE = "mission_done"
    LENDER_RECALL = "lender_recall"
    HOST_REQUEST = "host_request"
    EMPLOYEE_REQUEST = "employee_request"
    HIRED = "hired"
    HEALTH = "health"
    OTHER = "other"


EARLY_END_LABELS = {
    EarlyEnd.MISSION_DONE: _l("Mission accomplie plus tôt que prévu"),
    EarlyEnd.LENDER_RECALL: _l("Rappel par l'entreprise prêteuse (reprise d'activité)"),
    EarlyEnd.HOST_REQUEST: _l("À la demande de l'entreprise d'accueil"),
    EarlyEnd.EMPLOYEE_REQUEST: _l("À la demande du salarié"),
    EarlyEnd.HIRED: _l("Embauche du salarié"),
    EarlyEnd.HEALTH: _l("Raison de santé ou inaptitude"),
    EarlyEnd.OTHER: _l("Autre motif"),
}


class Loan(db.Model):
    """A secondment under a signed agreement. At most one scheduled or active loan per
    employee (partial unique index)."""

    __tablename__ = "loan"
    __table_args__ = (
        Index(
            "uq_loan_one_running_per_employee",
            "employee_id",
            unique=True,
            sqlite_where=text("status IN ('SCHEDULED', 'ACTIVE')"),
            postgresql_where=text("status IN ('SCHEDULED', 'ACTIVE')"),
        ),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index("ix_loan_scheme_dates", "scheme_id", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), unique=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    lender_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    host_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id"), index=True)
    status: Mapped[LoanStatus] = mapped_column(
        Enum(LoanStatus, native_enum=False, length=16), default=LoanStatus.SCHEDULED
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)  # the planned end, moved by an extension
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_on: Mapped[date | None] = mapped_column(Date)
    ended_early: Mapped[bool] = mapped_column(Boolean, default=False)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    # Set with ended_early (loans ended early before categories existed: OTHER).
    end_category: Mapped[EarlyEnd | None] = mapped_column(
        Enum(EarlyEnd, native_enum=False, length=30)
    )
    returned_on: Mapped[date | None] = mapped_column(Date)
    return_note: Mapped[str] = mapped_column(Text, default="")
    twelve_months_on: Mapped[date | None] = mapped_column(Date)  # flagged when reached
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agreement: Mapped["Agreement"] = relationship()  # noqa: F821
    employee: Mapped["Employee"] = relationship()  # noqa: F821
    statements: Mapped[list["BillingStatement"]] = relationship(
        back_populates="loan", order_by="BillingStatement.month"
    )
    events: Mapped[list["LoanEvent"]] = relationship(
        back_populates="loan", order_by="(LoanEvent.at, LoanEvent.id)"
    )

    @property
    def status_label(self):
        return LOAN_STATUS_LABELS[self.status]


class LoanEvent(db.Model):
    """The loan's timeline: signed, started, extended, ended, returned, 12 months reached..."""

    __tablename__ = "loan_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    on_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    loan: Mapped[Loan] = relationship(back_populates="events")


class PaymentStatus(enum.StrEnum):
    """Where a statement stands with the host: issued (awaiting payment), paid, contested."""

    ISSUED = "issued"
    PAID = "paid"
    CONTESTED = "contested"


class BillingStatement(db.Model):
    """What the lender bills the host for one month of a loan, in cents. Salary, charges
    and expenses are those the lender really paid for the days on loan (the month's latest
    MonthlyActual when issued); `billed_cents` equals their sum under the cost-price regime
    and may be lower only under a regime that allows it.

    Numbered per lender and calendar year of issue ("2027-0001"): the unique constraint on
    (lender, year, sequence) is what keeps two statements issued at once from sharing a
    number (see services/deals/statements.py)."""

    __tablename__ = "billing_statement"
    __table_args__ = (
        UniqueConstraint("loan_id", "month"),
        UniqueConstraint("lender_firm_id", "number_year", "number_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    lender_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"))
    number_year: Mapped[int] = mapped_column(Integer)
    number_seq: Mapped[int] = mapped_column(Integer)
    issue_date: Mapped[date] = mapped_column(Date)  # Paris calendar date
    convention_ref: Mapped[str] = mapped_column(String(60))  # "n° 12, version 2"
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    days_on_loan: Mapped[int] = mapped_column(Integer)
    days_in_month: Mapped[int] = mapped_column(Integer)
    working_days: Mapped[int] = mapped_column(Integer)  # Monday-Friday on loan, holidays out
    hours_on_loan: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    salary_cents: Mapped[int] = mapped_column(Integer)
    charges_cents: Mapped[int] = mapped_column(Integer)
    expenses_cents: Mapped[int] = mapped_column(Integer)
    cost_cents: Mapped[int] = mapped_column(Integer)
    billed_cents: Mapped[int] = mapped_column(Integer)
    regime: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    payment_status: Mapped[PaymentStatus] = mapped_column(
        Enum(PaymentStatus, native_enum=False, length=16), default=PaymentStatus.ISSUED
    )
    paid_on: Mapped[date | None] = mapped_column(Date)
    contest_reason: Mapped[str] = mapped_column(Text, default="")
    status_at: Mapped[datetime | None] = mapped_column(DateTime)  # last change by the host
    status_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    loan: Mapped[Loan] = relationship(back_populates="statements")

    @property
    def number(self) -> str:
        return f"{self.number_year}-{self.number_seq:04d}"


class ActualSource(enum.StrEnum):
    FORM = "form"
    CSV = "csv"
    XLSX = "xlsx"
    STATEMENT = "statement"  # taken over from a statement issued before actuals existed


ACTUAL_SOURCE_LABELS = {
    ActualSource.FORM: _l("saisie"),
    ActualSource.CSV: _l("import CSV"),
    ActualSource.XLSX: _l("import XLSX"),
    ActualSource.STATEMENT: _l("repris du relevé émis"),
}


class MonthlyActual(db.Model):
    """What the lender really paid for one month of a loan, for the days on loan: gross pay,
    employer charges, expenses reimbursed, in cents. Append-only: each change is a new row
    with the next `version` (who, when, how); the month's figures are its latest version,
    and the earlier ones are its history. The unique (loan, month, version) turns two
    changes made at once into one saved, one refused."""

    __tablename__ = "monthly_actual"
    __table_args__ = (
        UniqueConstraint("loan_id", "month", "version"),
        CheckConstraint(
            "salary_cents >= 0 AND charges_cents >= 0 AND expenses_cents >= 0",
            name="amounts_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    version: Mapped[int] = mapped_column(Integer)
    salary_cents: Mapped[int] = mapped_column(Integer)
    charges_cents: Mapped[int] = mapped_column(Integer)
    expenses_cents: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[ActualSource] = mapped_column(Enum(ActualSource, native_enum=False, length=16))
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    entered_by: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def cost_cents(self) -> int:
        return self.salary_cents + self.charges_cents + self.expenses_cents

    @property
    def source_label(self):
        return ACTUAL_SOURCE_LABELS[self.source]


class Feedback(db.Model):
    """End-of-loan feedback of one party (short and optional), for the scheme's indicators."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("loan_id", "party"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(16))  # employee, lender, host
    rating: Mapped[int] = mapped_column(Integer)
    would_repeat: Mapped[bool | None] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
