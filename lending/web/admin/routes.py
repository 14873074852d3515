from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lending.authz import STAFF_ROLES, roles_required
from lending.extensions import db
from lending.models import Role, Scheme, User
from lending.services import accounts, uow
from lending.services.errors import ServiceError
from lending.web import choices, show_errors
from lending.web.admin import bp
from lending.web.admin.forms import StaffForm


@bp.get("/comptes")
@roles_required(Role.ADMIN)
def staff():
    users = db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.role, User.full_name)
    ).all()
    return render_template("admin/staff.html", users=users)


@bp.route("/comptes/nouveau", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_staff():
    form = StaffForm()
    all_schemes = db.session.scalars(select(Scheme).order_by(Scheme.name)).all()
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
            uow.commit()
            flash(
                _(
                    "Compte créé : un lien pour choisir son mot de passe a été envoyé à %(email)s.",
                    email=form.email.data,
                ),
                "success",
            )
            return redirect(url_for("admin.staff"))
    return render_template("admin/create_staff.html", form=form)
