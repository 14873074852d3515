from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/bureau")

from lending.web.desk import routes  # noqa: E402, F401
