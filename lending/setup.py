"""Wiring of extensions, blueprints, template helpers and CLI into the app."""

from flask import Flask, abort, g, has_request_context, request, session
from flask_babel import (
    format_date,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
    lazy_gettext,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from lending import authz, french, money
from lending.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

CSP = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer that fits a database integer column.

    A larger number cannot be a row id, so it is a 404 instead of a database error.
    """

    def __init__(self, map):
        super().__init__(map, min=1, max=2**31 - 1)


def select_locale() -> str:
    if not has_request_context():  # command line, scheduler, background round: French
        return "fr"
    languages = g.get("languages") or ("fr", "en")
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "fr"


def register_extensions(app: Flask) -> None:
    from lending import models  # noqa: F401  (registers the models)
    from lending.services import sessions

    app.url_map.converters["id"] = IdConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    # Talisman keeps its settings on the instance, so each app gets its own.
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        strict_transport_security=app.config["FORCE_HTTPS"],
    )

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the server-side session row does this job

    @login_manager.user_loader
    def load_user(token: str):
        return sessions.load(
            token, app.config["SESSION_IDLE_TIMEOUT"], app.config["PERMANENT_SESSION_LIFETIME"]
        )

    @app.after_request
    def no_store_but_static_files(response):
        # Anonymous pages show personal data too (an invitation or reset link names its
        # holder), so no page is ever stored by a browser or proxy cache.
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.before_request
    def languages():
        g.languages = app.config["LANGUAGES"]

    @app.before_request
    def refuse_nul_characters():
        # No text field accepts a NUL character, and PostgreSQL cannot store one.
        for values in (request.args, request.form):
            if any("\x00" in value for _, value in values.items(multi=True)):
                abort(400)

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["format_decimal"] = format_decimal
    app.jinja_env.globals["format_percent"] = format_percent

    def format_cents(cents: int) -> str:
        """Money in the reader's language: "3 450,00 €", "€3,450.00"."""
        return money.euros(cents, locale=get_locale())

    app.jinja_env.globals["format_cents"] = format_cents

    def distance_band(km):
        from lending.services.profiles import distance_band as band

        return band(km)

    app.jinja_env.globals["distance_band"] = distance_band
    for name in authz.TEMPLATE_PREDICATES:
        app.jinja_env.globals[name] = getattr(authz, name)

    def job_title_suggestions():
        from lending.services.skills import job_title_labels

        return job_title_labels()

    app.jinja_env.globals["job_title_suggestions"] = job_title_suggestions
    # A form field's error message: text, or Babel's lazy text (a FieldList's errors are lists).
    app.jinja_env.tests["message"] = lambda value: isinstance(value, str | LazyString)

    def date_words(value, width: str = "long") -> str:
        """A date in the reader's language, "1er mars 2027" in French as in documents."""
        text = format_date(value, width)
        return french.first_day(text) if french.is_french() else text

    app.jinja_env.filters["date_fr"] = lambda value: date_words(value) if value else ""
    app.jinja_env.filters["month_fr"] = lambda value: format_date(value, "LLLL yyyy")
    app.jinja_env.filters["datetime_fr"] = lambda value: (
        f"{date_words(value)} {format_time(value, 'short')}" if value else ""
    )
    app.jinja_env.filters["weekday_datetime"] = lambda value: (
        f"{date_words(value, 'full')}, {format_time(value, 'short')}" if value else ""
    )
    # French elision in every template's _() ("Candidature d'Atelier"), and de() for
    # a name outside a message ("Prêt d'Émile").
    app.jinja_env.globals["gettext"] = french.jinja_gettext
    app.jinja_env.globals["de"] = french.de


def register_blueprints(app: Flask) -> None:
    from lending.web.admin import bp as admin_bp
    from lending.web.agreements import bp as agreements_bp
    from lending.web.auth import bp as auth_bp
    from lending.web.desk import bp as desk_bp
    from lending.web.employees import bp as employees_bp
    from lending.web.firms import bp as firms_bp
    from lending.web.loans import bp as loans_bp
    from lending.web.main import bp as main_bp
    from lending.web.monitor import bp as monitor_bp
    from lending.web.needs import bp as needs_bp
    from lending.web.proposals import bp as proposals_bp
    from lending.web.reference import bp as reference_bp
    from lending.web.rounds import bp as rounds_bp
    from lending.web.schemes import bp as schemes_bp
    from lending.web.volunteer import bp as volunteer_bp

    for blueprint in (
        main_bp,
        auth_bp,
        firms_bp,
        employees_bp,
        needs_bp,
        volunteer_bp,
        schemes_bp,
        admin_bp,
        monitor_bp,
        reference_bp,
        rounds_bp,
        proposals_bp,
        agreements_bp,
        loans_bp,
        desk_bp,
    ):
        app.register_blueprint(blueprint)


def register_cli(app: Flask) -> None:
    import lending.cli_backup  # noqa: F401  (adds backup and restore to lending_cli)
    from lending.cli import lending_cli

    app.cli.add_command(lending_cli)
