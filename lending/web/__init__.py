"""Blueprints by feature, and the helpers their views share."""

from flask import flash
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from lending.services.errors import ServiceError, ValidationError


def show_errors(form: FlaskForm, exc: ServiceError) -> None:
    """Attach a service's messages to the form fields they name; the rest is flashed."""
    errors = exc.errors if isinstance(exc, ValidationError) else {exc.field: exc.message}
    for field_name, message in errors.items():
        field = getattr(form, field_name, None) if field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            flash(message, "error")


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]
