"""Multiple constant multiplication (one input, many constants) by a graph-based search.

For a single column ``y_k = c_k * x`` the digit-pattern CSE is not the strongest method;
graph-based algorithms in the style of Hcub (Voronenko & Pueschel, "Multiplierless
multiple constant multiplication", 2007) do better.  Everything works on odd positive
*fundamentals* (``c = +-f * 2**k`` costs nothing beyond f):

- the *ready set* R holds the fundamentals already computed (initially {1} = x);
- the *successor set* S holds every fundamental one more adder can make from two of R:
  ``A(u, v) = odd(|u * 2**l +- v|)`` (and with the shift on v), within a bound;
- while a target is in S it is built at once (optimal part);
- otherwise the successor that brings the most remaining targets within one adder
  (``t in A(s, R + {s})``, found through the symmetry ``s in A(t, r)``) is built
  (heuristic part), ties to the cheaper successor;
- if no successor helps, the cheapest remaining target is built from its CSD digits.

A depth limit is respected by only using successors that stay within it (the CSD
fallback sums digits in a least-depth tree, which the limit always allows).
"""

from __future__ import annotations

import numpy as np

from ..numerics import Interval
from .builder import GraphBuilder, Term
from .csd import csd_count, csd_digits
from .graph import AdderGraph, prune


def odd_part(n: int) -> tuple[int, int]:
    """``(f, k)`` with ``n == f * 2**k`` and f odd (n > 0)."""
    k = (n & -n).bit_length() - 1
    return n >> k, k


class MCMSearch:
    def __init__(self, targets: set[int], interval: Interval, limit: int | None):
        self.builder = GraphBuilder([interval])
        self.limit = limit
        self.bound = 1 << (max(targets, default=1).bit_length() + 1)
        self.shifts = range(0, self.bound.bit_length() + 1)
        self.ready: dict[int, Term] = {1: (0, 0, 1)}  # fundamental -> term for f * x
        self.successors: dict[int, tuple[int, int, int, int, int]] = {}  # f -> (depth, u, lu, v, sign)
        self.targets = set(targets) - {1}
        self._extend(1)

    # ---------------------------------------------------------------- successor set

    def _depth(self, f: int) -> int:
        return self.builder.depth[self.ready[f][0]]

    def _a_operation(self, u: int, v: int):
        """Yield (f, u, lu, v, sign): f * 2**k == |u * 2**lu + sign * v| for some k."""
        for l in self.shifts:
            hi = u << l
            if hi > 2 * self.bound:
                break
            for sign in (1, -1):
                n = hi + sign * v
                if n:
                    f, _ = odd_part(abs(n))
                    if f <= self.bound:
                        yield f, u, l, v, sign

    def _extend(self, r: int) -> None:
        """Add the successors that use the new ready fundamental r."""
        dr = self._depth(r)
        for q in list(self.ready):
            d = 1 + max(dr, self._depth(q))
            if self.limit is not None and d > self.limit:
                continue
            for u, v in ((r, q), (q, r)):
                for f, uu, l, vv, sign in self._a_operation(u, v):
                    if f in self.ready:
                        continue
                    old = self.successors.get(f)
                    if old is None or d < old[0]:
                        self.successors[f] = (d, uu, l, vv, sign)

    def _build(self, f: int) -> None:
        _, u, l, v, sign = self.successors.pop(f)
        tu, tv = self.ready[u], self.ready[v]
        node, p, g = self.builder.add_terms((tu[0], tu[1] + l, tu[2]), (tv[0], tv[1], tv[2] * sign))
        n = (u << l) + sign * v
        _, k = odd_part(abs(n))
        self.ready[f] = (node, p - k, g if n > 0 else -g)
        self.targets.discard(f)
        self._extend(f)

    def _build_from_digits(self, t: int) -> None:
        digits = csd_digits(np.array([t], dtype=object if t.bit_length() > 60 else np.int64))[0]
        terms = [(0, p, int(d)) for p, d in enumerate(digits) if d]
        self.ready[t] = self.builder.sum_terms(terms)
        self.successors.pop(t, None)
        self.targets.discard(t)
        self._extend(t)

    # ---------------------------------------------------------------- search

    def _helpers(self) -> dict[int, int]:
        """How many targets each successor would bring within one adder."""
        usable = {
            f for f, (d, *_) in self.successors.items() if self.limit is None or d < self.limit
        }
        benefit: dict[int, int] = {}
        for t in self.targets:
            near: set[int] = set()
            for r in self.ready:
                for u, v in ((t, r), (r, t)):
                    near.update(f for f, *_ in self._a_operation(u, v))
            for l in self.shifts:  # t = s * (2**l +- 1)
                for m in ((1 << l) + 1, (1 << l) - 1):
                    if m > 1 and t % m == 0:
                        near.add(t // m)
            for s in near & usable:
                benefit[s] = benefit.get(s, 0) + 1
        return benefit

    def run(self) -> dict[int, Term]:
        while self.targets:
            ready_now = sorted(t for t in self.targets if t in self.successors)
            if ready_now:
                for t in ready_now:
                    if t in self.successors:
                        self._build(t)
                continue
            benefit = self._helpers()
            if benefit:
                best = min(benefit, key=lambda s: (-benefit[s], int(csd_count(np.array([s]))[0]), s))
                self._build(best)
            else:
                cheapest = min(self.targets, key=lambda t: (int(csd_count(np.array([t]))[0]), t))
                self._build_from_digits(cheapest)
        return self.ready


def solve_mcm(column: np.ndarray, interval: Interval, limit: int | None) -> AdderGraph:
    """An adder graph for ``y_k = column[k] * x`` (one input)."""
    consts = [int(c) for c in column]
    funds = {odd_part(abs(c))[0] for c in consts if c}
    search = MCMSearch(funds, interval, limit)
    ready = search.run()
    outputs: list[Term | None] = []
    for c in consts:
        if c == 0:
            outputs.append(None)
            continue
        f, k = odd_part(abs(c))
        v, p, g = ready[f]
        outputs.append((v, p + k, g if c > 0 else -g))
    return prune(search.builder.graph(outputs))
