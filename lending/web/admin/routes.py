from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lending.authz import roles_required
from lending.models import Role
from lending.services import accounts, schemes, uow
from lending.services.errors import ServiceError
from lending.web import choices, show_errors
from lending.web.admin import bp
from lending.web.admin.forms import StaffForm


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
    if form.validate_on_submit():
        chosen = [s for s in all_schemes if s.id in set(form.schemes.data or [])]
        try:
            accounts.create_staff_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                schemes=chosen,
                actor=current_user,
                set_url_for=lambda t: url_for("auth.reset_password", token=t, _external=True),
            )
        except ServiceError as exc:
            uow.rollback()
            show_errors(form, exc)
        else:
            if uow.commit():
                flash(
                    _(
                        "Compte créé, mais l'e-mail n'a pas pu être envoyé à %(email)s : la "
                        "personne peut demander un lien depuis « Mot de passe oublié ».",
                        email=form.email.data,
                    ),
                    "error",
                )
            else:
                flash(
                    _(
                        "Compte créé : un lien pour choisir son mot de passe a été envoyé à "
                        "%(email)s.",
                        email=form.email.data,
                    ),
                    "success",
                )
            return redirect(url_for("admin.staff"))
    return render_template("admin/create_staff.html", form=form)
