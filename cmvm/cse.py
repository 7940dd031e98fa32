"""Greedy common-subexpression elimination over rows of signed, shifted terms.

Each row is a sum of terms ``g * v << p``.  A *pattern* is the node ``v[a] +- v[b] << s``
that the sum of two terms of a row reduces to (shifts relative, signs relative, so
negated and shifted copies of a pair are the same pattern; see ``builder.node_key``).
Repeatedly the most valuable pattern that occurs at least twice becomes one adder node,
and every (non-overlapping) occurrence of it is replaced by one term; what remains in
each row is summed later in a least-depth tree.

Pattern counts over all term pairs of all rows are computed once with numpy and then kept
up to date incrementally: each row keeps its terms in numpy arrays, so the pattern keys
of one term against the whole row are one vectorized expression, and the counts are two
``collections.Counter`` objects (additions, removals) fed in bulk.  A lazy max-heap
yields the best pattern.

Value of a pattern with ``n`` occurrences (each saves one adder in its row's sum, the
node costs one), by priority:
- "narrow":  n, ties to the narrower node;
- "recent":  n, ties to the pattern whose newer operand is the most recent value (builds
  on fresh partial sums, which tends to share more); "recent<i>" breaks the remaining
  ties by a hash salted with i (restarts of the same quality);
- "shallow": n, ties to the shallowest operands, then the narrower node;
- "bits":    (n - 1) * estimated node width (for the adder-bits objective);
- "random<i>": n, ties broken by a hash of the pattern salted with i (restarts).

A hard depth limit is honoured exactly through ``RowDepths``: an occurrence is replaced
only if every row can still be summed within the limit.
"""

from __future__ import annotations

import heapq
from collections import Counter
from functools import lru_cache

import numpy as np

from .builder import GraphBuilder, Term
from .depth import RowDepths

_VB, _SB = 21, 13  # bits for a value index and a shift in an integer pattern key
_SMASK = (1 << _SB) - 1
_KEYBITS = 2 * _VB + _SB + 1
_KEYMASK = (1 << _KEYBITS) - 1
_CMAX, _WMAX, _RB = 1 << 24, 1 << 12, 24  # bounds on counts and widths in a heap rank
_VMASK = (1 << _VB) - 1


_A_SHIFT, _B_SHIFT = _SB + 1 + _VB, _SB + 1


def decode(key: int) -> tuple[int, int, int, bool]:
    return key >> _A_SHIFT, (key >> _B_SHIFT) & _VMASK, (key >> 1) & _SMASK, bool(key & 1)


def pair_keys(v, p, g, V, P, G):
    """Pattern keys of the term (v, p, g) paired with each term of the arrays V, P, G."""
    swap = (P < p) | ((P == p) & (V < v))
    a = np.where(swap, V, v)
    b = np.where(swap, v, V)
    s = np.abs(P - p)
    return (((a << _VB | b) << _SB | s) << 1) | (G != g)


class TermRow:
    """One row's terms: a dict for lookups, numpy arrays for vectorized pair keys."""

    def __init__(self, capacity: int = 16):
        self.slot: dict[tuple[int, int], int] = {}
        self.positions: dict[int, set[int]] = {}  # value -> its shifts in this row
        self.V = np.zeros(capacity, np.int64)
        self.P = np.zeros(capacity, np.int64)
        self.G = np.zeros(capacity, np.int64)
        self.alive = np.zeros(capacity, bool)
        self.used = 0

    def __len__(self) -> int:
        return len(self.slot)

    def sign(self, v: int, p: int) -> int | None:
        i = self.slot.get((v, p))
        return None if i is None else int(self.G[i])

    def terms(self) -> list[Term]:
        G = self.G.tolist()
        return [(v, p, G[i]) for (v, p), i in self.slot.items()]

    def live(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        m = self.alive[: self.used]
        return self.V[: self.used][m], self.P[: self.used][m], self.G[: self.used][m]

    def fill(self, terms: list[Term]) -> bool:
        """Load distinct terms into an empty row at once; False (nothing done) if some
        (value, shift) occurs twice."""
        slot = {(v, p): i for i, (v, p, _) in enumerate(terms)}
        if len(slot) != len(terms):
            return False
        n = len(terms)
        if n:
            self.V[:n], self.P[:n], self.G[:n] = np.array(terms, dtype=np.int64).T
            self.alive[:n] = True
        self.used = n
        self.slot = slot
        for v, p, _ in terms:
            self.positions.setdefault(v, set()).add(p)
        return True

    def add(self, v: int, p: int, g: int) -> None:
        if self.used == len(self.V):
            self._grow()
        i = self.used
        self.used += 1
        self.V[i], self.P[i], self.G[i], self.alive[i] = v, p, g, True
        self.slot[(v, p)] = i
        self.positions.setdefault(v, set()).add(p)

    def remove(self, v: int, p: int) -> int:
        i = self.slot.pop((v, p))
        self.alive[i] = False
        ps = self.positions[v]
        ps.discard(p)
        if not ps:
            del self.positions[v]
        return int(self.G[i])

    def _grow(self) -> None:
        V, P, G = self.live()
        n = len(V)
        cap = max(16, 2 * n + 4)
        self.V, self.P, self.G = (np.zeros(cap, np.int64) for _ in range(3))
        self.alive = np.zeros(cap, bool)
        self.V[:n], self.P[:n], self.G[:n], self.alive[:n] = V, P, G, True
        self.used = n
        self.slot = {(int(v), int(p)): i for i, (v, p) in enumerate(zip(V, P))}


@lru_cache(maxsize=512)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, 1)


