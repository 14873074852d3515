"""Blueprints by feature, and the helpers their views share."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from wtforms.fields.choices import SelectChoice


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
