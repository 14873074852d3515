from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lending import money
from lending.authz import current_firm_or_404, get_need_for_hr_or_404, roles_required
from lending.extensions import db
from lending.models import Role
from lending.services import needs
from lending.services.skills import with_skill_rows
from lending.web import page_number
from lending.web.edge import attempt, submit
from lending.web.fields import (
    fill_place,
    fill_skill_rows,
    prepare_place,
    prepare_skill_rows,
    read_skill_rows,
)
from lending.web.needs import bp
from lending.web.needs.forms import NeedForm

PER_PAGE = 25


@bp.get("")
@roles_required(Role.HR)
def index():
    firm = current_firm_or_404()
    status = request.args.get("statut", "")
    page = db.paginate(
        needs.query_for_firm(firm, status=status),
        per_page=PER_PAGE,
        page=page_number(),
        error_out=False,
        max_per_page=PER_PAGE,
    )
    return render_template("needs/index.html", page=page, status=status)


def _data(form: NeedForm) -> needs.NeedData:
    fields = {name: form[name].data for name in needs.NeedData.__annotations__ if name != "skills"}
    fields["ppe"] = fields["ppe"] or ""
    fields["monthly_budget"] = money.to_euros(fields["monthly_budget"])  # NeedData: euros
    skills = [needs.RequiredSkill(s, level, m) for s, level, m in read_skill_rows(form.skills)]
    return needs.NeedData(**fields, skills=skills)


def _edit(need=None):
    firm = current_firm_or_404()
    form = NeedForm(obj=need)
    if request.method == "GET" and need is not None:
        fill_place(form, need.commune)
        form.monthly_budget.data = need.monthly_budget_cents
        fill_skill_rows(form.skills, [(s.skill_id, s.min_level, s.mandatory) for s in need.skills])
    prepare_place(form)
    prepare_skill_rows(form.skills)
    saved = []

    def save():
        if need is None:
            saved.append(needs.declare(firm, _data(form), current_user))
        else:
            saved.append(needs.update(need, _data(form), current_user))

    if submit(form, save):
        flash(_("Besoin « %(t)s » enregistré.", t=saved[0].title), "success")
        return redirect(url_for("needs.index"))
    return render_template("needs/edit.html", form=form, need=need, actions=FlaskForm())


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required(Role.HR)
def create():
    return _edit()


@bp.route("/<id:need_id>", methods=["GET", "POST"])
@roles_required(Role.HR)
def edit(need_id: int):
    return _edit(with_skill_rows(get_need_for_hr_or_404(need_id)))


@bp.post("/<id:need_id>/clore")
@roles_required(Role.HR)
def close(need_id: int):
    need = get_need_for_hr_or_404(need_id)
    if attempt(lambda: needs.close(need, current_user)):
        flash(_("Besoin « %(t)s » clos.", t=need.title), "success")
    return redirect(url_for("needs.index"))
