"""A loan's billing: the lender's monthly actuals (entered month by month, or imported), the
statements' PDF, and the host marking a statement paid or contested."""

import re
from datetime import date

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lending.authz import get_loan_or_404, get_statement_or_404, require_party, roles_required
from lending.documents import statement as statement_document
from lending.models import Party, Role
from lending.services.csv_files import ImportFileError
from lending.services.deals import actuals, actuals_import, payments
from lending.services.errors import ServiceError
from lending.web.edge import act, submit
from lending.web.loans import bp
from lending.web.loans.forms import ActualForm, ActualsImportForm, settle_forms
from lending.web.loans.routes import FOLLOWERS

MONTH = re.compile(r"(\d{4})-(\d{2})")


def _month_or_404(loan, text: str) -> actuals.Month:
    match = MONTH.fullmatch(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        abort(404)
    try:
        return actuals.month_of(loan, date(int(match[1]), int(match[2]), 1))
    except ServiceError:
        abort(404)


def _lenders_loan_or_404(loan_id: int):
    loan = get_loan_or_404(loan_id)
    require_party(loan, Party.LENDER)
    return loan


def _to_loan(loan, anchor: str):
    return redirect(url_for("loans.detail", loan_id=loan.id, _anchor=anchor))


@bp.route("/<id:loan_id>/mois/<month>", methods=["GET", "POST"])
@roles_required(Role.HR)
def actual(loan_id: int, month: str):
    loan = _lenders_loan_or_404(loan_id)
    line = _month_or_404(loan, month)
    figures = line.figures
    form = ActualForm(
        data={
            "salary": figures.salary_cents,
            "charges": figures.charges_cents,
            "expenses": figures.expenses_cents,
            "note": line.actual.note if line.actual is not None else "",
            "version": line.actual.version if line.actual is not None else 0,
        }
    )
    outcome = submit(
        form,
        lambda: actuals.record(
            loan,
            line.month,
            actuals.Figures(form.salary.data, form.charges.data, form.expenses.data),
            current_user,
            note=form.note.data or "",
            based_on=int(form.version.data) if (form.version.data or "").isdigit() else None,
        ),
    )
    if outcome:
        flash(_("Montants de %(month)s enregistrés.", month=actuals.month_words(line.month)))
        return _to_loan(loan, "reel")
    return render_template(
        "loans/actual.html",
        loan=loan,
        line=line,
        form=form,
        history=actuals.history(loan, line.month),
    )


@bp.get("/<id:loan_id>/mois/modele.csv")
@roles_required(Role.HR)
def actuals_template(loan_id: int):
    loan = _lenders_loan_or_404(loan_id)
    return Response(
        actuals_import.template_csv(loan),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="montants-pret-{loan.id}.csv"'},
    )


@bp.route("/<id:loan_id>/mois/import", methods=["GET", "POST"])
@roles_required(Role.HR)
def import_actuals(loan_id: int):
    loan = _lenders_loan_or_404(loan_id)
    form = ActualsImportForm()

    def import_file():
        content = form.file.data.stream.read(actuals_import.MAX_FILE_BYTES + 1)
        try:
            return actuals_import.import_actuals(loan, content, current_user)
        except ImportFileError as exc:
            exc.field = "file"  # shown by the report on the page, not flashed
            raise

    outcome = submit(form, import_file)
    if outcome:
        flash(_("Fichier importé : %(n)d mois enregistré(s).", n=len(outcome.value)))
        return _to_loan(loan, "reel")
    refused = outcome.error if isinstance(outcome.error, ImportFileError) else None
    if refused is not None:
        form.file.errors = []  # the report below says it all
    return render_template(
        "loans/actuals_import.html",
        loan=loan,
        form=form,
        refused=refused,
        columns=actuals_import.COLUMNS,
    )


@bp.get("/<id:loan_id>/releves/<id:statement_id>.pdf")
@roles_required(*FOLLOWERS)
def statement_pdf(loan_id: int, statement_id: int):
    loan = get_loan_or_404(loan_id)
    statement = get_statement_or_404(loan, statement_id)
    filename = statement_document.statement_filename(statement)
    return Response(
        statement_document.render_statement(statement),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _settle(loan_id: int, pick, action, done: str):
    loan = get_loan_or_404(loan_id)
    require_party(loan, Party.HOST)
    form = pick(settle_forms(loan))
    if act(form, lambda: action(get_statement_or_404(loan, int(form.statement.data)), form)):
        flash(done, "success")
    return _to_loan(loan, "releves")


@bp.post("/<id:loan_id>/releves/paye")
@roles_required(Role.HR)
def mark_paid(loan_id: int):
    return _settle(
        loan_id,
        lambda forms: forms[0],
        lambda s, form: payments.mark_paid(s, form.paid_on.data, current_user),
        _("Relevé marqué payé."),
    )


@bp.post("/<id:loan_id>/releves/conteste")
@roles_required(Role.HR)
def contest_statement(loan_id: int):
    return _settle(
        loan_id,
        lambda forms: forms[1],
        lambda s, form: payments.contest(s, form.reason.data, current_user),
        _("Contestation enregistrée : l'entreprise prêteuse en est informée sur la page du prêt."),
    )
