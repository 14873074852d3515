"""CSV import of available employees: the template to fill in, and the upload."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import format_number, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired

from lending.authz import current_firm_or_404, roles_required
from lending.models import Role
from lending.services import employee_import, uow
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
    refused = None
    if form.validate_on_submit():
        content = form.file.data.stream.read(employee_import.MAX_FILE_BYTES + 1)
        try:
            imported = employee_import.import_employees(firm, content, current_user)
        except employee_import.ImportFileError as exc:
            uow.rollback()
            refused = exc
        else:
            uow.commit()
            flash(ngettext(
                "%(num)d salarié importé. Invitez-le depuis sa fiche à se porter volontaire.",
                "%(num)d salariés importés. Invitez-les depuis leur fiche à se porter volontaires.",
                len(imported),
            ), "success")  # fmt: skip
            return redirect(url_for("employees.index"))
    return render_template(
        "employees/import.html",
        form=form,
        refused=refused,
        columns=employee_import.COLUMNS,
        max_mb=employee_import.MAX_FILE_BYTES // (1024 * 1024),
        max_rows=format_number(employee_import.MAX_ROWS),
    )
