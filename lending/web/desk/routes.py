from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lending.authz import DESK_ROLES, get_deal_to_write_or_404, roles_required
from lending.models._time import local_date
from lending.services import desk
from lending.services.desk import messages
from lending.web import rate_limited
from lending.web.desk import bp
from lending.web.desk.forms import MessageForm
from lending.web.edge import submit

# Where each kind of deal is followed, and the desk section it is listed in.
PAGES = {
    "propositions": ("proposals.detail", "proposal_id", "propositions"),
    "accords": ("agreements.detail", "agreement_id", "accords"),
    "prets": ("loans.detail", "loan_id", "prets"),
}


@bp.get("")
@roles_required(*DESK_ROLES)
def index():
    return render_template("desk/index.html", desk=desk.build(current_user, local_date()))


@bp.route("/<any(propositions,accords,prets):deal>/<id:deal_id>/ecrire", methods=["GET", "POST"])
@rate_limited  # each message is an e-mail to several people
@roles_required(*DESK_ROLES)
def write(deal: str, deal_id: int):
    found = get_deal_to_write_or_404(deal, deal_id)
    endpoint, argument, section = PAGES[deal]
    page = url_for(endpoint, **{argument: found.id})
    reachable = messages.employee_reachable(found)
    form = MessageForm()
    outcome = submit(
        form,
        lambda: messages.write(
            found,
            current_user,
            form.subject.data,
            form.body.data,
            employee=reachable and form.employee.data,
            url=url_for(endpoint, _external=True, **{argument: found.id}),
        ),
    )
    if outcome:
        _say_sent(outcome)
        return redirect(url_for("desk.index", _anchor=section))
    return render_template(
        "desk/write.html",
        form=form,
        deal=found,
        kind=deal,
        page=page,
        recipients=messages.recipients(found, employee=False),
        reachable=reachable,
    )


def _say_sent(outcome) -> None:
    """Who the message went to, and who it could not reach: never claim it left when not."""
    sent = [user for user in outcome.value if user.email not in outcome.unsent]
    if sent:
        flash(
            ngettext(
                "Message envoyé à %(num)d destinataire : %(names)s.",
                "Message envoyé aux %(num)d destinataires : %(names)s.",
                len(sent),
                names=", ".join(f"{user.full_name} ({user.email})" for user in sent),
            ),
            "success",
        )
    if outcome.unsent:
        flash(_("Le message n'a pas pu partir vers : %(e)s.", e=", ".join(outcome.unsent)), "error")
