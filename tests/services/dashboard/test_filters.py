"""The dashboard's filters read from the URL: each kind of period, the département, and
French messages (with the defaults) for anything else."""

from datetime import date

import pytest

from lending.services.dashboard import parse_filters

TODAY = date(2027, 6, 15)


@pytest.fixture
def scheme(make_scheme):
    return make_scheme(departements=("47", "33"))


def test_no_argument_gives_the_last_12_months_of_the_whole_territory(scheme):
    filters, errors = parse_filters({}, scheme, TODAY)
    assert errors == []
    assert (filters.departement, filters.kind) == (None, "12mois")
    assert (filters.start, filters.end) == (date(2026, 7, 1), date(2027, 6, 30))
    assert filters.label == "12 derniers mois"


@pytest.mark.parametrize(
    ("args", "start", "end", "label"),
    [
        ({"periode": "mois", "mois": "2027-03"}, date(2027, 3, 1), date(2027, 3, 31), "mars 2027"),
        ({"periode": "mois"}, date(2027, 6, 1), date(2027, 6, 30), "juin 2027"),
        (
            {"periode": "trimestre", "trimestre": "2027-T1"},
            date(2027, 1, 1),
            date(2027, 3, 31),
            "1er trimestre 2027",
        ),
        (
            {"periode": "trimestre", "trimestre": "2026-t4"},
            date(2026, 10, 1),
            date(2026, 12, 31),
            "4e trimestre 2026",
        ),
        ({"periode": "annee", "annee": "2026"}, date(2026, 1, 1), date(2026, 12, 31), "2026"),
        (
            {"periode": "personnalisee", "du": "2027-01", "au": "2027-06"},
            date(2027, 1, 1),
            date(2027, 6, 30),
            "janvier à juin 2027",
        ),
        (
            {"periode": "personnalisee", "du": "2026-11", "au": "2027-02"},
            date(2026, 11, 1),
            date(2027, 2, 28),
            "novembre 2026 à février 2027",
        ),
    ],
)
def test_each_kind_of_period(scheme, args, start, end, label):
    filters, errors = parse_filters(args, scheme, TODAY)
    assert errors == []
    assert (filters.kind, filters.start, filters.end, filters.label) == (
        args["periode"],
        start,
        end,
        label,
    )


def test_a_departement_of_the_scheme(scheme):
    filters, errors = parse_filters({"departement": "33"}, scheme, TODAY)
    assert (filters.departement, errors) == ("33", [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"departement": "75"}, "ne fait pas partie du territoire"),
        ({"departement": "<script>"}, "ne fait pas partie du territoire"),
        ({"periode": "semaine"}, "Choisissez une période"),
        ({"periode": "mois", "mois": "2027-13"}, "AAAA-MM"),
        ({"periode": "mois", "mois": "mars"}, "AAAA-MM"),
        ({"periode": "mois", "mois": "1999-12"}, "entre 2000 et 2099"),
        ({"periode": "trimestre", "trimestre": "2027-T5"}, "AAAA-T1"),
        ({"periode": "annee", "annee": "27"}, "quatre chiffres"),
        ({"periode": "annee", "annee": "2100"}, "entre 2000 et 2099"),
        ({"periode": "personnalisee", "du": "2027-01"}, "premier et le dernier mois"),
        ({"periode": "personnalisee", "du": "2027-05", "au": "2027-01"}, "ne peut pas précéder"),
        ({"periode": "personnalisee", "du": "2024-01", "au": "2027-01"}, "36 mois au plus"),
        ({"periode": "mois", "mois": "2027-07"}, "après le mois en cours"),
    ],
)
def test_an_invalid_value_gives_a_french_message_and_the_default(scheme, args, message):
    filters, errors = parse_filters(args, scheme, TODAY)
    assert len(errors) == 1
    assert message in errors[0]
    assert filters.kind == "12mois"
    assert filters.departement is None


def test_a_bad_period_keeps_a_good_departement(scheme):
    filters, errors = parse_filters(
        {"departement": "47", "periode": "annee", "annee": "x"}, scheme, TODAY
    )
    assert len(errors) == 1
    assert (filters.departement, filters.kind) == ("47", "12mois")


def test_36_months_is_the_longest_custom_period(scheme):
    filters, errors = parse_filters(
        {"periode": "personnalisee", "du": "2024-07", "au": "2027-06"}, scheme, TODAY
    )
    assert errors == []
    assert (filters.start, filters.end) == (date(2024, 7, 1), date(2027, 6, 30))


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"departement": "33"},
        {"periode": "mois", "mois": "2027-03"},
        {"periode": "trimestre", "trimestre": "2026-T4", "departement": "47"},
        {"periode": "annee", "annee": "2026"},
        {"periode": "personnalisee", "du": "2026-02", "au": "2027-01"},
    ],
)
def test_the_links_give_the_same_filters_again(scheme, args):
    from lending.services.dashboard.filters import as_args

    filters, _errors = parse_filters(args, scheme, TODAY)
    assert parse_filters(as_args(filters), scheme, TODAY) == (filters, [])
