"""Login, lockout, password change and reset, staff accounts."""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from lending.extensions import db
from lending.models import Role, Scheme, User
from lending.models._time import utcnow
from lending.services import audit, mail, passwords, sessions, uow
from lending.services.deals import signatories
from lending.services.errors import ServiceError, ValidationError

_RESET_SALT = "password-reset"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User:
    """Check credentials and the per-account lockout; raise ServiceError if refused.

    After LOGIN_MAX_FAILURES wrong passwords in a row the account is locked for
    LOGIN_LOCKOUT; a correct password during the lock is refused too. An unknown address,
    a wrong password and a locked account get the same answer after the same work (one
    argon2 verification), so the answer tells nothing about which accounts exist.
    """
    user = find_by_email(email)
    refused = ServiceError(
        _(
            "Adresse e-mail ou mot de passe incorrect. Après plusieurs erreurs, un compte est "
            "bloqué un moment : réessayez plus tard ou réinitialisez votre mot de passe."
        )
    )
    if user is None:
        passwords.spend_verification_time(password)
        raise refused
    now = utcnow()
    correct = passwords.verify_password(user.password_hash, password)
    if user.locked_until and user.locked_until > now:
        raise refused
    if not correct:
        count_wrong_password(user)
        raise refused
    if not user.is_active:
        raise ServiceError(_("Ce compte est désactivé. Contactez l'administrateur."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def is_locked(user: User) -> bool:
    db.session.refresh(user)
    return bool(user.locked_until and user.locked_until > utcnow())


def count_wrong_password(user: User, *, end_sessions_if_locked: bool = False) -> bool:
    """Count a wrong password of `user`; lock the account at LOGIN_MAX_FAILURES (and, with
    `end_sessions_if_locked`, close its sessions). True if now locked.

    This runs in a transaction of its own, committed at once: the count must outlive the
    refusal the caller raises next, whose unit of work is rolled back. The increment happens
    in the database, so parallel attempts are all counted."""
    config = current_app.config
    with db.engine.begin() as conn:
        count = conn.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
        ).scalar_one()
        if count < config["LOGIN_MAX_FAILURES"]:
            return False
        conn.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=utcnow() + config["LOGIN_LOCKOUT"])
        )
        if end_sessions_if_locked:
            sessions.end_all_on(conn, user)
        audit.record_on(conn, "account.locked", user, user)
    return True


def set_locale(user: User, lang: str) -> None:
    """The language the site and its e-mails speak to `user` ("fr" or "en")."""
    user.locale = lang


def set_password(user: User, new_password: str) -> None:
    """Apply the policy, store the hash, and end every session of the user."""
    passwords.check_policy(new_password, email=user.email, name=user.full_name)
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    sessions.end_all(user)
    audit.record("account.password_changed", user, user)


def update_identity(user: User, full_name: str, job_title: str) -> None:
    """An HR manager's name and function, as the agreements they sign for their firm print
    them; the agreements in draft that name them follow (deals/signatories.py)."""
    full_name, job_title = full_name.strip(), job_title.strip()
    errors = {}
    if not full_name:
        errors["full_name"] = _("Indiquez vos prénom et nom.")
    if not job_title:
        errors["job_title"] = _(
            "Indiquez votre fonction : elle figure sur les accords que vous signez pour votre "
            "entreprise."
        )
    if errors:
        raise ValidationError(errors)
    user.full_name, user.job_title = full_name, job_title
    signatories.account_changed(user)
    audit.record("account.identity", user, user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        if count_wrong_password(user, end_sessions_if_locked=True):
            raise ServiceError(
                _("Trop d'erreurs : le compte est verrouillé et vous avez été déconnecté.")
            )
        raise ServiceError(_("Le mot de passe actuel est incorrect."), "current_password")
    set_password(user, new_password)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _hash_fingerprint(user: User) -> str:
    """A keyed digest of the current password hash: it makes the link single-use (once the
    password changes, the token no longer matches) without putting any part of the hash in
    the token, whose payload anyone can read."""
    key = current_app.config["SECRET_KEY"].encode()
    message = (_RESET_SALT + ":" + (user.password_hash or "")).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": _hash_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    max_age: timedelta = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=int(max_age.total_seconds()))
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid"))
    fingerprint = data.get("fp")
    if (
        user is None
        or not user.is_active
        or not isinstance(fingerprint, str)
        or not hmac.compare_digest(_hash_fingerprint(user), fingerprint)
    ):
        return None
    return user


def request_password_reset(email: str, reset_url_for) -> None:
    """Queue a reset link if the account exists; say nothing either way."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    url = reset_url_for(make_reset_token(user))
    mail.queue(
        user,
        _l("Réinitialisation de votre mot de passe"),
        "password_reset",
        user=user,
        url=url,
    )


def create_admin(*, email: str, full_name: str, password: str) -> User:
    """A platform administrator with a password (the first account, from the CLI)."""
    if find_by_email(email):
        raise ServiceError(_("Un compte existe déjà avec cette adresse e-mail."), "email")
    passwords.check_policy(password, email=email, name=full_name)
    user = User(
        email=normalise_email(email),
        full_name=full_name.strip(),
        role=Role.ADMIN,
        password_hash=passwords.hash_password(password),
    )
    db.session.add(user)
    uow.flush_or_refuse(_("Un compte existe déjà avec cette adresse e-mail."), "email")
    audit.record("account.admin_created", None, user)
    return user


def list_staff() -> list[User]:
    """Operators, monitors and administrators, by role then name, with their schemes."""
    staff_roles = (Role.ADMIN, Role.OPERATOR, Role.MONITOR)
    return list(
        db.session.scalars(
            select(User)
            .options(selectinload(User.schemes))
            .where(User.role.in_(staff_roles))
            .order_by(User.role, User.full_name)
        )
    )


def create_staff_user(
    *, email: str, full_name: str, role: Role, schemes: list[Scheme], actor: User, set_url_for
) -> User:
    """Create an operator, monitor or admin account and email them a link to set a password."""
    if role not in (Role.OPERATOR, Role.MONITOR, Role.ADMIN):
        raise ServiceError(_("Rôle non autorisé pour un compte de personnel."), "role")
    if find_by_email(email):
        raise ServiceError(_("Un compte existe déjà avec cette adresse e-mail."), "email")
    if role in (Role.OPERATOR, Role.MONITOR) and not schemes:
        raise ServiceError(_("Choisissez au moins un dispositif."), "schemes")
    user = User(
        email=normalise_email(email),
        full_name=full_name.strip(),
        role=role,
        schemes=list(schemes) if role != Role.ADMIN else [],
    )
    db.session.add(user)
    uow.flush_or_refuse(_("Un compte existe déjà avec cette adresse e-mail."), "email")
    mail.queue(
        user,
        _l("Votre compte sur la plateforme de prêt de main-d'œuvre"),
        "staff_welcome",
        user=user,
        url=set_url_for(make_reset_token(user)),
    )
    audit.record("account.staff_created", actor, user)
    return user
