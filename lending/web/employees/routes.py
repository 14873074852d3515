from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from lending import money
from lending.authz import current_firm_or_404, get_employee_for_hr_or_404, roles_required
from lending.extensions import db
from lending.french import gettext as _
from lending.models import EmployeeStatus, Role
from lending.services import employees, volunteering
from lending.services.skills import with_skill_rows
from lending.web import page_number
from lending.web.edge import attempt, submit
from lending.web.employees import bp
from lending.web.employees.forms import EmployeeForm, FilterForm
from lending.web.fields import (
    fill_place,
    fill_skill_rows,
    prepare_place,
    prepare_skill_rows,
    read_skill_rows,
)

PER_PAGE = 25
MONEY = ("gross_salary", "employer_charges", "expenses")


@bp.get("")
@roles_required(Role.HR)
def index():
    firm = current_firm_or_404()
    filters = FilterForm(request.args)
    status = request.args.get("statut", "")
    query = employees.query_for_firm(firm, text=filters.q.data or "", status=status)
    page = db.paginate(
        query, per_page=PER_PAGE, page=page_number(), error_out=False, max_per_page=PER_PAGE
    )
    return render_template(
        "employees/index.html",
        firm=firm,
        page=page,
        filters=filters,
        status=status,
        form=FlaskForm(),
    )


def _data(form: EmployeeForm) -> employees.EmployeeData:
    fields = {
        name: form[name].data for name in employees.EmployeeData.__annotations__ if name != "skills"
    }
    fields["qualification"] = fields["qualification"] or ""
    for name in MONEY:  # the form holds cents; EmployeeData euros, as the CSV import declares
        fields[name] = money.to_euros(fields[name])
    skills = [employees.SkillLevel(s, level) for s, level, _m in read_skill_rows(form.skills)]
    return employees.EmployeeData(**fields, skills=skills)


def _edit(employee=None):
    firm = current_firm_or_404()
    form = EmployeeForm(obj=employee)
    if request.method == "GET" and employee is not None:
        fill_place(form, employee.commune)
        for name in MONEY:
            form[name].data = getattr(employee, f"{name}_cents")
        fill_skill_rows(form.skills, [(s.skill_id, s.level) for s in employee.skills])
    prepare_place(form)
    prepare_skill_rows(form.skills)
    saved = []

    def save():
        if employee is None:
            saved.append(employees.declare(firm, _data(form), current_user))
        else:
            saved.append(employees.update(employee, _data(form), current_user))

    if submit(form, save):
        flash(_("Fiche de %(name)s enregistrée.", name=saved[0].full_name), "success")
        return redirect(url_for("employees.index"))
    return render_template("employees/edit.html", form=form, employee=employee, actions=FlaskForm())


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required(Role.HR)
def create():
    return _edit()


@bp.route("/<id:employee_id>", methods=["GET", "POST"])
@roles_required(Role.HR)
def edit(employee_id: int):
    return _edit(with_skill_rows(get_employee_for_hr_or_404(employee_id)))


@bp.post("/<id:employee_id>/<any(retirer,proposer):action>")
@roles_required(Role.HR)
def set_status(employee_id: int, action: str):
    employee = get_employee_for_hr_or_404(employee_id)
    status = EmployeeStatus.WITHDRAWN if action == "retirer" else EmployeeStatus.AVAILABLE
    done = attempt(lambda: employees.set_status(employee, status, current_user))
    if done and status == EmployeeStatus.WITHDRAWN:
        flash(_("%(name)s n'est plus proposé au prêt.", name=employee.full_name), "success")
    elif done:
        flash(_("%(name)s est de nouveau proposé au prêt.", name=employee.full_name), "success")
    return redirect(url_for("employees.edit", employee_id=employee.id))


@bp.post("/<id:employee_id>/inviter")
@roles_required(Role.HR)
def invite(employee_id: int):
    employee = get_employee_for_hr_or_404(employee_id)
    outcome = attempt(
        lambda: volunteering.invite(
            employee,
            current_user,
            lambda token: url_for("volunteer.accept_invitation", token=token, _external=True),
        )
    )
    if outcome:
        if outcome.unsent:
            flash(
                _(
                    "L'invitation n'a pas pu être envoyée à %(email)s : réessayez plus tard.",
                    email=employee.email,
                ),
                "error",
            )
        else:
            flash(_("Invitation envoyée à %(email)s.", email=employee.email), "success")
    return redirect(url_for("employees.edit", employee_id=employee.id))
