"""Exact real numbers for folding float arithmetic between quantizers.

Float32 constants are dyadic rationals, so sums, products and quotients of them are exact
``Fraction``s.  Batch normalization divides by ``sqrt(var + eps)``, which is irrational in
general; the numbers that arise are then ``r + c * sqrt(d)`` with rational r, c, d.  ``Real``
holds such a number and decides its sign, its floor and its comparisons exactly (by
squaring, never by approximation), which is all a quantizer needs.

Combining two different irrational square roots is not supported: it raises ``NotExact``,
and the importer turns that into a CompileError naming the node.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor, gcd, isqrt

import numpy as np


class NotExact(ArithmeticError):
    """An operation whose exact result is not of the form r + c*sqrt(d)."""


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def _rational_sqrt(q: Fraction) -> Fraction | None:
    n, d = q.numerator, q.denominator
    rn, rd = isqrt(n), isqrt(d)
    return Fraction(rn, rd) if rn * rn == n and rd * rd == d else None


_ZERO = Fraction(0)


class Real:
    """The exact number ``r + c * sqrt(d)`` (c == 0 for a rational; d is never a square)."""

    __slots__ = ("r", "c", "d")

    def __init__(self, r: Fraction | int = 0, c: Fraction | int = 0, d: Fraction | int = 0):
        self.r = r if type(r) is Fraction else Fraction(r)
        if c == 0:
            self.c = self.d = _ZERO
        else:
            self.c = c if type(c) is Fraction else Fraction(c)
            self.d = d if type(d) is Fraction else Fraction(d)

    @staticmethod
    def of(x) -> Real:
        if isinstance(x, Real):
            return x
        if isinstance(x, float | np.floating):
            if not np.isfinite(x):
                raise NotExact(f"a constant is {float(x)}")
            return Real(Fraction(float(x)))
        return Real(Fraction(x))

    @staticmethod
    def sqrt(q: Real) -> Real:
        if q.c != 0:
            raise NotExact("square root of an irrational number")
        if q.r < 0:
            raise NotExact("square root of a negative number")
        root = _rational_sqrt(q.r)
        return Real(root) if root is not None else Real(0, 1, q.r)

    def _common(self, other: Real) -> Fraction:
        if self.c == 0:
            return other.d
        if other.c == 0 or self.d == other.d:
            return self.d
        raise NotExact(f"cannot combine sqrt({self.d}) and sqrt({other.d}) exactly")

    def __add__(self, other) -> Real:
        other = Real.of(other)
        if self.c == 0 and other.c == 0:
            return Real(self.r + other.r)
        d = self._common(other)
        return Real(self.r + other.r, self.c + other.c, d)

    __radd__ = __add__

    def __neg__(self) -> Real:
        return Real(-self.r, -self.c, self.d)

    def __sub__(self, other) -> Real:
        return self + (-Real.of(other))

    def __rsub__(self, other) -> Real:
        return Real.of(other) - self

    def __mul__(self, other) -> Real:
        other = Real.of(other)
        if self.c == 0 and other.c == 0:
            return Real(self.r * other.r)
        d = self._common(other)
        return Real(self.r * other.r + self.c * other.c * d, self.r * other.c + self.c * other.r, d)

    __rmul__ = __mul__

    def inverse(self) -> Real:
        if self.c == 0:
            if self.r == 0:
                raise ZeroDivisionError("division by zero")
            return Real(1 / self.r)
        norm = self.r * self.r - self.c * self.c * self.d  # never 0: sqrt(d) is irrational
        return Real(self.r / norm, -self.c / norm, self.d)

    def __truediv__(self, other) -> Real:
        return self * Real.of(other).inverse()

    def __rtruediv__(self, other) -> Real:
        return Real.of(other) * self.inverse()

    def sign(self) -> int:
        sr, sc = _sign(self.r), _sign(self.c)
        if sc == 0 or sr == sc:
            return sr if sr else sc
        if sr == 0:
            return sc
        # opposite signs: whichever of r^2 and c^2 d is larger wins (never equal)
        return sr if self.r * self.r > self.c * self.c * self.d else sc

    def compare(self, other) -> int:
        if isinstance(other, int | Fraction):
            if self.c == 0:
                return (self.r > other) - (self.r < other)
            return Real(self.r - other, self.c, self.d).sign()
        return (self - Real.of(other)).sign()

    def __eq__(self, other) -> bool:
        return isinstance(other, Real | int | Fraction | float) and self.compare(other) == 0

    def __hash__(self) -> int:
        return hash((self.r, self.c, self.d))

    def floor(self) -> int:
        if self.c == 0:
            return floor(self.r)
        n = floor(self.approx())
        while self.compare(n) < 0:
            n -= 1
        while self.compare(n + 1) >= 0:
            n += 1
        return n

    def approx(self, bits: int = 64) -> Fraction:
        """A rational within about 2**-bits * |c| of the value (for estimates only)."""
        if self.c == 0:
            return self.r
        scale = 1 << bits
        n, d = self.d.numerator, self.d.denominator
        root = Fraction(isqrt(n * d * scale * scale), d * scale)
        return self.r + self.c * root

    def __float__(self) -> float:
        return float(self.approx())

    def __repr__(self) -> str:
        if self.c == 0:
            return f"Real({self.r})"
        return f"Real({self.r} + {self.c}*sqrt({self.d}))"


def exact_array(values) -> np.ndarray:
    """A numpy array of floats or ints as an object array of exact ``Real`` numbers."""
    array = np.asarray(values)
    out = np.empty(array.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(array.reshape(-1).tolist()):
        flat[i] = Real.of(v)
    return out


def dyadic(x: Real) -> tuple[int, int] | None:
    """``(m, f)`` with x == m * 2**-f (f minimal, may be negative), or None if not dyadic."""
    if x.c != 0:
        return None
    q = x.r
    den = q.denominator
    if den & (den - 1):
        return None
    m, f = q.numerator, den.bit_length() - 1
    if m == 0:
        return 0, 0
    while m % 2 == 0:
        m //= 2
        f -= 1
    return m, f


def power_of_two_exponent(x: Real) -> int | None:
    """e with x == 2**e, or None."""
    d = dyadic(x)
    if d is None or d[0] != 1:
        return None
    return -d[1]


def exact_dot(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``x @ m`` for exact numbers x (..., K) and integers m (K, J), in integer arithmetic."""
    r = np.vectorize(lambda v: v.r, otypes=[object])(x)
    c = np.vectorize(lambda v: v.c, otypes=[object])(x)
    roots = {v.d for v in x.ravel() if v.c != 0}
    if len(roots) > 1:
        raise NotExact("a sum of different irrational square roots")
    d = roots.pop() if roots else _ZERO
    return np.vectorize(lambda a, b: Real(a, b, d), otypes=[object])(_rational_dot(r, m), _rational_dot(c, m))


def _rational_dot(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    denominator = 1
    for v in x.ravel():
        denominator = denominator * v.denominator // gcd(denominator, v.denominator)
    numerators = np.vectorize(lambda v: int(v * denominator), otypes=[object])(x)
    dot = np.dot(numerators, m.astype(object))
    return np.vectorize(lambda n: Fraction(n, denominator), otypes=[object])(dot)
