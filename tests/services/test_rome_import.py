"""ROME 4.0 open-data import, on small files in the official format (tests/fixtures/rome/)."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete, func, or_, select

from lending.extensions import db
from lending.models.skills import SOURCE_ROME, JobTitle, Skill, SkillFamily, job_title_skill
from lending.reference.rome import import_rome
from lending.services.errors import ServiceError
from lending.services.skills import (
    get_skills_by_codes,
    search_job_titles,
    search_skills,
    typical_skills,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rome"
COMPETENCES = "unix_referentiel_competence_v461_utf8.csv"


@pytest.fixture
def rome(app):
    """Removes what an import wrote: the skills tables are kept between tests."""
    yield
    db.session.rollback()
    rome_jobs = select(JobTitle.id).where(JobTitle.source == SOURCE_ROME)
    rome_skills = select(Skill.id).where(Skill.source == SOURCE_ROME)
    db.session.execute(
        delete(job_title_skill).where(
            or_(
                job_title_skill.c.job_title_id.in_(rome_jobs),
                job_title_skill.c.skill_id.in_(rome_skills),
            )
        )
    )
    db.session.execute(delete(JobTitle).where(JobTitle.source == SOURCE_ROME))
    db.session.execute(delete(Skill).where(Skill.source == SOURCE_ROME))
    db.session.execute(delete(SkillFamily).where(SkillFamily.code.like("ROME%")))
    db.session.commit()


@pytest.fixture
def files(tmp_path) -> Path:
    """A copy of the fixture files that a test may change."""
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rome_counts() -> tuple[int, int, int]:
    count = db.session.scalar
    return (
        count(select(func.count()).select_from(Skill).where(Skill.source == SOURCE_ROME)),
        count(select(func.count()).select_from(JobTitle).where(JobTitle.source == SOURCE_ROME)),
        count(select(func.count()).select_from(job_title_skill)),
    )


@pytest.mark.usefixtures("rome")
def test_import_reads_skills_families_job_titles_and_links():
    counts = import_rome(db.session, FIXTURES)
    db.session.commit()
    assert counts == {
        "skill_family": 3,
        "skill": 7,
        "skill_updated": 0,
        "job_title": 2,
        "job_title_updated": 0,
        "job_title_skill": 8,
        "links_ignored": 1,  # an item that is not a skill (a work context, say)
        "labels_truncated": 0,
    }
    arc = get_skills_by_codes(["900101"])["900101"]
    assert (arc.label, arc.source) == ("Réaliser une soudure à l'arc électrique", "rome")
    assert arc.family.code == "ROME-3"
    assert arc.family.label == "ROME – Production, Construction, Qualité, Logistique"
    found = get_skills_by_codes(["900105", "900201"])
    assert found["900105"].family_code == "ROME"  # not in the arborescence file
    assert found["900201"].family.label == "ROME – Savoirs"
    welder = db.session.scalar(select(JobTitle).where(JobTitle.code == "H2913"))
    assert welder.label == "Soudeur / Soudeuse"
    assert {s.code for s in typical_skills(welder.id)} == {
        "900101",
        "900102",
        "900103",
        "900105",
        "900201",
    }


@pytest.mark.usefixtures("rome")
def test_accented_labels_are_searchable_without_accents():
    import_rome(db.session, FIXTURES)
    db.session.commit()
    assert [s.code for s in search_skills("soudure arc electrique")] == ["900101"]
    assert "900102" in [s.code for s in search_skills("ACIER INOXYDABLE")]
    assert search_skills("procedes soudage tig")[0].code == "900201"
    assert [j.code for j in search_job_titles("soudeuse tig")] == ["H2913"]  # by appellation
    assert [j.code for j in search_job_titles("operatrice regleuse")] == ["H2903"]
    assert "SOUD-001" in [s.code for s in search_skills("soudage tig")]  # starter skills stay


@pytest.mark.usefixtures("rome")
def test_second_import_adds_nothing():
    import_rome(db.session, FIXTURES)
    db.session.commit()
    before = rome_counts()
    counts = import_rome(db.session, FIXTURES)
    db.session.commit()
    assert {k: v for k, v in counts.items() if k != "links_ignored"} == {
        "skill_family": 0,
        "skill": 0,
        "skill_updated": 0,
        "job_title": 0,
        "job_title_updated": 0,
        "job_title_skill": 0,
        "labels_truncated": 0,
    }
    assert rome_counts() == before


@pytest.mark.usefixtures("rome")
def test_a_newer_version_updates_labels_and_never_deletes(files):
    import_rome(db.session, files)
    db.session.commit()
    edit(files / COMPETENCES, "Faire preuve de rigueur", "Faire preuve de rigueur et d'ordre")
    lines = (files / COMPETENCES).read_text(encoding="utf-8").splitlines(keepends=True)
    (files / COMPETENCES).write_text("".join(lines[:-1]), encoding="utf-8")  # 900105 dropped
    (files / "unix_coherence_item_v461_utf8.csv").unlink()
    counts = import_rome(db.session, files)
    db.session.commit()
    assert (counts["skill"], counts["skill_updated"]) == (0, 0)
    assert db.session.scalar(select(Skill).where(Skill.code == "900105")) is not None
    edit(files / COMPETENCES, "Réaliser une soudure", "Réaliser une soudure électrique")
    counts = import_rome(db.session, files)
    db.session.commit()
    assert counts["skill_updated"] == 1
    assert search_skills("soudure electrique electrique")[0].code == "900101"


@pytest.mark.usefixtures("rome")
@pytest.mark.parametrize(
    ("filename", "header"),
    [
        (COMPETENCES, "libelle_competence"),
        ("unix_referentiel_code_rome_v461_utf8.csv", "libelle_rome"),
        ("unix_coherence_item_v461_utf8.csv", "code_ogr"),
    ],
)
def test_a_missing_column_is_refused_and_nothing_is_written(files, filename, header):
    edit(files / filename, f'"{header}"', '"autre_colonne"')
    before = rome_counts()
    with pytest.raises(ServiceError) as error:
        import_rome(db.session, files)
    assert f"{filename} : colonne(s) manquante(s) : {header}" in error.value.message
    db.session.rollback()
    assert rome_counts() == before


@pytest.mark.usefixtures("rome")
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"Contrôler la conformité d\'une soudure (ressuage, contrôle visuel)"',
            '""',
            "ligne 4, colonne libelle_competence : libellé vide",
        ),
        ('"900103"', '"90 01"', "code '90 01' invalide"),
        (
            '"900103","Savoir-faire","Contrôler',
            '"900101","Savoir-faire","Contrôler',
            "deux libellés",
        ),
    ],
)
def test_an_invalid_row_is_refused_and_nothing_is_written(files, old, new, message):
    edit(files / COMPETENCES, old, new)
    with pytest.raises(ServiceError, match=message) as error:
        import_rome(db.session, files)
    assert error.value.message.startswith("Import ROME refusé, rien n'a été écrit")
    db.session.rollback()
    assert rome_counts()[:2] == (0, 0)


@pytest.mark.usefixtures("rome")
def test_missing_or_incomplete_files_are_refused(files, tmp_path_factory):
    empty = tmp_path_factory.mktemp("vide")
    with pytest.raises(ServiceError, match="introuvable : référentiel des compétences"):
        import_rome(db.session, empty)
    with pytest.raises(ServiceError, match="introuvable"):
        import_rome(db.session, empty / "absent")
    (files / "unix_referentiel_code_rome_v461_utf8.csv").unlink()
    with pytest.raises(ServiceError, match="demande aussi le fichier des fiches ROME"):
        import_rome(db.session, files)
    with pytest.raises(ServiceError, match="non reconnu"):
        import_rome(db.session, [files / COMPETENCES, files / "notes.txt"])
    (files / "unix_referentiel_competence_v460_utf8.csv").write_text("", encoding="utf-8")
    with pytest.raises(ServiceError, match="Gardez une seule version"):
        import_rome(db.session, files)
    (files / COMPETENCES).write_bytes("code_ogr;libellé".encode("cp1252"))
    with pytest.raises(ServiceError, match="UTF-8"):
        import_rome(db.session, [files / COMPETENCES])
    assert rome_counts()[:2] == (0, 0)


@pytest.mark.usefixtures("rome")
def test_a_list_of_files_imports_only_what_it_holds():
    counts = import_rome(db.session, [FIXTURES / COMPETENCES])
    db.session.commit()
    assert (counts["skill"], counts["job_title"], counts["job_title_skill"]) == (5, 0, 0)
    assert {s.family_code for s in get_skills_by_codes(["900101", "900105"]).values()} == {"ROME"}


@pytest.mark.usefixtures("rome")
def test_cli_command_commits_and_prints_counts(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lending", "import-rome", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert "compétences ajoutées : 7" in result.output
    assert "métiers ajoutés : 2" in result.output
    db.session.remove()
    assert rome_counts()[:2] == (7, 2)


@pytest.mark.usefixtures("rome")
def test_cli_command_reports_errors_in_french(app, files):
    edit(files / COMPETENCES, '"libelle_competence"', '"libelle"')
    result = app.test_cli_runner().invoke(args=["lending", "import-rome", str(files)])
    assert result.exit_code == 1
    assert "colonne(s) manquante(s) : libelle_competence" in result.output
    assert rome_counts()[:2] == (0, 0)
