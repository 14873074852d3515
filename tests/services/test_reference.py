"""Reference data: the shipped files, the loader and the look-ups used by the forms."""

from collections import defaultdict

import pytest
from sqlalchemy import func, select

from lending.extensions import db
from lending.models.reference import (
    Commune,
    Departement,
    NafCode,
    NafDivision,
    NafSection,
    PostalCode,
    Region,
)
from lending.reference.loader import SOURCES, load_reference, read_rows, reference_is_loaded
from lending.services.reference import (
    communes_for_postal_code,
    departement_choices,
    naf_choices,
    naf_section_choices,
    normalise_naf,
    sort_key,
)

MODELS = (Region, Departement, Commune, PostalCode, NafSection, NafDivision, NafCode)
# (lat min, lat max, lon min, lon max)
BOUNDS = {
    "metro": (41.3, 51.2, -5.3, 9.7),
    "971": (15.8, 16.6, -61.9, -60.9),
    "972": (14.3, 14.95, -61.3, -60.75),
    "973": (2.0, 6.0, -54.7, -51.5),
    "974": (-21.5, -20.8, 55.2, 55.9),
    "976": (-13.1, -12.5, 44.9, 45.4),
}


def rows(filename: str) -> list[dict]:
    columns = next(columns for _, name, columns in SOURCES if name == filename)
    return list(read_rows(filename, columns))


# ------------------------------------------------------------------ the shipped files
def test_files_hold_the_regions_and_departements():
    regions = {row["code"] for row in rows("regions.csv")}
    departements = rows("departements.csv")
    codes = {row["code"] for row in departements}
    assert len(regions) == 18
    assert len(codes) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= codes
    assert "20" not in codes
    assert {row["region_code"] for row in departements} == regions


def test_every_commune_has_a_departement_and_a_point_in_france():
    departements = {row["code"] for row in rows("departements.csv")}
    communes = rows("communes.csv.gz")
    assert len(communes) > 34_000
    for commune in communes:
        dep = commune["departement_code"]
        assert dep in departements, commune
        lat_min, lat_max, lon_min, lon_max = BOUNDS[dep if len(dep) == 3 else "metro"]
        assert lat_min <= commune["latitude"] <= lat_max, commune
        assert lon_min <= commune["longitude"] <= lon_max, commune
        assert commune["coord_source"] in {"mairie", "geonames", "contour", "postal", "centroid"}


def test_most_communes_have_an_exact_point():
    communes = rows("communes.csv.gz")
    exact = sum(commune["coord_source"] == "mairie" for commune in communes)
    assert exact / len(communes) > 0.9


def test_every_commune_has_a_postal_code_and_every_postal_code_a_commune():
    communes = {row["insee"] for row in rows("communes.csv.gz")}
    served = {row["commune_insee"] for row in rows("postal_codes.csv.gz")}
    assert served == communes


# ------------------------------------------------------------------ postal codes
@pytest.mark.usefixtures("app")
def test_agen_has_postal_code_47000():
    agen = db.session.get(Commune, "47001")
    assert agen.name == "Agen"
    assert agen.departement.region.name == "Nouvelle-Aquitaine"
    assert "47000" in {postal.code for postal in agen.postal_codes}
    assert [c.insee for c in communes_for_postal_code("47000")] == ["47001"]


@pytest.mark.usefixtures("app")
def test_a_shared_postal_code_returns_every_commune_sorted_by_name():
    served = defaultdict(set)
    for row in rows("postal_codes.csv.gz"):
        served[row["code"]].add(row["commune_insee"])
    code, expected = max(served.items(), key=lambda item: (len(item[1]), item[0]))
    assert len(expected) > 10
    communes = communes_for_postal_code(code)
    assert {c.insee for c in communes} == expected
    names = [sort_key(c.name) for c in communes]
    assert names == sorted(names)


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(
    ("code", "insee"),
    [("75011", "75056"), ("75116", "75056"), ("13001", "13055"), ("69003", "69123")],
)
def test_arrondissement_postal_codes_lead_to_their_commune(code, insee):
    assert [c.insee for c in communes_for_postal_code(code)] == [insee]


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("code", ["", "4700", "470000", "ABCDE", "00000"])
def test_unknown_postal_codes_return_nothing(code):
    assert communes_for_postal_code(code) == []


@pytest.mark.usefixtures("app")
def test_postal_code_with_spaces_is_accepted():
    assert [c.insee for c in communes_for_postal_code(" 47 000 ")] == ["47001"]


# ------------------------------------------------------------------ choices
@pytest.mark.usefixtures("app")
def test_departement_choices_put_corsica_in_place():
    codes = [code for code, _ in departement_choices()]
    assert len(codes) == 101
    assert codes.index("19") + 1 == codes.index("2A") == codes.index("2B") - 1
    assert codes.index("2B") + 1 == codes.index("21")
    assert codes[-5:] == ["971", "972", "973", "974", "976"]
    assert ("47", "47 – Lot-et-Garonne") in departement_choices()


@pytest.mark.usefixtures("app")
def test_naf_choices_and_sections():
    choices = naf_choices()
    assert len(choices) == 732
    assert ("10.71C", "10.71C – Boulangerie et boulangerie-pâtisserie") in choices
    sections = naf_section_choices()
    assert len(sections) == 21
    assert ("C", "C – Industrie manufacturière") in sections


# ------------------------------------------------------------------ NAF
@pytest.mark.usefixtures("app")
def test_naf_1071c_is_in_section_c_division_10():
    naf = db.session.get(NafCode, "10.71C")
    assert naf.label == "Boulangerie et boulangerie-pâtisserie"
    assert naf.division == "10"
    assert naf.section_code == "C"
    assert naf.section.label == "Industrie manufacturière"


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("text", ["10.71C", "1071C", "10.71c", "10.71 C", " 10 71 c ", "1071c"])
def test_normalise_naf_accepts_the_usual_spellings(text):
    assert normalise_naf(text) == "10.71C"


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("text", [None, "", "10.71", "99.99Z", "10.71CC", "1O.71C", "C"])
def test_normalise_naf_rejects_unknown_codes(text):
    assert normalise_naf(text) is None


# ------------------------------------------------------------------ loader
def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in MODELS
    }


@pytest.mark.usefixtures("app")
def test_loader_is_idempotent():
    before = _counts()
    assert before["commune"] == len(rows("communes.csv.gz"))
    assert before["postal_code"] == len(rows("postal_codes.csv.gz"))
    assert before["naf_code"] == len(rows("naf_codes.csv"))
    assert before["naf_division"] == len(rows("naf_divisions.csv")) == 88
    inserted = load_reference(db.session)
    db.session.commit()
    assert inserted == {name: 0 for name in before}
    assert _counts() == before
    assert reference_is_loaded(db.session)


@pytest.mark.usefixtures("app")
def test_loader_updates_changed_rows_and_never_deletes():
    agen = db.session.get(Commune, "47001")
    agen.name, agen.latitude = "Agen (modifié)", 0.0
    db.session.add(
        Commune(
            insee="47999",
            name="Hors fichier",
            departement_code="47",
            latitude=44.2,
            longitude=0.6,
            coord_source="mairie",
        )
    )
    db.session.commit()
    try:
        inserted = load_reference(db.session)
        db.session.commit()
        assert sum(inserted.values()) == 0
        db.session.expire_all()
        agen = db.session.get(Commune, "47001")
        assert (agen.name, round(agen.latitude, 2)) == ("Agen", 44.2)
        assert db.session.get(Commune, "47999") is not None
    finally:
        db.session.delete(db.session.get(Commune, "47999"))
        db.session.commit()
