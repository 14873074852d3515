"""Record decisions and sensitive actions (no personal values, only ids)."""

from flask import has_request_context, request

from lending.extensions import db
from lending.models import AuditEvent


def record(action: str, actor=None, obj=None) -> None:
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
