"""The one mail module: messages are rendered from templates/emails and queued.

Queued messages are sent by `uow.commit()` after the database commit, and dropped on
rollback. The backend comes from the configuration: console in development, locmem
(captured in `outbox`) in tests, SMTP in production. Each message is written in its
recipient's language, whoever triggered it.
"""

import logging
from dataclasses import dataclass

from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage


@dataclass
class Recipient:
    """Someone without an account yet (an invited employee, say)."""

    email: str
    locale: str | None = None


def queue(recipient, subject, template: str, reply_to: str | None = None, **context) -> None:
    """Queue `templates/emails/<template>.txt` for `recipient` (a User or a Recipient).

    `subject` should be a lazy string (lazy_gettext) so it is translated here, in the
    recipient's language. `reply_to`: the address an answer goes to (default: the sender).
    """
    with force_locale(recipient.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = EmailMessage(
            # One line whatever the data holds: a line break in a header is refused.
            subject=" ".join(str(subject).split()),
            body=render_template(f"emails/{template}.txt", **context),
            from_email=current_app.config["MAIL_DEFAULT_SENDER"],
            to=[recipient.email],
            reply_to=[reply_to] if reply_to else None,
        )
    g.setdefault("mail_outbox", []).append(message)


log = logging.getLogger(__name__)


def send_queued() -> list[str]:
    """Send what was queued; return the addresses a message could not be sent to.

    The data is already committed, so a failure is logged (for the operators) and returned
    for the page to say so: it must never claim that a message left when it did not."""
    failed = []
    for message in g.pop("mail_outbox", []):
        try:
            message.send()
        except Exception:
            log.exception("could not send the email %r to %s", message.subject, message.to)
            failed.extend(message.to)
    return failed


def discard_queued() -> None:
    g.pop("mail_outbox", None)
