from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lending.authz import (
    current_employee_or_404,
    current_firm_or_404,
    get_proposal_or_404,
    hidden_from_host,
    roles_required,
)
from lending.extensions import db
from lending.models import Role
from lending.services import proposals
from lending.services.deals import agreements
from lending.services.profiles import anonymous_profile
from lending.services.skills import with_skill_rows
from lending.web import page_number
from lending.web.edge import attempt
from lending.web.proposals import bp

PER_PAGE = 25


@bp.get("")
@roles_required(Role.HR, Role.EMPLOYEE)
def index():
    status = request.args.get("statut", "")
    side = request.args.get("cote", "")
    if current_user.role == Role.EMPLOYEE:
        query = proposals.query_for_employee(current_employee_or_404())
    else:
        query = proposals.query_for_firm(current_firm_or_404(), side=side, status=status)
    page = db.paginate(
        query, page=page_number(), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False
    )
    return render_template("proposals/index.html", page=page, status=status, side=side)


@bp.get("/<id:proposal_id>")
@roles_required(Role.HR, Role.EMPLOYEE, Role.OPERATOR, Role.ADMIN)
def detail(proposal_id: int):
    proposal, party = get_proposal_or_404(proposal_id)
    with_skill_rows(proposal.need)  # the page lists the need's skills
    profile = None
    if hidden_from_host(proposal, current_user):
        profile = anonymous_profile(with_skill_rows(proposal.employee), proposal.distance_km)
    agreement = agreements.for_proposal(proposal) if proposal.is_accepted else None
    return render_template(
        "proposals/detail.html",
        proposal=proposal,
        party=party,
        profile=profile,
        agreement=agreement,
    )


@bp.post("/<id:proposal_id>/<any(accepter,decliner):decision>")
@roles_required(Role.HR, Role.EMPLOYEE)
def decide(proposal_id: int, decision: str):
    proposal, party = get_proposal_or_404(proposal_id)
    if party is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    accept = decision == "accepter"
    if attempt(lambda: proposals.decide(proposal, party, accept=accept, actor=current_user)):
        if proposal.is_accepted:
            flash(_("Proposition acceptée par les trois parties."), "success")
        elif accept:
            flash(
                _("Votre accord est enregistré. Les autres parties doivent encore répondre."),
                "success",
            )
        else:
            flash(_("Proposition déclinée. Aucun motif n'est demandé ni transmis."), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
