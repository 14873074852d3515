from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lending.authz import current_firm_or_404, get_scheme_to_apply_or_404, roles_required
from lending.models import Role
from lending.services import proposals, schemes, volunteering
from lending.web.edge import attempt
from lending.web.firms import bp


@bp.get("")
@roles_required(Role.HR)
def home():
    firm = current_firm_or_404()
    enrolled = {e.scheme_id: e for e in firm.enrolments}
    options = schemes.schemes_open_to(firm)
    return render_template(
        "firms/home.html",
        firm=firm,
        enrolled=enrolled,
        options=options,
        waiting=proposals.count_waiting(firm),
    )


@bp.post("/code")
@roles_required(Role.HR)
def regenerate_code():
    firm = current_firm_or_404()
    outcome = attempt(lambda: volunteering.regenerate_enrolment_code(firm, current_user))
    if outcome:
        flash(
            _(
                "Nouveau code entreprise : %(code)s. L'ancien ne fonctionne plus.",
                code=outcome.value,
            ),
            "success",
        )
    return redirect(url_for("firms.home"))


@bp.post("/dispositifs/<id:scheme_id>/candidature")
@roles_required(Role.HR)
def apply(scheme_id: int):
    firm = current_firm_or_404()
    scheme = get_scheme_to_apply_or_404(scheme_id)
    if FlaskForm().validate_on_submit() and attempt(
        lambda: schemes.apply(firm, scheme, current_user)
    ):
        flash(
            _("Candidature envoyée à l'opérateur du dispositif %(s)s.", s=scheme.name),
            "success",
        )
    return redirect(url_for("firms.home"))
