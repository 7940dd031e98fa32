"""Exact fixed-point arithmetic shared by every dialect, pass, interpreter and importer.

A fixed-point *format* is ``(k, i, f)``: ``k`` in {0, 1} a sign bit, ``i`` integer bits
(not counting the sign), ``f`` fractional bits, ``width = k + i + f``.  Its values are
``m * 2**-f`` for integers ``m`` in ``[-k * 2**(i+f), 2**(i+f) - 1]``; a format of width 0
holds only zero.  ``i`` or ``f`` may be negative.

An *interval* ``[lo, hi] * 2**-f`` is what precision inference computes: the exact set of
mantissas a value can take, at the resolution ``2**-f``.  Every format has an interval and
every interval has a smallest format that contains it.

Everything here is integer arithmetic; there is no floating point anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

import numpy as np
from xdsl.utils.str_enum import StrEnum


class Rounding(StrEnum):
    """How a quantizer drops fractional bits (the names of hls4ml / HGQ)."""

    TRN = "TRN"  # floor, towards minus infinity
    RND = "RND"  # to nearest, ties up (towards plus infinity)
    RND_CONV = "RND_CONV"  # to nearest, ties to even


class Overflow(StrEnum):
    """What a quantizer does with a value outside its format."""

    WRAP = "WRAP"  # two's-complement wrap-around
    SAT = "SAT"  # clamp to the format's range
    SAT_SYM = "SAT_SYM"  # clamp to a range symmetric around zero (signed formats)


class FormatError(ValueError):
    """A format or interval that no value can have (or too large to compute with)."""


MAX_BITS = 1 << 16
"""The largest width and the largest |f| a format or interval may have: far beyond any
real design, but small enough that exact arithmetic on it never exhausts memory."""


def _check_size(what: object, width: int, f: int) -> None:
    if width > MAX_BITS or abs(f) > MAX_BITS:
        raise FormatError(f"{what} is too large: width and |f| are limited to {MAX_BITS} bits")


@dataclass(frozen=True, slots=True)
class Format:
    """The fixed-point format ``(k, i, f)``."""

    k: int
    i: int
    f: int

    @property
    def width(self) -> int:
        return self.k + self.i + self.f

    def check(self) -> None:
        if self.k not in (0, 1):
            raise FormatError(f"sign bit k must be 0 or 1, got k={self.k} in {self}")
        if self.width < 0:
            raise FormatError(f"width k+i+f must be >= 0, got {self.width} in {self}")
        _check_size(self, self.width, self.f)

    def interval(self) -> Interval:
        """The mantissas this format can hold, at its own resolution."""
        if self.width <= 0:
            return Interval(0, 0, self.f)
        top = 1 << (self.i + self.f)
        return Interval(-self.k * top, top - 1, self.f)

    def __str__(self) -> str:
        return f"fixed<{self.k},{self.i},{self.f}>"


@dataclass(frozen=True, slots=True)
class Interval:
    """The exact value set ``{m * 2**-f : lo <= m <= hi}``."""

    lo: int
    hi: int
    f: int

    def check(self) -> None:
        if self.lo > self.hi:
            raise FormatError(f"empty interval {self}: lo > hi")
        _check_size(self, max(abs(self.lo), abs(self.hi)).bit_length(), self.f)

    def interval(self) -> Interval:
        return self

    def at(self, f: int) -> Interval:
        """The same set at a finer resolution ``f >= self.f`` (exact)."""
        if f < self.f and self.is_zero:
            return Interval(0, 0, f)
        if f < self.f:
            raise ValueError(f"cannot coarsen {self} to f={f} exactly")
        s = f - self.f
        return Interval(self.lo << s, self.hi << s, f)

    @property
    def is_zero(self) -> bool:
        """Only the value 0, which every resolution holds."""
        return self.lo == self.hi == 0

    def format(self) -> Format:
        """The smallest format (fewest bits) that holds every value of the interval."""
        k = 1 if self.lo < 0 else 0
        return Format(k, magnitude_bits(self.lo, self.hi) - self.f, self.f)

    @property
    def width(self) -> int:
        return self.format().width

    def __add__(self, other: Interval) -> Interval:
        f = joint_f(self, other)
        a, b = self.at(f), other.at(f)
        return Interval(a.lo + b.lo, a.hi + b.hi, f)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.f)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def scale(self, m: int, f: int) -> Interval:
        """The interval of ``x * (m * 2**-f)`` for x in self."""
        ends = (self.lo * m, self.hi * m)
        return Interval(min(ends), max(ends), self.f + f)

    def shift(self, s: int) -> Interval:
        """The interval of ``x * 2**s`` (exact: only the resolution label moves)."""
        return Interval(self.lo, self.hi, self.f - s)

    def hull(self, other: Interval) -> Interval:
        f = joint_f(self, other)
        a, b = self.at(f), other.at(f)
        return Interval(min(a.lo, b.lo), max(a.hi, b.hi), f)

    def contains(self, other: Interval) -> bool:
        """Whether every value of ``other`` is a value of ``self``.

        A finer ``other`` holds values between self's grid points unless it is a single
        value that lies on the grid, so only then can it be contained."""
        s = other.f - self.f
        if s > 0:
            if other.lo != other.hi or other.lo % (1 << s):
                return False
            other = Interval(other.lo >> s, other.hi >> s, self.f)
        b = other.at(self.f)
        return self.lo <= b.lo and b.hi <= self.hi

    def __str__(self) -> str:
        return f"range<{self.lo},{self.hi},{self.f}>"


def magnitude_bits(lo: int, hi: int) -> int:
    """The bits besides a sign bit that hold every integer of [lo, hi]."""
    return max(hi.bit_length() if hi > 0 else 0, (-lo - 1).bit_length() if lo < 0 else 0)


def integer_width(lo: int, hi: int) -> int:
    """The width of the smallest format holding every integer of [lo, hi]
    (``Interval(lo, hi, 0).format().width``, without building either)."""
    return (lo < 0) + magnitude_bits(lo, hi)


def joint_f(a: Interval, b: Interval) -> int:
    """The resolution at which values of a and b can be combined exactly (0 needs none)."""
    if a.is_zero:
        return b.f
    if b.is_zero:
        return a.f
    return max(a.f, b.f)


def hull_of(intervals: Sequence[Interval]) -> Interval:
    """The smallest interval holding every one of ``intervals`` (at least one)."""
    out = intervals[0]
    for x in intervals[1:]:
        out = out.hull(x)
    return out


def interval_max(a: Interval, b: Interval) -> Interval:
    """The exact range of ``max(x, y)`` for x in a and y in b."""
    f = joint_f(a, b)
    a, b = a.at(f), b.at(f)
    return Interval(max(a.lo, b.lo), max(a.hi, b.hi), f)


def interval_min(a: Interval, b: Interval) -> Interval:
    """The exact range of ``min(x, y)`` for x in a and y in b."""
    f = joint_f(a, b)
    a, b = a.at(f), b.at(f)
    return Interval(min(a.lo, b.lo), min(a.hi, b.hi), f)


Precision = Format | Interval
"""What a type records per element: a declared format or an inferred exact interval."""


def constant_interval(m: int, f: int) -> Interval:
    """The single value ``m * 2**-f`` at its coarsest exact resolution."""
    if m == 0:
        return Interval(0, 0, 0)
    while m % 2 == 0:
        m //= 2
        f -= 1
    return Interval(m, m, f)


def values_interval(mantissas: Sequence[int], f: int) -> Interval:
    """The hull of the values ``m * 2**-f``, at the coarsest resolution holding them all
    (``hull_of`` their ``constant_interval``s, in three builtin calls: the min, the max and
    one OR whose lowest set bit is the finest one any value needs); ``range<0,0,0>`` for
    none.  A weight matrix or a 16-bit table has tens of thousands of values."""
    low_bits = reduce(or_, mantissas, 0)
    if low_bits == 0:
        return Interval(0, 0, 0)
    t = (low_bits & -low_bits).bit_length() - 1
    return Interval(min(mantissas) >> t, max(mantissas) >> t, f - t)


# --------------------------------------------------------------------------- quantize


def shift_right_rounded(m: Any, s: int, rounding: Rounding) -> Any:
    """``m * 2**-s`` rounded to an integer, for s >= 0; m an int or integer ndarray."""
    if s <= 0:
        return m << -s if s < 0 else m
    if rounding is Rounding.TRN:
        return m >> s
    half = 1 << (s - 1)
    if rounding is Rounding.RND:
        return (m + half) >> s
    q = m >> s
    r = m - (q << s)
    up = (r > half) | ((r == half) & ((q & 1) == 1))
    return q + _as_int(up)


def wrap_or_saturate(m: Any, fmt: Format, overflow: Overflow) -> Any:
    """Bring integer mantissas (at resolution fmt.f) into the format's range."""
    bounds = fmt.interval()
    lo, hi = bounds.lo, bounds.hi
    if overflow is Overflow.WRAP:
        modulus = max(hi - lo + 1, 1)
        return (m - lo) % modulus + lo
    if overflow is Overflow.SAT_SYM and fmt.k == 1:
        lo = -hi
    return _clip(m, lo, hi)


