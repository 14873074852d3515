"""The dashboard's queries on several connections (services/dashboard/fanout.py): the same
figures as one after the other, one snapshot on PostgreSQL, errors and connections."""

import threading

import pytest
from sqlalchemy import delete, func, select

from lending.extensions import db
from lending.models import Firm
from lending.services.dashboard import build, fanout, parse_filters
from tests.factories import new_firm
from tests.services.dashboard.world import TODAY, generate


def _figures(board) -> dict:
    return {
        "headline": [(h.key, h.figure) for h in board.headline],
        "tables": {key: (t.columns, t.rows) for key, t in board.tables.items()},
    }


def test_on_two_connections_every_figure_is_the_one_read_on_one(app, monkeypatch):
    scheme, _other = generate(seed=5)
    threads = set()
    spy = fanout._in_own_session

    def recorded(*args):
        threads.add(threading.get_ident())
        return spy(*args)

    monkeypatch.setattr(fanout, "_in_own_session", recorded)
    for args in ({}, {"departement": "09"}, {"periode": "annee", "annee": str(TODAY.year - 1)}):
        filters = parse_filters(args, scheme, TODAY)[0]
        app.config["DASHBOARD_CONNECTIONS"] = 1
        alone = _figures(build(scheme, filters, TODAY))
        app.config["DASHBOARD_CONNECTIONS"] = 2
        assert _figures(build(scheme, filters, TODAY)) == alone
        assert alone["tables"]["employment"][1]  # a world with figures, not empty tables
    assert threads  # the queries really ran elsewhere
    assert threading.get_ident() not in threads


def test_a_failing_query_fails_the_page_and_gives_its_connections_back(app):
    app.config["DASHBOARD_CONNECTIONS"] = 2
    db.session.execute(select(1))
    pool = db.engine.pool
    before = pool.checkedout()

    def broken():
        raise RuntimeError("requête impossible")

    with pytest.raises(RuntimeError, match="requête impossible"):
        fanout.run({"ok": lambda: db.session.scalar(select(func.count(Firm.id))), "ko": broken})
    assert pool.checkedout() == before


def test_on_postgresql_every_query_reads_the_request_s_snapshot(app, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite cannot share a snapshot between connections (fanout.py)")
    firm_id = new_firm("Première").id
    db.session.commit()
    app.config["DASHBOARD_CONNECTIONS"] = 2
    importing = fanout._import_snapshot
    once = threading.Lock()
    done = []

    def the_firm_leaves_meanwhile(snapshot):
        with once:  # between the request's export and the queries' import
            if not done:
                with db.engine.begin() as other:
                    other.execute(delete(Firm).where(Firm.id == firm_id))
                done.append(True)
        importing(snapshot)

    monkeypatch.setattr(fanout, "_import_snapshot", the_firm_leaves_meanwhile)
    count = lambda: db.session.scalar(select(func.count(Firm.id)))  # noqa: E731
    seen = fanout.run({"a": count, "b": count})
    assert done
    assert seen == {"a": 1, "b": 1}  # as when the request exported its snapshot
    assert count() == 0  # what the request's own session reads now
