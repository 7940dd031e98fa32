"""Graph decomposition: build outputs from each other along a minimum spanning tree.

Two rows ``w_j, w_k`` of W that are close (few CSD digits in ``w_k - w_j`` or
``w_k + w_j``) are cheaper as ``y_k = +-y_j + (w_k -+ w_j) . x`` than from scratch.  With
a virtual root (the zero row) the choice of a parent for every row is a minimum spanning
tree problem: edge root-k costs ``digits(w_k)``, edge j-k costs ``digits(w_k -+ w_j) + 1``
(the extra term is y_j itself).  In matrix form W = W2 . W1 with W1 the difference rows
and W2 the tree's accumulation.  Identical or negated rows cost nothing (zero digits).

Prim's algorithm from the root, vectorized: all pairwise digit counts come from one numpy
expression.  An edge that would push the child's least possible depth past ``limit``
(estimated from digit counts: ``ceil(log2(digits + 2**level(parent)))``) is not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

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
    minus = csd_count(w[:, None, :] - w[None, :, :]).sum(axis=-1)
    plus = csd_count(w[:, None, :] + w[None, :, :]).sum(axis=-1)
    sign = np.where(plus < minus, -1, 1)
    return np.minimum(minus, plus), sign


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
