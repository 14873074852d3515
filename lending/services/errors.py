"""Errors raised by services, carrying French messages ready to show."""


class ServiceError(Exception):
    """A rule refused the action. `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(ServiceError):
    """Several fields are wrong at once: `errors` maps field name to message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), next(iter(errors)))
        self.errors = errors
