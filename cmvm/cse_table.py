"""The CSE's pattern table and lazy heap (numba).

``Table`` counts, for every pattern key met, the term pairs of all rows that form it, in
an open-addressing hash table over four arrays (``keys``: -1 for an empty slot; ``counts``;
``pushed``: the count the pattern was last queued at, 0 when none is pending; ``banned``:
the pattern was found not to apply).  The table only grows: a key keeps its slot for the
whole run.  When it would fill beyond 3/4, ``fill[1]`` is set and the caller redoes the
run with a larger table (``fill[0]`` counts the keys taken).

The lazy heap holds ``(rank, key, count)`` entries: a pattern is queued again whenever its
count grew (its key is then in ``dirty``) and an entry is current only while ``pushed``
equals its count, so stale entries are skipped when popped (``cse_kernel.select``).
``queue`` runs for every key a replacement touches and is inlined (``inline="always"``).
"""

from __future__ import annotations

import heapq
from collections import namedtuple

import numpy as np
from numba import njit

from .cse_keys import MIX, pair_key
from .cse_priority import rank

Table = namedtuple("Table", "keys counts pushed banned fill dirty heap prio salt")
"""The pattern table (see the module docstring); ``heap`` is ordered by ``cse_priority.rank``
with the priority ``prio`` and its ``salt``."""


@njit(cache=True)
def new_table(capacity, prio, salt):
    """An empty table of ``capacity`` slots (a power of two) and an empty heap."""
    dirty = [np.int64(0)]
    dirty.pop()
    heap = [(np.int64(0), np.int64(0), np.int64(0))]
    heap.pop()
    return Table(np.full(capacity, -1, np.int64), np.zeros(capacity, np.int64), np.zeros(capacity, np.int64),
                 np.zeros(capacity, np.bool_), np.zeros(2, np.int64), dirty, heap, prio, salt)


@njit(cache=True)
def intern(keys, fill, key):
    """The slot of ``key``, taken (with zero columns) if absent; -1 when the table is too
    full to take it (``fill[1]`` is then set and the run must be redone larger)."""
    mask = len(keys) - 1
    i = np.int64((np.uint64(key) * MIX) >> np.uint64(20)) & mask
    while keys[i] != key:
        if keys[i] == -1:
            if 4 * (fill[0] + 1) > 3 * len(keys):
                fill[1] = 1
                return -1
            keys[i] = key
            fill[0] += 1
            return i
        i = (i + 1) & mask
    return i


@njit(cache=True)
def count_row_pairs(tv, tp, tg, alive, start, end, i, keys, counts, fill, delta, dirty):
    """Add ``delta`` to the count of the pattern term ``i`` forms with every other live term
    of its row (slots ``start:end`` of the row pool); a key that gains is put in ``dirty``."""
    for j in range(start, end):
        if j != i and alive[j]:
            k = pair_key(tv[i], tp[i], tg[i], tv[j], tp[j], tg[j])
            slot = intern(keys, fill, k)
            if slot >= 0:
                counts[slot] += delta
                if delta > 0:
                    dirty.append(k)


@njit(cache=True)
def fill_heap(table, depth, lsb, width):
    """Queue every pattern that repeats (after the first count of all pairs)."""
    keys, counts, heap = table.keys, table.counts, table.heap
    for j in range(len(keys)):
        c = counts[j]
        if keys[j] != -1 and c >= 2:
            table.pushed[j] = c
            heap.append((rank(table.prio, table.salt, keys[j], c, depth, lsb, width), keys[j], c))
    heapq.heapify(heap)


@njit(cache=True, inline="always")
def queue(table, j, c, depth, lsb, width):
    """Queue the pattern in slot j at count c unless it is queued at c or more."""
    if c > table.pushed[j]:
        table.pushed[j] = c
        k = table.keys[j]
        heapq.heappush(table.heap, (rank(table.prio, table.salt, k, c, depth, lsb, width), k, c))


@njit(cache=True)
def queue_gained(table, depth, lsb, width):
    """Queue every pattern that gained pairs since the last call at its count now."""
    for k in table.dirty:
        j = intern(table.keys, table.fill, k)
        if table.counts[j] >= 2 and not table.banned[j]:
            queue(table, j, table.counts[j], depth, lsb, width)
    table.dirty.clear()
