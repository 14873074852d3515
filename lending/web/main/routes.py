from flask import redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from lending.models import Role
from lending.services import accounts
from lending.web import safe_next
from lending.web.edge import attempt
from lending.web.main import bp


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/index.html")
    if current_user.role == Role.HR:
        return redirect(url_for("firms.home"))
    if current_user.role in (Role.ADMIN, Role.OPERATOR):
        return redirect(url_for("desk.index"))
    if current_user.role == Role.MONITOR:
        return redirect(url_for("monitor.index"))
    return redirect(url_for("volunteer.home"))


@bp.post("/langue")
def set_language():
    form = FlaskForm()
    lang = request.form.get("lang", "fr")
    if form.validate_on_submit() and lang in ("fr", "en"):
        session["lang"] = lang
        if current_user.is_authenticated:
            attempt(lambda: accounts.set_locale(current_user, lang))
    return redirect(safe_next(request.form.get("next")))


@bp.get("/mentions-legales")
def legal_notice():
    return render_template("main/legal.html")
