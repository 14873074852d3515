"""From an accepted proposal to a signed agreement and a loan: drafting, gates, freezing,
signatures with evidence, new versions, verification."""

from datetime import date, timedelta

import pytest

from lending.documents import render
from lending.extensions import db
from lending.models import AgreementStatus, DocumentKind, Loan, LoanStatus, Signer
from lending.services import uow
from lending.services.deals import agreements, signing
from lending.services.errors import ServiceError
from tests.factories import PASSWORD
from tests.services.agreement_helpers import complete, host_part, lender_part, sign_all


def test_acceptance_drafts_the_agreement_from_known_data(accepted, market):
    employee, need = accepted.employee, market.needs[0]
    assert accepted.status == AgreementStatus.DRAFT
    assert (accepted.lender_name, accepted.host_name) == (market.lender.name, market.host.name)
    assert accepted.employee_last_name == employee.last_name
    assert accepted.missions == need.missions
    assert accepted.monthly_cost_cents == employee.monthly_cost_cents
    assert accepted.start_date == need.start_date


def test_signing_is_refused_until_every_item_is_there(accepted, market):
    with pytest.raises(signing.ComplianceError) as refused:
        signing.start_signing(accepted, market.lender_hr, date.today())
    uow.rollback()
    text = " ".join(refused.value.problems)
    for item in ("signataire", "référence du contrat", "CSE", "risques"):
        assert item in text
    assert accepted.documents == []


def test_each_gate_names_its_item(accepted, market):
    complete(accepted, market)
    cases = [
        (lender_part(accepted, lender_cse_date=accepted.start_date + timedelta(days=1)), "CSE"),
        (lender_part(accepted, essential_change=True), "probatoire"),
        (lender_part(accepted, billed_share_pct=80), "100 %"),
        (
            lender_part(accepted, billing_regime=agreements.BillingRegime.L8241_3),
            "au moins 5\u202f000 salariés",
        ),
    ]
    for part, expected in cases:
        agreements.update(accepted, part, market.lender_hr)
        found = " ".join(signing.problems(accepted, date.today()))
        assert expected in found, (part, found)
        agreements.update(accepted, lender_part(accepted), market.lender_hr)
    assert signing.problems(accepted, date.today()) == []


def test_freeze_sign_and_open_the_loan(accepted, market, outbox):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    convention = accepted.current(DocumentKind.CONVENTION)
    assert convention.sha256 == render.sha256_hex(convention.pdf)
    sign_all(accepted, market)
    assert accepted.status == AgreementStatus.SIGNED
    signature = convention.signature_of(Signer.HOST)
    assert (signature.ip, signature.user_agent) == ("127.0.0.1", "pytest")
    assert signature.document_sha256 == convention.sha256
    assert convention.signed_sha256 == render.sha256_hex(convention.signed_pdf)
    assert market.host_hr.full_name in render.pdf_text(convention.signed_pdf)
    loan = db.session.query(Loan).one()
    assert (loan.status, loan.start_date) == (LoanStatus.SCHEDULED, accepted.start_date)
    assert "Accord de prêt signé" in {m.subject for m in outbox}


@pytest.mark.usefixtures("placeholder_pdfs")
def test_a_wrong_password_signs_nothing_and_counts(accepted, market):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    with pytest.raises(ServiceError, match="Mot de passe incorrect"):
        signing.sign(
            accepted,
            DocumentKind.CONVENTION,
            market.host_hr,
            "pas le bon",
            ip=None,
            user_agent=None,
        )
    uow.rollback()  # the unit of work is refused: the count is kept all the same
    db.session.refresh(market.host_hr)
    assert market.host_hr.failed_logins == 1
    assert accepted.current(DocumentKind.CONVENTION).signatures == []


@pytest.mark.usefixtures("placeholder_pdfs")
def test_only_the_documents_signers_sign(accepted, market):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    with pytest.raises(ServiceError, match="pas signataire"):
        signing.sign(
            accepted, DocumentKind.AVENANT, market.host_hr, PASSWORD, ip=None, user_agent=None
        )


@pytest.mark.usefixtures("placeholder_pdfs")
def test_a_change_after_freezing_voids_signatures_and_starts_a_new_version(accepted, market):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    employee = accepted.employee.user
    signing.sign(accepted, DocumentKind.AVENANT, employee, PASSWORD, ip=None, user_agent=None)
    uow.commit()
    first = accepted.current(DocumentKind.AVENANT)
    restarted = agreements.update(accepted, host_part(accepted, weekly_hours=30), market.host_hr)
    uow.commit()
    assert restarted
    assert (accepted.status, accepted.version) == (AgreementStatus.DRAFT, 2)
    assert first.voided_at is not None
    assert accepted.current(DocumentKind.AVENANT) is None
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    second = accepted.current(DocumentKind.AVENANT)
    assert second.version == 2
    assert second.sha256 != first.sha256
    assert second.signatures == []


@pytest.mark.usefixtures("placeholder_pdfs")
def test_verification_finds_the_signed_pdf_and_rejects_one_changed_byte(accepted, market):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    sign_all(accepted, market)
    signed = accepted.current(DocumentKind.AVENANT).signed_pdf
    found = signing.find_document_by_hash(render.sha256_hex(signed))
    assert found is accepted.current(DocumentKind.AVENANT)
    tampered = bytearray(signed)
    tampered[len(tampered) // 2] ^= 0x01
    assert signing.find_document_by_hash(render.sha256_hex(bytes(tampered))) is None


@pytest.mark.usefixtures("placeholder_pdfs")
def test_verify_command(app, accepted, market, tmp_path):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    sign_all(accepted, market)
    signed = tmp_path / "avenant.pdf"
    signed.write_bytes(accepted.current(DocumentKind.AVENANT).signed_pdf)
    result = app.test_cli_runner().invoke(args=["lending", "verify", str(signed)])
    assert result.exit_code == 0
    assert "Authentique : avenant version 1" in result.output
    data = bytearray(signed.read_bytes())
    data[100] ^= 0x01
    signed.write_bytes(bytes(data))
    result = app.test_cli_runner().invoke(args=["lending", "verify", str(signed)])
    assert result.exit_code == 1
    assert "inconnu ou modifié" in result.output


@pytest.mark.usefixtures("placeholder_pdfs")
def test_any_party_may_abandon_before_everything_is_signed(accepted, market, outbox):
    from lending.models import ProposalStatus

    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    agreements.abandon(accepted, accepted.employee.user)
    uow.commit()
    assert accepted.status == AgreementStatus.CANCELLED
    assert accepted.proposal.status == ProposalStatus.CANCELLED  # employee and position free
    assert accepted.current(DocumentKind.CONVENTION) is None
    assert sum("abandonné" in m.subject for m in outbox) == 3
    with pytest.raises(ServiceError, match="déjà abandonné"):
        agreements.abandon(accepted, market.host_hr)
