from flask import Blueprint

bp = Blueprint("schemes", __name__, url_prefix="/dispositifs")

from lending.web.schemes import routes  # noqa: E402, F401
