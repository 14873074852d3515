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


def test_two_hosts_can_never_hold_the_same_employee(app, market, make_need, make_firm):
    """Two live proposals for one employee, inserted at once: the database keeps one."""
    from sqlalchemy.exc import IntegrityError

    from lending.models import MatchingRound, Proposal, ProposalStatus, RoundStatus
    from lending.models._time import utcnow

    employee = market.employees[0]
    needs = [market.needs[0], make_need(make_firm("Conserverie", naf="10.39A"))]
    round_ = MatchingRound(
        scheme_id=market.scheme.id, trigger="command", status=RoundStatus.DONE, stage="done"
    )
    db.session.add(round_)
    db.session.commit()
    round_id, employee_id, firm_id = round_.id, employee.id, employee.firm_id
    targets = [(n.id, n.firm_id) for n in needs]

    def insert(need_id, host_id):
        def call():
            with app.app_context():
                db.session.add(
                    Proposal(
                        round_id=round_id,
                        scheme_id=market.scheme.id,
                        employee_id=employee_id,
                        need_id=need_id,
                        lender_firm_id=firm_id,
                        host_firm_id=host_id,
                        status=ProposalStatus.PENDING,
                        expires_at=utcnow(),
                        score=1,
                        skills_score=1,
                        distance_score=1,
                        dates_score=1,
                        cost_score=1,
                        priority_score=0,
                        distance_km=1,
                        skills_met=1,
                        skills_asked=1,
                    )
                )
                try:
                    db.session.commit()
                    return "stored"
                except IntegrityError:
                    db.session.rollback()
                    return "refused"
                finally:
                    db.session.remove()

        return call

    results = _simultaneously([insert(*t) for t in targets])
    assert sorted(results) == ["refused", "stored"]
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 1


def test_two_operators_starting_a_round_at_once_start_one(
    app, market, make_user, login, monkeypatch
):
    from lending.models import MatchingRound
    from lending.services import tasks

    monkeypatch.setattr(tasks, "kick", lambda task_id: None)  # the first stays running
    scheme = market.scheme
    calls = []
    for _ in range(2):
        client = app.test_client()
        login(make_user(Role.OPERATOR, schemes=[scheme]), test_client=client)
        calls.append(_poster(client, f"/dispositifs/{scheme.id}/tours"))
    assert _simultaneously(calls) == [302, 302]
    assert db.session.scalar(select(func.count()).select_from(MatchingRound)) == 1


def test_two_parties_signing_at_once_both_count(app, market, accepted, login):
    """The lender and the host sign the convention at the same instant: the row lock makes
    the second see the first, so the document is completed with both signatures."""
    from datetime import date

    from lending.models import DocumentKind
    from lending.services import uow
    from lending.services.deals import signing
    from tests.factories import PASSWORD
    from tests.services.agreement_helpers import complete

    complete(accepted, market)
    signing.start_signing(accepted, market.lender_hr, date.today())
    uow.commit()
    for user in (accepted.employee.user, market.lender_hr):  # the avenant comes first
        signing.sign(accepted, DocumentKind.AVENANT, user, PASSWORD, ip=None, user_agent=None)
        uow.commit()
    sha = accepted.current(DocumentKind.CONVENTION).sha256
    calls = []
    for user in (market.lender_hr, market.host_hr):
        client = app.test_client()
        login(user, test_client=client)
        calls.append(
            _poster(
                client,
                f"/accords/{accepted.id}/convention/signer",
                {"password": PASSWORD, "document_sha256": sha},
            )
        )
    assert _simultaneously(calls) == [302, 302]
    db.session.expire_all()
    document = accepted.current(DocumentKind.CONVENTION)
    assert len(document.signatures) == 2
    assert document.completed_at is not None
    assert document.signed_pdf is not None
