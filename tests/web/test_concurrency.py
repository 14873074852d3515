"""Simultaneous requests (PostgreSQL only: SQLite serialises writers, and FOR UPDATE or
row-level races cannot show there)."""

import threading

import pytest
from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Enrolment, EnrolmentStatus, Role, User

pytestmark = pytest.mark.postgres


def _simultaneously(calls):
    """Run the callables in threads released at the same instant; return their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _poster(client, url, data=None):
    token = client.csrf_token()
    return lambda: client.post(url, data={"csrf_token": token, **(data or {})}).status_code


def test_two_operators_deciding_at_once_give_one_decision(
    app, outbox, make_user, make_firm, make_scheme, make_enrolment, login
):
    scheme = make_scheme()
    enrolment = make_enrolment(make_firm(), scheme)
    make_user(Role.HR, firm=enrolment.firm)
    base = f"/dispositifs/{scheme.id}/candidatures/{enrolment.id}/"
    calls = []
    for decision in ("accepter", "refuser"):
        client = app.test_client()
        login(make_user(Role.OPERATOR, schemes=[scheme]), test_client=client)
        calls.append(_poster(client, base + decision, {"reason": "Hors périmètre"}))

    assert _simultaneously(calls) == [302, 302]
    db.session.refresh(enrolment)
    assert enrolment.status in (EnrolmentStatus.APPROVED, EnrolmentStatus.REJECTED)
    assert len(outbox) == 1  # the firm hears of one decision only


def test_double_click_on_apply_files_one_application(app, make_user, make_firm, make_scheme, login):
    scheme = make_scheme()
    hr = make_user(Role.HR, firm=make_firm())
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        login(hr, test_client=client)
    url = f"/entreprise/dispositifs/{scheme.id}/candidature"
    assert _simultaneously([_poster(c, url) for c in clients]) == [302, 302, 302]
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_parallel_wrong_passwords_are_all_counted(app, make_user):
    user = make_user(Role.HR)
    clients = [app.test_client() for _ in range(6)]
    data = {"email": user.email, "password": "pas le bon mot de passe"}
    calls = [_poster(c, "/connexion", data) for c in clients]
    assert _simultaneously(calls) == [200] * 6
    db.session.expire_all()
    locked = db.session.get(User, user.id)
    assert locked.locked_until is not None
