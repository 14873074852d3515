from datetime import date

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lending.authz import (
    get_loan_or_404,
    may_bill,
    may_settle,
    party_of,
    require_party,
    require_statement_reader,
    roles_required,
    visible_loans_query,
)
from lending.extensions import db
from lending.models import EarlyEnd, Party, Role
from lending.models._time import local_date
from lending.services.deals import actuals, loans, presence, statements
from lending.web import choices, page_number
from lending.web.edge import act
from lending.web.loans import bp
from lending.web.loans.forms import (
    EndEarlyForm,
    ExtendForm,
    FeedbackForm,
    ReturnForm,
    StatementForm,
    settle_forms,
)

FOLLOWERS = (Role.HR, Role.EMPLOYEE, Role.OPERATOR, Role.ADMIN)
PER_PAGE = 25


@bp.get("")
@roles_required(*FOLLOWERS)
def index():
    query = visible_loans_query(current_user).options(*loans.LIST_LOADS)
    page = db.paginate(
        query, page=page_number(), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False
    )
    return render_template("loans/index.html", page=page)


def _statement_form(loan) -> StatementForm:
    form = StatementForm()
    have = {s.month for s in loan.statements}
    form.month.choices = choices(
        (m.isoformat(), actuals.month_words(m))
        for m in statements.due_months(loan, local_date())
        if m not in have
    )
    return form


@bp.get("/<id:loan_id>")
@roles_required(*FOLLOWERS)
def detail(loan_id: int):
    loan = get_loan_or_404(loan_id)
    party = party_of(loan, current_user)
    paid_form, contest_form = settle_forms(loan) if may_settle(loan, current_user) else (None, None)
    return render_template(
        "loans/detail.html",
        loan=loan,
        party=party,
        months=actuals.months(loan) if may_bill(loan, current_user) else [],
        paid_form=paid_form,
        contest_form=contest_form,
        labels=loans.EVENT_LABELS,
        presence=presence.of_loan(loan),
        today=local_date(),
        end_form=EndEarlyForm(),
        return_form=ReturnForm(),
        extend_form=ExtendForm(),
        statement_form=_statement_form(loan),
        feedback_form=FeedbackForm(),
        feedback_given=party is not None and loans.has_feedback(loan, party.value),
    )


def _act(form, action, done: str):
    """Carry out `action` and say `done`; returns what it returned, or None if refused."""
    outcome = act(form, action)
    if outcome:
        flash(done, "success")
    return outcome.value


@bp.post("/<id:loan_id>/fin-anticipee")
@roles_required(Role.HR)
def end_early(loan_id: int):
    loan = get_loan_or_404(loan_id)
    require_party(loan, Party.LENDER, Party.HOST)
    form = EndEarlyForm()
    done = _("Fin anticipée enregistrée.")
    _act(
        form,
        lambda: loans.end_early(
            loan,
            form.on_date.data,
            form.reason.data,
            current_user,
            category=EarlyEnd(form.category.data),
        ),
        done,
    )
    return redirect(url_for("loans.detail", loan_id=loan.id))


@bp.post("/<id:loan_id>/retour")
@roles_required(Role.HR)
def record_return(loan_id: int):
    loan = get_loan_or_404(loan_id)
    require_party(loan, Party.LENDER)
    form = ReturnForm()
    done = _("Retour enregistré.")
    _act(
        form,
        lambda: loans.record_return(loan, form.on_date.data, form.note.data or "", current_user),
        done,
    )
    return redirect(url_for("loans.detail", loan_id=loan.id))


@bp.post("/<id:loan_id>/prolongation")
@roles_required(Role.HR)
def extend(loan_id: int):
    loan = get_loan_or_404(loan_id)
    require_party(loan, Party.LENDER, Party.HOST)
    form = ExtendForm()
    done = _("Prolongation demandée : complétez et signez la nouvelle version.")
    agreement = _act(
        form, lambda: loans.request_extension(loan, form.new_end.data, current_user), done
    )
    if agreement is not None:
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return redirect(url_for("loans.detail", loan_id=loan.id))


@bp.post("/<id:loan_id>/releves")
@roles_required(Role.HR)
def issue_statement(loan_id: int):
    loan = get_loan_or_404(loan_id)
    require_party(loan, Party.LENDER)
    form = _statement_form(loan)
    _act(
        form,
        lambda: statements.issue(loan, date.fromisoformat(form.month.data), current_user),
        _("Relevé établi."),
    )
    return redirect(url_for("loans.detail", loan_id=loan.id))


@bp.get("/<id:loan_id>/releves.csv")
@roles_required(*FOLLOWERS)
def statements_csv(loan_id: int):
    loan = get_loan_or_404(loan_id)
    require_statement_reader(loan)
    return Response(
        statements.as_csv(loan.statements),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="releves-pret-{loan.id}.csv"'},
    )


@bp.post("/<id:loan_id>/avis")
@roles_required(Role.HR, Role.EMPLOYEE)
def feedback(loan_id: int):
    loan = get_loan_or_404(loan_id)
    party = require_party(loan, Party.EMPLOYEE, Party.LENDER, Party.HOST).value
    form = FeedbackForm()
    done = _("Merci pour votre avis.")
    _act(
        form,
        lambda: loans.give_feedback(
            loan,
            party,
            int(form.rating.data),
            form.would_repeat.data,
            form.comment.data or "",
            current_user,
        ),
        done,
    )
    return redirect(url_for("loans.detail", loan_id=loan.id))
