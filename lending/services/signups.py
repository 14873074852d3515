"""Sign-ups confirmed by e-mail, so the sign-up forms never reveal who has an account.

The form's answer is always "check your mailbox". An address without an account receives
a single-use link that creates the account (a firm and its HR manager, or an employee of a
firm); an address that already has one receives a note saying so instead, and nothing is
stored. Both paths hash the password, so they take the same time.
"""

import hashlib
import secrets
from collections.abc import Callable

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from lending.extensions import db
from lending.models import PendingSignup, User
from lending.models._time import utcnow
from lending.services import accounts, mail, passwords, uow

FIRM = "firm"
EMPLOYEE = "employee"
SUBJECT = _l("Votre inscription sur la plateforme de prêt de main-d'œuvre")
HAS_ACCOUNT = _l("Cette adresse a déjà un compte sur la plateforme : aucun compte n'a été créé.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    kind: str,
    email: str,
    password: str,
    data: dict,
    *,
    confirm_url_for: Callable[[str], str],
    refusal=None,
) -> None:
    """Store the sign-up and e-mail its confirmation link, or, when the address already
    has an account (or `refusal` gives another reason not to go on), e-mail the reason
    instead (a lazy string: it is written in the recipient's language). The caller has
    checked the form; the answer it shows is the same either way.
    """
    email = accounts.normalise_email(email)
    password_hash = passwords.hash_password(password)  # spent on every path
    purge_expired(utcnow())
    user = accounts.find_by_email(email)
    if user is not None:
        refusal = HAS_ACCOUNT
    if refusal is not None:
        mail.queue(user or _recipient(email), SUBJECT, "signup_refused", reason=refusal)
        return
    token = secrets.token_urlsafe(32)
    max_age = current_app.config["SIGNUP_CONFIRM_MAX_AGE"]
    db.session.add(
        PendingSignup(
            kind=kind,
            email=email,
            token_hash=_digest(token),
            password_hash=password_hash,
            data=data,
            expires_at=utcnow() + max_age,
        )
    )
    db.session.flush()
    hours = int(max_age.total_seconds() // 3600)
    mail.queue(
        _recipient(email), SUBJECT, "signup_confirm", url=confirm_url_for(token), hours=hours
    )


def purge_expired(now) -> int:
    """Delete the sign-ups never confirmed in time (they hold a password hash and a name);
    run at each sign-up and daily by the scheduler. The caller commits."""
    return uow.rowcount(
        db.session.execute(delete(PendingSignup).where(PendingSignup.expires_at < now))
    )


def _recipient(email: str) -> mail.Recipient:
    return mail.Recipient(email, str(get_locale() or "") or None)


def for_token(token: str) -> PendingSignup | None:
    """The sign-up if its link is still valid (not used, so not deleted, and not expired)."""
    pending = db.session.scalar(
        select(PendingSignup).where(PendingSignup.token_hash == _digest(token))
    )
    if pending is None or pending.expires_at < utcnow():
        return None
    return pending


def complete(pending: PendingSignup, finish: Callable[[str, str, dict], User]) -> User:
    """Create the account of a confirmed sign-up with `finish(email, password_hash, data)`,
    the completion of its kind, which the caller picks (firms and volunteering start
    sign-ups through this module, so it does not import them); raises ServiceError if it
    can no longer be created (the firm or the address registered in the meantime, say)."""
    user = finish(pending.email, pending.password_hash, pending.data)
    db.session.delete(pending)  # single use; its password hash is now the account's
    return user
