"""The edge of a view's unit of work: run a service call, commit it, or roll it back and
tell the user why — the one place views do so (see services/uow.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, request
from flask_wtf import FlaskForm

from lending.services import uow
from lending.services.errors import ServiceError, ValidationError


@dataclass
class Outcome:
    """What a unit of work came to. True when committed; `value` is what the action
    returned, `unsent` the addresses an e-mail could not be sent to, `error` the refusal."""

    done: bool
    value: Any = None
    unsent: list[str] = field(default_factory=list)
    error: ServiceError | None = None

    def __bool__(self) -> bool:
        return self.done


def show_errors(form: FlaskForm, exc: ServiceError) -> None:
    """Attach a service's messages to the form fields they name; the rest is flashed."""
    errors = exc.errors if isinstance(exc, ValidationError) else {exc.field: exc.message}
    for field_name, message in errors.items():
        target = getattr(form, field_name, None) if field_name else None
        if target is not None and hasattr(target, "errors"):
            earlier = target.errors if isinstance(target.errors, list) else []
            target.errors = [*earlier, message]
        else:
            flash(message, "error")


def flash_error(exc: ServiceError) -> None:
    """Flash a refusal, and each of the problems it lists (see signing.ComplianceError)."""
    flash(exc.message, "error")
    for problem in getattr(exc, "problems", ()):
        flash(problem, "error")


def attempt(action: Callable[[], Any], form: FlaskForm | None = None) -> Outcome:
    """Run `action()` — a service call — and commit; on a refusal roll back and show the
    service's messages: on the fields of `form` when the page shows it again, else flashed
    (the view redirects)."""
    try:
        value = action()
    except ServiceError as exc:
        uow.rollback()
        if form is None:
            flash_error(exc)
        else:
            show_errors(form, exc)
        return Outcome(False, error=exc)
    return Outcome(True, value, uow.commit())


def submit(form: FlaskForm, action: Callable[[], Any]) -> Outcome:
    """A form the page shows again when refused: validate (unless the no-JavaScript
    "refresh" button was used), then `attempt` with the messages on its fields."""
    if "refresh" in request.form or not form.validate_on_submit():
        return Outcome(False)
    return attempt(action, form)


def act(form: FlaskForm, action: Callable[[], Any]) -> Outcome:
    """A button or small form posted from a page the view redirects back to: validate,
    flashing what is wrong, then `attempt` with the messages flashed."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return Outcome(False)
    return attempt(action)
