"""Local search over the set of fundamentals of a depth-bounded single-input adder graph.

A set F of odd fundamentals (the targets plus intermediate values) is *feasible* for a
depth D when every target is reached within D adder levels: level 0 is {1} (the input),
and f joins level d when ``f in A(u, v)`` for two values u, v reached by level d - 1.
A feasible set of n fundamentals is an adder graph of n adders (``build``), so shrinking
the set while keeping it feasible removes adders:

- *drop*: remove an intermediate value nothing needs;
- *two for one*: remove two intermediates and add one value that completes, together
  with what is left, every target the removal cut off;
- *perturb and repair*: remove one or two intermediates at random, add back values that
  complete the most unreached elements (or split one in two halves of its CSD digits when
  no single value completes anything), then shrink again; kept when no larger.

The moves only ever test feasibility, so every result honours the depth exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

from ..numerics import Interval
from .fundamentals import Fundamentals, divisors_2l_pm_1, nonzeros, odd_part, signed_digits, successor_set


WORK_BUDGET = 3_000_000
"""(value, partner) pairs the reachability tests may examine in one search: the local
search stops where it is when they are used up (a count, so results do not depend on
the machine's speed)."""


MISS_WORK = 50
"""... where computing one new A-operation counts as this many pairs."""


class FundamentalSet:
    def __init__(self, targets: set[int], depth: int, bound: int, budget: int = WORK_BUDGET):
        self.targets = set(targets) - {1}
        self.work = 0  # (value, partner) pairs examined
        self.budget = budget
        self.depth = depth
        self.bound = bound
        self.cap = 1 << max(depth - 1, 0)  # CSD digits an intermediate value may have
        self._succ: dict[tuple[int, int], set[int]] = {}

    def _a(self, f: int, u: int) -> set[int]:
        """A(f, u) without the values that cannot be reached before the last level (too
        many digits): exactly the partners that can complete f together with u."""
        key = (f, u)
        s = self._succ.get(key)
        if s is None:
            s = self._succ[key] = {z for z in successor_set(f, u, self.bound) if nonzeros(z) <= self.cap}
            self.work += MISS_WORK
        return s

    def levels(self, fs: set[int]) -> dict[int, int]:
        """The adder level of every element of fs reached within the depth (1 at level 0)."""
        reached = {1: 0}
        frontier = [1]
        todo = set(fs) - {1}
        for d in range(1, self.depth + 1):
            self.work += len(todo) * len(frontier)
            # a value first reachable at level d uses a value of level d - 1
            new = [f for f in todo if any(not self._a(f, u).isdisjoint(reached) for u in frontier)]
            if not new:
                break
            for f in new:
                reached[f] = d
            todo.difference_update(new)
            frontier = new
        return reached

    @property
    def exhausted(self) -> bool:
        return self.work > self.budget

    def feasible(self, fs: set[int]) -> bool:
        return self.targets <= self.levels(fs).keys()

    def _completers(self, b: int, reached) -> set[int]:
        """Values z with b one adder from z and something reached (or from z alone)."""
        self.work += len(reached)
        out: set[int] = set()
        for u in reached:
            out |= self._a(b, u)
        out.update(p for p, _ in divisors_2l_pm_1(b) if nonzeros(p) <= self.cap)
        out.discard(1)
        self.work += len(out)
        return out

    # ---------------------------------------------------------------- moves

    def shrink(self, fs: set[int]) -> set[int]:
        """Drop and two-for-one moves until none applies (fs must be feasible)."""
        fs = set(fs)
        while True:
            for x in sorted(fs - self.targets, key=lambda x: (-nonzeros(x), x)):
                if self.exhausted:
                    return fs
                if self.feasible(fs - {x}):
                    fs.discard(x)
            swap = self._two_for_one(fs, sorted(fs - self.targets))
            if swap is None:
                return fs
            fs = swap

    def _two_for_one(self, fs: set[int], extra: list[int]) -> set[int] | None:
        for x, y in combinations(extra, 2):
            if self.exhausted:
                return None
            rest = fs - {x, y}
            reached = self.levels(rest)
            common: set[int] | None = None
            for b in self.targets - reached.keys():
                c = self._completers(b, reached)
                common = c if common is None else common & c
                if not common:
                    break
            for z in sorted(common or ()):
                if self.feasible(rest | {z}):
                    return rest | {z}
        return None

    def repair(self, fs: set[int]) -> set[int] | None:
        """Add values until every element of fs and every target is reached (None if stuck)."""
        fs = set(fs) | self.targets
        for _ in range(4 * len(fs) + 4):
            if self.exhausted:
                return None
            reached = self.levels(fs)
            missing = fs - reached.keys()
            if not missing:
                return fs
            count: Counter[int] = Counter()
            for b in missing:
                count.update(self._completers(b, reached) - fs)
            if count:
                most = max(count.values())
                fs.add(min((z for z, n in count.items() if n == most), key=lambda z: (nonzeros(z), z)))
                continue
            halves = _halves(min(missing, key=lambda b: (nonzeros(b), b))) - fs
            if not halves:
                return None
            fs |= halves
        return None

    def search(self, start: set[int], rng: random.Random, rounds: int) -> set[int]:
        """Shrink start, then perturb-and-repair rounds; the smallest feasible set seen."""
        best = current = self.shrink(start)
        for _ in range(rounds):
            extra = sorted(current - self.targets)
            if self.exhausted:
                break
            if not extra:
                break
            removed = rng.sample(extra, min(len(extra), rng.choice((1, 2))))
            repaired = self.repair(current - set(removed))
            if repaired is None:
                continue
            candidate = self.shrink(repaired)
            if len(candidate) <= len(current):
                current = candidate
                if len(candidate) < len(best):
                    best = candidate
        return best

    def build(self, fs: set[int], interval: Interval) -> Fundamentals:
        """The adders of a feasible set, each from the shallowest pair below it."""
        funds = Fundamentals(interval)
        levels = self.levels(fs)
        for f in sorted(levels, key=lambda f: (levels[f], f)):
            if f not in funds.ready:
                funds.build_shallowest(f, self.bound)
        return funds


def _halves(b: int) -> set[int]:
    """The odd parts of the upper and lower halves of b's CSD digits (b = +-hi +- lo)."""
    digits = signed_digits(b)
    hi = sum(digits[len(digits) // 2 :])
    return {odd_part(abs(hi))[0], odd_part(abs(b - hi))[0]} - {1}
