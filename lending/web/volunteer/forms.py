from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from lending.web.auth.forms import REQUIRED, email_field, new_password_fields
from lending.web.employees.forms import availability_fields, hours_field, text
from lending.web.fields import SkillRow, place_fields
from lending.web.forms import BaseForm


class AccountForm(BaseForm):
    password, confirm = new_password_fields()


class ConsentForm(BaseForm):
    agree = BooleanField(
        _l(
            "J'ai lu la notice d'information et je me porte volontaire pour un prêt de "
            "main-d'œuvre."
        ),
        validators=[InputRequired(_l("Cochez la case pour confirmer votre volontariat."))],
    )


SECTORS = [
    SelectChoice("A", _l("Agriculture")),
    SelectChoice("C", _l("Industrie manufacturière (dont agroalimentaire, aéronautique)")),
    SelectChoice("E", _l("Eau, déchets, dépollution")),
    SelectChoice("F", _l("Construction")),
    SelectChoice("G", _l("Commerce")),
    SelectChoice("H", _l("Transports et entreposage")),
    SelectChoice("Q", _l("Santé humaine et action sociale")),
]


class PreferencesForm(BaseForm):
    available_from, available_until, max_commute_km = availability_fields()
    accepted_sectors = SelectMultipleField(
        _l("Secteurs où vous acceptez de travailler"),
        choices=SECTORS,
        description=_l("Aucun choix : tous les secteurs."),
        render_kw={"size": 7},
    )
    skills = FieldList(FormField(SkillRow), label=_l("Compétences"), min_entries=6, max_entries=30)


class SelfRegistrationForm(BaseForm):
    enrolment_code = StringField(
        _l("Code entreprise"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("Donné par votre service des ressources humaines, ex. « K7P-4QX-92M »."),
        render_kw={"maxlength": 20, "autocomplete": "off"},
    )
    first_name = text(_l("Prénom"), 80)
    last_name = text(_l("Nom"), 80)
    email = email_field()
    job_title = text(_l("Emploi occupé"), 200, render_kw={"list": "job-titles", "maxlength": 200})
    postal_code, commune_insee = place_fields()
    available_from, available_until, max_commute_km = availability_fields()
    weekly_hours = hours_field()
    password, confirm = new_password_fields()
