"""Firms (lenders and hosts alike)."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow
from lending.models.reference import Commune, NafCode


class Firm(db.Model):
    __tablename__ = "firm"

    id: Mapped[int] = mapped_column(primary_key=True)
    siret: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    naf_code: Mapped[str] = mapped_column(ForeignKey("naf_code.code"), index=True)
    address_line: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(5))
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), index=True)
    # Given by HR to employees who sign up on their own (see services/volunteering.py).
    enrolment_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    naf: Mapped[NafCode] = relationship()
    commune: Mapped[Commune] = relationship()
    users: Mapped[list["User"]] = relationship(back_populates="firm")  # noqa: F821
    enrolments: Mapped[list["Enrolment"]] = relationship(  # noqa: F821
        back_populates="firm", order_by="Enrolment.applied_at.desc()"
    )

    @property
    def departement_code(self) -> str:
        return self.commune.departement_code

    @property
    def siret_display(self) -> str:
        s = self.siret
        return f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"
