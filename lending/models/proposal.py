"""Matching rounds and the proposals they write.

Two invariants live in the schema (partial unique indexes, on SQLite and PostgreSQL alike):
one running round per scheme, and one live (pending or accepted) proposal per employee, so
two hosts can never hold the same employee.
"""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow


class RoundStatus(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ROUND_STATUS_LABELS = {
    RoundStatus.RUNNING: _l("En cours"),
    RoundStatus.DONE: _l("Terminé"),
    RoundStatus.FAILED: _l("Échoué"),
}

ROUND_STAGE_LABELS = {
    "queued": _l("En attente de démarrage"),
    "snapshot": _l("Lecture des profils et des besoins"),
    "solving": _l("Calcul des rapprochements"),
    "writing": _l("Enregistrement des propositions"),
    "done": _l("Terminé"),
    "failed": _l("Échoué"),
}


class MatchingRound(db.Model):
    """One round of a scheme: a status row, its figures, and the proposals it wrote.

    The proposals and the final figures are written in one transaction; only `stage` is
    committed along the way, so a killed round leaves a running row with no proposal, which
    is marked failed once its task's heartbeat stops (or, for a round run by a command,
    its own heartbeat).
    """

    __tablename__ = "matching_round"
    __table_args__ = (
        Index(
            "uq_matching_round_one_running",
            "scheme_id",
            unique=True,
            sqlite_where=text("status = 'RUNNING'"),
            postgresql_where=text("status = 'RUNNING'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id", ondelete="CASCADE"), index=True)
    status: Mapped[RoundStatus] = mapped_column(
        Enum(RoundStatus, native_enum=False, length=16), default=RoundStatus.RUNNING
    )
    stage: Mapped[str] = mapped_column(String(20), default="queued")
    trigger: Mapped[str] = mapped_column(String(20))  # site, command, schedule
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The worker's task carrying the round out: when its heartbeat stops, the round fails.
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    employees: Mapped[int | None] = mapped_column(Integer)
    needs: Mapped[int | None] = mapped_column(Integer)
    positions: Mapped[int | None] = mapped_column(Integer)
    kept: Mapped[int | None] = mapped_column(Integer)  # live proposals of earlier rounds
    feasible_pairs: Mapped[int | None] = mapped_column(Integer)
    proposals_count: Mapped[int | None] = mapped_column(Integer)
    components: Mapped[int | None] = mapped_column(Integer)
    total_score: Mapped[int | None] = mapped_column(Integer)
    at_risk_rate: Mapped[float | None] = mapped_column(Float)
    others_rate: Mapped[float | None] = mapped_column(Float)
    seconds_snapshot: Mapped[float | None] = mapped_column(Float)
    seconds_engine: Mapped[float | None] = mapped_column(Float)
    seconds_write: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)

    scheme: Mapped["Scheme"] = relationship()  # noqa: F821
    unmatched_needs: Mapped[list["UnmatchedNeed"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="UnmatchedNeed.need_id"
    )

    @property
    def status_label(self):
        return ROUND_STATUS_LABELS[self.status]

    @property
    def stage_label(self):
        return ROUND_STAGE_LABELS.get(self.stage, self.stage)

    @property
    def seconds_total(self) -> float | None:
        parts = (self.seconds_snapshot, self.seconds_engine, self.seconds_write)
        return None if None in parts else sum(parts)


class UnmatchedNeed(db.Model):
    """A need left with open positions by a round, and the main reason why."""

    __tablename__ = "unmatched_need"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("matching_round.id", ondelete="CASCADE"), primary_key=True
    )
    need_id: Mapped[int] = mapped_column(
        ForeignKey("need.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    open_positions: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))

    round: Mapped[MatchingRound] = relationship(back_populates="unmatched_needs")
    need: Mapped["Need"] = relationship()  # noqa: F821

    @property
    def reason_label(self):
        return UNMATCHED_REASON_LABELS.get(self.reason, self.reason)


class ProposalStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the three parties
    ACCEPTED = "accepted"  # all three accepted: the loan agreement comes next
    REFUSED = "refused"  # one party refused (the reason is never asked)
    EXPIRED = "expired"  # the deadline passed before all three answered
    CANCELLED = "cancelled"  # consent withdrawn, employee or need taken off the market
    COMPLETED = "completed"  # the loan it led to is over: the employee may be proposed again


LIVE_STATUSES = (ProposalStatus.PENDING, ProposalStatus.ACCEPTED)
# Closed without all three accepting. The parties see them all alike, under one label
# (authz.proposal_status_label): nobody learns who declined, or whether anybody did.
UNCONCLUDED_STATUSES = (ProposalStatus.REFUSED, ProposalStatus.EXPIRED, ProposalStatus.CANCELLED)
UNCONCLUDED_LABEL = _l("Close sans suite")

PROPOSAL_STATUS_LABELS = {
    ProposalStatus.PENDING: _l("En attente de réponses"),
    ProposalStatus.ACCEPTED: _l("Acceptée par les trois parties"),
    ProposalStatus.REFUSED: _l("Déclinée"),
    ProposalStatus.EXPIRED: _l("Expirée"),
    ProposalStatus.CANCELLED: _l("Annulée"),
    ProposalStatus.COMPLETED: _l("Prêt terminé"),
}


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"


class Party(enum.StrEnum):
    EMPLOYEE = "employee"
    LENDER = "lender"
    HOST = "host"


class Proposal(db.Model):
    """A proposed secondment of one employee to one need, with why it was proposed.

    `lender_firm_id` and `host_firm_id` are copied from the employee and the need so access
    rules are plain column comparisons. Score components are in [0, 1].
    """

    __tablename__ = "proposal"
    __table_args__ = (
        Index(
            "uq_proposal_live_employee",
            "employee_id",
            unique=True,
            sqlite_where=text("status IN ('PENDING', 'ACCEPTED')"),
            postgresql_where=text("status IN ('PENDING', 'ACCEPTED')"),
        ),
        # The dashboard's counts of proposals by month, status and firm read this index
        # alone, not the wide rows; and the proposals of a need by status, with when each
        # was made and answered (time to match, positions left without a proposal).
        Index(
            "ix_proposal_dashboard",
            "scheme_id",
            "created_at",
            "host_firm_id",
            "lender_firm_id",
            "employee_id",
            "status",
        ),
        Index(
            "ix_proposal_need",
            "need_id",
            "scheme_id",
            "status",
            "created_at",
            "employee_decided_at",
            "lender_decided_at",
            "host_decided_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("matching_round.id", ondelete="CASCADE"), index=True
    )
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    lender_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    host_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    status: Mapped[ProposalStatus] = mapped_column(
        Enum(ProposalStatus, native_enum=False, length=16), default=ProposalStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    score: Mapped[float] = mapped_column(Float)
    skills_score: Mapped[float] = mapped_column(Float)
    distance_score: Mapped[float] = mapped_column(Float)
    dates_score: Mapped[float] = mapped_column(Float)
    cost_score: Mapped[float] = mapped_column(Float)
    priority_score: Mapped[float] = mapped_column(Float)
    distance_km: Mapped[float] = mapped_column(Float)
    skills_met: Mapped[int] = mapped_column(Integer)
    skills_asked: Mapped[int] = mapped_column(Integer)

    employee_decision: Mapped[Decision | None] = mapped_column(
        Enum(Decision, native_enum=False, length=16)
    )
    employee_decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    lender_decision: Mapped[Decision | None] = mapped_column(
        Enum(Decision, native_enum=False, length=16)
    )
    lender_decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    lender_decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    host_decision: Mapped[Decision | None] = mapped_column(
        Enum(Decision, native_enum=False, length=16)
    )
    host_decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    host_decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    round: Mapped[MatchingRound] = relationship()
    scheme: Mapped["Scheme"] = relationship()  # noqa: F821
    employee: Mapped["Employee"] = relationship()  # noqa: F821
    need: Mapped["Need"] = relationship()  # noqa: F821
    lender_firm: Mapped["Firm"] = relationship(foreign_keys=[lender_firm_id])  # noqa: F821
    host_firm: Mapped["Firm"] = relationship(foreign_keys=[host_firm_id])  # noqa: F821

    @property
    def status_label(self):
        return PROPOSAL_STATUS_LABELS[self.status]

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == ProposalStatus.ACCEPTED

    @property
    def all_accepted(self) -> bool:
        """The three parties accepted (the proposal may since have led to a loan, or to an
        agreement given up)."""
        return all(getattr(self, f"{p.value}_decision") == Decision.ACCEPTED for p in Party)


UNMATCHED_REASON_LABELS = {
    "no_one_in_commute": _l("Aucun salarié d'une autre entreprise dans sa zone de trajet"),
    "missing_skill": _l("Compétence obligatoire absente chez les salariés proches"),
    "dates": _l("Disponibilités trop courtes pour les dates du besoin"),
    "budget": _l("Coût des candidats au-delà du budget"),
    "excluded": _l("Candidats ayant déjà décliné ou laissé expirer ce besoin"),
    "competition": _l("Candidats retenus pour d'autres besoins mieux ajustés"),
}
