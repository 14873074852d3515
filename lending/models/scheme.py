"""Territorial schemes and firms' enrolment in them."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow
from lending.models.reference import Departement
from lending.models.user import scheme_staff

scheme_departement = db.Table(
    "scheme_departement",
    db.Column("scheme_id", ForeignKey("scheme.id", ondelete="CASCADE"), primary_key=True),
    db.Column("departement_code", ForeignKey("departement.code"), primary_key=True),
)


class Scheme(db.Model):
    __tablename__ = "scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Eligible sectors: NAF section letters ("C") or two-digit divisions ("10"), space-separated.
    sectors: Mapped[str] = mapped_column(String(400))
    default_max_commute_km: Mapped[int] = mapped_column(Integer)
    max_loan_months: Mapped[int] = mapped_column(Integer)
    proposal_deadline_days: Mapped[int] = mapped_column(Integer)
    matching_cron: Mapped[str] = mapped_column(String(100))
    # Matching settings: weights of the score components (relative, 0..100), the extra
    # weight of an at-risk employee left unmatched (% of one perfect pair), the share of a
    # need's dates an employee must cover, and the longest a round may compute.
    weight_skills: Mapped[int] = mapped_column(Integer, default=40, server_default="40")
    weight_distance: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    weight_dates: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    weight_cost: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    weight_priority: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    at_risk_bonus_pct: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    min_date_coverage_pct: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    round_time_limit_s: Mapped[int] = mapped_column(Integer, default=300, server_default="300")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    departements: Mapped[list[Departement]] = relationship(
        secondary=scheme_departement, order_by=Departement.code
    )
    staff: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary=scheme_staff, back_populates="schemes"
    )
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="scheme")

    @property
    def sector_list(self) -> list[str]:
        return self.sectors.split()

    @property
    def departement_codes(self) -> set[str]:
        return {d.code for d in self.departements}


class EnrolmentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


ENROLMENT_STATUS_LABELS = {
    EnrolmentStatus.PENDING: _l("En attente de validation"),
    EnrolmentStatus.APPROVED: _l("Acceptée"),
    EnrolmentStatus.REJECTED: _l("Refusée"),
}


class Enrolment(db.Model):
    """A firm's application to a scheme; only approved firms take part in rounds."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("firm_id", "scheme_id"),
        # A scheme's approved firms read from the index alone (the dashboard, the desk).
        Index("ix_enrolment_scheme_status", "scheme_id", "status", "firm_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id", ondelete="CASCADE"))
    status: Mapped[EnrolmentStatus] = mapped_column(
        Enum(EnrolmentStatus, native_enum=False, length=16), default=EnrolmentStatus.PENDING
    )
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    applied_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(String(1000))

    firm: Mapped["Firm"] = relationship(back_populates="enrolments")  # noqa: F821
    scheme: Mapped[Scheme] = relationship(back_populates="enrolments")

    @property
    def status_label(self):
        return ENROLMENT_STATUS_LABELS[self.status]
