"""French error pages; the 500 page shows an incident id, never a trace."""

import logging
import uuid

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from lending.extensions import db

log = logging.getLogger(__name__)


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        return render_template("errors/400.html"), 400

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_template("errors/405.html"), 405

    @app.errorhandler(413)
    def too_large(error):
        limit_kb = app.config["MAX_CONTENT_LENGTH"] // 1024
        return render_template("errors/413.html", limit_kb=limit_kb), 413

    @app.errorhandler(429)
    def too_many_requests(error):
        return render_template("errors/429.html"), 429

    @app.errorhandler(500)
    def server_error(error):
        incident = uuid.uuid4().hex[:12]
        original = getattr(error, "original_exception", None) or error
        log.error("incident %s", incident, exc_info=original)
        db.session.rollback()
        return render_template("errors/500.html", incident=incident), 500
