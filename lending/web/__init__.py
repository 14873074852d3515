"""Blueprints by feature, and the helpers their views share."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from lending.services.errors import ServiceError, ValidationError


def show_errors(form: FlaskForm, exc: ServiceError) -> None:
    """Attach a service's messages to the form fields they name; the rest is flashed."""
    errors = exc.errors if isinstance(exc, ValidationError) else {exc.field: exc.message}
    for field_name, message in errors.items():
        field = getattr(form, field_name, None) if field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            flash(message, "error")


def _sensitive_form_limit() -> str:
    return current_app.config["SENSITIVE_FORM_RATE_LIMIT"]


def rate_limited(view):
    """Per-IP limit on a form's submissions (showing the form is free)."""
    from lending.extensions import limiter

    return limiter.limit(_sensitive_form_limit, methods=["POST"])(view)


def page_number() -> int:
    """The ?page= of a list, bounded so that no value can reach the database as an error."""
    text = request.args.get("page", "1")
    page = int(text) if text.isascii() and text.isdigit() and len(text) < 6 else 1
    return max(1, page)


def fresh_session() -> None:
    """Empty the cookie session, keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def log_in(user) -> None:
    """Start a fresh session: nothing from the anonymous session survives but the language,
    and a new server-side session row (see services/sessions.py) backs the cookie."""
    from lending.services import sessions

    fresh_session()
    sessions.start(user, request.remote_addr, request.user_agent.string)
    login_user(user)


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the home page (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        clean = all(ord(ch) > 0x20 and ch != "\\" for ch in target)
        if clean and not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


def submit(form: FlaskForm, action) -> bool:
    """The edge of a form's unit of work: validate (unless the no-JavaScript "refresh"
    button was used), run `action()` — a service call —, commit; on a refusal roll back and
    show the service's messages on the form. True when saved."""
    from lending.services import uow

    if "refresh" in request.form or not form.validate_on_submit():
        return False
    try:
        action()
    except ServiceError as exc:
        uow.rollback()
        show_errors(form, exc)
        return False
    uow.commit()
    return True


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def signup_confirm_url(token: str) -> str:
    """The link that confirms a sign-up (see services/signups.py)."""
    return url_for("auth.confirm_signup", token=token, _external=True)


def check_your_mailbox(email: str):
    """The one answer to a sign-up, whether or not the address has an account."""
    flash(
        _(
            "Vérifiez votre messagerie : un e-mail vient d'être envoyé à %(email)s pour "
            "terminer l'inscription. Le lien qu'il contient est valable 24 heures.",
            email=email.strip(),
        ),
        "info",
    )
    return redirect(url_for("auth.login"))
