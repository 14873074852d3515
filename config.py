"""Application settings: the one place that reads the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


# The development key: known to everyone, so production refuses it.
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'lending.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # The territory's dashboard runs its queries on this many connections at once
    # (lending/services/dashboard/fanout.py); 1: one after the other, in the request's.
    DASHBOARD_CONNECTIONS = int(os.environ.get("DASHBOARD_CONNECTIONS", "2"))

    # Sessions: server-side records (see lending/services/sessions.py), cookie flags here.
    SESSION_COOKIE_NAME = "pret_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    FORCE_HTTPS = True

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")

    # Per-IP rate limits (Flask-Limiter). Use a shared storage (redis://...) when several
    # web processes run, so the limit holds across them.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    SENSITIVE_FORM_RATE_LIMIT = "20 per minute; 200 per hour"
    # Number of trusted proxies in front of the app (X-Forwarded-For / -Proto).
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))

    # argon2-cffi's profile (argon2.profiles): RFC 9106's low-memory recommendation.
    ARGON2_PROFILE = "RFC_9106_LOW_MEMORY"
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT = timedelta(minutes=15)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    SIGNUP_CONFIRM_MAX_AGE = timedelta(hours=24)

    MAIL_BACKEND = "smtp"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Prêt de main-d'œuvre <ne-pas-repondre@pret-main-oeuvre.fr>"
    )
    SERVER_NAME = os.environ.get("SERVER_NAME")
    PREFERRED_URL_SCHEME = "https"

    # Matching rounds: the engine runs in a spawned process (killed at the scheme's time
    # limit). Rounds and large imports are tasks of the worker processes
    # (`flask lending worker`), never run inside a request.
    MATCHING_IN_WORKER = True
    TASKS_EAGER = False


class DevelopmentConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False
    PREFERRED_URL_SCHEME = "http"
    # Emails are printed on the console unless a local SMTP debugging server is named.
    MAIL_BACKEND = "smtp" if os.environ.get("MAIL_SERVER") else "console"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False
    PREFERRED_URL_SCHEME = "http"
    MAIL_BACKEND = "locmem"
    SERVER_NAME = None
    # The suite hashes and verifies thousands of passwords: the cheapest argon2 (never in
    # production; tests/test_app.py checks the production settings keep the strong one).
    ARGON2_PROFILE = "CHEAPEST"
    # The suite logs in hundreds of times from one address; test_rate_limit lowers it.
    SENSITIVE_FORM_RATE_LIMIT = "10000 per minute"
    # A spawned engine process costs ~1 s; tests/services/test_round_worker.py covers it.
    MATCHING_IN_WORKER = False
    # Tasks queued by a request run right after its commit, in the request, so a test sees
    # their result; tests/test_worker.py runs real worker processes instead.
    TASKS_EAGER = True


class ProductionConfig(Config):
    # Requests for any other host are refused, so links in emails (built from the request's
    # host) can never point elsewhere.
    TRUSTED_HOSTS = [os.environ["SERVER_NAME"]] if os.environ.get("SERVER_NAME") else None

    @classmethod
    def check(cls) -> None:
        """Refuse to start without real secrets: raises RuntimeError."""
        secret = os.environ.get("SECRET_KEY", "")
        if len(secret) < 32 or secret == DEV_SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set to a random value of 32+ characters")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        if not os.environ.get("SERVER_NAME"):
            raise RuntimeError("SERVER_NAME (the site's public host name) must be set")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    """The settings for `name`, else LENDING_ENV. Unset means production, so a deployment
    that forgets it still refuses to run without its secrets; `make run` sets development."""
    name = name or os.environ.get("LENDING_ENV", "production")
    config = CONFIGS[name]
    if config is ProductionConfig:
        config.check()
    return config
