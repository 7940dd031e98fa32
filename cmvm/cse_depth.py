"""The CSE's depth limit, kept exactly (numba).

A row whose terms arrive at depths ``d_i`` is summed in ``ceil(log2(S_r))`` levels with
``S_r = sum 2**d_i`` (the Kraft bound, see ``builder``), or ``ceil(log2(S_r + 2**L_q))``
when it adds its parent row q's output, ready at level ``L_q`` (the spanning-tree
decomposition).  ``Tree`` holds the decomposition (``parent`` -1 for none, ``order``
parents first, children as CSR ``child_ptr``/``child_idx``; ``related``: the row has a
parent or a child), every row's ``weight`` ``S_r`` (an upper bound is allowed) and
``level``, and the ``limit`` (-1: none).  Invariant between steps: ``level`` is the
levels of ``weight`` (``update_levels``).

``Trial`` is the scratch of one question "may these occurrences be replaced?": the trial
weights of the rows they change (``trial_w``, valid where ``trial_at`` is the current
``stamps[APPLY]``), the ``changed`` rows (``stamps[CHANGED]`` of them), and the levels a
question derives (``new_level``, valid where ``mark`` is ``stamps[ASKED]``).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

Tree = namedtuple("Tree", "parent order child_ptr child_idx related weight level limit")
"""The decomposition tree, each row's ``S_r`` and level, and the depth limit."""
Trial = namedtuple("Trial", "trial_w trial_at changed mark new_level stack stamps")
"""Scratch of the depth-limit questions of one apply (see the module docstring)."""
APPLY, ASKED, CHANGED = range(3)  # the stamps: applies tried, questions asked, rows changed


@njit(cache=True)
def ceil_log2(n):
    """``builder.ceil_log2`` compiled: the least k with ``2**k >= n``."""
    k = 0
    m = n - 1
    while m > 0:
        m >>= 1
        k += 1
    return k


@njit(cache=True)
def new_tree(parent, order, child_ptr, child_idx, weight, limit):
    """The tree with every row's level from its ``weight``."""
    n_rows = len(parent)
    related = np.zeros(n_rows, np.bool_)
    for r in range(n_rows):
        if parent[r] >= 0:
            related[r] = True
            related[parent[r]] = True
    tree = Tree(parent, order, child_ptr, child_idx, related, weight, np.zeros(n_rows, np.int64), limit)
    update_levels(tree)
    return tree


@njit(cache=True)
def new_trial(n_rows):
    """Empty scratch for ``n_rows`` rows."""
    return Trial(np.zeros(n_rows, np.int64), np.full(n_rows, -1, np.int64), np.zeros(n_rows, np.int64),
                 np.zeros(n_rows, np.int64), np.zeros(n_rows, np.int64), np.zeros(n_rows + 1, np.int64),
                 np.zeros(3, np.int64))


@njit(cache=True)
def update_levels(tree):
    """Every row's level from the weights, parents first."""
    level = tree.level
    for r in tree.order:
        q = tree.parent[r]
        level[r] = ceil_log2(tree.weight[r] + ((1 << level[q]) if q >= 0 else 0))


@njit(cache=True)
def keep_allowed(tree, trial, occ_row, occ_pos, n_occ, gain):
    """Keep (in order, compacted to the front) the occurrences ``(occ_row, occ_pos)`` that
    the limit allows when each adds ``gain`` to its row's ``S_r``, taken one by one on top
    of those kept; their number.  The rows they change are ``trial.changed``."""
    stamps, trial_w, trial_at = trial.stamps, trial.trial_w, trial.trial_at
    stamps[APPLY] += 1
    apply_id = stamps[APPLY]
    n_changed = 0
    n_kept = 0
    for o in range(n_occ):
        r = occ_row[o]
        before = trial_w[r] if trial_at[r] == apply_id else tree.weight[r]
        fresh = trial_at[r] != apply_id
        trial_at[r] = apply_id
        trial_w[r] = before + gain
        if fresh:
            trial.changed[n_changed] = r
            n_changed += 1
        stamps[ASKED] += 1
        if gain <= 0 or within_limit(tree, trial, n_changed):
            occ_row[n_kept], occ_pos[n_kept] = r, occ_pos[o]
            n_kept += 1
        else:  # undo the trial
            trial_w[r] = before
            if fresh:
                trial_at[r] = -1
                n_changed -= 1
    stamps[CHANGED] = n_changed
    return n_kept


@njit(cache=True)
def within_limit(tree, trial, n_changed):
    """Would every row stay within the limit with the trial weights of the first
    ``n_changed`` changed rows?  Rows without parent or children are checked alone;
    otherwise the changed rows and their descendants get new levels, parents first."""
    limit = tree.limit
    if limit < 0:
        return True
    changed, trial_w = trial.changed, trial.trial_w
    independent = True
    for t in range(n_changed):
        if tree.related[changed[t]]:
            independent = False
    if independent:
        for t in range(n_changed):
            if ceil_log2(trial_w[changed[t]]) > limit:
                return False
        return True
    # the changed rows and their descendants, then their levels in order
    asked, apply_id = trial.stamps[ASKED], trial.stamps[APPLY]
    mark, stack, new_level = trial.mark, trial.stack, trial.new_level
    top = 0
    for t in range(n_changed):
        stack[top] = changed[t]
        top += 1
    while top > 0:
        top -= 1
        r = stack[top]
        if mark[r] == asked:
            continue
        mark[r] = asked
        for c in tree.child_idx[tree.child_ptr[r] : tree.child_ptr[r + 1]]:
            if mark[c] != asked:
                stack[top] = c
                top += 1
    for r in tree.order:
        if mark[r] != asked:
            continue
        q = tree.parent[r]
        w = trial_w[r] if trial.trial_at[r] == apply_id else tree.weight[r]
        extra = 0
        if q >= 0:
            extra = 1 << (new_level[q] if mark[q] == asked else tree.level[q])
        lv = ceil_log2(w + extra)
        if lv > limit:
            return False
        new_level[r] = lv
    return True
