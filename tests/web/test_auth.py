"""Login, logout, sessions, lockout, password policy and reset, CSRF, headers."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lending.extensions import db
from lending.models import Role, UserSession
from lending.models._time import utcnow
from tests.factories import PASSWORD


@pytest.fixture
def login(login_with_form):
    """Here the login form itself is under test: every login posts it."""
    return login_with_form


def _session_cookie(client) -> str:
    return client.get_cookie("pret_session").value


def test_copied_session_cookie_is_refused_after_logout(app, client, make_user, login):
    user = make_user(Role.HR)
    login(user)
    stolen = _session_cookie(client)
    assert client.get("/compte").status_code == 200

    client.post_form("/deconnexion")

    attacker = app.test_client()
    attacker.set_cookie("pret_session", stolen)
    response = attacker.get("/compte")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_password_change_ends_every_session(app, client, make_user, login):
    user = make_user(Role.HR)
    other_device = app.test_client()
    login(user, test_client=other_device)
    login(user)

    response = client.post_form(
        "/compte/mot-de-passe",
        {
            "current_password": PASSWORD,
            "password": "une toute nouvelle phrase secrète",
            "confirm": "une toute nouvelle phrase secrète",
        },
    )
    assert response.status_code == 302
    assert other_device.get("/compte").status_code == 302
    assert client.get("/compte").status_code == 302
    login(user, password="une toute nouvelle phrase secrète")


def test_login_starts_a_new_session(client, make_user, login):
    user = make_user(Role.HR)
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "x"
    login(user)
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session
    first = db.session.scalars(select(UserSession.token_hash)).all()
    login(user, test_client=client.application.test_client())
    assert len(set(db.session.scalars(select(UserSession.token_hash)))) == len(first) + 1


def test_post_without_csrf_token_is_refused(client, make_user, make_scheme, make_firm, login):
    firm = make_firm()
    scheme = make_scheme()
    login(make_user(Role.HR, firm=firm))
    response = client.post(f"/entreprise/dispositifs/{scheme.id}/candidature")
    assert response.status_code == 400
    assert "Session expirée" in response.get_data(as_text=True)
    db.session.refresh(firm)
    assert firm.enrolments == []


def test_account_locks_after_repeated_failures(client, make_user):
    user = make_user(Role.HR)
    for _ in range(5):
        page = client.post_form("/connexion", {"email": user.email, "password": "mauvais mdp 123"})
        assert "Adresse e-mail ou mot de passe incorrect" in page.get_data(as_text=True)
    page = client.post_form("/connexion", {"email": user.email, "password": PASSWORD})
    assert page.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in page.get_data(as_text=True)
    assert client.get("/compte").status_code == 302
    db.session.refresh(user)
    assert user.locked_until is not None


def _login_page(client, email: str, password: str) -> str:
    page = client.post_form("/connexion", {"email": email, "password": password})
    assert page.status_code == 200
    return re.sub(
        r'(name="csrf[-_]token"[^>]*(content|value)=)"[^"]*"', r"\1", page.get_data(as_text=True)
    )


def test_one_login_failure_answer_whatever_the_cause(client, make_user):
    """A wrong password, an unknown address and a locked account read the same."""
    user = make_user(Role.HR, email="connue@example.fr")
    wrong = _login_page(client, user.email, "mauvais mdp 123")
    unknown = _login_page(client, "inconnue@example.fr", "mauvais mdp 123")
    for _ in range(4):
        _login_page(client, user.email, "mauvais mdp 123")
    locked = _login_page(client, user.email, PASSWORD)
    locked_wrong = _login_page(client, user.email, "mauvais mdp 123")
    assert "Adresse e-mail ou mot de passe incorrect" in wrong
    assert wrong == unknown.replace("inconnue@", "connue@") == locked == locked_wrong


def test_argon2_verification_runs_on_every_failed_login(client, make_user, monkeypatch):
    from argon2 import PasswordHasher

    calls = []
    verify = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda self, *a: calls.append(1) or verify(self, *a)
    )
    user = make_user(Role.HR)
    for email, password in [("inconnue@example.fr", PASSWORD)] + [(user.email, "mauvais")] * 5:
        calls.clear()
        _login_page(client, email, password)
        assert len(calls) == 1, email
    calls.clear()
    _login_page(client, user.email, PASSWORD)  # locked: the right password is refused
    assert len(calls) == 1
    staff = make_user(Role.OPERATOR)
    staff.password_hash = None  # invited, password not set yet
    db.session.commit()
    calls.clear()
    _login_page(client, staff.email, PASSWORD)
    assert len(calls) == 1


def test_idle_session_expires(client, make_user, login):
    user = make_user(Role.HR)
    login(user)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    response = client.get("/compte")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def _reset_link(outbox) -> str:
    assert len(outbox) == 1
    return re.search(r"http://localhost(/reinitialiser/\S+)", outbox[0].body).group(1)


def test_password_reset_by_email_link_is_single_use(client, outbox, make_user, login):
    user = make_user(Role.HR)
    client.post_form("/mot-de-passe-oublie", {"email": user.email.upper()})
    link = _reset_link(outbox)
    assert outbox[0].to == [user.email]

    new = "le lot-et-garonne au printemps"
    response = client.post_form(link, {"password": new, "confirm": new})
    assert response.status_code == 302
    login(user, password=new)

    again = client.get(link)
    assert again.status_code == 302
    assert "/mot-de-passe-oublie" in again.headers["Location"]


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = client.post_form(
        "/mot-de-passe-oublie", {"email": "personne@example.fr"}, follow_redirects=True
    )
    assert "Si un compte correspond à cette adresse" in response.get_data(as_text=True)
    assert outbox == []


def test_password_policy_messages(client, outbox, make_user):
    user = make_user(Role.HR)
    client.post_form("/mot-de-passe-oublie", {"email": user.email})
    link = _reset_link(outbox)
    cases = {
        "court": "au moins 12 caractères",
        "motdepasse123": "trop courant",
        "x" * 129: "plus de 128 caractères",
        "aaaaaaaaaaaaaaaa": "trop courant",
    }
    for password, message in cases.items():
        page = client.post_form(link, {"password": password, "confirm": password})
        assert page.status_code == 200
        assert message in page.get_data(as_text=True), password
    # Any character is allowed, spaces and emoji included.
    fancy = "🚀 Été à Agen — 2026 !"
    assert client.post_form(link, {"password": fancy, "confirm": fancy}).status_code == 302


def test_cookies_and_security_headers(client, make_user, login):
    response = client.get("/connexion")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    login(make_user(Role.HR))
    assert client.get("/compte").headers["Cache-Control"] == "no-store"


def test_production_cookies_are_secure(monkeypatch):
    from lending import create_app

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SERVER_NAME", "localhost")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/connexion", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_production_refuses_to_start_without_secrets(monkeypatch):
    import pytest

    from config import get_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://x/y")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        get_config("production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        get_config("production")


def test_login_attempts_are_rate_limited_per_address(app, client, monkeypatch):
    from lending.extensions import limiter

    monkeypatch.setitem(app.config, "SENSITIVE_FORM_RATE_LIMIT", "3 per minute")
    limiter.reset()
    try:
        for n in range(3):
            page = client.post_form("/connexion", {"email": f"x{n}@example.fr", "password": "p"})
            assert page.status_code == 200
        page = client.post_form("/connexion", {"email": "x@example.fr", "password": "p"})
        assert page.status_code == 429
        assert "Trop de tentatives" in page.get_data(as_text=True)
        assert client.get("/connexion").status_code == 200  # showing the form is not counted
    finally:
        limiter.reset()


def test_reset_token_reveals_nothing_of_the_password_hash(client, outbox, make_user):
    import base64
    import json

    user = make_user(Role.HR)
    client.post_form("/mot-de-passe-oublie", {"email": user.email})
    token = _reset_link(outbox).rsplit("/", 1)[1]
    payload = token.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    salt_and_digest = user.password_hash.rsplit("$", 2)[-2:]
    for part in salt_and_digest:
        for start in range(0, len(part) - 7):
            assert part[start : start + 8] not in decoded, decoded
    assert set(json.loads(decoded)) <= {"uid", "fp"}


def test_reset_token_dies_when_the_password_changes(client, outbox, make_user, login):
    user = make_user(Role.HR)
    client.post_form("/mot-de-passe-oublie", {"email": user.email})
    link = _reset_link(outbox)
    login(user)
    new = "une toute nouvelle phrase secrète"
    client.post_form(
        "/compte/mot-de-passe", {"current_password": PASSWORD, "password": new, "confirm": new}
    )
    response = client.get(link)
    assert response.status_code == 302
    assert "/mot-de-passe-oublie" in response.headers["Location"]


def test_every_page_but_static_files_is_no_store(client, outbox, make_user):
    user = make_user(Role.HR)
    client.post_form("/mot-de-passe-oublie", {"email": user.email})
    reset = client.get(_reset_link(outbox))
    assert reset.status_code == 200
    for response in (reset, client.get("/connexion"), client.get("/"), client.get("/nulle-part")):
        assert response.headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/site.css")
    static.close()
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
