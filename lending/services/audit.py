"""Record decisions and sensitive actions (no personal values, only ids)."""

from flask import has_request_context, request
from sqlalchemy import Connection, insert

from lending.extensions import db
from lending.models import AuditEvent


def _values(action: str, actor, obj) -> dict:
    return {
        "action": action,
        "actor_id": getattr(actor, "id", None),
        "object_type": type(obj).__name__ if obj is not None else None,
        "object_id": getattr(obj, "id", None),
        "ip": request.remote_addr if has_request_context() else None,
    }


def record(action: str, actor=None, obj=None) -> None:
    """Record `action` in the current unit of work."""
    db.session.add(AuditEvent(**_values(action, actor, obj)))


def record_on(conn: Connection, action: str, actor=None, obj=None) -> None:
    """Record `action` on `conn`, a transaction of its own (see accounts.count_wrong_password)."""
    conn.execute(insert(AuditEvent).values(**_values(action, actor, obj)))
