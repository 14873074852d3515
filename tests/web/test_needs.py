"""Host firms declare needs."""

from sqlalchemy import select

from lending.extensions import db
from lending.models import Need, NeedStatus, Role


def _form(skills, **changes):
    data = {
        "title": "Conducteur de ligne de conditionnement",
        "missions": "Conduite et réglages",
        "positions": "3",
        "postal_code": "47000",
        "commune_insee": "47001",
        "start_date": "2027-02-01",
        "end_date": "2027-05-31",
        "weekly_hours": "35",
        "monthly_budget": "4500",
        "risky_post": "y",
        "ppe": "Chaussures, gants",
        "skills-0-skill": str(skills[0].id),
        "skills-0-level": "2",
        "skills-0-mandatory": "y",
        "skills-1-skill": str(skills[1].id),
        "skills-1-level": "1",
    }
    data.update(changes)
    return data


def test_host_declares_and_closes_a_need(client, make_user, make_firm, login, some_skills):
    login(make_user(Role.HR, firm=make_firm()))
    response = client.post_form("/entreprise/besoins/nouveau", _form(some_skills))
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    need = db.session.scalar(select(Need))
    assert (need.positions, need.monthly_budget_cents, need.risky_post) == (3, 4500_00, True)
    assert {(s.skill_id, s.min_level, s.mandatory) for s in need.skills} == {
        (some_skills[0].id, 2, True),
        (some_skills[1].id, 1, False),
    }
    client.post_form(f"/entreprise/besoins/{need.id}/clore")
    db.session.refresh(need)
    assert need.status == NeedStatus.CLOSED
    page = client.post_form(f"/entreprise/besoins/{need.id}", _form(some_skills))
    assert "Ce besoin est clos" in page.get_data(as_text=True)


def test_need_requires_a_mandatory_skill_and_sane_values(
    client, make_user, make_firm, login, some_skills
):
    login(make_user(Role.HR, firm=make_firm()))
    cases = {
        "skills-0-mandatory": ("", "au moins une compétence indispensable"),
        "positions": ("0", "Entre 1 et 500 postes"),
        "end_date": ("2027-01-01", "La date de fin ne peut pas précéder"),
        "monthly_budget": ("abc", "décimale valide"),
    }
    for name, (value, message) in cases.items():
        data = _form(some_skills, **{name: value})
        if not value:
            data.pop(name)
        page = client.post_form("/entreprise/besoins/nouveau", data).get_data(as_text=True)
        assert message in page, name
    assert db.session.scalar(select(Need)) is None
