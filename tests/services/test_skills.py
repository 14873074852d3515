"""Skills taxonomy: the shipped files, the loader and the search behind the skill pickers.

The ROME import is tested in test_rome_import.py.
"""

import re
import shutil

import pytest
from sqlalchemy import delete, func, insert, select

from lending.extensions import db
from lending.models.skills import (
    SKILL_LEVELS,
    JobTitle,
    Skill,
    SkillFamily,
    job_title_skill,
)
from lending.reference import skills_loader
from lending.reference.skills_loader import load_skills, read_starter
from lending.services.skills import (
    all_skills_by_family,
    get_skills_by_codes,
    normalise,
    search_job_titles,
    search_skills,
    typical_skills,
)

FAMILIES, SKILLS, JOB_TITLES = read_starter()


# ------------------------------------------------------------------ the shipped files
def test_files_hold_enough_skills_and_job_titles():
    assert len(SKILLS) >= 300
    assert len(JOB_TITLES) >= 40
    assert len(FAMILIES) >= 15


def test_codes_are_unique_stable_and_prefixed_by_their_family():
    codes = [skill["code"] for skill in SKILLS]
    assert len(codes) == len(set(codes))
    for skill in SKILLS:
        assert re.fullmatch(r"[A-Z]{3,4}-\d{3}", skill["code"]), skill
        assert skill["code"].split("-")[0] == skill["family_code"], skill
    assert len({job["code"] for job in JOB_TITLES}) == len(JOB_TITLES)
    assert all(re.fullmatch(r"MET-\d{3}", job["code"]) for job in JOB_TITLES)


def test_labels_are_unique_tidy_and_fit_the_columns():
    labels = [normalise(skill["label"]) for skill in SKILLS]
    assert len(labels) == len(set(labels))
    for row in SKILLS + JOB_TITLES + FAMILIES:
        assert row["label"] == " ".join(row["label"].split()), row
        assert 0 < len(row["label"]) <= 200, row
        assert row["label"][0].isupper() or row["label"][0].isdigit(), row


def test_every_family_is_used_and_every_skill_has_a_known_family():
    used = {skill["family_code"] for skill in SKILLS}
    assert used == {family["code"] for family in FAMILIES}


def test_job_titles_link_four_to_ten_known_skills():
    codes = {skill["code"] for skill in SKILLS}
    for job in JOB_TITLES:
        assert 4 <= len(job["skills"]) <= 10, job
        assert len(set(job["skills"])) == len(job["skills"]), job
        assert set(job["skills"]) <= codes, job


def test_synonyms_use_the_separator_without_duplicates():
    for skill in SKILLS:
        synonyms = [s for s in skill["synonyms"].split(" | ") if s]
        assert len({s.casefold() for s in synonyms}) == len(synonyms), skill
        assert all(s == s.strip() and "|" not in s for s in synonyms), skill


@pytest.mark.parametrize(
    ("filename", "old", "new", "message"),
    [
        ("skills.csv", "AERO-002,AERO,", "AERO-002,NOPE,", "famille inconnue"),
        ("skills.csv", "AERO-002,", "AERO-001,", "en double"),
        ("job_titles.csv", "AERO-001 AERO-002", "AERO-001 AERO-999", "compétences inconnues"),
        ("families.csv", "code,label", "code,libelle", "colonne(s) manquante(s) : label"),
    ],
)
def test_broken_files_are_refused(tmp_path, monkeypatch, filename, old, new, message):
    shutil.copytree(skills_loader.DATA_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / filename
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    monkeypatch.setattr(skills_loader, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match=re.escape(message)):
        read_starter()


# ------------------------------------------------------------------ loader
def _counts() -> dict[str, int]:
    tables = (SkillFamily.__table__, Skill.__table__, JobTitle.__table__, job_title_skill)
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}


@pytest.mark.usefixtures("app")
def test_loader_loaded_every_row_of_the_files():
    assert _counts() == {
        "skill_family": len(FAMILIES),
        "skill": len(SKILLS),
        "job_title": len(JOB_TITLES),
        "job_title_skill": sum(len(job["skills"]) for job in JOB_TITLES),
    }
    tig = get_skills_by_codes(["SOUD-001"])["SOUD-001"]
    assert tig.source == "starter"
    assert tig.family.label == "Soudage, chaudronnerie et tuyauterie"
    assert "GTAW" in tig.synonyms.split(" | ")
    assert tig.search_text.startswith("soudage tig procede 141 tig soudure tig gtaw")


@pytest.mark.usefixtures("app")
def test_loader_is_idempotent():
    before = _counts()
    inserted = load_skills(db.session)
    db.session.commit()
    assert inserted == dict.fromkeys(before, 0)
    assert _counts() == before


