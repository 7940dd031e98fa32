"""The CSE kernel (numba): ``eliminate`` as four named steps over one ``State``.

    count    load the rows and count every term pair of every row in the pattern table;
             queue the patterns that repeat
    select   pop the best current pattern from the lazy heap (``cse_priority.rank``)
    apply    replace its non-overlapping occurrences, those the depth limit allows, by
             one term of its node; or ban the pattern if fewer than two remain
    relevel  after a replacement: the changed rows' ``S_r`` and every row's level, and
             queue the patterns whose counts grew

``run`` is ``count``, then ``select`` / ``apply`` (a banned pattern: ``select`` again) /
``relevel`` until no pattern applies.  Invariants between steps: the table counts every
pair of live terms of each row; every pattern counted at least twice and not banned has
a heap entry at its count, or at a higher one (``select`` queues it again at its count),
or is in ``table.dirty``; ``tree.level`` follows ``tree.weight``, and every row is within
the limit.

The bundles: ``rows`` (``cse_rows``), ``table`` and heap (``cse_table``), ``tree`` and the
depth-limit ``trial`` (``cse_depth``), ``values`` (every value's depth and estimated lsb and
width, the nodes' keys and the nodes made) and ``found`` (the occurrences of the pattern
being applied).

numba's on-disk cache of a function is invalidated only by a change to the function's own
file, not to the kernels it calls from other files: after changing any ``cse_*.py``
kernel, delete the cache (``find . -name '*.nbi' -o -name '*.nbc' | xargs rm -f``) and
change the marked comment line in ``refine.py``.
"""

from __future__ import annotations

import heapq
from collections import namedtuple

import numpy as np
from numba import njit, types
from numba.typed import Dict

from .cse_depth import CHANGED, keep_allowed, new_tree, new_trial, update_levels
from .cse_keys import pair_key, unpack_key
from .cse_priority import node_bits
from .cse_rows import find_term, live_terms, merge_term, new_rows, remove_term, row_weight
from .cse_table import fill_heap, intern, new_table, queue, queue_gained

Values = namedtuple("Values", "depth lsb width node_of new_keys n_new n_existing")
"""Every value's ``depth``, ``lsb`` and ``width`` (room for the nodes to come); ``node_of``
maps a node's key to its value; the ``n_new[0]`` nodes made, values ``n_existing`` on,
have the keys ``new_keys[:n_new[0]]``."""
Found = namedtuple("Found", "row pos seen cand")
"""Occurrences ``(row[o], pos[o])`` (the position of the ``a`` term); ``seen``/``cand``:
the candidate rows (``seen[r]`` is the key while row r is a candidate, else -1)."""
State = namedtuple("State", "rows values table tree trial found")


@njit(cache=True)
def new_state(row_ptr, n_existing, depth, lsb, width, node_keys, n_inputs, weight, parent, order,
              child_ptr, child_idx, limit, prio, salt, capacity):
    """Empty rows and table; the values, the existing nodes and the tree as given."""
    n_rows = len(row_ptr) - 1
    n_terms = row_ptr[-1]
    n_max = n_existing + n_terms + 1
    node_of = Dict.empty(key_type=types.int64, value_type=types.int64)
    for j in range(len(node_keys)):
        node_of[node_keys[j]] = n_inputs + j
    values = Values(np.zeros(n_max, np.int64), np.zeros(n_max, np.int64), np.zeros(n_max, np.int64), node_of,
                    np.zeros(n_terms + 1, np.int64), np.zeros(1, np.int64), n_existing)
    values.depth[:n_existing] = depth
    values.lsb[:n_existing] = lsb
    values.width[:n_existing] = width
    found = Found(np.zeros(n_terms + 1, np.int64), np.zeros(n_terms + 1, np.int64),
                  np.full(n_rows, -1, np.int64), np.zeros(n_rows, np.int64))
    return State(new_rows(row_ptr, n_max), values, new_table(capacity, prio, salt),
                 new_tree(parent, order, child_ptr, child_idx, weight, limit), new_trial(n_rows), found)


