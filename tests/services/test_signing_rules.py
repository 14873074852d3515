"""Who signs and in which order: each firm through the HR account its part designates, whose
name and function the documents print; the avenant before the convention, which attests
that it is signed."""

from datetime import date

import pytest

from lending.models import AgreementStatus, DocumentKind, Role, Signer
from lending.services import accounts, uow
from lending.services.deals import agreements, signing
from lending.services.errors import ServiceError, ValidationError
from tests.factories import PASSWORD
from tests.services.agreement_helpers import complete, host_part, lender_part

pytestmark = pytest.mark.usefixtures("placeholder_pdfs")


def _sign(agreement, kind, user):
    signing.sign(agreement, kind, user, PASSWORD, ip=None, user_agent=None)
    uow.commit()


@pytest.fixture
def frozen(accepted, market):
    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    return accepted


def test_the_convention_is_signed_only_once_the_avenant_is(frozen, market):
    employee = frozen.employee.user
    for user in (market.lender_hr, market.host_hr):
        with pytest.raises(ServiceError) as refused:
            _sign(frozen, DocumentKind.CONVENTION, user)
        uow.rollback()
        assert str(refused.value) == (
            "L'avenant doit d'abord être signé par le salarié et par l'entreprise prêteuse, "
            "car la convention atteste qu'il l'est : il manque la signature du salarié et de "
            "l'entreprise prêteuse."
        )
    assert frozen.current(DocumentKind.CONVENTION).signatures == []

    _sign(frozen, DocumentKind.AVENANT, employee)
    with pytest.raises(ServiceError, match="il manque la signature de l'entreprise prêteuse"):
        _sign(frozen, DocumentKind.CONVENTION, market.host_hr)
    uow.rollback()

    _sign(frozen, DocumentKind.AVENANT, market.lender_hr)
    _sign(frozen, DocumentKind.CONVENTION, market.host_hr)
    _sign(frozen, DocumentKind.CONVENTION, market.lender_hr)
    assert frozen.status == AgreementStatus.SIGNED


def test_the_agreement_page_says_what_to_sign_first(frozen, market, client, login):
    login(market.host_hr)
    page = client.get(f"/accords/{frozen.id}").get_data(as_text=True)
    assert "Ordre des signatures : 1. l'avenant au contrat de travail" in page
    assert page.index("1. Avenant au contrat de travail") < page.index(
        "2. Convention de mise à disposition"
    )
    assert f"/accords/{frozen.id}/convention/signer" not in page  # no button yet
    assert "L&#39;avenant doit d&#39;abord être signé" in page
    _sign(frozen, DocumentKind.AVENANT, frozen.employee.user)
    _sign(frozen, DocumentKind.AVENANT, market.lender_hr)
    page = client.get(f"/accords/{frozen.id}").get_data(as_text=True)
    assert f"/accords/{frozen.id}/convention/signer" in page


def test_only_the_designated_account_signs_for_its_firm(frozen, market, make_user):
    colleague = make_user(Role.HR, firm=market.lender)
    with pytest.raises(ServiceError) as refused:
        _sign(frozen, DocumentKind.AVENANT, colleague)
    uow.rollback()
    assert str(refused.value) == (
        f"Pour {market.lender.name}, c'est {market.lender_hr.full_name} qui signe : les "
        "documents portent son nom et sa fonction, et seul son compte peut les signer."
    )
    assert frozen.current(DocumentKind.AVENANT).signatures == []


def test_documents_print_the_designated_accounts_name_and_function(accepted, market):
    drh = "Directrice des ressources humaines"
    accounts.update_identity(market.lender_hr, "Sophie Durand", drh)
    complete(accepted, market)
    assert (accepted.lender_signatory_name, accepted.lender_signatory_role) == (
        "Sophie Durand",
        "Directrice des ressources humaines",
    )
    assert accepted.host_signatory_id == market.host_hr.id
    assert accepted.host_signatory_name == market.host_hr.full_name


def test_a_part_names_one_of_its_own_firms_hr_accounts(accepted, market, make_user):
    employee_account = accepted.employee.user
    for stranger in (market.host_hr, employee_account):
        with pytest.raises(ValidationError) as refused:
            agreements.update(
                accepted, lender_part(accepted, lender_signatory_id=stranger.id), market.lender_hr
            )
        uow.rollback()
        assert refused.value.errors == {
            "lender_signatory_id": (
                "Choisissez le signataire parmi les comptes RH actifs de votre entreprise."
            )
        }
    gone = make_user(Role.HR, firm=market.lender, active=False)
    with pytest.raises(ValidationError):
        agreements.update(accepted, lender_part(accepted, lender_signatory_id=gone.id), gone)
    uow.rollback()


def test_no_signatory_or_no_function_is_named_before_signing(accepted, market):
    complete(accepted, market)
    agreements.update(accepted, host_part(accepted, host_signatory_id=None), market.host_hr)
    market.lender_hr.job_title = ""
    agreements.update(accepted, lender_part(accepted), market.lender_hr)
    uow.commit()
    found = signing.problems(accepted, date.today())
    assert (
        "Désignez le signataire de l'entreprise utilisatrice : un compte RH de l'entreprise, "
        "choisi dans sa partie de l'accord ; son nom et sa fonction figurent sur les documents."
    ) in found
    assert (
        f"Le signataire de l'entreprise prêteuse, {market.lender_hr.full_name}, doit indiquer "
        "sa fonction dans « Mon compte » : elle figure sur les documents à signer."
    ) in found
    # the function entered in the account reaches the agreement still in draft
    accounts.update_identity(market.lender_hr, market.lender_hr.full_name, "DRH")
    agreements.update(accepted, host_part(accepted), market.host_hr)
    uow.commit()
    assert accepted.lender_signatory_role == "DRH"
    assert signing.problems(accepted, date.today()) == []


def test_an_account_renamed_after_freezing_signs_a_new_version(frozen, market):
    employee = frozen.employee.user
    _sign(frozen, DocumentKind.AVENANT, employee)
    accounts.update_identity(market.lender_hr, "Hélène Martin", "DRH")
    uow.commit()
    assert frozen.lender_signatory_name != "Hélène Martin"  # the frozen text stays
    with pytest.raises(ServiceError, match="Votre nom ou votre fonction ont changé"):
        _sign(frozen, DocumentKind.AVENANT, market.lender_hr)
    uow.rollback()
    assert agreements.update(frozen, lender_part(frozen), market.lender_hr)  # a new version
    signing.start_signing(frozen, market.lender_hr, date.today())
    uow.commit()
    assert (frozen.version, frozen.lender_signatory_name) == (2, "Hélène Martin")
    assert "Hélène Martin, DRH" in frozen.current(DocumentKind.AVENANT).html
    _sign(frozen, DocumentKind.AVENANT, employee)
    _sign(frozen, DocumentKind.AVENANT, market.lender_hr)
    assert frozen.current(DocumentKind.AVENANT).signature_of(Signer.LENDER).signer_name == (
        "Hélène Martin"
    )


def test_an_account_needs_a_name_and_a_function(market):
    with pytest.raises(ValidationError) as refused:
        accounts.update_identity(market.lender_hr, "  ", "")
    assert refused.value.errors == {
        "full_name": "Indiquez vos prénom et nom.",
        "job_title": (
            "Indiquez votre fonction : elle figure sur les accords que vous signez pour votre "
            "entreprise."
        ),
    }
