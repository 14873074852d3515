from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/propositions")

from lending.web.proposals import routes  # noqa: E402, F401
