"""Odd fundamentals and the A-operation: the vocabulary of single-input adder graphs.

For one input x, every constant multiple ``c * x`` with ``c = +-f * 2**k`` costs nothing
beyond the odd *fundamental* f (shifts and signs are wiring).  One adder makes, from two
fundamentals u and v, any odd part of ``|u * 2**l +- v|`` or ``|u +- v * 2**l|``: the
A-operation A(u, v) of Voronenko and Pueschel.  It is symmetric in a useful way:
``f in A(u, v)`` iff ``u in A(f, v)``, so "which value would complete f together with v"
is again an A-operation.

``Fundamentals`` builds fundamentals as nodes of a ``GraphBuilder`` over one input and
turns a set of them into an ``AdderGraph`` for a column of constants.
"""

from __future__ import annotations

from ..numerics import Interval
from .builder import GraphBuilder, Term, ceil_log2
from .graph import AdderGraph, prune


def odd_part(n: int) -> tuple[int, int]:
    """``(f, k)`` with ``n == f * 2**k`` and f odd (n > 0)."""
    k = (n & -n).bit_length() - 1
    return n >> k, k


def fundamentals_of(column) -> set[int]:
    """The odd fundamentals of a column's non-zero constants."""
    return {odd_part(abs(int(c)))[0] for c in column if c}


def nonzeros(n: int) -> int:
    """Non-zero CSD digits of ``n >= 0`` (the bit trick of ``csd``, on one Python int)."""
    h = n >> 1
    return (h ^ (n + h)).bit_count()


def adder_depth(f: int) -> int:
    """The least adder depth of ``f * x``: ceil(log2(CSD digits of f))."""
    return ceil_log2(nonzeros(f))


def signed_digits(n: int) -> list[int]:
    """The non-zero CSD digits of ``n > 0`` as signed powers of two, lowest first."""
    h = n >> 1
    t = n + h
    c = h ^ t
    plus = t & c
    out = []
    while c:
        low = c & -c
        out.append(low if plus & low else -low)
        c ^= low
    return out


def a_operation(u: int, v: int, bound: int):
    """Yield ``(f, l, sign)`` for every odd ``f <= bound`` with ``f * 2**k == |u * 2**l + sign * v|``.

    Together with ``a_operation(v, u, bound)`` (the shift on the other operand) this is
    A(u, v).
    """
    l = 0
    hi = u
    while hi <= bound + v or l == 0:
        for sign in (1, -1):
            n = hi + sign * v
            if n:
                f = odd_part(abs(n))[0]
                if f <= bound:
                    yield f, l, sign
        l += 1
        hi <<= 1


def successor_set(u: int, v: int, bound: int) -> set[int]:
    """A(u, v): the odd fundamentals up to bound one adder makes from u and v."""
    return {f for f, _, _ in a_operation(u, v, bound)} | {f for f, _, _ in a_operation(v, u, bound)}


def divisors_2l_pm_1(t: int):
    """Yield ``(s, m)`` for every ``t == s * m`` with ``m = 2**l +- 1 > 1`` (one adder from s)."""
    for l in range(1, t.bit_length() + 2):
        for m in ((1 << l) + 1, (1 << l) - 1):
            if m > 1 and t % m == 0:
                yield t // m, m


def search_bound(targets) -> int:
    """Fundamentals considered as intermediate values: up to twice the largest target."""
    return 1 << (max(targets, default=1).bit_length() + 1)


class Fundamentals:
    """Odd fundamentals built as adder nodes over one input: ``ready[f]`` is a term for f * x."""

    def __init__(self, interval: Interval):
        self.builder = GraphBuilder([interval])
        self.ready: dict[int, Term] = {1: (0, 0, 1)}

    def depth(self, f: int) -> int:
        return self.builder.depth[self.ready[f][0]]

    def build(self, u: int, l: int, v: int, sign: int) -> int:
        """Build the fundamental of ``u * 2**l + sign * v`` (u, v ready) and return it."""
        tu, tv = self.ready[u], self.ready[v]
        node, p, g = self.builder.add_terms((tu[0], tu[1] + l, tu[2]), (tv[0], tv[1], tv[2] * sign))
        n = (u << l) + sign * v
        f, k = odd_part(abs(n))
        self.ready[f] = (node, p - k, g if n > 0 else -g)
        return f

    def build_from_digits(self, t: int) -> None:
        """Build t as a least-depth sum of its CSD digits."""
        terms = [(0, d.bit_length() - 1 if d > 0 else (-d).bit_length() - 1, 1 if d > 0 else -1) for d in signed_digits(t)]
        self.ready[t] = self.builder.sum_terms(terms)

    def build_shallowest(self, f: int, bound: int) -> None:
        """Build f with one adder from the shallowest pair of ready values that makes it."""
        best = None
        for u in self.ready:
            for v in successor_set(f, u, bound) & self.ready.keys():
                d = max(self.depth(u), self.depth(v))
                if best is None or d < best[0]:
                    best = (d, u, v)
        if best is None:
            raise ValueError(f"{f} is not one adder from the ready fundamentals")
        _, u, v = best
        for a, b in ((u, v), (v, u)):
            for g, l, sign in a_operation(a, b, bound):
                if g == f:
                    self.build(a, l, b, sign)
                    return

    def graph(self, column: list[int]) -> AdderGraph:
        """The pruned graph whose outputs are ``column[k] * x`` (every fundamental ready)."""
        outputs: list[Term | None] = []
        for c in column:
            if c == 0:
                outputs.append(None)
                continue
            f, k = odd_part(abs(c))
            v, p, g = self.ready[f]
            outputs.append((v, p + k, g if c > 0 else -g))
        return prune(self.builder.graph(outputs))
