from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/accords")

from lending.web.agreements import routes  # noqa: E402, F401
