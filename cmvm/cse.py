"""Greedy common-subexpression elimination over rows of signed, shifted terms.

Each row is a sum of terms ``g * v << p``.  A *pattern* is the node ``v[a] +- v[b] << s``
that the sum of two terms of a row reduces to (shifts relative, signs relative, so
negated and shifted copies of a pair are the same pattern; see ``builder.node_key``).
Repeatedly the most valuable pattern that occurs at least twice becomes one adder node,
and every (non-overlapping) occurrence of it is replaced by one term; what remains in
each row is summed later in a least-depth tree.

The elimination is compiled with numba (``cse_kernel.eliminate``, steps count, select,
apply, relevel over one state): the rows live in one pool of int64 arrays (``cse_rows``),
the pattern counts over all term pairs of all rows in an open-addressing table kept up to
date as terms come and go, and a lazy heap yields the best pattern (``cse_table``), by the
priority (``cse_priority``: "narrow", "recent", "shallow", "bits", "random"); patterns are
int64 keys (``cse_keys``).  ``RowCSE`` loads the rows and the values they refer to
(``KernelState``), runs the kernel and adds the nodes it created to the ``GraphBuilder``.

A hard depth limit is honoured exactly: a row whose terms arrive at depths ``d_i`` is
summed in ``ceil(log2(sum 2**d_i))`` levels (the Kraft bound, see ``builder``), one more
term at the parent's level when the row adds its parent row's output (the spanning-tree
decomposition); an occurrence is replaced only if every row stays within the limit
(``cse_depth``).
"""

from __future__ import annotations

import numpy as np

from ..errors import CompileError
from .builder import GraphBuilder, Term
from .cse_kernel import eliminate
from .cse_keys import SHIFT_MASK, VALUE_MASK, pack_key, unpack_key
from .cse_priority import parse_priority


class KernelState:
    """Rows and the builder's values as the kernels take them: the terms flattened into
    ``ptr, v, p, g`` arrays, every value's depth, lsb and width, every node's key, and the
    decomposition tree (``parent`` -1 for none, ``order`` parents first, children CSR)."""

    def __init__(self, builder: GraphBuilder, rows: list[list[Term]], parent: list[int | None], order: list[int]):
        self.builder = builder
        flat = np.array([t for row in rows for t in row], dtype=np.int64).reshape(-1, 3)
        n_values = builder.n_inputs + len(builder.nodes)
        top_shift = int(flat[:, 1].max() - min(0, int(flat[:, 1].min()))) if len(flat) else 0
        if n_values + len(flat) > VALUE_MASK or top_shift + 64 > SHIFT_MASK:
            raise CompileError("cmvm", f"matrix too large for the CSE ({n_values} values, shifts up to {top_shift})")
        self.ptr = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
        self.v, self.p, self.g = (flat[:, k].copy() for k in range(3))
        self.depth = np.array(builder.depth, np.int64)
        self.lsb = np.array(builder.lsb, np.int64)
        self.width = np.array(builder.width, np.int64)
        self.keys = np.array([pack_key(n.a, n.b, n.shift, n.sub) for n in builder.nodes], dtype=np.int64)
        self.parent = np.array([-1 if q is None else q for q in parent], dtype=np.int64)
        children: list[list[int]] = [[] for _ in rows]
        for r, q in enumerate(parent):
            if q is not None:
                children[q].append(r)
        self.child_ptr = np.concatenate(([0], np.cumsum([len(c) for c in children]))).astype(np.int64)
        self.child_idx = np.array([c for cs in children for c in cs], dtype=np.int64)
        self.order = np.array(order, np.int64)

    def tree(self) -> tuple[np.ndarray, ...]:
        return self.parent, self.order, self.child_ptr, self.child_idx

    def rows(self, ptr: np.ndarray, v: np.ndarray, p: np.ndarray, g: np.ndarray, keys: np.ndarray) -> list[list[Term]]:
        """Rows of kernel output terms over the node ``keys`` (the builder's nodes, then the
        kernel's in creation order): the nodes the rows use are added to the builder, and
        the terms renumbered to the builder's values."""
        b = self.builder
        n_in = b.n_inputs
        keys = keys.tolist()
        needed: set[int] = set()
        stack = [x for x in set(v.tolist()) if x >= n_in]
        while stack:
            x = stack.pop()
            if x in needed:
                continue
            needed.add(x)
            a, c, _, _ = unpack_key(keys[x - n_in])
            stack.extend(y for y in (a, c) if y >= n_in and y not in needed)
        renumber = list(range(n_in + len(b.nodes)))
        for x in range(n_in + len(b.nodes), n_in + len(keys)):
            if x in needed:
                a, c, s, sub = unpack_key(keys[x - n_in])
                renumber.append(b.node(renumber[a], renumber[c], s, sub))
            else:
                renumber.append(-1)
        v = [renumber[x] for x in v.tolist()]
        p, g, ptr = p.tolist(), g.tolist(), ptr.tolist()
        return [list(zip(v[ptr[r]:ptr[r + 1]], p[ptr[r]:ptr[r + 1]], g[ptr[r]:ptr[r + 1]])) for r in range(len(ptr) - 1)]


class RowCSE:
    """One elimination over ``rows`` (lists of terms over the builder's values).

    weights: ``S_r = sum 2**depth`` of each row's terms (an upper bound is allowed);
    parent/order: the decomposition tree (a row adds its parent's output; parents come
    first in ``order``); limit: the hard depth limit or None.
    """

    def __init__(self, builder: GraphBuilder, rows: list[list[Term]], weights: list[int],
                 parent: list[int | None], order: list[int], limit: int | None, priority: str):
        self.state = KernelState(builder, rows, parent, order)
        self.weights = np.array(weights, np.int64)
        self.limit = -1 if limit is None else limit
        self.prio, self.salt = parse_priority(priority)

    def run(self) -> list[list[Term]]:
        st = self.state
        ptr, v, p, g, new, _, _, _ = eliminate(
            st.ptr, st.v, st.p, st.g, st.depth, st.lsb, st.width, st.keys, st.builder.n_inputs,
            self.weights, *st.tree(), self.limit, self.prio, self.salt,
        )
        return st.rows(ptr, v, p, g, np.concatenate((st.keys, new)))
