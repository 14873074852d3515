"""The base of every form of the site: what no form may forget.

A value outside a choice field's choices (a tampered select, a value that does not coerce to
the field's type) is a French form error on that field, never an exception.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields.choices import SelectFieldBase

INVALID_CHOICE = _l("Choix invalide : choisissez une valeur de la liste.")


class SiteMeta:
    """Meta mixin: adjusts each field as the form binds it."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, SelectFieldBase):  # SelectField, SelectMultipleField, RadioField
            if getattr(field, "invalid_value_message", None) is None:
                field.invalid_value_message = INVALID_CHOICE
            if getattr(field, "invalid_choice_message", None) is None:
                field.invalid_choice_message = INVALID_CHOICE
        return field


class BaseForm(FlaskForm):
    """A page's form (CSRF-protected)."""

    class Meta(SiteMeta):
        pass


class SubForm(Form):
    """A group of fields repeated inside a page's form (FormField, FieldList)."""

    class Meta(SiteMeta):
        pass
