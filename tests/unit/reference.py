"""Fixed-point quantization written from its definition in exact rational arithmetic.

Deliberately independent of ``fpga_opt.numerics``: it works on ``Fraction`` values, not on
shifted integer mantissas, so the tests compare two different derivations of one spec.

A format (k, i, f) holds the values m * 2^-f with m in [-k * 2^(i+f), 2^(i+f) - 1]; a
format of width k + i + f = 0 holds only 0.
"""

from fractions import Fraction
from math import floor

HALF = Fraction(1, 2)


def step(f: int) -> Fraction:
    """The resolution 2^-f (f of either sign)."""
    return Fraction(1, 2**f) if f >= 0 else Fraction(2 ** -f)


def mantissa_bounds(k: int, i: int, f: int) -> tuple[int, int]:
    if k + i + f == 0:
        return 0, 0
    top = 2 ** (i + f)
    return -k * top, top - 1


def round_to_integer(t: Fraction, rounding: str) -> int:
    if rounding == "TRN":
        return floor(t)
    if rounding == "RND":
        return floor(t + HALF)
    assert rounding == "RND_CONV"
    below = floor(t)
    above_by = t - below
    if above_by != HALF:
        return below + (1 if above_by > HALF else 0)
    return below if below % 2 == 0 else below + 1


def quantize_value(x: Fraction, k: int, i: int, f: int, rounding: str, overflow: str) -> Fraction:
    """x rounded to the grid 2^-f, then wrapped or clamped into the format (k, i, f)."""
    width = k + i + f
    if width == 0:
        return Fraction(0)
    m = round_to_integer(x / step(f), rounding)
    lo, hi = mantissa_bounds(k, i, f)
    if overflow == "WRAP":
        m = lo + (m - lo) % 2**width
    elif overflow == "SAT" or k == 0:
        m = min(max(m, lo), hi)
    else:
        assert overflow == "SAT_SYM"
        m = min(max(m, -hi), hi)
    return m * step(f)


def value(m: int, f: int) -> Fraction:
    return m * step(f)
