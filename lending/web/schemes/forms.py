from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lending.services import schemes
from lending.services.errors import ServiceError

REQUIRED = _l("Ce champ est obligatoire.")


def whole(label, low, high, description=None):
    return IntegerField(
        label,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(low, high, _l("Saisissez un nombre entre %(min)s et %(max)s.")),
        ],
        description=description,
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


class SchemeForm(FlaskForm):
    name = StringField(
        _l("Nom du dispositif"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"maxlength": 120},
    )
    description = TextAreaField(
        _l("Présentation"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"maxlength": 2000, "rows": 3},
    )
    departement_codes = SelectMultipleField(
        _l("Territoire (départements)"),
        validators=[DataRequired(_l("Choisissez au moins un département."))],
        description=_l("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
        render_kw={"size": 10},
        validate_choice=False,
    )
    sectors = StringField(
        _l("Secteurs éligibles (sections ou divisions NAF)"),
        validators=[DataRequired(REQUIRED), Length(max=400)],
        description=_l(
            "Par exemple « C » pour toute l'industrie, ou « 10 11 30 » pour des divisions."
        ),
        render_kw={"maxlength": 400},
    )
    default_max_commute_km = whole(_l("Trajet maximal par défaut (km)"), 1, 300)
    max_loan_months = whole(_l("Durée maximale d'un prêt (mois)"), 1, 36)
    proposal_deadline_days = whole(_l("Délai de réponse aux propositions (jours)"), 1, 60)
    matching_cron = StringField(
        _l("Calendrier des tours de rapprochement (cron)"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l(
            "Cinq champs : minute heure jour mois jour-de-semaine. "
            "« 0 6 * * 1 » = chaque lundi à 6 h."
        ),
        render_kw={"maxlength": 100},
    )

    # Field-level checks reuse the service's rules so every error shows at once.
    def validate_sectors(self, field):
        try:
            schemes.parse_sectors(field.data or "")
        except ServiceError as exc:
            raise ValidationError(exc.message) from None

    def validate_matching_cron(self, field):
        try:
            schemes.check_cron(field.data or "")
        except ServiceError as exc:
            raise ValidationError(exc.message) from None


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Motif du refus"),
        validators=[DataRequired(_l("Indiquez le motif du refus.")), Length(max=1000)],
        render_kw={"maxlength": 1000, "rows": 2},
    )
