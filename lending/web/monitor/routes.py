from flask import render_template
from flask_login import current_user

from lending.authz import roles_required, visible_schemes_query
from lending.extensions import db
from lending.models import Role
from lending.services.indicators import SMALL_CELL, scheme_indicators
from lending.web.monitor import bp


@bp.get("")
@roles_required(Role.MONITOR, Role.OPERATOR, Role.ADMIN)
def dashboard():
    schemes = db.session.scalars(visible_schemes_query(current_user)).all()
    return render_template(
        "monitor/dashboard.html",
        indicators=[scheme_indicators(s) for s in schemes],
        small_cell=SMALL_CELL,
    )
