"""numerics.quantize / quantize_interval against the rational-arithmetic reference.

Covers every rounding x overflow mode, signed and unsigned formats, negative i and f,
width 0, and the three value kinds quantize accepts: Python ints, int64 arrays and
object arrays of arbitrarily large Python ints.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpga_opt.numerics import Format, Interval, Overflow, Rounding, quantize, quantize_interval

from .reference import mantissa_bounds, quantize_value, value

MODES = list(itertools.product(Rounding, Overflow))


@st.composite
def formats(draw, max_width: int = 9) -> Format:
    k = draw(st.integers(0, 1))
    width = draw(st.integers(0, max_width))
    f = draw(st.integers(-4, 8))
    return Format(k, width - k - f, f)


def check_result(m, fmt: Format, x_m: int, x_f: int, rounding, overflow) -> None:
    """m (at fmt.f) is the reference quantization of x_m * 2^-x_f and lies in fmt."""
    lo, hi = mantissa_bounds(fmt.k, fmt.i, fmt.f)
    assert isinstance(m, int) and lo <= m <= hi
    expected = quantize_value(value(x_m, x_f), fmt.k, fmt.i, fmt.f, rounding.value, overflow.value)
    assert value(m, fmt.f) == expected, (x_m, x_f, fmt, rounding, overflow)


# Each example checks all nine modes, so N examples are 9 * N cases.


@settings(max_examples=600, deadline=None)
@given(fmt=formats(), x_m=st.integers(-(2**14), 2**14), x_f=st.integers(-4, 12))
def test_scalar_quantize_matches_reference(fmt, x_m, x_f):
    for rounding, overflow in MODES:
        m = quantize(x_m, x_f, fmt, rounding, overflow)
        check_result(m, fmt, x_m, x_f, rounding, overflow)


@settings(max_examples=80, deadline=None)
@given(
    fmt=formats(),
    xs=st.lists(st.integers(-(2**20), 2**20), min_size=1, max_size=40),
    x_f=st.integers(-4, 12),
)
def test_int64_array_quantize_matches_reference(fmt, xs, x_f):
    for rounding, overflow in MODES:
        out = quantize(np.array(xs, dtype=np.int64), x_f, fmt, rounding, overflow)
        assert isinstance(out, np.ndarray) and out.shape == (len(xs),)
        for m, x in zip(out.tolist(), xs):
            check_result(m, fmt, x, x_f, rounding, overflow)


@settings(max_examples=80, deadline=None)
@given(
    fmt=formats(max_width=100),
    xs=st.lists(st.integers(-(2**90), 2**90), min_size=1, max_size=20),
    x_f=st.integers(-4, 40),
)
def test_object_array_quantize_matches_reference(fmt, xs, x_f):
    """Python ints far beyond 64 bits, in a 2-d object array."""
    array = np.empty((len(xs), 1), dtype=object)
    array[:, 0] = xs
    for rounding, overflow in MODES:
        out = quantize(array, x_f, fmt, rounding, overflow)
        assert isinstance(out, np.ndarray) and out.shape == (len(xs), 1)
        for m, x in zip(out[:, 0].tolist(), xs):
            check_result(m, fmt, x, x_f, rounding, overflow)


def test_ties_and_wrap_by_hand():
    q = lambda m, f, fmt, r, o: quantize(m, f, fmt, Rounding(r), Overflow(o))  # noqa: E731
    int3 = Format(1, 2, 0)
    # 2.5 and -2.5: floor, half up, half to even
    assert [q(5, 1, int3, r, "SAT") for r in ("TRN", "RND", "RND_CONV")] == [2, 3, 2]
    assert [q(-5, 1, int3, r, "SAT") for r in ("TRN", "RND", "RND_CONV")] == [-3, -2, -2]
    # 4 wraps to -4, 5 to -3; saturation clamps to 3, and SAT_SYM clamps -4 to -3
    assert [q(4, 0, int3, "TRN", "WRAP"), q(5, 0, int3, "TRN", "WRAP")] == [-4, -3]
    assert [q(9, 0, int3, "TRN", "SAT"), q(-9, 0, int3, "TRN", "SAT_SYM")] == [3, -3]
    # f = -2: the grid is 4, 10 rounds to 8 (TRN) or 12 (RND); width 0 holds only 0
    assert [q(10, 0, Format(0, 4, -2), r, "SAT") for r in ("TRN", "RND")] == [2, 3]
    assert q(7, 0, Format(1, -1, 0), "RND", "SAT") == 0


# --------------------------------------------------------------- quantize_interval


@st.composite
def small_intervals(draw) -> Interval:
    f = draw(st.integers(-3, 5))
    lo = draw(st.integers(-40, 40))
    return Interval(lo, lo + draw(st.integers(0, 40)), f)


@settings(max_examples=400, deadline=None)
@given(x=small_intervals(), fmt=formats(max_width=6))
def test_quantize_interval_is_exact_min_max(x, fmt):
    """The interval is exactly [min, max] of quantize over every value of x, at fmt.f."""
    for rounding, overflow in MODES:
        results = [
            quantize_value(value(m, x.f), fmt.k, fmt.i, fmt.f, rounding.value, overflow.value)
            for m in range(x.lo, x.hi + 1)
        ]
        got = quantize_interval(x, fmt, rounding, overflow)
        exact = (min(results), max(results))
        assert (value(got.lo, got.f), value(got.hi, got.f)) == exact, (rounding, overflow, got)
        assert got.f == fmt.f


@pytest.mark.parametrize(
    "x,fmt,expected",
    [
        # [0, 3] at f=0 into 3 integer bits then 1 fractional: even mantissas only, 0..6
        (Interval(0, 3, 0), Format(0, 2, 1), Interval(0, 6, 1)),
        # [0, 5] wraps past 4 at f=1 (mantissas 0, 2, ..., 10 mod 8): the ring's evens
        (Interval(0, 5, 0), Format(0, 2, 1), Interval(0, 6, 1)),
        # [2, 5] in int3 = [-4, 3]: wraps, whole range
        (Interval(2, 5, 0), Format(1, 2, 0), Interval(-4, 3, 0)),
        # [-4, -1] in int3: no wrap, the run itself
        (Interval(-4, -1, 0), Format(1, 2, 0), Interval(-4, -1, 0)),
        # integers into fixed<1,0,1> ([-1, 0.5]): odd ones wrap to -1, even ones to 0
        (Interval(-3, 9, 0), Format(1, 0, 1), Interval(-2, 0, 1)),
        # even integers into fixed<1,0,1>: the grid step 4 is the whole ring, all wrap to 0
        (Interval(-3, 9, -1), Format(1, 0, 1), Interval(0, 0, 1)),
    ],
)
def test_wrap_interval_examples(x, fmt, expected):
    assert quantize_interval(x, fmt, Rounding.TRN, Overflow.WRAP) == expected
