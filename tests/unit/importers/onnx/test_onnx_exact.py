"""Exact arithmetic behind the folding, and the QONNX rounding modes against the table of
the QONNX operator definition (docs/qonnx-custom-ops/intquant_v1.md)."""

from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpga_opt.importers.onnx.exact import Real, exact_dot
from fpga_opt.importers.onnx.quantizers import _round_float, round_exact

getcontext().prec = 120

fractions = st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6)
positive = st.fractions(min_value=Fraction(1, 10**6), max_value=1000, max_denominator=10**6)


def decimal(x: Real) -> Decimal:
    def d(q: Fraction) -> Decimal:
        return Decimal(q.numerator) / Decimal(q.denominator)

    return d(x.r) + d(x.c) * d(x.d).sqrt() if x.c else d(x.r)


@settings(max_examples=150, deadline=None)
@given(fractions, fractions, positive)
def test_sign_and_floor_of_r_plus_c_sqrt_d(r, c, d):
    x = Real(r) + Real(c) * Real.sqrt(Real(d))
    value = decimal(x)
    assert x.sign() == (value > 0) - (value < 0)
    assert x.floor() == int(value.to_integral_value(rounding="ROUND_FLOOR"))


@settings(max_examples=100, deadline=None)
@given(fractions, fractions.filter(lambda c: c != 0), positive)
def test_inverse(r, c, d):
    x = Real(r) + Real(c) * Real.sqrt(Real(d))
    if x.sign() == 0:
        return
    product = x * x.inverse()
    assert product.c == 0 and product.r == 1 or abs(decimal(product) - 1) < Decimal(10) ** -60


def test_perfect_squares_stay_rational():
    assert Real.sqrt(Real(Fraction(9, 16))).c == 0
    assert Real.sqrt(Real(Fraction(9, 16))).r == Fraction(3, 4)
    assert Real.sqrt(Real(2)).c == 1


def test_exact_dot_with_one_square_root():
    root = Real.sqrt(Real(3))
    x = np.array([Real(1) + root, Real(Fraction(1, 2)) - root * 2], dtype=object)
    m = np.array([[2, -1], [4, 3]], dtype=object)
    y = exact_dot(x, m)
    assert y[0] == Real(4) + root * -6 and y[1] == Real(Fraction(1, 2)) + root * -7


# The rounding table of the QONNX IntQuant definition.
TABLE_INPUTS = [5.5, 2.5, 1.6, 1.1, 1.0, -1.0, -1.1, -1.6, -2.5, -5.5]
TABLE = {
    "ROUND": [6, 2, 2, 1, 1, -1, -1, -2, -2, -6],
    "CEIL": [6, 3, 2, 2, 1, -1, -1, -1, -2, -5],
    "FLOOR": [5, 2, 1, 1, 1, -1, -2, -2, -3, -6],
    "UP": [6, 3, 2, 2, 1, -1, -2, -2, -3, -6],
    "DOWN": [5, 2, 1, 1, 1, -1, -1, -1, -2, -5],
    "HALF_UP": [6, 3, 2, 1, 1, -1, -1, -2, -3, -6],
    "HALF_DOWN": [5, 2, 2, 1, 1, -1, -1, -2, -2, -5],
}
ALIASES = {"HALF_EVEN": "ROUND", "ROUND_TO_ZERO": "DOWN"}


@pytest.mark.parametrize("mode", sorted(TABLE) + sorted(ALIASES))
def test_rounding_modes_follow_the_qonnx_table(mode):
    expected = TABLE[ALIASES.get(mode, mode)]
    exact = [round_exact(Real(Fraction(str(v))), mode) for v in TABLE_INPUTS]
    floats = _round_float(np.array(TABLE_INPUTS, dtype=np.float32), mode).tolist()
    assert exact == expected
    assert floats == expected
