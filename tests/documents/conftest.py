"""Agreements built from tests/documents/samples.py, and rendered PDFs shared by a module."""

import pytest

from lending.documents import html_to_pdf, render_html
from lending.extensions import db
from lending.models import Agreement, DocumentKind
from tests.documents.samples import BASE, SCENARIOS


@pytest.fixture
def skill_codes(some_skills) -> list[str]:
    return [s.code for s in some_skills[:2]]


@pytest.fixture
def make_agreement(market, make_employee, make_proposal, skill_codes):
    """make(**overrides) -> a saved Agreement for a new volunteer of market.lender and
    market.needs[0] (one proposal, hence one agreement, per call)."""

    def make(**overrides) -> Agreement:
        employee = make_employee(market.lender, consent=True)
        proposal = make_proposal(market.scheme, employee, market.needs[0])
        values = {
            "proposal_id": proposal.id,
            "scheme_id": market.scheme.id,
            "lender_firm_id": market.lender.id,
            "host_firm_id": market.host.id,
            "employee_id": employee.id,
            "skill_codes": " ".join(skill_codes) + " XYZ-999",
            **BASE,
            **overrides,
        }
        agreement = Agreement(**values)
        db.session.add(agreement)
        db.session.commit()
        return agreement

    return make


@pytest.fixture(scope="session")
def _pdfs() -> dict:
    return {}


@pytest.fixture
def rendered(_pdfs, make_agreement):
    """rendered(scenario, kind) -> (html, pdf) of a SCENARIOS agreement, version 1, each
    rendered once per test session (PDF layout costs about half a second)."""

    def get(scenario: str, kind: DocumentKind) -> tuple[str, bytes]:
        key = (scenario, kind)
        if key not in _pdfs:
            html = render_html(make_agreement(**SCENARIOS[scenario]), kind, 1)
            _pdfs[key] = (html, html_to_pdf(html))
        return _pdfs[key]

    return get
