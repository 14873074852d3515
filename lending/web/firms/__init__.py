from flask import Blueprint

bp = Blueprint("firms", __name__, url_prefix="/entreprise")

from lending.web.firms import routes  # noqa: E402, F401
