"""Background tasks: work that can outlast a request, queued in the database and carried
out by `flask lending worker` processes (lending/worker.py, lending/services/tasks.py)."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow


class TaskStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Task(db.Model):
    """One piece of work. A worker takes a queued task (status RUNNING, its name, a
    heartbeat every few seconds from a thread of its own); a task whose heartbeat stops is
    marked failed by the next worker or scheduler that looks (`tasks.reap`)."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_queue", "status", "run_after"),
        # At most one queued task per key: a scheduled round waiting for its scheme.
        Index(
            "uq_task_queued_key",
            "dedupe_key",
            unique=True,
            sqlite_where=text("status = 'QUEUED'"),
            postgresql_where=text("status = 'QUEUED'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # an uploaded file
    dedupe_key: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[TaskStatus] = mapped_column(
        Enum(TaskStatus, native_enum=False, length=16), default=TaskStatus.QUEUED
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    run_after: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    worker: Mapped[str | None] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(40))
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)

    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def finished(self) -> bool:
        return self.status in (TaskStatus.DONE, TaskStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))
