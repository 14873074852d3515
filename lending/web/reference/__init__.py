from flask import Blueprint

bp = Blueprint("reference", __name__, url_prefix="/api")

from lending.web.reference import routes  # noqa: E402, F401
