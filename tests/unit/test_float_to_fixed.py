"""float_to_fixed: the host's float -> fixed conversion is the exact rational value of each
float quantized by numerics.quantize (checked against Fractions), per element."""

import doctest
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import fpga_opt.float_to_fixed as float_to_fixed
from fpga_opt.float_to_fixed import exact_dyadic, quantize_floats
from fpga_opt.numerics import Format, Overflow, Rounding, quantize

floats32 = st.floats(allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=200, deadline=None)
@given(st.lists(floats32, min_size=1, max_size=6))
def test_exact_dyadic_is_the_exact_value(values):
    m, f = exact_dyadic(np.array(values, dtype=np.float32))
    for v, mm in zip(values, m):
        assert int(mm) * Fraction(2) ** -f == Fraction(v)


formats = st.builds(Format, st.integers(0, 1), st.integers(-3, 6), st.integers(-2, 8))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(floats32, formats), min_size=1, max_size=5),
       st.sampled_from(list(Rounding)), st.sampled_from(list(Overflow)))
def test_quantize_floats_per_element(columns, rounding, overflow):
    x = np.array([[v for v, _ in columns]], dtype=np.float32)
    fmts = np.empty(len(columns), dtype=object)
    fmts[:] = [fmt for _, fmt in columns]
    mantissas, f = quantize_floats(x, fmts, rounding, overflow)
    assert f == max(fmt.f for fmt in fmts)
    for (v, fmt), m in zip(columns, mantissas[0]):
        exact = Fraction(v)
        scale = 1 << 160
        expected = quantize(int(exact * scale), 160, fmt, rounding, overflow)
        assert m == expected << (f - fmt.f)


def test_non_finite_inputs_are_rejected():
    try:
        exact_dyadic(np.array([1.0, np.inf]))
    except ValueError as e:
        assert "finite" in str(e)
    else:
        raise AssertionError("an infinite input was accepted")


def test_docstring_examples():
    globs = {"np": np, "Format": Format, "Rounding": Rounding, "Overflow": Overflow}
    assert doctest.testmod(float_to_fixed, extraglobs=globs).failed == 0
