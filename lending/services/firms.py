"""Firm registration together with its first HR manager."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from lending.extensions import db
from lending.models import Commune, Firm, PostalCode, Role, User
from lending.services import accounts, audit, passwords, signups, uow
from lending.services.errors import ServiceError, ValidationError
from lending.services.reference import normalise_naf, normalise_postal_code
from lending.services.volunteering import new_enrolment_code


def clean_siret(value: str) -> str:
    """Return the 14-digit SIRET or raise ServiceError with a French message.

    Uses python-stdnum, which applies the Luhn check and La Poste's exception
    (SIREN 356 000 000, whose establishments are checked by a sum of digits).
    """
    try:
        return stdnum_siret.validate(value)
    except (InvalidLength, InvalidFormat):
        raise ServiceError(
            _("Le SIRET doit comporter 14 chiffres (espaces acceptés)."), "siret"
        ) from None
    except InvalidChecksum:
        raise ServiceError(
            _("Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez-le."),
            "siret",
        ) from None
    except StdnumError:
        raise ServiceError(_("Ce SIRET n'est pas valide."), "siret") from None


def commune_for(postal_code: str, insee: str) -> tuple[str, Commune]:
    """(normalised postal code, commune `insee`) if the code serves it, else ServiceError."""
    code = normalise_postal_code(postal_code)
    if code is None:
        raise ServiceError(_("Le code postal doit comporter 5 chiffres."), "postal_code")
    link = db.session.get(PostalCode, (code, insee))
    if link is None:
        known = db.session.scalar(select(PostalCode).where(PostalCode.code == code))
        if known is None:
            raise ServiceError(_("Ce code postal n'existe pas."), "postal_code")
        raise ServiceError(
            _("Choisissez une commune desservie par ce code postal."), "commune_insee"
        )
    return code, link.commune


@dataclass
class Registration:
    firm_name: str
    siret: str
    naf_code: str
    address_line: str
    postal_code: str
    commune_insee: str
    full_name: str
    email: str
    password: str


def _checked(data: Registration, *, password: bool) -> tuple[str, str, str, Commune]:
    """(SIRET, NAF code, postal code, commune) of a valid registration; raise
    ValidationError listing every problem. Whether the address has an account is not
    checked here: see request_registration."""
    errors: dict[str, str] = {}

    def check(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ServiceError as exc:
            errors.setdefault(exc.field or "form", exc.message)
            return None

    siret = check(clean_siret, data.siret)
    if siret and db.session.scalar(select(Firm.id).where(Firm.siret == siret)):
        errors["siret"] = _(
            "Cette entreprise est déjà inscrite. Demandez à son responsable RH de vous "
            "ouvrir un accès."
        )
    naf = normalise_naf(data.naf_code)
    if naf is None:
        errors["naf_code"] = _("Choisissez un code NAF de la nomenclature (par exemple 10.71C).")
    found = check(commune_for, data.postal_code, data.commune_insee)
    if password:
        check(passwords.check_policy, data.password, email=data.email, name=data.full_name)
    if errors or naf is None or found is None:  # a value not found has its error
        raise ValidationError(errors)
    postal_code, commune = found
    return siret, naf, postal_code, commune


def request_registration(data: Registration, confirm_url_for) -> None:
    """Check the form, then e-mail a confirmation link (or, to an address that already
    has an account, a note saying so): nothing is created before the link is followed."""
    _checked(data, password=True)
    fields = {name: getattr(data, name) for name in Registration.__annotations__}
    del fields["password"]
    signups.start(signups.FIRM, data.email, data.password, fields, confirm_url_for=confirm_url_for)


def complete_registration(email: str, password_hash: str, fields: dict) -> User:
    """Create the firm and its HR manager from a confirmed sign-up; raise ServiceError if
    it can no longer be done."""
    data = Registration(**fields, password="")
    siret, naf, postal_code, commune = _checked(data, password=False)
    if accounts.find_by_email(email):
        raise ServiceError(_("Un compte existe déjà avec cette adresse e-mail : connectez-vous."))
    firm = Firm(
        siret=siret,
        name=data.firm_name.strip(),
        naf_code=naf,
        address_line=data.address_line.strip(),
        postal_code=postal_code,
        commune=commune,
        enrolment_code=new_enrolment_code(),
    )
    user = User(
        email=accounts.normalise_email(email),
        full_name=data.full_name.strip(),
        role=Role.HR,
        firm=firm,
        password_hash=password_hash,
    )
    db.session.add_all([firm, user])
    uow.flush_or_refuse(
        _("Cette entreprise ou cette adresse e-mail vient d'être inscrite : vérifiez et réessayez.")
    )
    audit.record("firm.registered", user, firm)
    return user
