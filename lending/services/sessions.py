"""Server-side login sessions: the cookie holds a random token, the database its hash.

A copied cookie is refused once the row is gone (logout, password change, idle timeout).
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import Connection, delete, select, update

from lending.extensions import db
from lending.models import User, UserSession
from lending.models._time import utcnow

# last_seen_at is refreshed at most this often, to avoid a write per request.
_TOUCH_EVERY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, ip: str | None, user_agent: str | None) -> str:
    """Create a session row for `user`; return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_digest(token),
            user_id=user.id,
            ip=ip,
            user_agent=(user_agent or "")[:255],
        )
    )
    user._session_token = token
    return token


def load(token: str, idle_timeout: timedelta, lifetime: timedelta) -> User | None:
    """Return the user of a live session, or None if unknown, expired or user inactive.

    A session expires after `idle_timeout` without a request, and in any case `lifetime`
    after the login.
    """
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is None:
        return None
    now = utcnow()
    # Both writes go through their own connection so the request's unit of work is not
    # committed early.
    if now - row.last_seen_at > idle_timeout or now - row.created_at > lifetime:
        with db.engine.begin() as conn:
            conn.execute(delete(UserSession).where(UserSession.id == row.id))
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        with db.engine.begin() as conn:
            conn.execute(
                update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
            )
    user = row.user
    if not user.is_active:
        return None
    user._session_token = token
    return user


def end(token: str | None) -> None:
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _digest(token)))


def end_all(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def end_all_on(conn: Connection, user: User) -> None:
    """end_all on `conn`, a transaction of its own (see accounts.count_wrong_password)."""
    conn.execute(delete(UserSession).where(UserSession.user_id == user.id))
