from flask import Blueprint

bp = Blueprint("monitor", __name__, url_prefix="/suivi")

from lending.web.monitor import routes  # noqa: E402, F401
