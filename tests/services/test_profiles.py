"""A host never sees another firm's employee's name, contact or cost before acceptance."""

import json
from dataclasses import asdict

from lending.services.profiles import anonymous_profile, distance_band


def test_anonymous_profile_holds_no_identity_contact_or_cost(app, make_firm, make_employee):
    employee = make_employee(
        make_firm(),
        first_name="Héloïse",
        last_name="Dupont-Secret",
        email="heloise.secret@example.fr",
        gross_salary_cents=3_141_59,
        employer_charges_cents=1_414_21,
        expenses_cents=271_82,
    )
    with app.test_request_context():
        profile = anonymous_profile(employee, 52.4)  # as far as Marmande from Agen
    text = json.dumps(asdict(profile), ensure_ascii=False, default=str)
    for secret in ("Héloïse", "Dupont-Secret", "heloise.secret", "3141", "1414", "271", "4827"):
        assert secret not in text
    assert profile.job_title == employee.job_title
    assert len(profile.skills) == 2
    assert profile.distance == "moins de 80 km"


def test_distances_and_bands(app):
    with app.test_request_context():
        assert distance_band(3.2) == "moins de 5 km"
        assert distance_band(47) == "moins de 80 km"
        assert distance_band(120) == "80 km ou plus"
