"""numerics.Interval against the sets of values it stands for, enumerated exactly."""

from hypothesis import given, settings
from hypothesis import strategies as st

from fpga_opt.numerics import Format, Interval, constant_interval

from .reference import mantissa_bounds, value


@st.composite
def intervals(draw, span: int = 12) -> Interval:
    lo = draw(st.integers(-20, 20))
    return Interval(lo, lo + draw(st.integers(0, span)), draw(st.integers(-3, 4)))


def values_of(x: Interval) -> set:
    return {value(m, x.f) for m in range(x.lo, x.hi + 1)}


def format_values(fmt: Format) -> set:
    lo, hi = mantissa_bounds(fmt.k, fmt.i, fmt.f)
    return {value(m, fmt.f) for m in range(lo, hi + 1)}


@settings(max_examples=300, deadline=None)
@given(x=intervals())
def test_format_is_the_smallest_holding_the_interval(x):
    fmt = x.format()
    fmt.check()
    assert values_of(x) <= format_values(fmt)
    assert fmt.interval().contains(x)
    for k in (0, 1):  # one bit fewer, at the same resolution, never suffices
        narrower = Format(k, fmt.width - 1 - k - x.f, x.f)
        if narrower.width >= 0:
            assert not values_of(x) <= format_values(narrower)


@settings(max_examples=300, deadline=None)
@given(a=intervals(), b=intervals())
def test_contains_is_set_inclusion(a, b):
    assert a.contains(b) == (values_of(b) <= values_of(a))


@settings(max_examples=300, deadline=None)
@given(a=intervals(span=6), b=intervals(span=6))
def test_arithmetic_is_the_exact_value_range(a, b):
    def ends(x: Interval):
        return value(x.lo, x.f), value(x.hi, x.f)

    sums = [p + q for p in values_of(a) for q in values_of(b)]
    differences = [p - q for p in values_of(a) for q in values_of(b)]
    assert ends(a + b) == (min(sums), max(sums))
    assert ends(a - b) == (min(differences), max(differences))
    assert ends(a.hull(b)) == (min(values_of(a) | values_of(b)), max(values_of(a) | values_of(b)))
    assert values_of(a) <= values_of(a.hull(b)) and values_of(b) <= values_of(a.hull(b))


@settings(max_examples=300, deadline=None)
@given(m=st.integers(-(2**40), 2**40), f=st.integers(-10, 10))
def test_constant_interval_is_the_value_at_its_coarsest(m, f):
    c = constant_interval(m, f)
    assert c.lo == c.hi and value(c.lo, c.f) == value(m, f)
    assert c.lo % 2 == 1 or c == Interval(0, 0, 0)
