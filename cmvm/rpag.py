"""Multiple constant multiplication within an adder depth, searched backwards from the targets.

The forward search of ``mcm`` (Hcub style) grows the graph from the input and only
filters by depth; under a tight depth limit it falls back to digit sums often.  The
backward search here follows the idea of RPAG (Kumm, Zipf, Faust and Chang, "Pipelined
adder graph optimization for high-speed multiple constant multiplication", ISCAS 2012),
adapted to counting adders of a graph that is not pipelined (a value computed early is
free to use at any later depth):

- ``W_D`` is the set of odd target fundamentals, all needed at depth ``<= D``;
- for ``s = D .. 2`` a *predecessor set* ``P`` of fundamentals of adder depth ``<= s-1``
  (at most ``2**(s-1)`` CSD digits, else no graph reaches them in time) is chosen so that
  every ``w`` of ``W_s`` is in ``P`` itself or one adder from ``P + {1}``
  (``w in A(p, q)``); then ``W_{s-1} = P``;
- the choice is greedy: the single new predecessor that completes the most elements of
  ``W_s`` (an element that becomes its own predecessor, i.e. is computed one level
  earlier, counts ``own_weight``; a fundamental that is built anyway counts extra); when no
  single predecessor completes anything, the best *pair* obtained by splitting some
  element's CSD digits in two;
- at ``s = 1`` everything left is ``2**k +- 1``.

The union of the stages is a set of fundamentals every target reaches within D levels
(``mcm_local.FundamentalSet`` checks, shrinks and builds it).  With a random generator
each choice takes one of the best few instead of the best (RPAG's "rand variance"), so
repeated runs explore other graphs.
"""

from __future__ import annotations

import heapq
import random
from itertools import combinations, islice
from operator import itemgetter

from .fundamentals import divisors_2l_pm_1, nonzeros, odd_part, search_bound, signed_digits, successor_set

PAIR_SPLITS = 512
"""Digit splits tried per element when looking for a predecessor pair."""


class StagePlan:
    """The greedy choice of one predecessor set ``P`` for the elements ``W`` of a stage."""

    def __init__(self, search: RPAG, work: set[int], s: int):
        self.search = search
        self.cap = 1 << (s - 1)  # CSD digits a predecessor may have
        self.pred: set[int] = set()
        self.left = {w for w in work if w not in search.stage_one}
        self.cand: dict[int, set[int]] = {}  # predecessor p -> elements it would complete
        self.rank: dict[int, list] = {}  # p -> [gain, -digits, -p]: larger is better
        self.users: dict[int, set[int]] = {}  # element w -> candidates that complete it
        for w in self.left:
            if nonzeros(w) <= self.cap:
                self._offer(w, w)
            for p, _ in divisors_2l_pm_1(w):
                self._offer(p, w)
            self._offer_with(w, 1)

    def _gain(self, p: int, w: int) -> float:
        return self.search.own_weight if w == p else 1.0

    def _offer(self, p: int, w: int) -> None:
        if p == 1 or p in self.pred or nonzeros(p) > self.cap:
            return
        done = self.cand.get(p)
        if done is None:
            done = self.cand[p] = set()
            self.rank[p] = [self.search.built_bonus if p in self.search.built else 0.0, -nonzeros(p), -p]
        if w not in done:
            done.add(w)
            self.rank[p][0] += self._gain(p, w)
            self.users.setdefault(w, set()).add(p)

    def _offer_with(self, w: int, q: int) -> None:
        """Every p with ``w in A(p, q)``."""
        for p in successor_set(w, q, self.search.bound):
            self._offer(p, w)

    def _complete(self, w: int) -> None:
        self.left.discard(w)
        for p in self.users.pop(w, ()):
            done = self.cand.get(p)
            if done is not None and w in done:
                done.discard(w)
                self.rank[p][0] -= self._gain(p, w)
                if not done:
                    del self.cand[p], self.rank[p]

    def _add(self, p: int) -> None:
        """Make p a predecessor: complete what it completes, offer what it newly enables."""
        self.pred.add(p)
        done = self.cand.pop(p, set())
        self.rank.pop(p, None)
        for w in (done | {p}) & self.left:
            self._complete(w)
        for w in self.left:
            self._offer_with(w, p)

    def _best_single(self) -> int | None:
        if not self.rank:
            return None
        top = heapq.nlargest(self.search.choices, self.rank.items(), key=itemgetter(1))
        return self.search.pick([p for p, _ in top])

    def _pairs(self, w: int):
        """Pairs ``(p1, p2)`` whose sum (signed, shifted) is w: splits of w's CSD digits."""
        digits = signed_digits(w)
        top, rest = digits[-1], digits[:-1]
        n = len(digits)
        for size in range(max(0, n - 1 - self.cap), min(self.cap - 1, n - 1) + 1):
            for chosen in islice(combinations(range(n - 1), size), PAIR_SPLITS):
                part = top + sum(rest[i] for i in chosen)
                other = w - part
                if part and other:
                    yield odd_part(abs(part))[0], odd_part(abs(other))[0]

    def _best_pair(self) -> tuple[int, int]:
        scored: dict[tuple[int, int], tuple[float, int]] = {}
        bound = self.search.bound
        for w in self.left:
            for p1, p2 in self._pairs(w):
                if nonzeros(p1) > self.cap or nonzeros(p2) > self.cap:
                    continue
                key = (min(p1, p2), max(p1, p2))
                if key in scored:
                    continue
                done = successor_set(p1, p2, bound) & self.left
                score = len(done) / (1 if p1 == p2 else 2)
                score += self.search.built_bonus * sum(p in self.search.built for p in set(key))
                scored[key] = (score, nonzeros(p1) + nonzeros(p2))
        ranked = sorted(scored, key=lambda k: (-scored[k][0], scored[k][1], k))
        return self.search.pick(ranked)

    def run(self) -> set[int]:
        while self.left:
            p = self._best_single()
            if p is not None:
                self._add(p)
                continue
            for p in self._best_pair():
                if p != 1 and p not in self.pred:
                    self._add(p)
        return self.pred


class RPAG:
    def __init__(
        self,
        targets: set[int],
        depth: int,
        rng: random.Random | None = None,
        variance: int = 1,
        own_weight: float = 10.0,
        built_bonus: float = 0.5,
    ):
        self.targets = set(targets) - {1}
        self.depth = depth
        self.rng = rng
        self.variance = variance
        self.own_weight = own_weight
        self.built_bonus = built_bonus
        self.bound = search_bound(self.targets)
        self.stage_one = successor_set(1, 1, self.bound)  # 2**k +- 1: one adder from x
        self.built: set[int] = set()  # fundamentals some stage already needs

    @property
    def choices(self) -> int:
        """How many of the best options a choice is drawn from."""
        return 1 if self.rng is None else self.variance + 1

    def pick(self, ranked: list):
        if self.rng is None or len(ranked) == 1:
            return ranked[0]
        return ranked[self.rng.randrange(min(len(ranked), self.variance + 1))]

    def stages(self) -> dict[int, set[int]]:
        """``W_s`` for every stage s: the fundamentals needed at depth ``<= s``."""
        work = set(self.targets)
        needed = {}
        self.built = set(work)
        for s in range(self.depth, 0, -1):
            needed[s] = set(work)
            if s == 1:
                break
            work = StagePlan(self, work, s).run()
            self.built |= work
        return needed

    def fundamentals(self) -> set[int]:
        """Targets and intermediate values of a graph of depth ``<= depth``."""
        return set().union(*self.stages().values()) - {1}
