"""The base of every form of the site: what no form may forget.

A value outside a choice field's choices (a tampered select, a value that does not coerce to
the field's type) is a French form error on that field, never an exception. Text is stored in
NFC, and refused when it holds a line break (one-line fields) or an invisible or control
character (services/text.py).
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import ValidationError

from lending.services import text

INVALID_CHOICE = _l("Choix invalide : choisissez une valeur de la liste.")


class PlainText:
    """Validator: no line break in a one-line field, no invisible or control character."""

    def __init__(self, multiline: bool):
        self.multiline = multiline

    def __call__(self, form, field):
        if isinstance(field.data, str) and (
            message := text.problem(field.data, multiline=self.multiline)
        ):
            raise ValidationError(message)


class SiteMeta:
    """Meta mixin: adjusts each field as the form binds it."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, SelectFieldBase):  # SelectField, SelectMultipleField, RadioField
            if getattr(field, "invalid_value_message", None) is None:
                field.invalid_value_message = INVALID_CHOICE
            if getattr(field, "invalid_choice_message", None) is None:
                field.invalid_choice_message = INVALID_CHOICE
        elif isinstance(field, StringField) and not isinstance(field, PasswordField):
            # Passwords are taken as typed (services/passwords.py normalises them).
            field.filters = (*field.filters, text.nfc)
            multiline = isinstance(field, TextAreaField)
            field.validators = [*field.validators, PlainText(multiline)]
        return field


class BaseForm(FlaskForm):
    """A page's form (CSRF-protected)."""

    class Meta(SiteMeta):
        pass


class SubForm(Form):
    """A group of fields repeated inside a page's form (FormField, FieldList)."""

    class Meta(SiteMeta):
        pass
