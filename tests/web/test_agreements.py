"""Agreements on the site: each firm completes its part, gates show their messages, each
party signs after re-entering their password, documents download, PDFs verify."""

import io
from datetime import date, timedelta

import pytest

from lending.documents import render
from lending.extensions import db
from lending.models import AgreementStatus, DocumentKind, Loan, Role
from lending.services import uow
from lending.services.deals import agreements, signatories, signing
from tests.factories import PASSWORD
from tests.services.agreement_helpers import complete


def _lender_form(agreement, **changes):
    start = date.today() + timedelta(days=30)
    form = {
        "lender_signatory_id": str(signatories.accounts(agreement.lender_firm_id)[0].id),
        "employee_classification": "Niveau V",
        "contract_reference": "CDI du 3 mars 2019",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=90)).isoformat(),
        "probation_terms": "",
        "notice_days": "15",
        "lender_cse_date": (date.today() - timedelta(days=2)).isoformat(),
        "lender_cse_opinion": "favorable",
        "billing_regime": "cost_price",
        "salary": "2800,00",
        "charges": "1200,00",
        "expenses": "100,00",
        "billed_share_pct": "100",
        "billing_method": "Au réel",
        "payment_terms_days": "30",
    }
    form.update(changes)
    return form


def test_lender_completes_its_part_and_a_bad_value_changes_nothing(client, login, market, accepted):
    login(market.lender_hr)
    url = f"/accords/{accepted.id}/entreprise-preteuse"
    page = client.post_form(url, _lender_form(accepted, salary="beaucoup"))
    assert page.status_code == 200
    assert accepted.lender_signatory_name == ""
    response = client.post_form(url, _lender_form(accepted))
    assert response.status_code == 302
    db.session.refresh(accepted)
    assert accepted.lender_signatory_id == market.lender_hr.id
    assert accepted.lender_signatory_name == market.lender_hr.full_name
    assert accepted.lender_signatory_role == market.lender_hr.job_title
    assert accepted.salary_cents == 2_800_00
    page = client.get(f"/accords/{accepted.id}").get_data(as_text=True)
    assert "points à régler avant la signature" in page  # the host part is still missing


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("billing_regime", "evil"),
        ("lender_cse_opinion", "evil"),
        ("billing_regime", ""),
        ("lender_signatory_id", "evil"),
        ("lender_signatory_id", "999999"),
    ],
)
def test_a_tampered_choice_is_a_french_error_and_changes_nothing(
    client, login, market, accepted, name, value
):
    login(market.lender_hr)
    url = f"/accords/{accepted.id}/entreprise-preteuse"
    page = client.post_form(url, _lender_form(accepted, **{name: value}))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="error-summary"' in text
    if value:
        assert "Choix invalide : choisissez une valeur de la liste." in text
    db.session.refresh(accepted)
    assert accepted.lender_signatory_name == ""


def test_preview_escapes_what_users_typed(client, login, market, accepted):
    accepted.missions = '<script>alert("x")</script><img src="file:///etc/passwd">'
    db.session.commit()
    login(market.host_hr)
    page = client.get(f"/accords/{accepted.id}/convention/apercu").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


