"""The CSE's rows of terms in one pool of arrays (numba).

``Rows``: term slot ``i`` holds ``tg[i] * v[tv[i]] << tp[i]`` while ``alive[i]``; row ``r``
owns the slots ``start[r]:start[r + 1]`` (twice its initial terms and two more: a
replacement removes two terms for one, so a row never outgrows them), of which
``start[r]:end[r]`` are in use, dead slots included.  A row holds no two live terms of the
same value and position (``merge_term`` folds ``x + x = 2x`` and ``x - x = 0``).

``head``/``link``/``link_row``: for every value, a linked list of the rows it was inserted
into, newest first (``head[v]`` -1: none); an entry per insertion, so stale entries (the
term was removed since) and repeats are skipped where the list is read.  ``n_links[0]``
counts the entries used.

Terms that come and go with ``count`` true update the pattern table's pair counts.

The term functions are inlined into their callers (``inline="always"``, as the closures
they were): as calls with the bundles for arguments, a dense 64x64 CSE took 10 % longer.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from .cse_table import count_row_pairs

Rows = namedtuple("Rows", "start end tv tp tg alive head link link_row n_links")
"""The row pool (see the module docstring)."""


@njit(cache=True)
def new_rows(row_ptr, n_values):
    """Empty rows with room for the rows of ``row_ptr`` (CSR) over ``n_values`` values."""
    n_rows = len(row_ptr) - 1
    start = np.zeros(n_rows + 1, np.int64)
    for r in range(n_rows):
        start[r + 1] = start[r] + 2 * (row_ptr[r + 1] - row_ptr[r]) + 2
    n_slots = start[-1]
    return Rows(start, start[:-1].copy(), np.zeros(n_slots, np.int64), np.zeros(n_slots, np.int64),
                np.zeros(n_slots, np.int64), np.zeros(n_slots, np.bool_), np.full(n_values, -1, np.int64),
                np.zeros(n_slots + n_rows + 1, np.int64), np.zeros(n_slots + n_rows + 1, np.int64),
                np.zeros(1, np.int64))


@njit(cache=True, inline="always")
def find_term(rows, r, v, p):
    """The slot of row r's live term of value v at position p, or -1."""
    for i in range(rows.start[r], rows.end[r]):
        if rows.alive[i] and rows.tv[i] == v and rows.tp[i] == p:
            return i
    return -1


@njit(cache=True, inline="always")
def insert_term(rows, table, r, v, p, g, count):
    """Append the term ``g * v << p`` to row r (no live term of v at p is there)."""
    i = rows.end[r]
    rows.end[r] += 1
    rows.tv[i], rows.tp[i], rows.tg[i], rows.alive[i] = v, p, g, True
    if count:
        count_row_pairs(rows.tv, rows.tp, rows.tg, rows.alive, rows.start[r], rows.end[r], i,
                        table.keys, table.counts, table.fill, 1, table.dirty)
    head, n = rows.head, rows.n_links[0]
    if head[v] < 0 or rows.link_row[head[v]] != r:
        rows.link[n], rows.link_row[n] = head[v], r
        head[v] = n
        rows.n_links[0] = n + 1


@njit(cache=True, inline="always")
def remove_term(rows, table, r, i, count):
    """Kill the term in slot i of row r; its sign."""
    if count:
        count_row_pairs(rows.tv, rows.tp, rows.tg, rows.alive, rows.start[r], rows.end[r], i,
                        table.keys, table.counts, table.fill, -1, table.dirty)
    rows.alive[i] = False
    return rows.tg[i]


@njit(cache=True, inline="always")
def merge_term(rows, table, r, v, p, g, count):
    """Add the term ``g * v << p`` to row r, folding ``x + x = 2x`` and ``x - x = 0``."""
    while True:
        i = find_term(rows, r, v, p)
        if i < 0:
            break
        if remove_term(rows, table, r, i, count) != g:
            return
        p += 1
    insert_term(rows, table, r, v, p, g, count)


@njit(cache=True)
def row_weight(rows, r, depth):
    """``S_r = sum 2**depth`` over the live terms of row r."""
    w = 0
    for i in range(rows.start[r], rows.end[r]):
        if rows.alive[i]:
            w += 1 << depth[rows.tv[i]]
    return w


@njit(cache=True)
def live_terms(rows):
    """The rows' live terms as CSR ``(ptr, v, p, g)``, in slot order."""
    n_rows = len(rows.start) - 1
    ptr = np.zeros(n_rows + 1, np.int64)
    for r in range(n_rows):
        ptr[r + 1] = ptr[r] + np.sum(rows.alive[rows.start[r] : rows.end[r]])
    out_v = np.zeros(ptr[-1], np.int64)
    out_p = np.zeros(ptr[-1], np.int64)
    out_g = np.zeros(ptr[-1], np.int64)
    t = 0
    for r in range(n_rows):
        for i in range(rows.start[r], rows.end[r]):
            if rows.alive[i]:
                out_v[t], out_p[t], out_g[t] = rows.tv[i], rows.tp[i], rows.tg[i]
                t += 1
    return ptr, out_v, out_p, out_g
