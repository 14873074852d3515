from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lending.services.passwords import MAX_LENGTH
from lending.web.forms import BaseForm

REQUIRED = _l("Ce champ est obligatoire.")
EMAIL = _l("Saisissez une adresse e-mail valide, par exemple nom@entreprise.fr.")


def email_field(label=None):
    return EmailField(
        label or _l("Adresse e-mail"),
        validators=[DataRequired(REQUIRED), Email(EMAIL), Length(max=254)],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )


def new_password_fields():
    password = PasswordField(
        _l("Mot de passe"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        description=_l(
            "Au moins 12 caractères, sans autre contrainte : une phrase facile à retenir "
            "convient très bien."
        ),
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )
    confirm = PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
        ],
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )
    return password, confirm


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Mot de passe"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password", "maxlength": MAX_LENGTH},
    )


class ForgotPasswordForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class IdentityForm(BaseForm):
    """An HR manager's name and function, printed on the agreements they sign."""

    full_name = StringField(
        _l("Vos prénom et nom"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name", "maxlength": 120},
    )
    job_title = StringField(
        _l("Votre fonction dans l'entreprise"),
        validators=[
            DataRequired(
                _l(
                    "Indiquez votre fonction : elle figure sur les accords que vous signez "
                    "pour votre entreprise."
                )
            ),
            Length(max=120),
        ],
        description=_l("Par exemple « Directrice des ressources humaines »."),
        render_kw={"autocomplete": "organization-title", "maxlength": 120},
    )


class RegisterForm(BaseForm):
    firm_name = StringField(
        _l("Raison sociale de l'entreprise"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "organization", "maxlength": 200},
    )
    siret = StringField(
        _l("SIRET de l'établissement"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("14 chiffres, figurant sur votre extrait Kbis ou vos bulletins de paie."),
        render_kw={"inputmode": "numeric", "maxlength": 20},
    )
    naf_code = SelectField(
        _l("Code NAF (APE)"), validators=[DataRequired(REQUIRED)], validate_choice=False
    )
    address_line = StringField(
        _l("Adresse"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "street-address", "maxlength": 200},
    )
    postal_code = StringField(
        _l("Code postal"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        render_kw={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": 10},
    )
    commune_insee = SelectField(
        _l("Commune"),
        validators=[DataRequired(_l("Choisissez la commune."))],
        validate_choice=False,
        description=_l("La liste se remplit d'après le code postal."),
    )
    full_name = StringField(
        _l("Vos prénom et nom"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name", "maxlength": 120},
    )
    email = email_field(_l("Votre adresse e-mail professionnelle"))
    password, confirm = new_password_fields()

    # The services' rules, checked here too so that every error shows at once.
    def validate_naf_code(self, field):
        from lending.services.reference import normalise_naf

        if normalise_naf(field.data) is None:
            raise ValidationError(
                _l("Choisissez un code NAF de la nomenclature (par exemple 10.71C).")
            )

    def validate_commune_insee(self, field):
        from lending.web.fields import ServedByPostalCode

        ServedByPostalCode()(self, field)
