"""Every raw figure of the dashboard equals a plain-Python recount of the generated scheme,
for several periods and each département; the département rows add up to the territory."""

from datetime import date

import pytest

from lending.services.dashboard import activity, feedback, loans, matching, territory
from lending.services.dashboard.scope import Scope
from tests.services.dashboard.recount import Recount
from tests.services.dashboard.world import DEPARTEMENTS, TODAY

PERIODS = {
    "12 months": (date(2026, 7, 1), date(2027, 6, 30)),
    "a month": (date(2027, 3, 1), date(2027, 3, 31)),
    "a quarter": (date(2026, 10, 1), date(2026, 12, 31)),
    "18 months": (date(2026, 1, 1), date(2027, 6, 30)),
    "a past year": (date(2026, 1, 1), date(2026, 12, 31)),
}
FILTERS = [None, *DEPARTEMENTS]


@pytest.fixture(params=list(PERIODS))
def period(request):
    return PERIODS[request.param]


@pytest.mark.parametrize("departement", FILTERS)
def test_every_figure_matches_a_plain_recount(world, period, departement):
    scheme, _other, data = world
    scope = Scope.of(scheme, departement, *period, TODAY)
    expected = Recount(data, scheme.id, scope.codes, *period, TODAY)

    by_dep = territory.raw_departements(scope)
    assert {k: vars(v) for k, v in by_dep.items()} == expected.departements()
    assert territory.raw_firms(scope) == expected.firms()
    monthly = activity.raw_monthly(scope)
    assert monthly == expected.monthly(activity.trend_months(scope))
    # Plain integers (a PostgreSQL sum is a Decimal, which the trend chart cannot draw).
    assert {type(n) for counts in monthly.values() for n in counts.values()} == {int}
    assert vars(activity.raw_employees(scope)) == expected.employees()
    assert vars(activity.raw_needs(scope)) == expected.needs()
    assert vars(activity.raw_proposals(scope)) == expected.proposals_made()

    waits = matching.raw_time_to_match(scope, TODAY)
    assert {k: (w.needs, w.median, w.p90) for k, w in waits.items()} == expected.time_to_match()

    asked = expected.shortages()
    ranked = sorted(asked.items(), key=lambda kv: (-kv[1]["needs"], kv[1]["supply"]))
    shortages = matching.raw_shortages(scope)
    assert len(shortages) == min(len(asked), matching.TOP)
    for s in shortages:
        a = asked[s.skill_id]
        assert (s.needs, s.supply, s.uncovered) == (a["needs"], a["supply"], a["uncovered"])
    assert [(s.needs, s.supply) for s in shortages] == [
        (a["needs"], a["supply"]) for _k, a in ranked[: matching.TOP]
    ]

    employment = loans.raw_employment(scope)
    assert {k: vars(e) for k, e in employment.items()} == expected.employment()
    endings = loans.raw_endings(scope)
    assert vars(endings) == expected.endings()
    assert loans.raw_flows(scope) == expected.flows()

    answers = feedback.raw_feedback(scope)
    given = expected.feedback()
    for party, a in answers.items():
        ratings = given.get(party, [])
        assert a.count == len(ratings)
        assert a.ratings == tuple(ratings.count(r) for r in feedback.RATINGS)
        assert a.average == (pytest.approx(sum(ratings) / len(ratings)) if ratings else None)


def test_the_generated_scheme_exercises_every_figure(world):
    """The recount compares something: the world has figures of every kind in 18 months."""
    scheme, _other, data = world
    scope = Scope.of(scheme, None, *PERIODS["18 months"], TODAY)
    assert all(w.needs >= 5 for w in matching.raw_time_to_match(scope, TODAY).values())
    endings = loans.raw_endings(scope)
    assert sum(endings.early.values()) >= 5
    assert endings.extensions
    assert endings.returns
    assert len(loans.raw_flows(scope)) >= 4
    assert all(a.count >= 5 for a in feedback.raw_feedback(scope).values())
    counts = vars(activity.raw_proposals(scope))
    assert all(counts.values())
    employment = loans.raw_employment(scope)
    assert all(e.placed and e.days for e in employment.values())


def _additive(scope_of, raw):
    """The raw figure of the territory and the sum of the départements' ones."""
    whole = raw(scope_of(None))
    parts = [raw(scope_of(code)) for code in DEPARTEMENTS]
    return whole, parts


