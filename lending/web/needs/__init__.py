from flask import Blueprint

bp = Blueprint("needs", __name__, url_prefix="/entreprise/besoins")

from lending.web.needs import routes  # noqa: E402, F401
