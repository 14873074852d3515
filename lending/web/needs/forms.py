from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, FormField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lending.web.auth.forms import REQUIRED
from lending.web.employees.forms import DATE, hours_field, money, text
from lending.web.fields import RequiredSkillRow, place_fields
from lending.web.forms import BaseForm


class NeedForm(BaseForm):
    title = text(_l("Intitulé du poste"), 200)
    missions = TextAreaField(
        _l("Missions confiées"),
        validators=[DataRequired(REQUIRED), Length(max=4000)],
        render_kw={"maxlength": 4000, "rows": 4},
    )
    positions = IntegerField(
        _l("Nombre de postes"),
        validators=[InputRequired(REQUIRED), NumberRange(1, 500, _l("Entre 1 et 500 postes."))],
        default=1,
        render_kw={"min": 1, "max": 500, "inputmode": "numeric"},
    )
    postal_code, commune_insee = place_fields()
    start_date = DateField(_l("Début souhaité"), validators=[InputRequired(DATE)])
    end_date = DateField(_l("Fin prévue"), validators=[InputRequired(DATE)])
    weekly_hours = hours_field()
    monthly_budget = money(_l("Budget mensuel maximal (€, facultatif)"))
    risky_post = BooleanField(
        _l("Poste à risques particuliers pour la santé ou la sécurité (article L4154-2)")
    )
    medical_surveillance = BooleanField(_l("Suivi individuel renforcé de l'état de santé"))
    ppe = TextAreaField(
        _l("Équipements de protection fournis"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"maxlength": 1000, "rows": 2},
    )
    skills = FieldList(
        FormField(RequiredSkillRow), label=_l("Compétences"), min_entries=6, max_entries=30
    )
