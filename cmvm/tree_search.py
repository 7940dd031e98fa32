"""Search over spanning trees, each judged by the whole CSE that follows it.

``decompose.spanning_tree`` chooses every row's parent by CSD digit counts alone, and
many trees tie or nearly tie on digits; which of them leaves the most common
subexpressions shows only after CSE.  ``neighbour_trees`` lists the trees one move away
from a given one: a row takes another parent (or the root, or leaves it) when that edge
costs at most ``slack`` digits more than its present one (the tree's own cost measure,
``digits + 1`` for an edge from a row, ``digits`` from the root).  ``climb`` then walks
downhill: every neighbour is solved (by the caller's ``solve_tree``), the best is taken
while it is better, for a bounded number of moves.

On the literature's random 4 x 4 matrices of entries 129..255 one such move is often worth
an adder (draw 18 of bench/cmvm_protocol.py: 26 adders from the minimum spanning tree, 25
from a tree of the same 40 digits).

    before: parent = (1, None, 1, 1)   (a star from row 1)
    after:  parent = (1, None, 0, 1)   (row 2 moved under row 0: same digits, one adder less)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .builder import ceil_log2
from .csd import csd_count
from .decompose import Decomposition, pairwise_digits


def tree_rows(dec: Decomposition) -> np.ndarray:
    """The matrix the tree decomposes (each row from its difference row and parent)."""
    w = np.array(dec.diff, copy=True)
    for k in dec.order:
        p = dec.parent[k]
        if p is not None:
            w[k] = dec.diff[k] + dec.sign[k] * w[p]
    return w


def _order(parent: list[int | None], like: tuple[int, ...]) -> tuple[int, ...]:
    """Every parent before its children, otherwise in the order of ``like``."""
    placed: list[int] = []
    seen = set()

    def place(k: int) -> None:
        chain = []
        while k is not None and k not in seen:
            chain.append(k)
            k = parent[k]
        for r in reversed(chain):
            seen.add(r)
            placed.append(r)

    for k in like:
        place(k)
    return tuple(placed)


def _levels_fit(parent: list[int | None], order: tuple[int, ...], digits: list[int], limit: int | None) -> bool:
    """The tree's least depth estimate (``decompose``: ``ceil(log2(digits + 2**level(parent)))``)
    within ``limit``."""
    if limit is None:
        return True
    level = [0] * len(parent)
    for k in order:
        p = parent[k]
        level[k] = ceil_log2(digits[k] + (1 << level[p] if p is not None else 0))
        if level[k] > limit:
            return False
    return True


def neighbour_trees(dec: Decomposition, limit: int | None, slack: int, most: int | None = None) -> list[Decomposition]:
    """The trees one re-parenting move from ``dec`` (see the module docstring), the
    cheapest moves first (by digits added, then row and parent), at most ``most``."""
    w = tree_rows(dec)
    n = w.shape[0]
    if n < 2:
        return []
    cost, sign = pairwise_digits(w)
    own = csd_count(w).sum(axis=1) if w.size else np.zeros(n, np.int64)
    children: list[list[int]] = [[] for _ in range(n)]
    for k, p in enumerate(dec.parent):
        if p is not None:
            children[p].append(k)
    edge = [int(own[k]) if p is None else int(cost[k, p]) + 1 for k, p in enumerate(dec.parent)]
    digits = [int(own[k]) if p is None else int(cost[k, p]) for k, p in enumerate(dec.parent)]
    moves: list[tuple[int, int, int, int | None]] = []  # (digits added, row, parent's key, parent)
    for k in range(n):
        below = {k}
        stack = [k]
        while stack:
            for c in children[stack.pop()]:
                below.add(c)
                stack.append(c)
        options: list[tuple[int | None, int]] = []
        if dec.parent[k] is not None:
            options.append((None, int(own[k])))
        options += [(j, int(cost[k, j]) + 1) for j in range(n) if j not in below and j != dec.parent[k]]
        moves += [(c - edge[k], k, -1 if j is None else j, j) for j, c in options if c <= edge[k] + slack]
    out = []
    for added, k, _, j in sorted(moves):
        if most is not None and len(out) >= most:
            break
        c = edge[k] + added
        parent = list(dec.parent)
        parent[k] = j
        order = _order(parent, dec.order)
        moved = list(digits)
        moved[k] = c if j is None else c - 1
        if not _levels_fit(parent, order, moved, limit):
            continue
        s = 1 if j is None else int(sign[k, j])
        diff = np.array(dec.diff, copy=True)
        diff[k] = w[k] if j is None else w[k] - s * w[j]
        diff.flags.writeable = False
        signs = list(dec.sign)
        signs[k] = s
        out.append(Decomposition(tuple(parent), tuple(signs), diff, order))
    return out


def climb(dec: Decomposition, solve_tree: Callable[[Decomposition], Any], best: Any,
          limit: int | None, slack: int, moves: int, most: int | None = None) -> tuple[Decomposition, Any]:
    """Downhill over ``neighbour_trees``: ``solve_tree(dec)`` gives ``(cost, result)`` with
    costs ordered by ``<`` (None when it breaks the limit); at most ``moves`` moves, each to
    the best neighbour while it beats ``best`` (the pair of ``dec`` itself), of the ``most``
    cheapest neighbours.  Returns the tree and its pair."""
    for _ in range(moves):
        step = None
        for cand in neighbour_trees(dec, limit, slack, most):
            res = solve_tree(cand)
            if res is not None and res[0] < (best if step is None else step[1])[0]:
                step = (cand, res)
        if step is None:
            break
        dec, best = step
    return dec, best
