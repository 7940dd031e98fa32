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
fallback sums digits in a least-depth tree, which the limit always allows).  Under a
tight limit this forward search is weak, so ``solve_mcm`` also searches backwards from
the targets (``rpag``) and shrinks the result by local search (``mcm_local``), keeping
the better graph.
"""

from __future__ import annotations

import random

import numpy as np

from ..numerics import Interval
from .fundamentals import (
    Fundamentals,
    a_operation,
    adder_depth,
    divisors_2l_pm_1,
    fundamentals_of,
    nonzeros,
    search_bound,
    successor_set,
)
from .graph import AdderGraph, stats
from .mcm_local import FundamentalSet
from .rpag import RPAG


class MCMSearch:
    def __init__(self, targets: set[int], interval: Interval, limit: int | None):
        self.funds = Fundamentals(interval)
        self.ready = self.funds.ready
        self.limit = limit
        self.bound = search_bound(targets)
        self.successors: dict[int, tuple[int, int, int, int, int]] = {}  # f -> (depth, u, lu, v, sign)
        self.targets = set(targets) - {1}
        self._extend(1)

    # ---------------------------------------------------------------- successor set

    def _depth(self, f: int) -> int:
        return self.funds.depth(f)

    def _a_operation(self, u: int, v: int):
        """Yield (f, u, lu, v, sign): f * 2**k == |u * 2**lu + sign * v| for some k."""
        for f, l, sign in a_operation(u, v, self.bound):
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
        self.funds.build(u, l, v, sign)
        self.targets.discard(f)
        self._extend(f)

    def _build_from_digits(self, t: int) -> None:
        self.funds.build_from_digits(t)
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
                near |= successor_set(t, r, self.bound)
            near.update(f for f, _ in divisors_2l_pm_1(t))  # t = s * (2**l +- 1)
            for s in near & usable:
                benefit[s] = benefit.get(s, 0) + 1
        return benefit

    def run(self) -> Fundamentals:
        while self.targets:
            ready_now = sorted(t for t in self.targets if t in self.successors)
            if ready_now:
                for t in ready_now:
                    if t in self.successors:
                        self._build(t)
                continue
            benefit = self._helpers()
            if benefit:
                best = min(benefit, key=lambda s: (-benefit[s], nonzeros(s), s))
                self._build(best)
            else:
                cheapest = min(self.targets, key=lambda t: (nonzeros(t), t))
                self._build_from_digits(cheapest)
        return self.funds


RPAG_RUNS = 4
"""Backward (RPAG) runs per depth: the greedy one and randomized ones."""
LOCAL_ROUNDS = 24
"""Perturb-and-repair rounds of the local search on the best set found."""
LOCAL_SEARCH_TARGETS = 64
"""Above this many fundamentals: one backward run and no perturbation rounds."""


def least_depth_of(column) -> int:
    """The least adder depth any graph for the column can have."""
    return max((adder_depth(f) for f in fundamentals_of(column)), default=0)


def solve_mcm(column: np.ndarray, interval: Interval, limit: int | None, objective: str = "adders", seed: int = 0) -> AdderGraph:
    """An adder graph for ``y_k = column[k] * x`` (one input) within ``limit`` adder levels.

    Candidates: the forward Hcub-style search, and the backward RPAG search at ``limit``
    (the least depth when None) whose fundamentals the local search of ``mcm_local``
    shrinks.  The best by the objective ("adders" or "adder_bits", then the other, then
    depth) is returned.
    """
    consts = [int(c) for c in column]
    targets = fundamentals_of(consts) - {1}
    least = least_depth_of(consts)
    if limit is not None and limit < least:
        raise ValueError(f"depth {limit} is below the least depth {least} of the column")
    depth = least if limit is None else limit
    forward = MCMSearch(targets, interval, limit).run()
    space = FundamentalSet(targets, depth, search_bound(targets))
    rng = random.Random(seed)
    starts = [set(forward.ready) - {1}]  # not a valid start when it summed digits
    starts = [f for f in starts if space.feasible(f)]
    runs = RPAG_RUNS if len(targets) <= LOCAL_SEARCH_TARGETS else 1
    starts += [RPAG(targets, depth, rng if run else None).fundamentals() for run in range(runs)]
    best = min((space.shrink(s) for s in starts), key=lambda s: (len(s), sorted(s)))
    if len(targets) <= LOCAL_SEARCH_TARGETS:
        best = space.search(best, rng, LOCAL_ROUNDS)
    graphs = [forward.graph(consts), space.build(best, interval).graph(consts)]
    return min(graphs, key=lambda g: _rank(stats(g, [interval]), objective))


def _rank(s: dict[str, int], objective: str) -> tuple[int, int, int]:
    if objective == "adder_bits":
        return (s["adder_bits"], s["adders"], s["depth"])
    return (s["adders"], s["adder_bits"], s["depth"])
