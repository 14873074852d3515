"""Money in integer cents (lending/money.py) and the form field that reads it (MoneyField):
typed euros to cents with exact Decimal arithmetic, rounding, French text."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from flask_babel import lazy_gettext as _l
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from lending import money

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1234.56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1 234,56 €", "1234.56"),
        (f"1{NNBSP}234,56{NBSP}€", "1234.56"),  # as money.euros writes it
        (f"2{NBSP}100", "2100"),
        ("12.3", "12.3"),
        ("12,3", "12.3"),
        ("0", "0"),
        ("0,005", "0.005"),  # exact: rounding is to_cents' business
        ("-5", "-5"),  # a number; the range check refuses it
        ("+5", "5"),
        ("1e3", "1000"),
        ("1e999999999", "1e999999999"),  # no overflow while reading
    ],
)
def test_typed_euros_are_read_exactly(typed, amount):
    parsed = money.parse_euros(typed)
    assert isinstance(parsed, Decimal)
    assert parsed == Decimal(amount)


@pytest.mark.parametrize(
    "typed", ["", " ", "abc", "12 €uros", "1.234,56", "1,234.56", "0x10", "NaN", "sNaN", "Infinity"]
)
def test_what_is_not_a_finite_number_is_refused(typed):
    with pytest.raises(ValueError, match="not an amount of euros"):
        money.parse_euros(typed)


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("0", 0),
        ("12.3", 1230),
        ("1234.56", 123456),
        ("0.005", 0),  # half to even, as the services have always rounded
        ("0.015", 2),
        ("0.025", 2),
        ("0.0051", 1),
        ("99999.999", 100_000_00),
        ("-0.004", 0),
        ("-5", -500),
        ("1e-999999999", 0),
        ("999999999999999.99", 99_999_999_999_999_999),  # just under MAX_EUROS: exact
    ],
)
def test_euros_round_to_the_cent_half_to_even(amount, cents):
    result = money.to_cents(Decimal(amount))
    assert type(result) is int
    assert result == cents


def test_an_undeclared_amount_stays_undeclared():
    assert money.to_cents(None) is None
    assert money.to_euros(None) is None


@pytest.mark.parametrize("amount", ["1e15", "-1e15", "1e999999999", "-1e999999999"])
def test_no_sum_of_money_is_that_large(amount):
    with pytest.raises(OverflowError):
        money.to_cents(Decimal(amount))


@given(st.integers(min_value=1 - 10**17, max_value=10**17 - 1))
def test_cents_to_euros_and_back_is_exact(cents):
    euros = money.to_euros(cents)
    assert euros.as_tuple().exponent == -2
    assert money.to_cents(euros) == cents
    assert money.to_cents(money.parse_euros(money.input_value(cents))) == cents
    assert money.to_cents(money.parse_euros(money.plain(cents))) == cents


@pytest.mark.parametrize(
    ("cents", "french", "english", "plain", "input_value"),
    [
        (0, f"0,00{NBSP}€", "€0.00", "0,00", "0.00"),
        (5, f"0,05{NBSP}€", "€0.05", "0,05", "0.05"),
        (2_100_00, f"2{NNBSP}100,00{NBSP}€", "€2,100.00", "2100,00", "2100.00"),
        (123_456, f"1{NNBSP}234,56{NBSP}€", "€1,234.56", "1234,56", "1234.56"),
        (-5, f"-0,05{NBSP}€", "-€0.05", "-0,05", "-0.05"),
        (
            -1_000_000_00,
            f"-1{NNBSP}000{NNBSP}000,00{NBSP}€",
            "-€1,000,000.00",
            "-1000000,00",
            "-1000000.00",
        ),
        (
            123_456_789_012_345_67,
            f"123{NNBSP}456{NNBSP}789{NNBSP}012{NNBSP}345,67{NBSP}€",
            "€123,456,789,012,345.67",
            "123456789012345,67",
            "123456789012345.67",
        ),
    ],
)
def test_cents_are_written(cents, french, english, plain, input_value):
    assert money.euros(cents) == french
    assert money.euros(cents, locale="en") == english
    assert money.plain(cents) == plain
    assert money.input_value(cents) == input_value


@pytest.mark.parametrize(
    ("cents", "numerator", "denominator", "share"),
    [
        (310_000, 31, 31, 310_000),  # a full month: exactly the monthly amount
        (310_000, 1, 31, 10_000),
        (100, 1, 3, 33),
        (200, 1, 3, 67),
        (1, 1, 2, 1),  # half up: 0.5 → 1
        (5, 1, 2, 3),  # 2.5 → 3 (half to even would give 2)
        (4_100_00, 50, 100, 2_050_00),
        (1, 50, 100, 1),
        (0, 17, 30, 0),
        (123_457, 0, 31, 0),
    ],
)
def test_a_share_rounds_half_up(cents, numerator, denominator, share):
    assert money.share(cents, numerator, denominator) == share


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=31),
    st.integers(min_value=28, max_value=31),
)
def test_a_share_is_the_exact_fraction_rounded_half_up(cents, days, days_in_month):
    days = min(days, days_in_month)
    exact = Fraction(cents * days, days_in_month)
    assert money.share(cents, days, days_in_month) == int(exact + Fraction(1, 2))
    # the expression the billing rules have always used
    legacy = Decimal(cents) * days / days_in_month
    assert money.share(cents, days, days_in_month) == int(
        legacy.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


# -- MoneyField: what a form gives the views -------------------------------------------------

RANGE = "Montant entre 0 et 100 000 €."
NOT_A_NUMBER = "N'est pas une valeur décimale valide."  # WTForms' French, as before


def _form(app, typed=None, cents=None):
    from lending.web.employees.forms import money as money_field
    from lending.web.forms import BaseForm

    class Form(BaseForm):
        amount = money_field(_l("Montant"))

    formdata = None if typed is None else MultiDict({"amount": typed})
    form = Form(formdata=formdata, meta={"csrf": False})
    if cents is not None:
        form.amount.data = cents
    return form


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("2800", 2_800_00),
        ("1200,50", 1_200_50),
        ("12.3", 1_230),
        (f"1{NNBSP}234,56{NBSP}€", 1_234_56),
        ("0", 0),
        ("0,005", 0),
        ("0,015", 2),
        ("99999,999", 100_000_00),
        ("100000", 100_000_00),
        ("", None),
        (" ", None),
    ],
)
def test_the_money_field_gives_int_cents(app, typed, cents):
    with app.test_request_context(method="POST"):
        form = _form(app, typed)
        assert form.validate(), form.errors
        assert form.amount.data == cents
        assert cents is None or type(form.amount.data) is int


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ("abc", [NOT_A_NUMBER, RANGE]),
        ("NaN", [NOT_A_NUMBER, RANGE]),
        ("sNaN", [NOT_A_NUMBER, RANGE]),
        ("1.234,56", [NOT_A_NUMBER, RANGE]),
        ("-5", [RANGE]),
        ("-0,004", [RANGE]),  # refused as typed, though it rounds to 0 cents
        ("100000,004", [RANGE]),
        ("100000,01", [RANGE]),
        ("1e999999999", [RANGE]),
        ("-1e999999999", [RANGE]),
    ],
)
def test_the_money_field_refuses_in_french(app, typed, errors):
    with app.test_request_context(method="POST"):
        form = _form(app, typed)
        assert not form.validate()
        assert [str(e) for e in form.amount.errors] == errors
        assert form.amount().count(f'value="{typed}"') == 1  # shown back as typed


def test_the_money_field_shows_cents_as_euros(app):
    with app.test_request_context():
        html = _form(app, cents=123_456).amount()
        assert 'value="1234.56"' in html
        assert 'max="100000" min="0"' in html  # euros, as the browser sees them
        assert 'type="number"' in html
        assert 'value=""' in _form(app).amount()
