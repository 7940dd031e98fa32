"""Iterated improvement of a finished CSE: dissolve some subexpressions, re-run CSE.

Greedy CSE commits to its most frequent pattern early; later patterns compete for the
terms it consumed.  ``refine`` revisits those choices as a large-neighbourhood search:
a random handful of the subexpression nodes the rows use -- drawn from the newer half,
the late greedy choices made on the fewest occurrences -- is *dissolved* (every use of such
a node in a row becomes the node's two operand terms again, recursively), CSE runs again
on the rows with a fresh tie-breaking salt, alternately with the "recent" and the "random"
priority of ``cse`` (together they find more than either alone).  CSE sees the kept nodes
as ordinary terms and may rebuild the dissolved nodes or pair their operands differently;
the result is kept when it needs no more adders than before.  The search stops after
``patience`` rounds without a gain (it saturates: on the suite, 100 rounds of patience
give the adders of 300 plain rounds in 10-40 % less time).

Adders of a state: the nodes the rows' terms depend on (found by walking operands) plus
each row's summation, ``terms - 1``, one more for a row that adds its parent's output.
Dissolving never deepens a row (a node at depth d weighs ``2**d``, at least its two
operands together), and the CSE re-run honours the depth limit exactly, so every accepted
state stays within it.

The rounds run compiled (``_refine``, numba); the nodes of a rejected round are dropped,
and of the others only those the final rows need reach the builder.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .builder import GraphBuilder, Term
from .cse import KernelState
from .cse_kernel import eliminate
from .cse_keys import SALT, unpack_key
from .cse_priority import RANDOM, RECENT

# numba's on-disk cache keeps these kernels with the cse_*.py kernels compiled in, and is
# invalidated only by a change to this file: change this line with every change to the
# cse_*.py kernels (last: ``eliminate`` split into the steps of cse_kernel.py, its term
# functions inlined; 24 value bits, 10 shift bits).


@njit(cache=True)
def _state_adders(ptr, v, keys, n_inputs, parent):
    live = np.zeros(n_inputs + len(keys), np.bool_)
    stack = [x for x in v if x >= n_inputs]
    n = 0
    while len(stack) > 0:
        x = stack.pop()
        if live[x]:
            continue
        live[x] = True
        n += 1
        a, b, _, _ = unpack_key(keys[x - n_inputs])
        for y in (a, b):
            if y >= n_inputs and not live[y]:
                stack.append(y)
    for r in range(len(ptr) - 1):
        n += max(ptr[r + 1] - ptr[r] + (1 if parent[r] >= 0 else 0) - 1, 0)
    return n


@njit(cache=True)
def _expand(ptr, v, p, g, keys, n_inputs, dissolve):
    """Rows with every term of a dissolved node replaced by its operand terms (recursively)."""
    out_ptr = np.zeros(len(ptr), np.int64)
    ov, op, og = [np.int64(0)], [np.int64(0)], [np.int64(0)]
    ov.pop(), op.pop(), og.pop()
    for r in range(len(ptr) - 1):
        stack = [(v[t], p[t], g[t]) for t in range(ptr[r], ptr[r + 1])]
        while len(stack) > 0:
            x, q, h = stack.pop()
            if x < n_inputs or not dissolve[x]:
                ov.append(x)
                op.append(q)
                og.append(h)
                continue
            a, b, s, sub = unpack_key(keys[x - n_inputs])
            stack.append((a, q, h))
            stack.append((b, q + s, -h if sub else h))
        out_ptr[r + 1] = len(ov)
    return out_ptr, np.array(ov, np.int64), np.array(op, np.int64), np.array(og, np.int64)


@njit(cache=True)
def _refine(ptr, v, p, g, depth, lsb, width, keys, n_inputs, parent, order, child_ptr, child_idx,
            limit, rounds, patience, seed, fraction):
    np.random.seed(seed)
    best = _state_adders(ptr, v, keys, n_inputs, parent)
    improved = 0
    for k in range(rounds):
        if k - improved >= patience:
            break
        used = np.unique(v[v >= n_inputs])
        if len(used) == 0:
            break
        # the newer half: late greedy choices had the fewest occurrences to go by
        newer = used[len(used) // 2 :]
        dissolve = np.zeros(n_inputs + len(keys), np.bool_)
        dissolve[np.random.permutation(newer)[: min(len(newer), max(1, int(len(used) * fraction)))]] = True
        t_ptr, t_v, t_p, t_g = _expand(ptr, v, p, g, keys, n_inputs, dissolve)
        weights = np.zeros(len(ptr) - 1, np.int64)
        for r in range(len(ptr) - 1):
            for t in range(t_ptr[r], t_ptr[r + 1]):
                weights[r] += 1 << depth[t_v[t]]
        salt = np.uint64(k + 1) * np.uint64(SALT)
        prio = RECENT if k % 2 == 0 else RANDOM  # alternate for diversity
        t_ptr, t_v, t_p, t_g, new, n_depth, n_lsb, n_width = eliminate(
            t_ptr, t_v, t_p, t_g, depth, lsb, width, keys, n_inputs,
            weights, parent, order, child_ptr, child_idx, limit, prio, salt,
        )
        t_keys = np.concatenate((keys, new))
        cost = _state_adders(t_ptr, t_v, t_keys, n_inputs, parent)
        if cost < best:
            improved = k
        if cost <= best:  # keep the state and the nodes it made (a rejected round's go)
            best, ptr, v, p, g, keys = cost, t_ptr, t_v, t_p, t_g, t_keys
            depth = np.concatenate((depth, n_depth))
            lsb = np.concatenate((lsb, n_lsb))
            width = np.concatenate((width, n_width))
    return ptr, v, p, g, keys


def state_adders(builder: GraphBuilder, rows: list[list[Term]], parent: list[int | None]) -> int:
    """Adders of the state (see the module docstring)."""
    st = KernelState(builder, rows, parent, list(range(len(rows))))
    return int(_state_adders(st.ptr, st.v, st.keys, builder.n_inputs, st.parent))


def refine(
    builder: GraphBuilder,
    rows: list[list[Term]],
    parent: list[int | None],
    order: list[int],
    limit: int | None,
    rounds: int,
    patience: int = 100,
    seed: int = 0,
    fraction: float = 0.08,
) -> list[list[Term]]:
    """Rows after at most ``rounds`` rip-up-and-redo rounds, stopping early after
    ``patience`` rounds without a gain; never more adders than ``rows``."""
    st = KernelState(builder, rows, parent, order)
    ptr, v, p, g, keys = _refine(
        st.ptr, st.v, st.p, st.g, st.depth, st.lsb, st.width, st.keys, builder.n_inputs, *st.tree(),
        -1 if limit is None else limit, rounds, patience, seed, fraction,
    )
    return st.rows(ptr, v, p, g, keys)