@njit(cache=True)
def count(st, row_ptr, init_v, init_p, init_g):
    """Load the terms (``row_ptr`` CSR), count all pairs (stopping if the table overflows)
    and queue every pattern that repeats."""
    rows, table = st.rows, st.table
    for r in range(len(row_ptr) - 1):
        for t in range(row_ptr[r], row_ptr[r + 1]):
            merge_term(rows, table, r, init_v[t], init_p[t], init_g[t], False)
    tv, tp, tg, alive, keys, fill = rows.tv, rows.tp, rows.tg, rows.alive, table.keys, table.fill
    for r in range(len(row_ptr) - 1):
        if fill[1]:
            break  # the table overflowed: no use counting the rest
        for i in range(rows.start[r], rows.end[r]):
            if alive[i]:
                for j in range(i + 1, rows.end[r]):
                    if alive[j]:
                        slot = intern(keys, fill, pair_key(tv[i], tp[i], tg[i], tv[j], tp[j], tg[j]))
                        if slot >= 0:
                            table.counts[slot] += 1
    fill_heap(table, st.values.depth, st.values.lsb, st.values.width)


@njit(cache=True)
def select(st):
    """The slot of the best pattern that repeats, is not banned and is queued at its
    current count, or -1 when there is none.  Stale heap entries are dropped; a pattern
    whose count fell since it was queued is queued again at its count."""
    table, values = st.table, st.values
    while len(table.heap) > 0:
        _, key, queued = heapq.heappop(table.heap)
        j = intern(table.keys, table.fill, key)
        if table.pushed[j] != queued:
            continue  # superseded by a later entry
        table.pushed[j] = 0
        c = table.counts[j]
        if c < 2 or table.banned[j]:
            continue
        if c != queued:  # occurrences were used up since: queue it at its true count
            queue(table, j, c, values.depth, values.lsb, values.width)
            continue
        return j
    return -1


@njit(cache=True)
def apply(st, j):
    """Replace the occurrences of the pattern in slot j that do not overlap and that the
    depth limit allows by its node (made now unless it exists), if there are two or more;
    else ban the pattern.  Whether it was applied."""
    key = st.table.keys[j]
    a, b, s, _ = unpack_key(key)
    depth = st.values.depth
    d_new = 1 + max(depth[a], depth[b])
    gain = (1 << d_new) - (1 << depth[a]) - (1 << depth[b])  # in a row's S_r
    n_found = find_occurrences(st, key, gain)
    if n_found >= 2:
        n_kept = keep_allowed(st.tree, st.trial, st.found.row, st.found.pos, n_found, gain)
        if n_kept >= 2:
            node = node_for(st.values, key, d_new)
            rows, table = st.rows, st.table
            for o in range(n_kept):
                r, p = st.found.row[o], st.found.pos[o]
                g = remove_term(rows, table, r, find_term(rows, r, a, p), True)
                remove_term(rows, table, r, find_term(rows, r, b, p + s), True)
                merge_term(rows, table, r, node, p, g, True)
            return True
    st.table.banned[j] = True
    return False


@njit(cache=True)
def relevel(st):
    """After ``apply``: the changed rows' ``S_r`` from their terms, every row's level, and
    the patterns that gained pairs queued at their counts."""
    rows, tree, values, trial = st.rows, st.tree, st.values, st.trial
    for t in range(trial.stamps[CHANGED]):
        r = trial.changed[t]
        tree.weight[r] = row_weight(rows, r, values.depth)
    update_levels(tree)
    queue_gained(st.table, values.depth, values.lsb, values.width)


@njit(cache=True)
def find_occurrences(st, key, gain):
    """Non-overlapping occurrences ``(row, position of a)`` of the pattern in ``found``,
    rows and positions ascending; their number.  A row without parent or children that
    cannot take the ``gain`` within the limit is not searched."""
    a, b, s, sub = unpack_key(key)
    rows, tree, found = st.rows, st.tree, st.found
    limit = tree.limit
    room = (1 << limit) - gain if 0 <= limit < 62 and gain > 0 else 1 << 62
    n_cand = 0
    e = rows.head[a]
    while e >= 0:
        r = rows.link_row[e]
        if found.seen[r] != key and (tree.related[r] or tree.weight[r] <= room):
            found.seen[r] = key
            found.cand[n_cand] = r
            n_cand += 1
        e = rows.link[e]
    n_found = 0
    for r in np.sort(found.cand[:n_cand]):
        found.seen[r] = -1
        first = n_found
        positions = []
        for i in range(rows.start[r], rows.end[r]):
            if rows.alive[i] and rows.tv[i] == a:
                positions.append(rows.tp[i])
        positions.sort()
        for p in positions:
            ia = find_term(rows, r, a, p)
            ib = find_term(rows, r, b, p + s)
            if ib < 0 or (rows.tg[ia] != rows.tg[ib]) != sub:
                continue
            overlap = False
            for o in range(first, n_found):  # (a, p) or (b, p + s) already used
                q = found.pos[o]
                if p == q or (a == b and (p == q + s or p + s == q)):
                    overlap = True
            if not overlap:
                found.row[n_found], found.pos[n_found] = r, p
                n_found += 1
    return n_found


