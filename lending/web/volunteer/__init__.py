from flask import Blueprint

bp = Blueprint("volunteer", __name__)

from lending.web.volunteer import routes  # noqa: E402, F401
