from flask import Blueprint

bp = Blueprint("employees", __name__, url_prefix="/entreprise/salaries")

from lending.web.employees import import_routes, routes  # noqa: E402, F401