@njit(cache=True)
def node_for(values, key, depth):
    """The value of the node ``key``, made (at ``depth``) if it does not exist yet."""
    if key in values.node_of:
        return values.node_of[key]
    node = values.n_existing + values.n_new[0]
    values.node_of[key] = node
    values.new_keys[values.n_new[0]] = key
    values.n_new[0] += 1
    a, b, s, _ = unpack_key(key)
    values.depth[node] = depth
    values.lsb[node], values.width[node] = node_bits(values.lsb, values.width, a, b, s)
    return node


@njit(cache=True)
def run(row_ptr, init_v, init_p, init_g, depth, lsb, width, node_keys, n_inputs,
        weight, parent, order, child_ptr, child_idx, limit, prio, salt, capacity):
    """One elimination with a pattern table of ``capacity`` slots; the first result is
    False when that was too small (see ``eliminate`` for the rest)."""
    st = new_state(row_ptr, len(depth), depth, lsb, width, node_keys, n_inputs, weight, parent, order,
                   child_ptr, child_idx, limit, prio, salt, capacity)
    count(st, row_ptr, init_v, init_p, init_g)
    while st.table.fill[1] == 0:
        j = select(st)
        while j >= 0 and not apply(st, j):
            j = select(st)
        if j < 0:
            break
        relevel(st)
    ptr, v, p, g = live_terms(st.rows)
    values = st.values
    made = values.n_existing + np.arange(values.n_new[0])
    return (st.table.fill[1] == 0, ptr, v, p, g, values.new_keys[: values.n_new[0]],
            values.depth[made], values.lsb[made], values.width[made])


@njit(cache=True)
def eliminate(row_ptr, init_v, init_p, init_g, depth, lsb, width, node_keys, n_inputs,
              weight, parent, order, child_ptr, child_idx, limit, prio, salt):
    """The elimination (see ``cse``) over rows of terms ``(v, p, g)`` given as CSR arrays,
    the values' depths, lsbs and widths, the nodes' keys, each row's ``S_r`` and the
    decomposition tree.  Returns the rows' final terms as ``(ptr, v, p, g)`` and the created
    nodes' keys, depths, lsbs and widths (estimates) in creation order."""
    lengths = row_ptr[1:] - row_ptr[:-1]
    pairs = np.sum(lengths * (lengths - 1) // 2)
    # twice the initial pairs (each may be a distinct key) and the pairs of a step
    longest = np.max(lengths) if len(lengths) else 0
    # (at most 2**20 slots, grown when a run overflows them), unless the values and shifts
    # allow fewer keys than there are pairs: a big dense matrix has billions of pairs over
    # millions of keys, and its table is sized for those at once
    step = 4 * len(lengths) * longest
    target = min(2 * pairs + step, 1 << 20)
    span = (np.max(init_p) - np.min(init_p) + 1) if len(init_p) else 1
    keys_bound = 2 * len(depth) * len(depth) * span
    if keys_bound < pairs:
        target = max(target, 4 * keys_bound // 3 + step)
    capacity = 1024
    while capacity < target:
        capacity *= 2
    while True:  # the pattern table must hold every pair key the run meets
        result = run(row_ptr, init_v, init_p, init_g, depth, lsb, width, node_keys, n_inputs,
                     weight.copy(), parent, order, child_ptr, child_idx, limit, prio, salt, capacity)
        if result[0]:
            return result[1:]
        capacity *= 4
