"""Skills taxonomy: families, skills with synonyms, job titles and their typical skills.

Skills come from the starter taxonomy shipped in lending/reference/data/skills/ (source
"starter", codes such as "AERO-012") or from an import of the ROME open-data files (source
"rome", code = the OGR code of the item). `search_text` holds the normalised label and
synonyms (lower case, no accents, punctuation turned into spaces) that the pickers search.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db

SOURCE_STARTER = "starter"
SOURCE_ROME = "rome"
SYNONYM_SEPARATOR = " | "

SKILL_LEVELS = {
    1: _l("Notions"),
    2: _l("Autonome"),
    3: _l("Maîtrise"),
    4: _l("Expert"),
}


job_title_skill = db.Table(
    "job_title_skill",
    db.Column("job_title_id", ForeignKey("job_title.id", ondelete="CASCADE"), primary_key=True),
    db.Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class SkillFamily(db.Model):
    __tablename__ = "skill_family"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)  # "AERO", "ROME-3"
    label: Mapped[str] = mapped_column(String(200))

    skills: Mapped[list["Skill"]] = relationship(back_populates="family")


class Skill(db.Model):
    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # stable: "AERO-012", "100293"
    label: Mapped[str] = mapped_column(String(200))
    family_code: Mapped[str] = mapped_column(ForeignKey("skill_family.code"), index=True)
    synonyms: Mapped[str] = mapped_column(Text, default="")  # "TIG | GTAW | soudure TIG"
    search_text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_STARTER)

    family: Mapped[SkillFamily] = relationship(back_populates="skills")

    def __repr__(self) -> str:
        return f"<Skill {self.code} {self.label!r}>"


class JobTitle(db.Model):
    __tablename__ = "job_title"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "MET-001", ROME "H2913"
    label: Mapped[str] = mapped_column(String(200))
    search_text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_STARTER)

    skills: Mapped[list[Skill]] = relationship(secondary=job_title_skill, order_by=Skill.label)

    def __repr__(self) -> str:
        return f"<JobTitle {self.code} {self.label!r}>"
