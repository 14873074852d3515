"""Needs (demand) declared by host firms, with the skills they require."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow
from lending.models.reference import Commune


class NeedStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Need(db.Model):
    """Positions a host firm wants to fill; the positions of one need are interchangeable."""

    __tablename__ = "need"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint("positions >= 1", name="positions_positive"),
        # The dashboard's counts of needs by posting date, firm and state read this index.
        Index("ix_need_dashboard", "created_at", "firm_id", "end_date", "closed_at", "positions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    missions: Mapped[str] = mapped_column(Text)
    positions: Mapped[int] = mapped_column(Integer, default=1)
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    monthly_budget_cents: Mapped[int | None] = mapped_column(Integer)
    # Post risks (legal.md §3): answered yes/no, with the PPE the host supplies.
    risky_post: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_surveillance: Mapped[bool] = mapped_column(Boolean, default=False)
    ppe: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[NeedStatus] = mapped_column(
        Enum(NeedStatus, native_enum=False, length=16), default=NeedStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    firm: Mapped["Firm"] = relationship()  # noqa: F821
    commune: Mapped[Commune] = relationship()
    skills: Mapped[list["NeedSkill"]] = relationship(
        back_populates="need", cascade="all, delete-orphan"
    )


class NeedSkill(db.Model):
    __tablename__ = "need_skill"
    __table_args__ = (CheckConstraint("min_level BETWEEN 1 AND 4", name="level_range"),)

    need_id: Mapped[int] = mapped_column(
        ForeignKey("need.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True, index=True)
    min_level: Mapped[int] = mapped_column(Integer)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=True)

    need: Mapped[Need] = relationship(back_populates="skills")
    skill: Mapped["Skill"] = relationship()  # noqa: F821
