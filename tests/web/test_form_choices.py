"""Every choice field of every form refuses a value outside its choices with a French form
error, never an exception. The list of forms and fields is read from the code, so a new
form or field is checked without anyone adding it here."""

import importlib
import pkgutil

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields import FieldList, FormField
from wtforms.fields.choices import SelectChoice, SelectFieldBase

import lending

INVALID_CHOICE = "Choix invalide : choisissez une valeur de la liste."
TAMPERED = "évil"  # in no list, and no integer either


def _all_form_classes() -> list[type[Form]]:
    for module in pkgutil.walk_packages(lending.__path__, "lending."):
        importlib.import_module(module.name)
    found, todo = [], [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("lending."):
                found.append(sub)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = _all_form_classes()


def _fields(form):
    """The leaf fields of a form, subforms and repeated rows included."""
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field:
                yield from _fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


def _build(form_class, formdata):
    kwargs = {"meta": {"csrf": False}} if hasattr(form_class.Meta, "csrf") else {}
    form = form_class(formdata=MultiDict(formdata), **kwargs)
    for field in _fields(form):
        if isinstance(field, SelectFieldBase) and field.choices is None:
            field.choices = [SelectChoice("1", "un")]  # a view fills these before validating
    return form


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"LenderForm", "StaffForm", "SkillRow", "PreferencesForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: cls.__name__)
def test_a_tampered_choice_is_a_french_form_error(app, form_class):
    with app.test_request_context(method="POST"):
        choice_names = [
            f.name for f in _fields(_build(form_class, {})) if isinstance(f, SelectFieldBase)
        ]
        problems = []
        for name in choice_names:
            form = _build(form_class, {name: TAMPERED})
            try:
                form.validate()
            except Exception as exc:  # noqa: BLE001 - any exception is the defect
                problems.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            field = next(f for f in _fields(form) if f.name == name)
            errors = [str(e) for e in field.errors]
            if not errors:
                problems.append(f"{name}: accepted {TAMPERED!r}")
            elif field.validate_choice and INVALID_CHOICE not in errors:
                problems.append(f"{name}: {errors}")
        assert problems == []
