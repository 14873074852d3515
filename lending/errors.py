"""French error pages; the 500 page shows an incident id, never a trace."""

import logging
import uuid

from flask import Flask, render_template
from flask.globals import _cv_request
from flask_wtf.csrf import CSRFError

from lending.extensions import db

log = logging.getLogger(__name__)


def _ensure_url_adapter(app: Flask) -> None:
    """A request for a host the site does not serve (or a malformed Host) has no URL adapter,
    so its error page could not build its links: bind one to the site's own name."""
    ctx = _cv_request.get(None)
    if ctx is not None and ctx.url_adapter is None:
        ctx.url_adapter = app.url_map.bind(
            app.config.get("SERVER_NAME") or "localhost",
            url_scheme=app.config["PREFERRED_URL_SCHEME"],
        )


def register_errorhandlers(app: Flask) -> None:
    def page(template: str, status: int, **context):
        _ensure_url_adapter(app)
        return render_template(template, **context), status

    @app.errorhandler(400)
    def bad_request(error):
        return page("errors/400.html", 400)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return page("errors/csrf.html", 400)

    @app.errorhandler(403)
    def forbidden(error):
        return page("errors/403.html", 403)

    @app.errorhandler(404)
    def not_found(error):
        return page("errors/404.html", 404)

    @app.errorhandler(405)
    def method_not_allowed(error):
        return page("errors/405.html", 405)

    @app.errorhandler(413)
    def too_large(error):
        return page("errors/413.html", 413, limit_kb=app.config["MAX_CONTENT_LENGTH"] // 1024)

    @app.errorhandler(429)
    def too_many_requests(error):
        return page("errors/429.html", 429)

    @app.errorhandler(500)
    def server_error(error):
        incident = uuid.uuid4().hex[:12]
        original = getattr(error, "original_exception", None) or error
        log.error("incident %s", incident, exc_info=original)
        db.session.rollback()
        return page("errors/500.html", 500, incident=incident)
