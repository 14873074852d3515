from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from lending.services import schedules, schemes
from lending.services.errors import ServiceError
from lending.web.forms import BaseForm

REQUIRED = _l("Ce champ est obligatoire.")


def whole(label, low, high, description=None, default=None):
    return IntegerField(
        label,
        default=default,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(low, high, _l("Saisissez un nombre entre %(min)s et %(max)s.")),
        ],
        description=description,
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


class SchemeForm(BaseForm):
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
    # The round schedule: days of the week and an hour, or a cron expression for experts.
    schedule_mode = RadioField(
        _l("Calendrier des tours de rapprochement"),
        choices=[
            SelectChoice("days", _l("Certains jours de la semaine, à heure fixe")),
            SelectChoice("cron", _l("Expression cron (utilisateurs avertis)")),
        ],
        default="days",
    )
    round_days = SelectMultipleField(
        _l("Jours des tours"),
        choices=[SelectChoice(str(number), label) for number, label in schedules.WEEKDAYS],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    round_hour = SelectField(
        _l("Heure des tours"),
        choices=[SelectChoice(str(hour), f"{hour} h") for hour in range(24)],
        default="6",
        description=_l("Heure de Paris."),
    )
    matching_cron = StringField(
        _l("Expression cron"),
        validators=[Optional(), Length(max=100)],
        description=_l(
            "Cinq champs : minute heure jour mois jour-de-semaine (1 = lundi, 0 ou 7 = "
            "dimanche), heure de Paris. « 0 6 * * 1 » = chaque lundi à 6 h."
        ),
        render_kw={"maxlength": 100},
    )

    weight_skills = whole(_l("Poids des compétences"), 0, 100, default=40)
    weight_distance = whole(_l("Poids de la distance"), 0, 100, default=20)
    weight_dates = whole(_l("Poids des dates couvertes"), 0, 100, default=20)
    weight_cost = whole(_l("Poids du coût"), 0, 100, default=10)
    weight_priority = whole(
        _l("Poids de la priorité"),
        0,
        100,
        _l("Salariés en activité partielle ou dont l'emploi est menacé."),
        default=10,
    )
    at_risk_bonus_pct = whole(
        _l("Priorité des salariés menacés laissés sans proposition (%)"),
        0,
        200,
        _l("100 % : laisser un tel salarié sans proposition coûte autant qu'une paire parfaite."),
        default=50,
    )
    min_date_coverage_pct = whole(
        _l("Part minimale des dates du besoin couverte par le salarié (%)"), 1, 100, default=50
    )
    round_time_limit_s = whole(
        _l("Durée maximale de calcul d'un tour (secondes)"), 10, 3600, default=300
    )

    # Field-level checks reuse the service's rules so every error shows at once.
    def validate_sectors(self, field):
        try:
            schemes.parse_sectors(field.data or "")
        except ServiceError as exc:
            raise ValidationError(exc.message) from None

    def validate_round_days(self, field):
        if self.schedule_mode.data == "days" and not field.data:
            raise ValidationError(_l("Choisissez au moins un jour."))

    def validate_matching_cron(self, field):
        if self.schedule_mode.data != "cron":
            return
        if not (field.data or "").strip():
            raise ValidationError(REQUIRED)
        try:
            schemes.check_cron(field.data)
        except ServiceError as exc:
            raise ValidationError(exc.message) from None

    def show_schedule(self, expression: str) -> None:
        """Fill the schedule fields from a stored expression."""
        self.matching_cron.data = expression
        simple = schedules.to_days(expression)
        self.schedule_mode.data = "days" if simple else "cron"
        if simple:
            self.round_days.data = [str(day) for day in simple[0]]
            self.round_hour.data = str(simple[1])

    def schedule(self) -> str:
        """The cron expression the submitted schedule fields mean."""
        if self.schedule_mode.data == "days":
            return schedules.from_days(self.round_days.data, int(self.round_hour.data))
        return self.matching_cron.data


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Motif du refus"),
        validators=[DataRequired(_l("Indiquez le motif du refus.")), Length(max=1000)],
        render_kw={"maxlength": 1000, "rows": 2},
    )