def _initial_counts(rows: list[TermRow]) -> tuple[np.ndarray, np.ndarray]:
    """``(keys, counts)``: occurrences of every pattern over all pairs of terms within each
    row (numpy)."""
    chunks = []
    for row in rows:
        V, P, G = row.live()
        n = len(V)
        if n < 2:
            continue
        i, j = _pairs(n)
        chunks.append(pair_keys(V[i], P[i], G[i], V[j], P[j], G[j]))
    if not chunks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.unique(np.concatenate(chunks), return_counts=True)


class RowCSE:
    """The state of the elimination: rows, pattern counts, the priority heap."""

    def __init__(self, builder: GraphBuilder, rows: list[list[Term]], depths: RowDepths, priority: str):
        self.b = builder
        self.depths = depths
        self.priority = priority
        salted = priority.startswith(("recent", "random"))
        self.salt = int(priority[6:] or 0) * 0x9E3779B97F4A7C15 if salted else 0
        if priority.startswith("recent"):
            self._priority = self._priority_recent
        elif priority.startswith("random"):
            self._priority = self._priority_random
        self.rows = [TermRow(max(16, 2 * len(terms))) for terms in rows]
        self.value_rows: dict[int, set[int]] = {}
        self.added: Counter = Counter()
        self.removed: Counter = Counter()
        for r, terms in enumerate(rows):
            if not self.rows[r].fill(terms):  # some (value, shift) repeats: fold term by term
                for v, p, g in terms:
                    self._merge_in(r, v, p, g, count=False)
            for v in self.rows[r].positions:
                self.value_rows.setdefault(v, set()).add(r)
        keys, counts = _initial_counts(self.rows)
        self.added = Counter()
        dict.update(self.added, zip(keys.tolist(), counts.tolist()))
        self.banned: set[int] = set()
        self.dirty: set[int] = set()  # patterns that gained pairs since the last step
        repeated = counts >= 2
        self.pushed = dict(zip(keys[repeated].tolist(), counts[repeated].tolist()))
        self.heap = [self._priority(k, c) for k, c in self.pushed.items()]
        self.latest = {entry & _KEYMASK: entry for entry in self.heap}  # newest entry per key
        heapq.heapify(self.heap)

    # ------------------------------------------------------------------ bookkeeping

    def count(self, key: int) -> int:
        return self.added.get(key, 0) - self.removed.get(key, 0)

    def _priority_recent(self, key: int, count: int) -> int:
        newest = max(key >> _A_SHIFT, (key >> _B_SHIFT) & _VMASK)  # b unless a is newer
        tie = (((key ^ self.salt) * 0xBF58476D1CE4E5B9) >> 40) & 0x7 if self.salt else 0
        return ((((((_CMAX - count) << _RB) | (_VMASK - newest)) << 3) | tie) << _KEYBITS) | key

    def _priority_random(self, key: int, count: int) -> int:
        rank = ((_CMAX - count) << _RB) | (((key ^ self.salt) * 0xBF58476D1CE4E5B9) >> 40) & 0xFFFFFF
        return (rank << _KEYBITS) | key

    def _priority(self, key: int, count: int) -> int:
        """A heap entry: smaller is better; the key sits in the low bits."""
        a, b, s, _ = decode(key)
        width = min(self.b.estimate_width(a, b, s), _WMAX)
        if self.priority == "bits":
            rank = ((_CMAX * _WMAX - (count - 1) * width) << _RB) | (_CMAX - count)
        elif self.priority == "shallow":
            rank = ((_CMAX - count) << _RB) | (self.b.depth[a] + self.b.depth[b]) << 12 | width
        else:
            rank = ((_CMAX - count) << _RB) | width
        return (rank << _KEYBITS) | key

    def _push(self, key: int, count: int) -> None:
        if count > self.pushed.get(key, 0):
            self.pushed[key] = count
            entry = self._priority(key, count)
            self.latest[key] = entry
            heapq.heappush(self.heap, entry)

    def _remove(self, r: int, v: int, p: int, count: bool = True) -> int:
        row = self.rows[r]
        g = row.remove(v, p)
        if count and len(row):
            self.removed.update(pair_keys(v, p, g, *row.live()).tolist())
        if v not in row.positions:
            self.value_rows[v].discard(r)
        return g

    def _count_new(self, keys: list[int]) -> None:
        """Count newly formed pairs; their patterns are queued at the next ``step``."""
        self.added.update(keys)
        self.dirty.update(keys)

    def _queue_dirty(self) -> None:
        """Queue every pattern that gained pairs since the last step, once, at its count
        now (one heap entry per pattern however many rows gained it)."""
        added, removed, banned = self.added.get, self.removed.get, self.banned
        for k in self.dirty:
            c = added(k) - removed(k, 0)
            if c >= 2 and k not in banned:
                self._push(k, c)
        self.dirty.clear()

    def _insert(self, r: int, v: int, p: int, g: int, count: bool) -> None:
        row = self.rows[r]
        if count and len(row):
            self._count_new(pair_keys(v, p, g, *row.live()).tolist())
        row.add(v, p, g)
        self.value_rows.setdefault(v, set()).add(r)

    def _merge_in(self, r: int, v: int, p: int, g: int, count: bool = True) -> None:
        """Add the term to row r, folding ``x + x = 2x`` and ``x - x = 0``."""
        row = self.rows[r]
        while (v, p) in row.slot:
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
        rows_b = self.value_rows.get(b, ())
        for r in sorted(r for r in self.value_rows.get(a, ()) if r in rows_b):
            row = self.rows[r]
            used: set[tuple[int, int]] = set()
            for p in sorted(row.positions[a]):
                ga, gb = row.sign(a, p), row.sign(b, p + s)
                if gb is None or (ga != gb) != sub:
                    continue
                if (a, p) in used or (b, p + s) in used:
                    continue
                used.update(((a, p), (b, p + s)))
                found.append((r, p))
        return found

    def step(self) -> bool:
        """Eliminate the best pattern; False when no pattern repeats any more."""
        self._queue_dirty()
        while self.heap:
            entry = heapq.heappop(self.heap)
            key = entry & _KEYMASK
            if self.latest.get(key) != entry:  # superseded by a later push
                continue
            del self.latest[key]
            pushed = self.pushed.pop(key)
            c = self.count(key)
            if c < 2 or key in self.banned:
                continue
            if c != pushed:  # occurrences were used up since: queue it at its true count
                self._push(key, c)
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
            if (node, p) in self.rows[r].slot:  # the sum folds into an existing term
                ga = self._remove(r, a, p)
                self._remove(r, b, p + s)
                self._merge_in(r, node, p, ga)
            else:
                self._replace_pair(r, a, p, b, p + s, node)
        self.depths.commit({r: self._row_weight(r) for r in weights})
        return True

    def _replace_pair(self, r: int, a: int, pa: int, b: int, pb: int, node: int) -> None:
        """Terms (a, pa) and (b, pb) of row r become (node, pa), with one vectorized
        count update for all pairs they form with the rest of the row."""
        row = self.rows[r]
        ga, gb = row.remove(a, pa), row.remove(b, pb)
        for v in (a, b):
            if v not in row.positions:
                self.value_rows[v].discard(r)
        V, P, G = row.live()
        # pairs of a, b and the node with the rest of the row in one (3, n) expression
        keys = pair_keys(
            np.array([[a], [b], [node]]), np.array([[pa], [pb], [pa]]), np.array([[ga], [gb], [ga]]), V, P, G
        )
        self.removed.update(keys[:2].ravel().tolist())
        self.removed[int(pair_keys(a, pa, ga, b, pb, gb))] += 1
        if len(V):
            self._count_new(keys[2].tolist())
        row.add(node, pa, ga)
        self.value_rows.setdefault(node, set()).add(r)

    def _row_weight(self, r: int) -> int:
        depth = self.b.depth
        return sum(1 << depth[v] for v, _ in self.rows[r].slot)

    def run(self) -> list[list[Term]]:
        while self.step():
            pass
        return [row.terms() for row in self.rows]
