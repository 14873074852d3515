from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm

from lending.authz import roles_required
from lending.models import Role
from lending.services import accounts, firms, sessions, signups, volunteering
from lending.services.reference import naf_choices
from lending.web import (
    check_your_mailbox,
    choices,
    fresh_session,
    log_in,
    rate_limited,
    safe_next,
    signup_confirm_url,
)
from lending.web.auth import bp
from lending.web.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    IdentityForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from lending.web.edge import attempt, submit
from lending.web.fields import prepare_place


@bp.route("/connexion", methods=["GET", "POST"])
@rate_limited
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if submit(form, lambda: log_in(accounts.authenticate(form.email.data, form.password.data))):
        flash(_("Vous êtes connecté."), "success")
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/deconnexion")
@login_required
def logout():
    attempt(lambda: sessions.end(current_user.get_id()))
    logout_user()
    fresh_session()
    flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/inscription", methods=["GET", "POST"])
@rate_limited
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    form.naf_code.choices = choices([("", _("— Choisissez —")), *naf_choices()])
    prepare_place(form)

    def request_registration():
        data = firms.Registration(
            **{name: form[name].data or "" for name in firms.Registration.__annotations__}
        )
        firms.request_registration(data, signup_confirm_url)

    if submit(form, request_registration):
        return check_your_mailbox(form.email.data)
    return render_template("auth/register.html", form=form)


# What creates the account of each kind of sign-up.
FINISH = {
    signups.FIRM: firms.complete_registration,
    signups.EMPLOYEE: volunteering.complete_self_registration,
}


@bp.route("/inscription/confirmer/<token>", methods=["GET", "POST"])
def confirm_signup(token: str):
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    pending = signups.for_token(token)
    if pending is None:
        flash(_("Ce lien n'est plus valable : inscrivez-vous à nouveau."), "error")
        return redirect(url_for("main.index"))
    form = FlaskForm()
    if form.validate_on_submit():
        kind = pending.kind  # the row is gone once the account exists
        if not attempt(lambda: log_in(signups.complete(pending, FINISH[kind]))):
            return redirect(url_for("main.index"))
        if kind == signups.FIRM:
            flash(
                _(
                    "Votre entreprise est inscrite. Vous pouvez maintenant candidater à un "
                    "dispositif."
                ),
                "success",
            )
            return redirect(url_for("firms.home"))
        flash(
            _("Votre profil est créé. Votre service RH le confirmera avant toute proposition."),
            "success",
        )
        return redirect(url_for("volunteer.home"))
    return render_template("auth/confirm_signup.html", form=form, pending=pending)


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@rate_limited
def forgot_password():
    form = ForgotPasswordForm()
    if submit(
        form,
        lambda: accounts.request_password_reset(
            form.email.data,
            lambda token: url_for("auth.reset_password", token=token, _external=True),
        ),
    ):
        flash(
            _(
                "Si un compte correspond à cette adresse, un lien de réinitialisation vient "
                "de lui être envoyé. Il est valable une heure."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = accounts.user_for_reset_token(token)
    if user is None:
        flash(_("Ce lien n'est plus valable : demandez-en un nouveau."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if submit(form, lambda: accounts.set_password(user, form.password.data)):
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Votre mot de passe est enregistré. Connectez-vous."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.get("/compte")
@login_required
def account():
    return _account_page()


def _account_page(form=None, identity=None):
    identity_form = None
    if current_user.role == Role.HR:
        identity_form = identity or IdentityForm(obj=current_user)
    return render_template(
        "auth/account.html", form=form or ChangePasswordForm(), identity=identity_form
    )


@bp.post("/compte/identite")
@roles_required(Role.HR)
def change_identity():
    """The name and function the agreements an HR manager signs print."""
    form = IdentityForm()
    user = current_user._get_current_object()
    if submit(
        form, lambda: accounts.update_identity(user, form.full_name.data, form.job_title.data)
    ):
        flash(_("Votre nom et votre fonction sont enregistrés."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(identity=form)


@bp.post("/compte/mot-de-passe")
@login_required
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    outcome = submit(
        form, lambda: accounts.change_password(user, form.current_password.data, form.password.data)
    )
    # Changed, or locked after too many wrong passwords: either way every session is closed.
    if outcome:
        message, category = (
            _("Mot de passe modifié : toutes vos sessions ont été fermées. Reconnectez-vous."),
            "success",
        )
    elif outcome.error and accounts.is_locked(user):
        message, category = outcome.error.message, "error"
    else:
        return _account_page(form=form)
    logout_user()
    fresh_session()
    flash(message, category)
    return redirect(url_for("auth.login"))
