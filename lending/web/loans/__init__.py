from flask import Blueprint

bp = Blueprint("loans", __name__, url_prefix="/prets")

from lending.web.loans import billing, routes  # noqa: E402, F401
