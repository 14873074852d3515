"""Reference data shipped with the project: territory (COG) and NAF rév. 2."""

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db


class Region(db.Model):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))

    departements: Mapped[list["Departement"]] = relationship(back_populates="region")


class Departement(db.Model):
    __tablename__ = "departement"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)  # "47", "2A", "974"
    name: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)

    region: Mapped[Region] = relationship(back_populates="departements")

    @property
    def label(self) -> str:
        return f"{self.code} – {self.name}"


class Commune(db.Model):
    """A current commune (INSEE code) with the point used for commute distances.

    `coord_source` says where the point comes from: "mairie" (town hall, checked against
    the IGN boundary), "geonames", "contour" (centre of the boundary), "postal" (mean of
    the communes sharing its postal code) or "centroid". See ATTRIBUTION.md.
    """

    __tablename__ = "commune"

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    departement_code: Mapped[str] = mapped_column(ForeignKey("departement.code"), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    coord_source: Mapped[str] = mapped_column(String(12))

    departement: Mapped[Departement] = relationship()
    postal_codes: Mapped[list["PostalCode"]] = relationship(back_populates="commune")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.departement_code})"


class PostalCode(db.Model):
    """Postal code → commune: one postal code may serve several communes and vice versa."""

    __tablename__ = "postal_code"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), primary_key=True)

    commune: Mapped[Commune] = relationship(back_populates="postal_codes")


class NafSection(db.Model):
    __tablename__ = "naf_section"

    code: Mapped[str] = mapped_column(String(1), primary_key=True)  # "C"
    label: Mapped[str] = mapped_column(String(200))


class NafDivision(db.Model):
    """A NAF rév. 2 division such as "10" (Industries alimentaires), within its section."""

    __tablename__ = "naf_division"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    section_code: Mapped[str] = mapped_column(ForeignKey("naf_section.code"))


class NafCode(db.Model):
    """A NAF rév. 2 sub-class such as "10.71C", with its division ("10") and section ("C")."""

    __tablename__ = "naf_code"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    label: Mapped[str] = mapped_column(String(250))
    division: Mapped[str] = mapped_column(String(2), index=True)
    section_code: Mapped[str] = mapped_column(ForeignKey("naf_section.code"), index=True)

    section: Mapped[NafSection] = relationship()

    @property
    def display(self) -> str:
        return f"{self.code} – {self.label}"
