"""Greedy common-subexpression elimination over rows of signed, shifted terms.

Each row is a sum of terms ``g * v << p``.  A *pattern* is the node ``v[a] +- v[b] << s``
that the sum of two terms of a row reduces to (``builder.node_key``: shifts relative, signs
relative, so negated and shifted copies of a pair are the same pattern).  Repeatedly the
most valuable pattern that occurs at least twice becomes one adder node, and every
(non-overlapping) occurrence of it is replaced by one term; what remains in each row is
summed later in a least-depth tree.

Pattern counts over all term pairs of all rows are computed once with numpy and then kept
up to date incrementally as rows change; a lazy max-heap yields the best pattern.

Value of a pattern with ``n`` occurrences (each saves one adder in its row's sum, the
node costs one):
- objective "adders":     n - 1, ties to the narrower node;
- objective "adder_bits": (n - 1) * estimated node width.

A hard depth limit is honoured exactly through ``RowDepths``: an occurrence is replaced
only if every row can still be summed within the limit.
"""

from __future__ import annotations

import heapq

import numpy as np

from .builder import GraphBuilder, Term
from .depth import RowDepths

_VB, _SB = 21, 13  # bits for a value index and a shift in an integer pattern key


def encode(a: int, b: int, s: int, sub: bool) -> int:
    return (((a << _VB | b) << _SB | s) << 1) | int(sub)


def decode(key: int) -> tuple[int, int, int, bool]:
    sub = key & 1
    key >>= 1
    s = key & ((1 << _SB) - 1)
    key >>= _SB
    return key >> _VB, key & ((1 << _VB) - 1), s, bool(sub)


def pair_key(t1: Term, t2: Term) -> int:
    (v1, p1, g1), (v2, p2, g2) = t1, t2
    if p2 < p1 or (p2 == p1 and v2 < v1):
        return encode(v2, v1, p1 - p2, g1 != g2)
    return encode(v1, v2, p2 - p1, g1 != g2)


def _initial_counts(rows: list[dict[tuple[int, int], int]]) -> dict[int, int]:
    """Occurrences of every pattern over all pairs of terms within each row (numpy)."""
    chunks = []
    for row in rows:
        n = len(row)
        if n < 2:
            continue
        items = list(row.items())
        v = np.fromiter((k[0] for k, _ in items), np.int64, n)
        p = np.fromiter((k[1] for k, _ in items), np.int64, n)
        g = np.fromiter((s for _, s in items), np.int64, n)
        i, j = np.triu_indices(n, 1)
        swap = (p[j] < p[i]) | ((p[j] == p[i]) & (v[j] < v[i]))
        lo, hi = np.where(swap, j, i), np.where(swap, i, j)
        key = (((v[lo] << _VB | v[hi]) << _SB | (p[hi] - p[lo])) << 1) | (g[lo] != g[hi])
        chunks.append(key)
    if not chunks:
        return {}
    keys, counts = np.unique(np.concatenate(chunks), return_counts=True)
    return dict(zip(keys.tolist(), counts.tolist()))


