"""The dashboard as built for the page: its tables in order, the bounded number of queries."""

from lending.extensions import db
from lending.services.dashboard import build, parse_filters
from lending.services.dashboard.tables import Figure
from tests.services.dashboard.world import TODAY

KEYS = [
    "departements",
    "monthly",
    "firms",
    "employees",
    "needs",
    "proposals",
    "time_to_match",
    "employment",
    "endings",
    "flows",
    "shortages",
    "feedback",
]


def _build(scheme, args=None):
    db.session.expire_all()
    filters, _errors = parse_filters(args or {}, scheme, TODAY)
    return build(scheme, filters, TODAY)


def test_the_tables_in_display_order_each_with_its_definition(world):
    scheme, _other, _data = world
    dashboard = _build(scheme)
    assert list(dashboard.tables) == KEYS
    for table in dashboard.tables.values():
        assert table.definition
        for row in table.rows:
            assert len(row.figures) == len(table.columns)
            assert all(isinstance(f, Figure) for f in row.figures)
    flows = dashboard.tables["flows"]
    assert len(flows.column_codes) == len(flows.columns)
    assert [r.code for r in dashboard.tables["departements"].rows] == ["24", "33", "47"]
    assert dashboard.tables["departements"].rows[2].label == "47 — Lot-et-Garonne"
    assert dashboard.tables["monthly"].rows[-1].code == "2027-06"
    assert len(dashboard.tables["monthly"].rows) == 12
    assert {h.key for h in dashboard.headline} >= {"time_to_match", "loans_running"}


def test_a_one_month_filter_still_shows_12_months_of_trend(world):
    scheme, _other, _data = world
    dashboard = _build(scheme, {"periode": "mois", "mois": "2027-02"})
    codes = [r.code for r in dashboard.tables["monthly"].rows]
    assert codes[0] == "2026-03"
    assert codes[-1] == "2027-02"


def test_build_runs_a_bounded_number_of_queries_whatever_the_size(
    world, make_scheme, count_queries
):
    scheme, _other, _data = world
    empty = make_scheme(departements=("47",))
    counts = []
    for each, args in ((scheme, {}), (empty, {}), (scheme, {"departement": "33"})):
        filters, _errors = parse_filters(args, each, TODAY)
        build(each, filters, TODAY)  # the session's transaction and the scheme loaded already
        with count_queries() as counted:
            build(each, filters, TODAY)
        counts.append(counted())
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] <= 25