def quantize(m: Any, f_in: int, fmt: Format, rounding: Rounding, overflow: Overflow) -> Any:
    """Quantize the exact value ``m * 2**-f_in`` to ``fmt``; returns mantissas at fmt.f."""
    if fmt.width <= 0:
        return m * 0
    return wrap_or_saturate(shift_right_rounded(m, f_in - fmt.f, rounding), fmt, overflow)


def quantize_interval(x: Interval, fmt: Format, rounding: Rounding, overflow: Overflow) -> Interval:
    """The exact min..max of ``quantize`` over every value of ``x``.

    Rounding is monotone, so the rounded set is every multiple of ``2**t`` from round(lo) to
    round(hi), where t = max(fmt.f - x.f, 0) (t > 0 when the input is coarser than the
    format).  Saturation is monotone too.  Wrapping maps that run onto the format's ring of
    multiples of ``2**t``: if the run crosses a wrap boundary (or is longer than the ring)
    the result is the whole ring, otherwise it is the run shifted into range.
    """
    if fmt.width <= 0:
        return Interval(0, 0, fmt.f)
    s = x.f - fmt.f
    lo = shift_right_rounded(x.lo, s, rounding)
    hi = shift_right_rounded(x.hi, s, rounding)
    if overflow is Overflow.WRAP:
        return _wrap_run(lo, hi, max(-s, 0), fmt)
    return Interval(wrap_or_saturate(lo, fmt, overflow), wrap_or_saturate(hi, fmt, overflow), fmt.f)


def _wrap_run(lo: int, hi: int, t: int, fmt: Format) -> Interval:
    """The exact min..max of wrapping the mantissas lo, lo + 2**t, ..., hi into fmt."""
    bounds = fmt.interval()
    first = wrap_or_saturate(lo, fmt, Overflow.WRAP)
    if (bounds.hi - bounds.lo + 1) >> t <= 1:  # the step is the whole ring: one value
        return Interval(first, first, fmt.f)
    last = first + (hi - lo)
    if last > bounds.hi:  # crosses the top (or laps the ring): every multiple of 2**t
        return Interval(bounds.lo, bounds.hi + 1 - (1 << t), fmt.f)
    return Interval(first, last, fmt.f)


def _as_int(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return x.astype(object) if x.dtype == object else x.astype(np.int64)
    return int(x)


def _clip(m: Any, lo: int, hi: int) -> Any:
    if isinstance(m, np.ndarray):
        return np.minimum(np.maximum(m, lo), hi)
    return min(max(m, lo), hi)
