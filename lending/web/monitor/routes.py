from flask import render_template
from flask_login import current_user

from lending.authz import roles_required
from lending.models import Role
from lending.services import indicators
from lending.web.monitor import bp


@bp.get("")
@roles_required(Role.MONITOR, Role.OPERATOR, Role.ADMIN)
def dashboard():
    return render_template(
        "monitor/dashboard.html",
        indicators=indicators.visible_to(current_user),
        small_cell=indicators.SMALL_CELL,
    )