@pytest.mark.usefixtures("app")
def test_loader_updates_changed_rows_restores_links_and_never_deletes():
    tig = get_skills_by_codes(["SOUD-001"])["SOUD-001"]
    tig.label, tig.synonyms, tig.search_text, tig.family_code = "Vieux libellé", "", "", "AERO"
    job = db.session.scalar(select(JobTitle).where(JobTitle.code == "MET-014"))
    db.session.execute(
        delete(job_title_skill).where(
            job_title_skill.c.job_title_id == job.id, job_title_skill.c.skill_id == tig.id
        )
    )
    db.session.execute(
        insert(Skill).values(code="ZZZ-001", label="Hors fichier", family_code="AERO")
    )
    db.session.commit()
    try:
        inserted = load_skills(db.session)
        db.session.commit()
        assert inserted == {"skill_family": 0, "skill": 0, "job_title": 0, "job_title_skill": 1}
        db.session.expire_all()
        tig = get_skills_by_codes(["SOUD-001"])["SOUD-001"]
        assert (tig.label, tig.family_code) == ("Soudage TIG (procédé 141)", "SOUD")
        assert "gtaw" in tig.search_text
        assert "SOUD-001" in {s.code for s in typical_skills(job.id)}
        assert get_skills_by_codes(["ZZZ-001"])
    finally:
        db.session.execute(delete(Skill).where(Skill.code == "ZZZ-001"))
        db.session.commit()


# ------------------------------------------------------------------ normalise and search
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soudage TÏG (procédé 141)", "soudage tig procede 141"),
        ("Manœuvre d'ÉLINGAGE", "manoeuvre d elingage"),
        ("  CACES® R489 — cat. 3 ", "caces r489 cat 3"),
        ("100%_sûr", "100 sur"),
        (None, ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def codes(query: str, limit: int = 20) -> list[str]:
    return [skill.code for skill in search_skills(query, limit=limit)]


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("soudure tig", "SOUD-001"),
        ("Soudage TÏG", "SOUD-001"),
        ("SOUDAGE tig", "SOUD-001"),
        ("cnd ultrasons", "QUAL-004"),
        ("caces 3", "LOGI-002"),
        ("cariste", "LOGI-002"),
        ("HACCP", "AGRO-001"),
        ("EN9100", "AERO-011"),
        ("électroérosion", "USIN-012"),
        ("electroerosion", "USIN-012"),
        ("cotation GPS", "USIN-001"),
        ("habilitation b2v", "ELEC-001"),
        ("tia portal", "AUTO-001"),
        ("riveteur", "AERO-002"),
    ],
)
def test_search_finds_labels_synonyms_and_abbreviations(query, first):
    assert codes(query)[0] == first


@pytest.mark.usefixtures("app")
def test_search_cnd_finds_every_non_destructive_testing_skill():
    assert {"QUAL-003", "QUAL-004", "QUAL-005", "QUAL-006"} <= set(codes("cnd"))
    assert {"QUAL-003", "QUAL-004", "QUAL-005", "QUAL-006"} <= set(codes("CND"))


@pytest.mark.usefixtures("app")
def test_every_word_must_match_the_start_of_a_word():
    found = search_skills("soudage inox")
    assert [s.code for s in found] == ["SOUD-017"]
    for skill in search_skills("contrôle non destructif"):
        words = skill.search_text.split()
        assert all(any(w.startswith(q) for w in words) for q in ("controle", "non", "destructif"))
    assert "SOUD-001" not in codes("ig")  # "ig" is inside "tig", not at a word start


@pytest.mark.usefixtures("app")
def test_labels_starting_with_the_query_come_first_then_alphabetical():
    found = search_skills("soudage", limit=50)
    prefixed = [normalise(s.label).startswith("soudage") for s in found]
    assert prefixed[0]
    assert prefixed == sorted(prefixed, reverse=True)
    labels = [normalise(s.label) for s in found if normalise(s.label).startswith("soudage")]
    assert labels == sorted(labels)
    assert len(labels) >= 10


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("query", ["", "   ", "%", "_", "%%", "'; --", None])
def test_empty_or_wildcard_queries_find_nothing(query):
    assert search_skills(query) == []
    assert search_job_titles(query) == []


@pytest.mark.usefixtures("app")
def test_search_respects_the_limit():
    assert len(search_skills("e", limit=5)) == 5
    assert search_skills("soudage", limit=0) == []


@pytest.mark.usefixtures("app")
def test_search_job_titles_and_their_typical_skills():
    found = search_job_titles("technicien maintenance")
    assert found[0].label == "Technicien de maintenance industrielle"
    assert {s.code for s in typical_skills(found[0].id)} == set(
        next(job["skills"] for job in JOB_TITLES if job["code"] == found[0].code)
    )
    assert search_job_titles("AJUSTEUR MONTEUR aeronautique")[0].code == "MET-001"
    assert typical_skills(-1) == []


@pytest.mark.usefixtures("app")
def test_get_skills_by_codes_ignores_unknown_codes():
    found = get_skills_by_codes(["SOUD-001", " AGRO-001 ", "NOPE", ""])
    assert set(found) == {"SOUD-001", "AGRO-001"}
    assert get_skills_by_codes([]) == {}


@pytest.mark.usefixtures("app")
def test_all_skills_by_family_lists_every_starter_skill_once():
    grouped = all_skills_by_family(source="starter")
    assert len(grouped) == len(FAMILIES)
    assert sum(len(skills) for _, skills in grouped) == len(SKILLS)


def test_skill_levels_have_french_labels(app):
    from lending.web.fields import LEVELS

    with app.test_request_context():
        assert [(c.value, str(c.label)) for c in LEVELS] == [
            ("1", "1 – Notions"),
            ("2", "2 – Autonome"),
            ("3", "3 – Maîtrise"),
            ("4", "4 – Expert"),
        ]
    assert sorted(SKILL_LEVELS) == [1, 2, 3, 4]
