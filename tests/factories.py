"""Factory fixtures: build data the way the services would, with sensible defaults."""

import itertools
from functools import cache

import pytest
from stdnum import luhn

from lending.extensions import db
from lending.models import Enrolment, EnrolmentStatus, Firm, Role, Scheme, User
from lending.services import passwords

PASSWORD = "cheval agrafe batterie correcte"
_counter = itertools.count(1)


@cache
def _password_hash() -> str:
    return passwords.hash_password(PASSWORD)


def valid_siret(seed: int) -> str:
    siren = f"{seed:08d}"[-8:]
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


@pytest.fixture
def make_firm(app):
    def make(name=None, naf="30.30Z", insee="47001", postal_code="47000") -> Firm:
        n = next(_counter)
        firm = Firm(
            siret=valid_siret(10_000_000 + n),
            name=name or f"Entreprise {n}",
            naf_code=naf,
            address_line="1 rue de l'Usine",
            postal_code=postal_code,
            commune_insee=insee,
        )
        db.session.add(firm)
        db.session.commit()
        return firm

    return make


@pytest.fixture
def make_user(app):
    def make(role=Role.HR, firm=None, schemes=(), email=None, **kw) -> User:
        n = next(_counter)
        user = User(
            email=email or f"user{n}@example.fr",
            full_name=f"Utilisateur {n}",
            role=role,
            firm=firm,
            schemes=list(schemes),
            password_hash=_password_hash(),
            **kw,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_scheme(app):
    def make(name=None, departements=("47",), sectors="C", **kw) -> Scheme:
        from lending.models import Departement

        n = next(_counter)
        scheme = Scheme(
            name=name or f"Dispositif {n}",
            sectors=sectors,
            default_max_commute_km=kw.pop("default_max_commute_km", 40),
            max_loan_months=kw.pop("max_loan_months", 12),
            proposal_deadline_days=kw.pop("proposal_deadline_days", 7),
            matching_cron=kw.pop("matching_cron", "0 6 * * 1"),
            departements=[db.session.get(Departement, code) for code in departements],
            **kw,
        )
        db.session.add(scheme)
        db.session.commit()
        return scheme

    return make


@pytest.fixture
def make_enrolment(app):
    def make(firm, scheme, status=EnrolmentStatus.PENDING) -> Enrolment:
        enrolment = Enrolment(firm=firm, scheme=scheme, status=status)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment

    return make


@pytest.fixture
def login(client):
    def do(user: User, password: str = PASSWORD, test_client=None):
        c = test_client or client
        response = c.post_form("/connexion", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    return do
