from flask import Blueprint

bp = Blueprint("rounds", __name__, url_prefix="/dispositifs")

from lending.web.rounds import routes  # noqa: E402, F401
