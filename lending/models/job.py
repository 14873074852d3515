"""Claims of scheduled job slots: a second scheduler, or a re-run, finds the slot taken."""

from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lending.extensions import db
from lending.models._time import utcnow


class JobClaim(db.Model):
    __tablename__ = "job_claim"
    __table_args__ = (UniqueConstraint("job", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    slot: Mapped[str] = mapped_column(String(40))  # the scheduled time, to the minute (UTC)
    claimed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
