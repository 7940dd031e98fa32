"""Graph decomposition: build outputs from each other along a minimum spanning tree.

Two rows ``w_j, w_k`` of W that are close (few CSD digits in ``w_k - w_j`` or
``w_k + w_j``) are cheaper as ``y_k = +-y_j + (w_k -+ w_j) . x`` than from scratch.  With
a virtual root (the zero row) the choice of a parent for every row is a minimum spanning
tree problem: edge root-k costs ``digits(w_k)``, edge j-k costs ``digits(w_k -+ w_j) + 1``
(the extra term is y_j itself).  In matrix form W = W2 . W1 with W1 the difference rows
and W2 the tree's accumulation.  Identical or negated rows cost nothing (zero digits).

Prim's algorithm from the root over the pairwise digit counts, an n_rows x n_rows matrix
computed row pair by row pair in a compiled kernel (``pairwise_digits``; memory grows
like the tree's own cost matrix, never n_rows x n_rows x n_cols).  An edge that would push the child's least possible depth past ``limit``
(estimated from digit counts: ``ceil(log2(digits + 2**level(parent)))``) is not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numba import njit

from .builder import ceil_log2
from .csd import csd_count


@dataclass(frozen=True)
class Decomposition:
    parent: tuple[int | None, ...]  # row the output is built from, None for a root
    sign: tuple[int, ...]  # y_k = sign[k] * y_parent + diff[k] . x
    diff: np.ndarray  # the rows of W1 (read-only)
    order: tuple[int, ...]  # every parent before its children


def pairwise_digits(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(cost, sign)``: CSD digits of ``w_k - sign * w_j`` at ``[k, j]``, the cheaper sign.

    A solve builds the tree of the same matrix at several depth limits, so the last few
    int64 matrices' results are kept (read-only)."""
    if w.dtype == object:
        return _pairwise_digits(w)
    return _pairwise_digits_of(w.shape, w.astype(np.int64).tobytes())


@lru_cache(maxsize=4)
def _pairwise_digits_of(shape: tuple[int, ...], data: bytes) -> tuple[np.ndarray, np.ndarray]:
    cost, sign = _pairwise_digits(np.frombuffer(data, dtype=np.int64).reshape(shape))
    return _read_only(cost), _read_only(sign)


def _pairwise_digits(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = w.shape[0]
    cost = np.zeros((n, n), dtype=np.int64)
    sign = np.ones((n, n), dtype=np.int8)
    if w.dtype != object:
        _pairwise_kernel(np.ascontiguousarray(w, dtype=np.int64), cost, sign)
        return cost, sign
    for k in range(n):  # Python integers beyond int64: one row against all, n x n_cols at a time
        minus = csd_count(w[k][None, :] - w).sum(axis=-1)
        plus = csd_count(w[k][None, :] + w).sum(axis=-1)
        cost[k] = np.minimum(minus, plus)
        sign[k] = np.where(plus < minus, -1, 1)
    return cost, sign


@njit(cache=True)
def _csd_weight(x):
    """Non-zero CSD digits of one int64 (as ``csd.csd_count``: the bits of h ^ (|x| + h))."""
    m = abs(x)
    h = m >> 1
    c = h ^ (m + h)
    n = 0
    while c:
        c &= c - 1
        n += 1
    return n


@njit(cache=True)
def _pairwise_kernel(w, cost, sign):
    """cost[k, j] = min over s of digits(w_k - s w_j), sign[k, j] the s (-1 only if cheaper);
    both are symmetric, so each pair is counted once."""
    n, m = w.shape
    for k in range(n):
        for j in range(k + 1):
            minus = 0
            plus = 0
            for c in range(m):
                minus += _csd_weight(w[k, c] - w[j, c])
                plus += _csd_weight(w[k, c] + w[j, c])
            best = plus if plus < minus else minus
            s = -1 if plus < minus else 1
            cost[k, j] = best
            cost[j, k] = best
            sign[k, j] = s
            sign[j, k] = s


def spanning_tree(w: np.ndarray, limit: int | None) -> Decomposition:
    """The tree (see the module docstring); a solve asks for the same matrix and limit
    more than once, so the last few int64 matrices' trees are kept."""
    if w.dtype == object:
        return _spanning_tree(w, limit)
    return _spanning_tree_of(w.shape, w.astype(np.int64).tobytes(), limit)


@lru_cache(maxsize=8)
def _spanning_tree_of(shape: tuple[int, ...], data: bytes, limit: int | None) -> Decomposition:
    return _spanning_tree(np.frombuffer(data, dtype=np.int64).reshape(shape), limit)


def _spanning_tree(w: np.ndarray, limit: int | None) -> Decomposition:
    n = w.shape[0]
    own = csd_count(w).sum(axis=-1) if w.size else np.zeros(n, dtype=np.int64)
    if n == 0:
        return Decomposition((), (), _read_only(w.copy()), ())
    cost, sign = pairwise_digits(w) if w.shape[1] else (np.zeros((n, n), np.int64), np.ones((n, n), np.int64))
    best = own.astype(np.int64).copy()
    best_parent = np.full(n, -1)
    level = np.zeros(n, dtype=np.int64)
    in_tree = np.zeros(n, dtype=bool)
    parent: list[int | None] = [None] * n
    order: list[int] = []
    for _ in range(n):
        cand = np.where(in_tree, np.iinfo(np.int64).max, best)
        k = int(np.argmin(cand))
        in_tree[k] = True
        order.append(k)
        j = int(best_parent[k])
        parent[k] = None if j < 0 else j
        digits = int(own[k]) if j < 0 else int(cost[k, j])
        level[k] = ceil_log2(digits + (1 << int(level[j]) if j >= 0 else 0))
        # offer edges from k to the rows still outside
        via_k = cost[:, k] + 1
        if limit is not None and limit < 62:  # a child's level ceil(log2(c + 2**level)) <= limit
            fits = cost[:, k] + (1 << int(level[k])) <= (1 << limit)
            via_k = np.where(fits, via_k, np.iinfo(np.int64).max)
        better = (~in_tree) & (via_k < best)
        best = np.where(better, via_k, best)
        best_parent = np.where(better, k, best_parent)
    sign_of = [1 if p is None else int(sign[k, p]) for k, p in enumerate(parent)]
    diff = w.copy()
    for k, p in enumerate(parent):
        if p is not None:
            diff[k] = w[k] - sign_of[k] * w[p]
    return Decomposition(tuple(parent), tuple(sign_of), _read_only(diff), tuple(order))


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a
