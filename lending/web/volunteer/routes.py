from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lending.authz import current_employee_or_404, roles_required
from lending.models import Role
from lending.services import proposals, volunteering
from lending.services.skills import with_skill_rows
from lending.web import (
    check_your_mailbox,
    log_in,
    rate_limited,
    signup_confirm_url,
)
from lending.web.edge import attempt, submit
from lending.web.fields import (
    fill_skill_rows,
    prepare_place,
    prepare_skill_rows,
    read_skill_rows,
)
from lending.web.volunteer import bp
from lending.web.volunteer.forms import (
    AccountForm,
    ConsentForm,
    PreferencesForm,
    SelfRegistrationForm,
)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@rate_limited
def accept_invitation(token: str):
    invitation = volunteering.invitation_for_token(token)
    if invitation is None:
        flash(
            _(
                "Ce lien d'invitation n'est plus valable : demandez-en un nouveau à votre "
                "service des ressources humaines."
            ),
            "error",
        )
        return redirect(url_for("main.index"))
    if current_user.is_authenticated:
        flash(_("Déconnectez-vous avant d'ouvrir le compte d'une autre personne."), "error")
        return redirect(url_for("main.index"))
    form = AccountForm()
    if submit(form, lambda: log_in(volunteering.accept_invitation(invitation, form.password.data))):
        flash(_("Votre compte est ouvert. Lisez la notice ci-dessous avant de décider."), "success")
        return redirect(url_for("volunteer.home"))
    return render_template("volunteer/invitation.html", form=form, employee=invitation.employee)


@bp.get("/volontariat")
@roles_required(Role.EMPLOYEE)
def home():
    employee = current_employee_or_404()
    return render_template(
        "volunteer/home.html",
        employee=employee,
        consent_form=ConsentForm(),
        form=FlaskForm(),
        notice_version=volunteering.NOTICE_VERSION,
        waiting=proposals.count_waiting_for_employee(employee),
    )


@bp.post("/volontariat/consentement")
@roles_required(Role.EMPLOYEE)
def consent():
    employee = current_employee_or_404()
    form = ConsentForm()
    if not form.validate_on_submit():
        return render_template(
            "volunteer/home.html",
            employee=employee,
            consent_form=form,
            form=FlaskForm(),
            notice_version=volunteering.NOTICE_VERSION,
        )
    if attempt(lambda: volunteering.give_consent(employee)):
        flash(
            _("Merci : vous êtes volontaire. Vous pouvez retirer votre accord à tout moment."),
            "success",
        )
    return redirect(url_for("volunteer.home"))


@bp.post("/volontariat/retrait")
@roles_required(Role.EMPLOYEE)
def withdraw():
    employee = current_employee_or_404()
    if attempt(lambda: volunteering.withdraw_consent(employee)):
        flash(
            _(
                "Votre volontariat est retiré : vous ne recevrez plus de proposition. Votre "
                "employeur n'en connaîtra pas la raison."
            ),
            "success",
        )
    return redirect(url_for("volunteer.home"))


@bp.route("/volontariat/preferences", methods=["GET", "POST"])
@roles_required(Role.EMPLOYEE)
def preferences():
    employee = with_skill_rows(current_employee_or_404())
    form = PreferencesForm(obj=employee)
    if request.method == "GET":
        form.accepted_sectors.data = employee.accepted_sectors.split()
        fill_skill_rows(form.skills, [(s.skill_id, s.level) for s in employee.skills])
    prepare_skill_rows(form.skills)
    if form.validate_on_submit():
        prefs = volunteering.Preferences(
            max_commute_km=form.max_commute_km.data,
            available_from=form.available_from.data,
            available_until=form.available_until.data,
            accepted_sectors=form.accepted_sectors.data or [],
            skills=[volunteering.SkillLevel(s, lv) for s, lv, _m in read_skill_rows(form.skills)],
        )
        if attempt(lambda: volunteering.update_preferences(employee, prefs), form):
            flash(_("Vos préférences sont enregistrées."), "success")
            return redirect(url_for("volunteer.home"))
    return render_template("volunteer/preferences.html", form=form)


@bp.route("/rejoindre", methods=["GET", "POST"])
@rate_limited
def self_register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SelfRegistrationForm()
    prepare_place(form)

    def request_self_registration():
        data = volunteering.SelfRegistration(
            **{name: form[name].data for name in volunteering.SelfRegistration.__annotations__}
        )
        volunteering.request_self_registration(data, signup_confirm_url)

    if submit(form, request_self_registration):
        return check_your_mailbox(form.email.data)
    return render_template("volunteer/self_register.html", form=form)
