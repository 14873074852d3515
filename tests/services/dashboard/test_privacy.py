"""The publication rules, and what a dashboard of a small scheme lets out."""

import re

import pytest

from lending.services.dashboard import build, parse_filters, privacy
from tests.services.dashboard.world import SALARY, TODAY


@pytest.mark.parametrize(
    ("n", "text", "value"),
    [
        (0, "0", 0),
        (1, "< 5", None),
        (4, "< 5", None),
        (5, "5", 5),
        (7, "5", 5),
        (8, "10", 10),
        (12, "10", 10),
        (13, "15", 15),
        (1234, "1\u202f235", 1235),
    ],
)
def test_a_count_is_hidden_under_5_and_rounded_to_5(app, n, text, value):
    figure = privacy.count(n)
    assert figure.value == value
    assert figure.text.replace("\u00a0", "\u202f") == text


def test_a_total_with_a_hidden_part_is_a_band(app):
    assert privacy.total(23, [20, 3]).text == "20 – 24"
    assert privacy.total(23, [20, 3]).value is None
    assert privacy.total(25, [10, 15]).text == "25"  # nothing hidden: rounded as usual
    assert privacy.total(3, [1, 2]).text == "< 5"
    assert privacy.total(0, [0, 0]).text == "0"


def test_a_measure_resting_on_fewer_than_5_is_withheld(app):
    assert privacy.measure(12.5, 4).text == "—"
    assert privacy.measure(12.5, 4).value is None
    assert privacy.measure(12.5, 5).text == "12,5"
    assert privacy.measure(12.0, 5).text == "12"
    assert privacy.measure(4.2, 9, fixed=True).text == "4,2"
    assert privacy.measure(4.0, 9, fixed=True).text == "4,0"
    assert privacy.measure(None, 9).text == "—"
    assert privacy.rate(2, 4).text == "—"
    assert privacy.rate(2, 5).value == 40
    assert privacy.rate(2, 5).text.replace("\u202f", " ").replace("\u00a0", " ") == "40 %"


@pytest.fixture
def small(app):
    from tests.services.dashboard.world import generate

    scheme, _other = generate(seed=3, firms=6, small=True)
    return scheme


def _texts(dashboard):
    for table in dashboard.tables.values():
        yield table.title
        yield table.definition
        yield from table.columns
        for row in (*table.rows, *((table.total,) if table.total else ())):
            yield row.label
            for figure in row.figures:
                yield figure.text
    for headline in dashboard.headline:
        yield headline.label
        yield headline.figure.text
        yield headline.definition


def _figures(dashboard):
    for table in dashboard.tables.values():
        for row in (*table.rows, *((table.total,) if table.total else ())):
            yield from row.figures
    for headline in dashboard.headline:
        yield headline.figure


@pytest.mark.parametrize("args", [{}, {"periode": "annee", "annee": "2026"}, {"departement": "47"}])
def test_a_small_scheme_shows_no_count_under_5_no_name_and_no_cost(small, args):
    from lending.extensions import db
    from lending.models import Employee, Firm

    filters, errors = parse_filters(args, small, TODAY)
    assert errors == []
    dashboard = build(small, filters, TODAY)
    figures = list(_figures(dashboard))
    assert any(f.text == privacy.HIDDEN for f in figures)  # the scheme does have small cells
    for figure in figures:
        assert figure.value is None or figure.value == 0 or figure.value >= 5, figure
        assert not re.fullmatch(r"[1-4]([,.]\d+)?", figure.text), figure
        assert figure.text == "0" or figure.value != 0
    names = [f.name for f in db.session.query(Firm)] + [
        e.last_name for e in db.session.query(Employee)
    ]
    costs = [str(SALARY), str(SALARY // 100), "2 837", "2\u202f837", "2837"]
    for text in map(str, _texts(dashboard)):
        for secret in names + costs:
            assert secret not in text, (secret, text)


def test_a_feedback_count_whose_ratings_are_hidden_is_a_band(app):
    from lending.services.dashboard.feedback import Answers, feedback_table

    table = feedback_table({"host": Answers(6, 4.5, (0, 0, 0, 3, 3))})
    answers, average, *ratings = table.rows[0].figures
    assert answers.text == "5 – 9"  # not "5": with the ratings' "< 5", 5 would tell them
    assert answers.value is None
    assert average.text == "4,5"
    assert [r.text for r in ratings] == ["0", "0", "0", "< 5", "< 5"]
