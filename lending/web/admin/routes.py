from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lending.authz import roles_required
from lending.models import Role
from lending.services import accounts, schemes
from lending.web import choices
from lending.web.admin import bp
from lending.web.admin.forms import StaffForm
from lending.web.edge import submit


@bp.get("/comptes")
@roles_required(Role.ADMIN)
def staff():
    return render_template("admin/staff.html", users=accounts.list_staff())


@bp.route("/comptes/nouveau", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_staff():
    form = StaffForm()
    all_schemes = schemes.all_schemes()
    form.schemes.choices = choices((s.id, s.name) for s in all_schemes)
    chosen = [s for s in all_schemes if s.id in set(form.schemes.data or [])]
    outcome = submit(
        form,
        lambda: accounts.create_staff_user(
            email=form.email.data,
            full_name=form.full_name.data,
            role=Role(form.role.data),
            schemes=chosen,
            actor=current_user,
            set_url_for=lambda t: url_for("auth.reset_password", token=t, _external=True),
        ),
    )
    if outcome.unsent:
        flash(
            _(
                "Compte créé, mais l'e-mail n'a pas pu être envoyé à %(email)s : la "
                "personne peut demander un lien depuis « Mot de passe oublié ».",
                email=form.email.data,
            ),
            "error",
        )
    elif outcome:
        flash(
            _(
                "Compte créé : un lien pour choisir son mot de passe a été envoyé à %(email)s.",
                email=form.email.data,
            ),
            "success",
        )
    if outcome:
        return redirect(url_for("admin.staff"))
    return render_template("admin/create_staff.html", form=form)
