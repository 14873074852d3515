"""Password policy (ASVS 2.1) and argon2 hashing."""

import unicodedata
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from lending.services.errors import ServiceError

MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _hasher() -> PasswordHasher:
    """argon2 with the settings' profile: RFC 9106's low-memory one (3 passes, 64 MiB, 4
    lanes) everywhere but under the Testing settings, which hash thousands of passwords."""
    return _hasher_for(current_app.config["ARGON2_PROFILE"])


# French words people build passwords from, on top of zxcvbn's 30,000 leaked passwords.
_FRENCH_COMMON = (
    "motdepasse",
    "motdepasse123",
    "azertyuiop",
    "azertyuiop123",
    "soleil",
    "bonjour",
    "doudou",
    "chouchou",
    "loulou",
    "marseille",
    "toulouse",
    "bordeaux",
    "jetaime",
    "123456789azerty",
    "azerty123456",
    "qwertyuiop123",
    "motdepasse1234",
    "changeme1234",
    "administrateur",
    "bienvenue123",
)


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_FRENCH_COMMON)


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def check_policy(password: str, *, email: str = "", name: str = "") -> None:
    """Raise ServiceError (field "password") with a French message if the password is refused.

    Any character is allowed; length counts Unicode characters after NFKC normalisation.
    """
    password = _normalise(password)
    if len(password) < MIN_LENGTH:
        raise ServiceError(
            _("Le mot de passe doit contenir au moins %(n)d caractères.", n=MIN_LENGTH),
            "password",
        )
    if len(password) > MAX_LENGTH:
        raise ServiceError(
            _("Le mot de passe ne peut pas dépasser %(n)d caractères.", n=MAX_LENGTH),
            "password",
        )
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        raise ServiceError(
            _("Ce mot de passe est trop courant : choisissez-en un autre, par exemple une phrase."),
            "password",
        )
    local_part = email.split("@")[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and name.lower().replace(" ", "") == lowered.replace(" ", "")
    ):
        raise ServiceError(
            _("Le mot de passe ne doit pas reprendre votre nom ou votre adresse e-mail."),
            "password",
        )


def hash_password(password: str) -> str:
    return _hasher().hash(_normalise(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:  # an account whose password is not set yet: same work, refused
        spend_verification_time(password)
        return False
    try:
        return _hasher().verify(password_hash, _normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    return _dummy_hash_for(current_app.config["ARGON2_PROFILE"])


@cache
def _dummy_hash_for(profile: str) -> str:
    return _hasher_for(profile).hash("not a password of anyone")


def spend_verification_time(password: str) -> None:
    """Verify against a dummy hash, so an unknown email answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
