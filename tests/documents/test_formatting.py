"""French typography helpers, the template context and the forced French locale."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import flask_babel
import pytest

from lending.documents import formatting, render
from lending.documents.context import billing_of, host_cse, lender_cse
from lending.models import Agreement, BillingRegime, DocumentKind


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 3, 1), "1er mars 2026"),
        (date(2026, 3, 2), "2 mars 2026"),
        (date(2026, 3, 11), "11 mars 2026"),
        (date(2026, 3, 21), "21 mars 2026"),
        (date(2026, 3, 31), "31 mars 2026"),
        (date(2027, 8, 1), "1er août 2027"),
        (None, "non renseignée"),
    ],
)
def test_dates_are_long_french_with_1er(day, text):
    assert formatting.date_long(day) == text


def test_datetimes_are_utc_to_the_second():
    assert formatting.datetime_utc(datetime(2027, 2, 1, 9, 5, 7)) == (
        "1er février 2027 à 09:05:07 UTC"
    )


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (3_450_00, "3\u202f450,00\u00a0€"),
        (5, "0,05\u00a0€"),
        (0, "0,00\u00a0€"),
        (1_234_567_89, "1\u202f234\u202f567,89\u00a0€"),
    ],
)
def test_amounts_are_french_euros(cents, text):
    assert formatting.euros(cents) == text


def test_numbers_sirets_and_answers():
    assert formatting.number(Decimal("35.0")) == "35"
    assert formatting.number(Decimal("17.5")) == "17,5"
    assert formatting.siret("73282932000074") == "732\u00a0829\u00a0320\u00a000074"
    assert formatting.siret("123") == "123"
    assert [formatting.yes_no(v) for v in (True, False, None)] == ["oui", "non", "non renseigné"]


def test_billing_at_cost_price_bills_the_whole_cost_whatever_the_share():
    agreement = Agreement(
        billing_regime=BillingRegime.COST_PRICE,
        billed_share_pct=40,
        salary_cents=100_00,
        charges_cents=40_00,
        expenses_cents=10_00,
    )
    billing = billing_of(agreement)
    assert (billing.cost, billing.share_pct, billing.billed) == (150_00, 100, 150_00)
    assert not billing.below_cost_allowed
    agreement.billing_regime = BillingRegime.L8241_3
    billing = billing_of(agreement)
    assert (billing.share_pct, billing.billed, billing.below_cost_allowed) == (40, 60_00, True)


def test_cse_steps():
    agreement = Agreement(
        lender_no_cse=False,
        lender_cse_date=date(2027, 1, 1),
        lender_cse_opinion="unfavorable",
        host_no_cse=True,
    )
    assert lender_cse(agreement) == "consulté le 1er janvier 2027, avis défavorable"
    assert host_cse(agreement) == "pas de CSE (moins de 11 salariés)"
    agreement.lender_no_cse, agreement.host_no_cse = True, False
    agreement.host_cse_date = date(2027, 1, 5)
    assert lender_cse(agreement) == "pas de CSE (moins de 11 salariés)"
    assert host_cse(agreement) == "informé et consulté le 5 janvier 2027"
    agreement.lender_no_cse, agreement.host_cse_date = False, None
    agreement.lender_cse_date = None
    assert lender_cse(agreement) == "consultation non renseignée"
    assert host_cse(agreement) == "information et consultation non renseignées"


def test_documents_render_in_french_whatever_the_locale(app, monkeypatch, make_agreement):
    seen = []
    monkeypatch.setattr(
        render, "render_template", lambda *a, **kw: seen.append(str(flask_babel.get_locale())) or ""
    )
    agreement = make_agreement()
    with app.test_request_context(), flask_babel.force_locale("en"):
        render.render_html(agreement, DocumentKind.AVENANT, 1)
        render.evidence_html(SimpleNamespace(kind=DocumentKind.CONVENTION, version=1), [])
        assert str(flask_babel.get_locale()) == "en"
    assert seen == ["fr", "fr"]
