from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from lending.authz import (
    get_enrolment_for_operator_or_404,
    get_scheme_or_404,
    roles_required,
)
from lending.french import gettext as _
from lending.models import Role
from lending.services import scheme_firms, schemes
from lending.services.reference import departement_choices
from lending.web import choices
from lending.web.edge import act, attempt
from lending.web.schemes import bp
from lending.web.schemes.forms import RejectForm, SchemeForm


@bp.get("")
@roles_required(Role.ADMIN, Role.OPERATOR)
def index():
    return render_template("schemes/index.html", schemes=schemes.visible_to(current_user))


def _edit(scheme=None):
    form = SchemeForm(obj=scheme)
    form.departement_codes.choices = choices(departement_choices())
    if request.method == "GET":
        form.show_schedule(scheme.matching_cron if scheme else schemes.DEFAULT_CRON)
        if scheme is not None:
            form.departement_codes.data = sorted(scheme.departement_codes)
    if form.validate_on_submit():
        data = schemes.SchemeData(
            **{name: form[name].data for name in schemes.SchemeData.__annotations__}
        )
        data.matching_cron = form.schedule()
        data.description = data.description or ""
        outcome = attempt(lambda: schemes.save_scheme(data, current_user, scheme), form)
        if outcome:
            flash(_("Dispositif enregistré."), "success")
            return redirect(url_for("schemes.detail", scheme_id=outcome.value.id))
    return render_template(
        "schemes/edit.html", form=form, scheme=scheme, next_rounds=schemes.next_rounds(scheme)
    )


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create():
    return _edit()


@bp.route("/<id:scheme_id>/modifier", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.OPERATOR)
def edit(scheme_id: int):
    return _edit(get_scheme_or_404(scheme_id, manage=True))


@bp.get("/<id:scheme_id>")
@roles_required(Role.ADMIN, Role.OPERATOR)
def detail(scheme_id: int):
    scheme = get_scheme_or_404(scheme_id, manage=True)
    return render_template(
        "schemes/detail.html",
        scheme=scheme,
        by_status=schemes.enrolments_by_status(scheme),
        activity=scheme_firms.activity_of(scheme),
        next_rounds=schemes.next_rounds(scheme),
    )


@bp.post("/<id:scheme_id>/candidatures/<id:enrolment_id>/<any(accepter,refuser):decision>")
@roles_required(Role.ADMIN, Role.OPERATOR)
def decide(scheme_id: int, enrolment_id: int, decision: str):
    scheme = get_scheme_or_404(scheme_id, manage=True)
    enrolment = get_enrolment_for_operator_or_404(scheme, enrolment_id)
    approve = decision == "accepter"
    form = FlaskForm() if approve else RejectForm()
    reason = "" if approve else form.reason.data
    if act(form, lambda: schemes.decide(enrolment, current_user, approve=approve, reason=reason)):
        name = enrolment.firm.name
        if approve:
            flash(_("Candidature de %(f)s acceptée.", f=name), "success")
        else:
            flash(
                _("Candidature de %(f)s refusée ; le motif lui a été transmis.", f=name), "success"
            )
    return redirect(url_for("schemes.detail", scheme_id=scheme.id))
