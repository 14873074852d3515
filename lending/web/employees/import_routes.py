"""CSV import of available employees: the template to fill in, and the upload."""

from flask import Response, jsonify, redirect, render_template, url_for
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired

from lending.authz import current_firm_or_404, get_import_task_or_404, roles_required
from lending.models import Role
from lending.services import employee_import, tasks
from lending.web.edge import submit
from lending.web.employees import bp
from lending.web.forms import BaseForm


class ImportForm(BaseForm):
    file = FileField(
        _l("Fichier CSV des salariés"),
        validators=[FileRequired(_l("Choisissez le fichier CSV à importer."))],
    )


@bp.get("/modele.csv")
@roles_required(Role.HR)
def import_template():
    return Response(
        employee_import.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="modele-import-salaries.csv"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(Role.HR)
def import_csv():
    firm = current_firm_or_404()
    form = ImportForm()
    # The file is read and imported by a worker; the page that follows shows progress.
    outcome = submit(
        form,
        lambda: employee_import.queue(
            firm, form.file.data.stream.read(employee_import.MAX_FILE_BYTES + 1), current_user
        ),
    )
    if outcome:
        task = outcome.value
        tasks.kick(task.id)
        return redirect(url_for("employees.import_status", task_id=task.id))
    return render_template(
        "employees/import.html",
        form=form,
        columns=employee_import.COLUMNS,
        max_mb=employee_import.MAX_FILE_BYTES // (1024 * 1024),
        max_rows=format_number(employee_import.MAX_ROWS),
    )


@bp.get("/import/<id:task_id>")
@roles_required(Role.HR)
def import_status(task_id: int):
    task = get_import_task_or_404(task_id)
    return render_template(
        "employees/import_status.html",
        task=task,
        refused=employee_import.outcome(task),
        status=employee_import.status_text(task),
    )


@bp.get("/import/<id:task_id>/etat")
@roles_required(Role.HR)
def import_progress(task_id: int):
    """The import's progress (polled by static/js/site.js)."""
    task = get_import_task_or_404(task_id)
    return jsonify(
        status=task.status.value, label=employee_import.status_text(task), percent=task.percent
    )
