from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lending.authz import get_round_or_404, get_scheme_or_404, roles_required
from lending.extensions import db
from lending.models import Role
from lending.services import proposals, rounds, tasks
from lending.web import page_number
from lending.web.edge import attempt
from lending.web.rounds import bp

PER_PAGE = 50


@bp.get("/<id:scheme_id>/tours")
@roles_required(Role.ADMIN, Role.OPERATOR)
def index(scheme_id: int):
    scheme = get_scheme_or_404(scheme_id, manage=True)
    return render_template(
        "rounds/index.html",
        scheme=scheme,
        rounds=rounds.latest(scheme),
        running=rounds.running(scheme),
    )


@bp.post("/<id:scheme_id>/tours")
@roles_required(Role.ADMIN, Role.OPERATOR)
def start(scheme_id: int):
    scheme = get_scheme_or_404(scheme_id, manage=True)
    if not FlaskForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return redirect(url_for("rounds.index", scheme_id=scheme.id))
    outcome = attempt(lambda: rounds.start_from_site(scheme, current_user))
    if not outcome:
        return redirect(url_for("rounds.index", scheme_id=scheme.id))
    round_ = outcome.value
    tasks.kick(round_.task_id)
    flash(_("Tour de rapprochement lancé. Cette page suit son avancement."), "success")
    return redirect(url_for("rounds.detail", scheme_id=scheme.id, round_id=round_.id))


@bp.get("/<id:scheme_id>/tours/<id:round_id>")
@roles_required(Role.ADMIN, Role.OPERATOR)
def detail(scheme_id: int, round_id: int):
    scheme = get_scheme_or_404(scheme_id, manage=True)
    round_ = get_round_or_404(scheme, round_id)
    page = db.paginate(
        proposals.query_for_round(round_.id),
        page=page_number(),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    reasons, unmatched_count, unmatched = rounds.unmatched(round_)
    return render_template(
        "rounds/detail.html",
        scheme=scheme,
        round=round_,
        page=page,
        reasons=reasons,
        unmatched_count=unmatched_count,
        unmatched=unmatched,
    )


@bp.get("/<id:scheme_id>/tours/<id:round_id>/etat")
@roles_required(Role.ADMIN, Role.OPERATOR)
def progress(scheme_id: int, round_id: int):
    """The round's status for the progress view (polled by static/js/site.js)."""
    round_ = get_round_or_404(get_scheme_or_404(scheme_id, manage=True), round_id)
    return jsonify(status=round_.status.value, stage=round_.stage, label=str(round_.stage_label))