# Hashes, not contents: test_freeze_sign_and_open_the_loan signs real PDFs.
@pytest.mark.usefixtures("placeholder_pdfs")
def test_sign_with_password_then_download_and_verify(app, client, login, market, accepted):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()

    def sign_as(user, kind):
        other = app.test_client()
        login(user, test_client=other)
        sha = accepted.current(DocumentKind(kind)).sha256
        form = {"password": PASSWORD, "document_sha256": sha}
        assert other.post_form(f"/accords/{accepted.id}/{kind}/signer", form).status_code == 302

    sign_as(accepted.employee.user, "avenant")  # the avenant first
    sign_as(market.lender_hr, "avenant")
    login(market.host_hr)
    url = f"/accords/{accepted.id}/convention/signer"
    shown = {"document_sha256": accepted.current(DocumentKind.CONVENTION).sha256}
    page = client.post_form(url, {"password": "pas le bon", **shown}).get_data(as_text=True)
    assert "Mot de passe incorrect" in page
    assert accepted.current(DocumentKind.CONVENTION).signatures == []
    response = client.post_form(
        url, {"password": PASSWORD, **shown}, headers={"User-Agent": "Navi/1"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    signature = accepted.current(DocumentKind.CONVENTION).signatures[0]
    assert signature.user_agent == "Navi/1"
    pdf = client.get(f"/accords/{accepted.id}/convention-v1.pdf")
    assert pdf.mimetype == "application/pdf"
    assert render.sha256_hex(pdf.data) == accepted.current(DocumentKind.CONVENTION).sha256

    sign_as(market.lender_hr, "convention")
    db.session.expire_all()
    assert accepted.status == AgreementStatus.SIGNED
    assert db.session.query(Loan).count() == 1
    signed = client.get(f"/accords/{accepted.id}/convention-v1.pdf").data
    ok = client.post_form(
        "/accords/verifier",
        {"pdf": (io.BytesIO(signed), "c.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Document authentique" in ok
    changed = signed[:-10] + bytes([signed[-10] ^ 1]) + signed[-9:]
    ko = client.post_form(
        "/accords/verifier",
        {"pdf": (io.BytesIO(changed), "c.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Document inconnu" in ko


@pytest.mark.usefixtures("placeholder_pdfs")
def test_signing_the_convention_first_is_refused_in_french(client, login, market, accepted):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    login(market.lender_hr)
    sha = accepted.current(DocumentKind.CONVENTION).sha256
    page = client.post_form(
        f"/accords/{accepted.id}/convention/signer",
        {"password": PASSWORD, "document_sha256": sha},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "L&#39;avenant doit d&#39;abord être signé par le salarié" in page
    db.session.expire_all()
    assert accepted.current(DocumentKind.CONVENTION).signatures == []


def test_the_lender_part_offers_the_firms_hr_accounts(client, login, market, accepted, make_user):
    colleague = make_user(Role.HR, firm=market.lender, full_name="Claire Martin", job_title="")
    make_user(Role.HR, firm=market.host, full_name="Yann Le Gall")
    login(market.lender_hr)
    url = f"/accords/{accepted.id}/entreprise-preteuse"
    page = client.get(url).get_data(as_text=True)
    assert f"{market.lender_hr.full_name} — Responsable des ressources humaines" in page
    assert "Claire Martin — fonction à indiquer dans son compte" in page
    assert "Yann Le Gall" not in page
    form = _lender_form(accepted, lender_signatory_id=str(colleague.id))
    assert client.post_form(url, form).status_code == 302
    db.session.refresh(accepted)
    assert (accepted.lender_signatory_name, accepted.lender_signatory_role) == ("Claire Martin", "")
    page = client.get(f"/accords/{accepted.id}").get_data(as_text=True)
    assert "Claire Martin, doit indiquer sa fonction dans « Mon compte »" in page


def test_an_hr_manager_enters_their_function_on_their_account_page(client, login, market):
    login(market.lender_hr)
    page = client.get("/compte").get_data(as_text=True)
    assert "Votre fonction dans l" in page
    page = client.post_form("/compte/identite", {"full_name": "Sophie Durand", "job_title": ""})
    assert page.status_code == 200
    assert "Indiquez votre fonction : elle figure sur les accords" in page.get_data(as_text=True)
    response = client.post_form(
        "/compte/identite", {"full_name": "Sophie Durand", "job_title": "DRH"}
    )
    assert response.status_code == 302
    db.session.refresh(market.lender_hr)
    assert (market.lender_hr.full_name, market.lender_hr.job_title) == ("Sophie Durand", "DRH")


def test_statement_csv_escapes_formula_looking_names(client, login, market, accepted):
    from tests.services.agreement_helpers import pdfs_as_placeholders, sign_all

    with pdfs_as_placeholders():  # the agreement's; the statement's PDF below is real
        complete(accepted, market)
        signing.start_signing(accepted, market.lender_hr, date.today())
        uow.commit()
        sign_all(accepted, market)
    loan = db.session.query(Loan).one()
    from lending.services.deals import actuals, loans, statements
    from tests.services.billing_helpers import next_month

    loans.advance(loan.start_date)
    accepted.host_name = '=HYPERLINK("http://x")'
    month, after = loan.start_date.replace(day=1), next_month(loan.start_date)
    actuals.record(loan, month, actuals.Figures(1, 2, 3), None, today=after)
    statement = statements.issue(loan, month, today=after)
    uow.commit()
    login(market.lender_hr)
    csv = client.get(f"/prets/{loan.id}/releves.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    pdf = client.get(f"/prets/{loan.id}/releves/{statement.id}.pdf")
    assert pdf.mimetype == "application/pdf"
    assert "Montant refacturé" in render.pdf_text(pdf.data)


@pytest.mark.usefixtures("placeholder_pdfs")
def test_a_signer_never_signs_a_version_they_were_not_shown(client, login, market, accepted):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    login(market.host_hr)
    url = f"/accords/{accepted.id}/convention/signer"
    page = client.get(url).get_data(as_text=True)
    shown = accepted.current(DocumentKind.CONVENTION).sha256
    assert shown in page
    # meanwhile the lender changes something and a new version is frozen
    from tests.services.agreement_helpers import lender_part

    agreements.update(accepted, lender_part(accepted, notice_days=20), market.lender_hr)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    page = client.post_form(
        url, {"password": PASSWORD, "document_sha256": shown}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Le document a changé depuis que vous l" in page
    db.session.expire_all()
    assert accepted.current(DocumentKind.CONVENTION).signatures == []