class RowCSE:
    """The state of the elimination: rows, pattern counts, the priority heap."""

    def __init__(self, builder: GraphBuilder, rows: list[list[Term]], depths: RowDepths, objective: str):
        self.b = builder
        self.depths = depths
        self.objective = objective
        self.rows: list[dict[tuple[int, int], int]] = [{} for _ in rows]
        self.value_rows: dict[int, set[int]] = {}
        for r, terms in enumerate(rows):
            for v, p, g in terms:
                self._merge_in(r, v, p, g, count=False)
        self.counts = _initial_counts(self.rows)
        self.banned: set[int] = set()
        self.heap = [(self._priority(k, c), k) for k, c in self.counts.items() if c >= 2]
        heapq.heapify(self.heap)

    # ------------------------------------------------------------------ bookkeeping

    def _priority(self, key: int, count: int) -> tuple:
        a, b, s, _ = decode(key)
        width = self.b.estimate_width(a, b, s)
        if self.objective == "adder_bits":
            return (-(count - 1) * width, -count, key)
        return (-count, width, key)

    def _bump(self, key: int, delta: int) -> None:
        c = self.counts.get(key, 0) + delta
        if c:
            self.counts[key] = c
        else:
            self.counts.pop(key, None)
        if delta > 0 and c >= 2 and key not in self.banned:
            heapq.heappush(self.heap, (self._priority(key, c), key))

    def _remove(self, r: int, v: int, p: int, count: bool = True) -> int:
        row = self.rows[r]
        g = row.pop((v, p))
        if count:
            t = (v, p, g)
            for (u, q), h in row.items():
                self._bump(pair_key(t, (u, q, h)), -1)
        if not any(u == v for u, _ in row):
            self.value_rows[v].discard(r)
        return g

    def _insert(self, r: int, v: int, p: int, g: int, count: bool) -> None:
        row = self.rows[r]
        if count:
            t = (v, p, g)
            for (u, q), h in row.items():
                self._bump(pair_key(t, (u, q, h)), +1)
        row[(v, p)] = g
        self.value_rows.setdefault(v, set()).add(r)

    def _merge_in(self, r: int, v: int, p: int, g: int, count: bool = True) -> None:
        """Add the term to row r, folding ``x + x = 2x`` and ``x - x = 0``."""
        row = self.rows[r]
        while (v, p) in row:
            h = self._remove(r, v, p, count)
            if h != g:
                return
            p += 1
        self._insert(r, v, p, g, count)

    # ------------------------------------------------------------------ elimination

    def occurrences(self, key: int) -> list[tuple[int, int]]:
        """Non-overlapping ``(row, p)`` where the pattern's first term sits at shift p."""
        a, b, s, sub = decode(key)
        found = []
        for r in sorted(self.value_rows.get(a, set()) & self.value_rows.get(b, set())):
            row = self.rows[r]
            used: set[tuple[int, int]] = set()
            for p in sorted(q for (u, q) in row if u == a):
                ga, gb = row[(a, p)], row.get((b, p + s))
                if gb is None or (ga != gb) != sub:
                    continue
                if (a, p) in used or (b, p + s) in used:
                    continue
                used.update(((a, p), (b, p + s)))
                found.append((r, p))
        return found

    def step(self) -> bool:
        """Eliminate the best pattern; False when no pattern repeats any more."""
        while self.heap:
            prio, key = heapq.heappop(self.heap)
            c = self.counts.get(key, 0)
            if c < 2 or key in self.banned:
                continue
            if prio != self._priority(key, c):
                heapq.heappush(self.heap, (self._priority(key, c), key))
                continue
            if self._apply(key):
                return True
            self.banned.add(key)
        return False

    def _apply(self, key: int) -> bool:
        a, b, s, sub = decode(key)
        occ = self.occurrences(key)
        if len(occ) < 2:
            return False
        d_new = 1 + max(self.b.depth[a], self.b.depth[b])
        gain = (1 << d_new) - (1 << self.b.depth[a]) - (1 << self.b.depth[b])
        accepted: list[tuple[int, int]] = []
        weights: dict[int, int] = {}
        for r, p in occ:
            trial = dict(weights)
            trial[r] = weights.get(r, self.depths.weight[r]) + gain
            if gain <= 0 or self.depths.allows(trial):
                weights = trial
                accepted.append((r, p))
        if len(accepted) < 2:
            return False
        node = self.b.node(a, b, s, sub)
        for r, p in accepted:
            ga = self._remove(r, a, p)
            self._remove(r, b, p + s)
            self._merge_in(r, node, p, ga)
        self.depths.commit({r: self._row_weight(r) for r in weights})
        return True

    def _row_weight(self, r: int) -> int:
        return sum(1 << self.b.depth[v] for v, _ in self.rows[r])

    def run(self) -> list[list[Term]]:
        while self.step():
            pass
        return [[(v, p, g) for (v, p), g in row.items()] for row in self.rows]