def test_the_departement_rows_add_up_to_the_territory(world):
    scheme, _other, _data = world
    period = PERIODS["12 months"]

    def scope_of(code):
        return Scope.of(scheme, code, *period, TODAY)

    def add(dicts):
        total: dict = {}
        for d in dicts:
            for k, v in d.items():
                total[k] = total.get(k, 0) + v
        return total

    for raw in (
        activity.raw_employees,
        activity.raw_needs,
        activity.raw_proposals,
    ):
        whole, parts = _additive(scope_of, raw)
        assert vars(whole) == add(vars(p) for p in parts)
    whole, parts = _additive(scope_of, loans.raw_flows)
    assert whole == add(parts)
    whole, parts = _additive(scope_of, lambda s: matching.raw_time_to_match(s, TODAY))
    assert {k: w.needs for k, w in whole.items()} == add(
        {k: w.needs for k, w in p.items()} for p in parts
    )
    whole, parts = _additive(scope_of, loans.raw_employment)
    for group in loans.GROUPS:
        for field in ("available", "placed", "days", "lent"):
            assert getattr(whole[group], field) == sum(getattr(p[group], field) for p in parts)
    whole, parts = _additive(scope_of, activity.raw_monthly)
    for month, counts in whole.items():
        assert counts == add(p[month] for p in parts)
    whole, parts = _additive(scope_of, feedback.raw_feedback)
    for party, a in whole.items():
        assert a.count == sum(p[party].count for p in parts)
    by_dep = territory.raw_departements(scope_of(None))
    for code in DEPARTEMENTS:
        assert territory.raw_departements(scope_of(code)) == {code: by_dep[code]}


def test_another_scheme_and_rows_outside_the_territory_do_not_count(world):
    scheme, other, data = world
    scope = Scope.of(other, None, *PERIODS["18 months"], TODAY)
    mine = Scope.of(scheme, None, *PERIODS["18 months"], TODAY)
    assert activity.raw_proposals(scope).made == sum(
        p.scheme_id == other.id and p.created_at.date() >= scope.start for p in data.proposals
    )
    assert activity.raw_employees(scope).available == 0  # no firm enrolled in it
    # The firm in Haute-Garonne (31) is enrolled but outside the territory.
    outside = [f for f in data.firms if f.commune.departement_code == "31"]
    assert outside
    assert sum(vars(c)["firms"] for c in territory.raw_departements(mine).values()) < sum(
        1 for e in data.enrolments if e.scheme_id == scheme.id and e.status == "approved"
    )


@pytest.mark.parametrize("departement", DEPARTEMENTS)
def test_the_shared_scan_of_the_territory_gives_each_departement_its_own_figures(
    world, period, departement
):
    """build() scans the available employees once for the whole territory and hands that
    scan to the employees' and employment tables of a one-département view: they must read
    exactly what they would have counted on their own (and what a recount finds)."""
    scheme, _other, data = world
    scope = Scope.of(scheme, departement, *period, TODAY)
    whole = scope.territory(tuple(sorted(scheme.departement_codes)))
    shared = territory.raw_available(whole)
    expected = Recount(data, scheme.id, scope.codes, *period, TODAY)

    assert shared != territory.raw_available(scope)  # the territory's scan, not the filter's
    assert activity.raw_employees(scope, shared) == activity.raw_employees(scope)
    assert vars(activity.raw_employees(scope, shared)) == expected.employees()
    assert loans.raw_employment(scope, shared) == loans.raw_employment(scope)
    assert {k: vars(e) for k, e in loans.raw_employment(scope, shared).items()} == (
        expected.employment()
    )


def test_an_employee_offered_now_for_next_month_counts_as_available(app):
    """Offered today, available from next month: on offer already, so in the pool the
    dashboard shows (the demo's volunteers, available from January, read as 0 before)."""
    from datetime import date, timedelta

    from lending.models import EnrolmentStatus
    from lending.services.dashboard import default_filters
    from lending.services.dashboard.scope import Scope
    from tests.factories import new_employee, new_enrolment, new_firm, new_scheme

    today = date.today()
    scheme = new_scheme(departements=("47",))
    firm = new_firm()
    new_enrolment(firm, scheme, EnrolmentStatus.APPROVED)
    new_employee(firm, available_from=today + timedelta(days=30))
    over = today - timedelta(days=400)
    new_employee(firm, available_from=over - timedelta(days=90), available_until=over)
    filters = default_filters(today)
    scope = Scope.of(scheme, None, filters.start, filters.end, today)
    assert activity.raw_employees(scope).available == 1
