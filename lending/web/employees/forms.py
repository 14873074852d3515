from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lending.web.auth.forms import REQUIRED, email_field
from lending.web.fields import EurosRange, FrenchDecimalField, MoneyField, SkillRow, place_fields
from lending.web.forms import BaseForm

DATE = _l("Saisissez une date valide (jj/mm/aaaa).")


def text(label, max_length, required=True, render_kw=None, **kw):
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return StringField(
        label,
        validators=[*validators, Length(max=max_length)],
        render_kw=render_kw or {"maxlength": max_length},
        **kw,
    )


def money(label):
    """A monthly amount: int cents in `data`."""
    return MoneyField(
        label,
        validators=[Optional(), EurosRange(0, 100_000, _l("Montant entre 0 et 100 000 €."))],
        render_kw={"inputmode": "decimal", "step": "0.01", "min": 0},
    )


def availability_fields():
    start = DateField(_l("Disponible à partir du"), validators=[InputRequired(DATE)])
    end = DateField(_l("Disponible jusqu'au"), validators=[InputRequired(DATE)])
    commute = IntegerField(
        _l("Trajet maximal accepté (km)"),
        validators=[InputRequired(REQUIRED), NumberRange(1, 300, _l("Entre 1 et 300 km."))],
        render_kw={"min": 1, "max": 300, "inputmode": "numeric"},
    )
    return start, end, commute


def hours_field():
    return FrenchDecimalField(
        _l("Heures par semaine"),
        places=1,
        validators=[InputRequired(REQUIRED), NumberRange(1, 48, _l("Entre 1 et 48 heures."))],
        render_kw={"inputmode": "decimal", "step": "0.5", "min": 1, "max": 48},
    )


class EmployeeForm(BaseForm):
    first_name = text(_l("Prénom"), 80)
    last_name = text(_l("Nom"), 80)
    email = email_field(_l("Adresse e-mail du salarié"))
    job_title = text(_l("Emploi occupé"), 200, render_kw={"list": "job-titles", "maxlength": 200})
    qualification = text(
        _l("Qualification (classification, coefficient)"),
        200,
        required=False,
        description=_l(
            "Selon la convention collective de votre entreprise, ex. « Niveau V, coefficient 335 »."
        ),
    )
    postal_code, commune_insee = place_fields()
    available_from, available_until, max_commute_km = availability_fields()
    weekly_hours = hours_field()
    gross_salary = money(_l("Salaire brut mensuel (€)"))
    employer_charges = money(_l("Charges patronales mensuelles (€)"))
    expenses = money(_l("Frais professionnels mensuels (€)"))
    partial_activity = BooleanField(_l("En activité partielle"))
    job_at_risk = BooleanField(_l("Emploi menacé"))
    skills = FieldList(FormField(SkillRow), label=_l("Compétences"), min_entries=6, max_entries=30)


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Rechercher (nom, emploi)"), validators=[Optional(), Length(max=100)])
