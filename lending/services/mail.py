"""The one mail module: messages are rendered from templates/emails and queued.

Queued messages are sent by `uow.commit()` after the database commit, and dropped on
rollback. The backend comes from the configuration: console in development, locmem
(captured in `mail.outbox`) in tests, SMTP in production.
"""

from flask import current_app, g, render_template
from flask_mailman import EmailMessage


def queue(to: str, subject: str, template: str, **context) -> None:
    body = render_template(f"emails/{template}.txt", **context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
    )
    g.setdefault("mail_outbox", []).append(message)


def send_queued() -> None:
    messages = g.pop("mail_outbox", [])
    for message in messages:
        message.send()


def discard_queued() -> None:
    g.pop("mail_outbox", None)
