from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from lending.web.auth.forms import REQUIRED, email_field
from lending.web.forms import BaseForm


class StaffForm(BaseForm):
    full_name = StringField(
        _l("Prénom et nom"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )
    email = email_field()
    role = SelectField(
        _l("Rôle"),
        choices=[
            SelectChoice("operator", _l("Opérateur de dispositif")),
            SelectChoice("monitor", _l("Suivi territorial (préfecture, DREETS, CCI)")),
            SelectChoice("admin", _l("Administrateur de la plateforme")),
        ],
    )
    schemes = SelectMultipleField(
        _l("Dispositifs"),
        coerce=int,
        description=_l("Obligatoire pour un opérateur ou un suivi territorial."),
        render_kw={"size": 5},
    )
